// Package mlt chooses what "more like this" searches for: the terms that
// say most about one article (its most distinctive words, by tf-idf, and
// the words of the people, places and organizations it names), how many of
// them another article must share, and which of the articles found are
// the same story again rather than another like it.
//
// It is Elasticsearch's more_like_this, whose defaults it starts from
// (max_query_terms 25, min_term_freq 2, minimum_should_match 30%), over
// the analyzed terms and document frequencies the engine hands it: it
// reads no index and scores nothing itself (the engine's BM25F scorer
// does). See docs/RELEVANCE.md for what each choice measured.
package mlt

import (
	"cmp"
	"context"
	"math"
	"slices"
	"strings"
	"unicode"
)

// Params tune the choice of terms. Default is what searchd uses.
type Params struct {
	// MaxTerms is how many of the article's words are searched at most,
	// the most distinctive first (more_like_this's max_query_terms).
	MaxTerms int
	// MinTermFreq is how often a word must occur in the article to say
	// something about it (min_term_freq): a word used once is as likely
	// an aside. Entity words are kept at any frequency.
	MinTermFreq int
	// MinDocFreq is how many articles must hold a word (the article
	// itself included): a word in no other article finds nothing.
	MinDocFreq uint64
	// MaxDocShare drops words held by more than this share of the
	// articles (max_doc_freq as a share): they tell nothing apart.
	MaxDocShare float64
	// MaxEntities is how many names of each kind (people, places,
	// organizations, the most mentioned first) add their words.
	MaxEntities int
	// MinShould is the share of the searched terms another article must
	// hold (minimum_should_match), rounded down, at least one.
	MinShould float64
	// DuplicateRatio: an article found scoring at least this share of the
	// article's own score against its terms is a near-duplicate of it
	// (see Duplicate).
	DuplicateRatio float64
}

// Default are the parameters searchd uses, measured on the BBC corpus
// (docs/RELEVANCE.md).
var Default = Params{
	MaxTerms:       25,
	MinTermFreq:    2,
	MinDocFreq:     2,
	MaxDocShare:    0.5,
	MaxEntities:    3,
	MinShould:      0.3,
	DuplicateRatio: 0.9,
}

// Term is a chosen term and what chose it.
type Term struct {
	Text   string
	TF     int     // occurrences in the article
	DF     uint64  // articles holding it
	Score  float64 // tf × idf, what ranks the article's words
	Entity bool    // a word of a name the article mentions
}

// DocFreq returns how many articles hold an analyzed term.
type DocFreq func(ctx context.Context, term string) (uint64, error)

// Select chooses the terms to search for articles like one: of its
// analyzed terms (terms, in text order, repeated as they occur), the
// p.MaxTerms with the highest tf × idf among those occurring p.MinTermFreq
// times or more, plus the terms of names (entityTerms, analyzed, each
// name's words), all within the document-frequency limits. docs is the
// number of articles; df is asked once per distinct candidate, most
// frequent in the article first, so a deadline in ctx stops it early.
// The result is in decreasing score, entity terms after.
func Select(ctx context.Context, terms, entityTerms []string, docs uint64, df DocFreq, p Params) ([]Term, error) {
	tf := map[string]int{}
	for _, t := range terms {
		tf[t]++
	}
	maxDF := uint64(math.Floor(p.MaxDocShare * float64(docs)))
	usable := func(n uint64) bool { return n >= p.MinDocFreq && (p.MaxDocShare <= 0 || n <= maxDF) }
	var out []Term
	for _, t := range candidates(tf, p.MinTermFreq) {
		n, err := df(ctx, t)
		if err != nil {
			return nil, err
		}
		if usable(n) {
			out = append(out, Term{Text: t, TF: tf[t], DF: n, Score: float64(tf[t]) * idf(docs, n)})
		}
	}
	slices.SortStableFunc(out, func(a, b Term) int { return cmp.Compare(b.Score, a.Score) })
	out = out[:min(len(out), p.MaxTerms)]
	for _, t := range entityTerms {
		if slices.ContainsFunc(out, func(o Term) bool { return o.Text == t }) {
			continue
		}
		n, err := df(ctx, t)
		if err != nil {
			return nil, err
		}
		if usable(n) {
			out = append(out, Term{Text: t, TF: tf[t], DF: n, Score: float64(tf[t]) * idf(docs, n), Entity: true})
		}
	}
	return out, nil
}

// candidates returns the terms of tf occurring at least minTF times, most
// frequent first (ties in byte order, so a choice is repeatable).
func candidates(tf map[string]int, minTF int) []string {
	var out []string
	for t, n := range tf {
		if n >= minTF {
			out = append(out, t)
		}
	}
	slices.SortFunc(out, func(a, b string) int {
		return cmp.Or(cmp.Compare(tf[b], tf[a]), strings.Compare(a, b))
	})
	return out
}

// idf is Lucene's classic inverse document frequency, which its
// MoreLikeThis ranks words by.
func idf(docs, n uint64) float64 {
	return 1 + math.Log(float64(docs)/float64(n+1))
}

// Names returns the names of each list, at most limit of each, in order:
// an article's people, places and organizations, most mentioned first.
func Names(limit int, lists ...[]string) []string {
	var out []string
	for _, l := range lists {
		out = append(out, l[:min(len(l), limit)]...)
	}
	return out
}

// MinMatch is how many of n searched terms an article must hold: share of
// n rounded down (as Elasticsearch rounds a percentage), at least one.
func MinMatch(n int, share float64) int {
	return max(1, int(math.Floor(share*float64(n))))
}

// Duplicate reports whether an article found, titled title and scoring
// score against the article's terms, is a near-duplicate of the article,
// titled selfTitle and scoring selfScore against its own terms (0 when
// not known): the same title (in any case and spacing), or a score so
// close to the article's own that it holds its distinctive words as often
// as the article does. A story re-filed with small edits passes both.
//
// It stands in for the duplicate groups found at indexing time: when an
// article's near-duplicates are known, they are excluded by ID instead.
func Duplicate(selfTitle, title string, selfScore, score, ratio float64) bool {
	if t := fold(selfTitle); t != "" && t == fold(title) {
		return true
	}
	return selfScore > 0 && score >= ratio*selfScore
}

// fold lower-cases s and collapses its spaces.
func fold(s string) string {
	return strings.Join(strings.FieldsFunc(strings.ToLower(s), unicode.IsSpace), " ")
}
