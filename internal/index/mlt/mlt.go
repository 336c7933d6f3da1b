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
	// BoostTerms, when positive, weighs each term by its score over the
	// best term's, times BoostTerms (more_like_this's boost_terms); zero
	// weighs every term 1.
	BoostTerms float64
	// Duplicate is the resemblance of two texts (see Resemblance) from
	// which one is a near-duplicate of the other.
	Duplicate float64
}

// Default are the parameters searchd uses, measured on the BBC corpus
// (docs/RELEVANCE.md).
var Default = Params{
	MaxTerms:    25,
	MinTermFreq: 2,
	MinDocFreq:  2,
	MaxDocShare: 0.5,
	MaxEntities: 3,
	MinShould:   0.2,
	Duplicate:   0.5,
}

// Term is a chosen term and what chose it.
type Term struct {
	Text   string
	TF     int     // occurrences in the article
	DF     uint64  // articles holding it
	Score  float64 // tf × idf, what ranks the article's words
	Entity bool    // a word of a name the article mentions
	Weight float64 // what a match of the term counts, times its idf
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
	for i := range out {
		out[i].Weight = 1
		if p.BoostTerms > 0 && out[0].Score > 0 {
			out[i].Weight = p.BoostTerms * out[i].Score / out[0].Score
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

// Story is what tells one story from another: an article's title, folded
// (case and spacing aside), and the three-word sequences (shingles) of its
// text. Make it once per article: comparing two is cheap, making one is
// not.
type Story struct {
	title    string
	shingles map[uint64]struct{}
}

// NewStory returns the Story of an article titled title with text body.
func NewStory(title, body string) Story {
	return Story{title: fold(title), shingles: shingles(body)}
}

// Same reports whether s and o are the same story, o a near-duplicate of
// s: the same title, or texts whose resemblance (see Resemblance) is at
// least threshold. A story re-filed with small edits passes either.
//
// It stands in for the duplicate groups found at indexing time: when an
// article's near-duplicates are known, they are excluded by ID instead.
func (s Story) Same(o Story, threshold float64) bool {
	if s.title != "" && s.title == o.title {
		return true
	}
	return resemblance(s.shingles, o.shingles) >= threshold
}

// shingleWords is how many words a shingle holds (Broder's resemblance
// of documents by their word sequences).
const shingleWords = 3

// Resemblance is the Jaccard similarity of the sets of three-word
// sequences (shingles) of a and b, in lower case: 1 for the same words in
// the same order, near 0 for two articles on the same subject told in
// their own words. A text of fewer than three words is one shingle.
func Resemblance(a, b string) float64 {
	return resemblance(shingles(a), shingles(b))
}

func resemblance(a, b map[uint64]struct{}) float64 {
	if len(a) == 0 || len(b) == 0 {
		return 0
	}
	both := 0
	for s := range a {
		if _, ok := b[s]; ok {
			both++
		}
	}
	return float64(both) / float64(len(a)+len(b)-both)
}

// shingles returns the hashes (64-bit FNV-1a: a collision among an
// article's few hundred shingles is vanishingly rare) of text's shingles.
func shingles(text string) map[uint64]struct{} {
	words := strings.FieldsFunc(strings.ToLower(text), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
	out := make(map[uint64]struct{}, len(words))
	for i := 0; i < max(1, len(words)-shingleWords+1) && len(words) > 0; i++ {
		h := uint64(14695981039346656037)
		for k, w := range words[i:min(i+shingleWords, len(words))] {
			if k > 0 {
				h = (h ^ ' ') * 1099511628211
			}
			for j := 0; j < len(w); j++ {
				h = (h ^ uint64(w[j])) * 1099511628211
			}
		}
		out[h] = struct{}{}
	}
	return out
}

// fold lower-cases s and collapses its spaces.
func fold(s string) string {
	return strings.Join(strings.FieldsFunc(strings.ToLower(s), unicode.IsSpace), " ")
}
