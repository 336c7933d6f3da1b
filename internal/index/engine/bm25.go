package engine

import (
	"bytes"
	"cmp"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"slices"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/mapping"
	bsearch "github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	"github.com/blevesearch/bleve/v2/search/searcher"
	index "github.com/blevesearch/bleve_index_api"
	"github.com/newsfind/newsfind/internal/analyze"
	"github.com/newsfind/newsfind/internal/index/blockmax"
	"github.com/newsfind/newsfind/internal/index/bm25"
	"github.com/newsfind/newsfind/internal/index/cursors"
	"github.com/newsfind/newsfind/internal/index/estimate"
	"github.com/newsfind/newsfind/internal/index/maxscore"
	"github.com/newsfind/newsfind/internal/index/schema"
	"github.com/newsfind/newsfind/internal/index/spell"
)

// weightedField is a field to score and the weight of its scores. A
// field analyzed otherwise than the first (the exact form) names, in forms,
// the terms it holds for each of the query's terms; a term it has no forms
// for is not looked up there. With siblings, a term that has forms is
// looked up as the field's terms whose stem it is instead (see
// siblingForms), and a negative boost takes those away.
type weightedField struct {
	name     string
	boost    float64
	forms    map[string][]string
	siblings bool
}

// bm25Query matches the articles that contain any of terms in any of fields
// and scores them by Okapi BM25 as Robertson and Zaragoza give it, summed
// over the terms: idf × tf·(k1+1) / (tf + k1·(1 − b + b·len/avglen)).
// bleve's own "bm25" differs in ways that cost ranking on typed questions:
// it takes the square root of tf, squares idf through its query norm, and
// multiplies a disjunction's score by the share of terms matched.
//
// The first field is the article's text; the others hold parts of it worth
// more (a title): an occurrence there adds its field's boost to tf, as in
// BM25F and SQLite FTS5's column weights, so a term in the title counts
// 1 + boost times, and saturates like any other repetition. len is the
// first field's length.
//
// With weights, each term's score is multiplied by its weight instead of
// how often the query repeats it, and the weighted terms that are not among
// terms are searched too (pseudo-relevance feedback's expansion terms, see
// feedback.go).
//
// With a phrase, the terms' positions are checked too: articles that hold
// the phrase gain phraseBoost × the phrase terms' idf, or, when
// phraseRequired, are the only ones matched.
// In a field with one value per article the phrase is checked by a
// phraseProbe, reading positions for the articles checked only; in others
// (people's names, where a phrase must also stay within one name) by
// bleve's phrase searcher.
type bm25Query struct {
	terms   []string // analyzed; a repeated term counts once per repetition
	weights map[string]float64
	fields  []weightedField

	// sole is set when this query's score is the whole of the search's
	// score, so a match the search's top hits would not keep can skip the
	// phrase check (see topFloor).
	sole bool

	phrase         query.Query // optional
	phraseBoost    float64
	phraseRequired bool
	// adjacent are the phrase's neighbouring terms (stop words leave
	// gaps), whose pairs an article holding the phrase holds in the pairs
	// field (see pairGates); wholePair is set when the phrase is one pair.
	adjacent  [][2]string
	wholePair bool
	// prefixes are words that also match the terms they start (see
	// prefix.go), and expansions what they start, read once for all the
	// passes of a search (set them with withPrefixes).
	prefixes   []spell.Prefix
	expansions *spell.Expansions

	// offsets, for a required phrase in a field with one value per
	// article, are each term's position in the phrase (stop words leave
	// gaps): the searcher then checks the phrase on its own postings'
	// positions instead of running phrase.
	offsets []uint64
	// all requires every term, without positions (the stop words of a
	// phrase, see stopWordsQuery).
	all bool
	// minMatch, when positive, matches only the articles whose first
	// field holds at least that many of the terms (more like this's
	// minimum_should_match, see similar.go).
	minMatch int
	// siblings holds the forms read for fields with siblings, once for
	// all the searchers a search creates from q.
	siblings *siblingForms
	// filters, when set, keep the matches to the articles that pass all
	// of them (see compile).
	filters *filterSet
	// plus, when set, are words that add their score to the matches of
	// a required clause without selecting any (`"prime minister"
	// election`, `+prime minister`, see seq): the scores are those of
	// bleve's boolean of the clause and the words, which adds its
	// clauses' (see plusScore).
	plus *bm25Query
	// also, when set, is a second required clause of words (`+blair
	// +brown`, see seq): only the articles it matches too match, and its
	// score adds to theirs, before plus's, as bleve's boolean of the two
	// clauses and the words adds them. The one with fewer articles leads
	// (see leader).
	also *bm25Query
}

// Searcher implements query.Query.
func (q *bm25Query) Searcher(ctx context.Context, r index.IndexReader, m mapping.IndexMapping, opts bsearch.SearcherOptions) (bsearch.Searcher, error) {
	if q.also != nil {
		var err error
		if q, err = q.leader(ctx, r); err != nil {
			return nil, err
		}
	}
	docs, avg, err := bm25Stats(ctx, r, q.fields[0].name)
	if err != nil {
		return nil, err
	}
	own := q.ownPhrase()
	// A searcher that only locates terms (for the hits shown, see
	// Generation.locate) reads the first field alone: it holds every other
	// field's occurrences (the title and the exact forms are in the
	// article's text), and only its locations are reported.
	fields := q.fields
	if opts.Score == "none" && opts.IncludeTermVectors {
		fields = fields[:1]
	}
	s := &bm25Searcher{
		ctx:       ctx,
		noHeap:    ctx.Value(noHeapKey{}) != nil,
		vectors:   opts.IncludeTermVectors,
		required:  q.phraseRequired || q.all,
		phraseReq: q.phraseRequired,
		avg:       avg,
		scoring:   opts.Score != "none",
		minMatch:  q.minMatch,
	}
	if q.sole {
		s.floor, _ = ctx.Value(floorKey{}).(*topFloor)
	}
	// A required phrase that is one pair of common words needs no
	// positions: the pairs field says which articles hold it.
	pairs := pairTerms(ctx, q)
	paired := own && q.wholePair && len(pairs) > 0
	if s.positions = own && !paired; s.positions && s.floor != nil && s.floor.limit > 0 {
		// A phrase searched alone whose terms are in many articles
		// more than the exact count's: past that count the articles that
		// could not enter the top hits are not checked for it, and a
		// probe reads positions only where it looks. Other phrases read
		// them with their terms' postings, which costs less.
		fewest, err := q.fewest(ctx, r)
		if err != nil {
			return nil, err
		}
		s.positions = fewest <= probeShare*s.floor.limit
	}
	qtf := map[string]float64{}
	for _, t := range q.terms {
		qtf[t]++
	}
	terms := uniq(q.terms)
	terms = append(terms, added(q.weights, terms)...)
	if len(q.prefixes) > 0 {
		s.prefixOf = make([]int, len(terms), len(terms)+spell.MaxPrefixTerms*len(q.prefixes))
		for g := range s.prefixOf {
			s.prefixOf[g] = -1
		}
		exps, err := q.expansions.Get(prefixDictionaries(ctx, r, q.fields[0].name), q.prefixes, terms)
		if err != nil {
			return nil, err
		}
		for k, p := range q.prefixes {
			s.own = append(s.own, slices.Index(terms, p.Term))
			for _, t := range exps[k] {
				if !slices.Contains(terms, t) { // a later pass's added terms
					terms = append(terms, t)
					s.prefixOf = append(s.prefixOf, k)
				}
			}
		}
		s.best, s.dropped = make([]float64, len(q.prefixes)), make([]bool, len(q.prefixes))
	}
	missing := false
	counts := make([]uint64, len(terms)) // per term, the articles holding it in the first field
	for g, t := range terms {
		if err := ctx.Err(); err != nil { // each term opens postings in each field
			return nil, errors.Join(err, s.Close())
		}
		var w float64
		var first *bm25Clause // the term's in the first field
		switch {
		case s.prefixOf != nil && s.prefixOf[g] >= 0:
			qtf[t] = prefixWeight
		case q.weights != nil:
			qtf[t] = q.weights[t]
		}
		for i, f := range fields {
			lookups := []string{t}
			if f.forms != nil {
				lookups = f.forms[t]
			}
			if f.siblings && len(lookups) > 0 {
				if lookups, err = q.siblings.of(ctx, r, f.name, t); err != nil {
					s.Close()
					return nil, err
				}
			}
			for _, ft := range lookups {
				if i > 0 && f.name == q.fields[0].name && first != nil && ft == first.term {
					first.also += f.boost // the first field's postings again (see also)
					s.folded += first.reader.Count()
					continue
				}
				// Lengths (norms) are decoded for the first field only.
				var tr index.TermFieldReader
				if located := opts.IncludeTermVectors && f.forms == nil; s.positions && i == 0 && !paired && !located {
					tr, err = openPositions(ctx, r, ft, f.name, s.scoring, s.scoring)
				} else {
					tr, err = openPostings(ctx, r, ft, f.name, s.scoring, s.scoring && i == 0, located)
				}
				if err != nil {
					s.Close()
					return nil, fmt.Errorf("read postings of %s:%s: %w", f.name, ft, err)
				}
				n := tr.Count()
				if n == 0 && i == 0 && (q.phraseRequired || q.all) {
					missing = true // the phrase cannot occur
				}
				if n == 0 || (i > 0 && w == 0) {
					_ = tr.Close()
					continue
				}
				typed := slices.Contains(q.terms, t)
				if i == 0 {
					counts[g] = n
					w = qtf[t] * bm25.IDF(docs, n)
					if typed {
						s.phraseBonus += q.phraseBoost * bm25.IDF(docs, n)
						s.typedTerms++
					}
				}
				c := &bm25Clause{term: ft, reader: tr, group: g, primary: i == 0, typed: typed, tfWeight: f.boost,
					located: f.forms == nil, field: f.name}
				if p, ok := tr.(*postingsReader); ok && (s.scoring && !p.vectors && !s.required || !s.scoring && p.vectors && !s.positions) {
					// (A conjunction counts nearly all it lands on; a
					// locator, a posting after each hit it reads.)
					p.lazy, c.lazy = true, p
				}
				s.clauses = append(s.clauses, c)
				if i == 0 {
					first = c
				}
			}
		}
		s.weights = append(s.weights, w)
	}
	if s.prefixOf != nil {
		s.weighExpansions(docs, counts)
	}
	if none, err := s.pairGates(ctx, r, q, pairs); err != nil {
		s.Close()
		return nil, err
	} else if none && q.phraseRequired {
		missing = true
	}
	s.tf, s.marked = make([]float64, len(s.weights)), make([]bool, len(s.weights))
	s.length = make([]float64, len(s.weights))
	if im, ok := ctx.Value(impactsKey{}).(*blockmax.Table); ok && s.scoring && q.fields[0].name == schema.Content {
		var content []bool
		s.rows, content = s.blockRows(im)
		s.lastBlock, s.layout = -1, &im.Layout
		s.pairMaxima(ctx, im, content)
		s.present, s.most = make([]bool, len(s.weights)), make([]byte, len(s.weights))
		s.wordOf = make([]int, len(s.weights))
		for g := range s.wordOf {
			s.wordOf[g] = -1
			if s.prefixOf != nil {
				s.wordOf[g] = s.prefixOf[g]
			}
		}
		for k, g := range s.own {
			if g >= 0 {
				s.wordOf[g] = k
			}
		}
		for _, c := range s.clauses {
			if s.rows != nil && s.rows[c.group] == nil {
				s.rowless = append(s.rowless, c)
			}
		}
	}
	if own && !paired {
		// The phrase's term k is group groups[k] at offset q.offsets[k].
		// A search it alone scores reads its positions in the articles
		// checked only, past the exact count those that could enter the
		// top hits (see phraseProbe); others, checking every article with
		// its terms, as the terms' postings give them.
		groups := make([]int, len(q.terms))
		for k, t := range q.terms {
			groups[k] = slices.Index(terms, t)
		}
		field, typed := q.fields[0].name, slices.Clone(terms[:len(uniq(q.terms))])
		switch {
		case s.positions:
			s.pos, s.phraseGroups, s.phraseOffsets = make([][]uint64, len(s.weights)), groups, q.offsets
		case !missing:
			if s.probe, err = openProbe(ctx, r, field, typed, groups, q.offsets); err != nil {
				s.Close()
				return nil, err
			}
		}
		if !missing {
			s.alone = func() (*phraseProbe, error) { return openProbe(ctx, r, field, typed, groups, q.offsets) }
		}
	}
	if q.phrase != nil && len(s.clauses) > 0 && !own && (s.scoring && s.phraseBonus > 0 && !s.wholePair || q.phraseRequired) {
		// (A phrase that only adds to the score is not read unscored.)
		probed := false
		if ctx.Value(noProbeKey{}) == nil {
			if s.probe, probed, err = newPhraseProbe(ctx, r, m, q.phrase); err != nil {
				s.Close()
				return nil, err
			}
		}
		if !probed {
			popts := opts
			popts.Score = "none"
			if s.phrase, err = q.phrase.Searcher(ctx, r, m, popts); err != nil {
				s.Close()
				return nil, fmt.Errorf("phrase: %w", err)
			}
		}
	}
	if q.filters != nil && !missing {
		if s.allowed, s.excluded, err = q.filters.articles(ctx, r, m); err != nil {
			s.Close()
			return nil, err
		}
		if s.allowed != nil {
			s.allowedAt = s.allowed.Iterator()
		}
	}
	if missing || q.phraseRequired && s.phrase == nil && s.probe == nil && !own {
		// No article holds every term of a required phrase: match nothing.
		if err := s.Close(); err != nil {
			return nil, err
		}
		return searcher.NewMatchNoneSearcher(r)
	}
	if q.also != nil {
		as, err := q.also.Searcher(ctx, r, m, opts)
		if err != nil {
			return nil, errors.Join(fmt.Errorf("second clause: %w", err), s.Close())
		}
		a, ok := as.(*bm25Searcher)
		if !ok { // it matches nothing: neither do both
			return as, s.Close()
		}
		s.also, s.alsoBound = a, a.bound()
	}
	if q.plus != nil && (s.scoring || s.vectors) {
		if err := s.withPlus(ctx, r, m, opts, q.plus); err != nil {
			return nil, errors.Join(err, s.Close())
		}
	}
	return s, nil
}

// withPlus gives s the searcher of q, words that add their score to its
// matches (see bm25Query.plus), and, when s may skip, the articles q
// matches, read before it moves (see needPlus).
func (s *bm25Searcher) withPlus(ctx context.Context, r index.IndexReader, m mapping.IndexMapping, opts bsearch.SearcherOptions, q *bm25Query) error {
	ps, err := q.Searcher(ctx, r, m, opts)
	if err != nil {
		return fmt.Errorf("words: %w", err)
	}
	p, ok := ps.(*bm25Searcher)
	if !ok { // none of the words is in any article: they add nothing
		return ps.Close()
	}
	s.plus, s.plusBound, s.ownBound = p, p.bound(), s.bound()+s.alsoBound
	if s.floor != nil && s.scoring {
		s.plusSet = p.matches()
	}
	return nil
}

// bound returns the most s can score an article: each term its bound
// (see essential), and the phrase bonus.
func (s *bm25Searcher) bound() float64 {
	b := max(s.phraseBonus, 0)
	for _, w := range s.weights {
		b += bm25.Bound(max(w, 0))
	}
	return b
}

// needPlus keeps s to the articles that hold one of plus's words (and
// pass the filters) once the threshold is past what the rest of a score
// can be: no other article can enter the top hits.
func (s *bm25Searcher) needPlus() {
	theta, ok := s.floor.threshold()
	if !ok || !maxscore.Below(s.ownBound+s.orBound, theta) {
		return
	}
	m := s.plusSet // s's own: s.allowed may be a pass's (see restrict)
	s.plusSet = nil
	if within := cmp.Or(s.matched, s.allowed); within != nil {
		m.And(within)
	}
	if s.excluded != nil {
		m.AndNot(s.excluded)
	}
	s.allowed, s.allowedAt, s.excluded = m, m.Iterator(), nil
	s.floor.pruned = true
}

// plusScore returns what plus adds to the match dm (see bm25Query.plus):
// its score there, whose locations it appends to dm's.
func (s *bm25Searcher) plusScore(ctx *bsearch.SearchContext, dm *bsearch.DocumentMatch) (float64, error) {
	if s.plus == nil {
		return 0, nil
	}
	at, err := s.plus.at(ctx, dm.IndexInternalID)
	if err != nil {
		return 0, fmt.Errorf("words: %w", err)
	}
	if at == nil || !at.IndexInternalID.Equals(dm.IndexInternalID) {
		return 0, nil
	}
	if s.vectors {
		dm.FieldTermLocations = append(dm.FieldTermLocations, at.FieldTermLocations...)
	}
	return at.Score, nil
}

// at returns s's match at or after id, nil when it has none: a searcher
// beside another's matches (plus, also) is asked about each in turn, and
// moves only when its last match, which it keeps, is before id.
func (s *bm25Searcher) at(ctx *bsearch.SearchContext, id index.IndexInternalID) (*bsearch.DocumentMatch, error) {
	if s.last != nil && s.last.IndexInternalID.Compare(id) < 0 {
		ctx.DocumentMatchPool.Put(s.last)
		s.last = nil
	}
	if s.last == nil && !s.exhausted {
		var err error
		if s.last, err = s.Advance(ctx, id); err != nil {
			return nil, err
		}
		s.exhausted = s.last == nil
	}
	return s.last, nil
}

// weighExpansions gives the terms each prefix expands to one weight (see
// prefix.go): prefixWeight times the IDF of the prefix as one term.
func (s *bm25Searcher) weighExpansions(docs float64, counts []uint64) {
	held := make([][]uint64, len(s.own)) // per prefix, its terms' counts
	for g, k := range s.prefixOf {
		if k < 0 {
			k = slices.Index(s.own, g) // the word itself, or none
		}
		if k >= 0 {
			held[k] = append(held[k], counts[g])
		}
	}
	for g, k := range s.prefixOf {
		if k >= 0 && s.weights[g] != 0 {
			s.weights[g] = prefixWeight * bm25.UnionIDF(docs, held[k]...)
		}
	}
}

// bm25Stats returns the number of articles and the average length of
// field: the generation's exact statistics when the search carries them
// (see termStats), else the reader's estimates.
func bm25Stats(ctx context.Context, r index.IndexReader, field string) (float64, float64, error) {
	if st, ok := ctx.Value(bsearch.BM25StatsKey).(*bsearch.BM25Stats); ok && st.DocCount > 0 {
		return st.DocCount, float64(st.FieldCardinality[field]) / st.DocCount, nil
	}
	n, err := r.DocCount()
	if err != nil || n == 0 {
		return 0, 0, err
	}
	var avg float64
	if br, ok := r.(index.BM25Reader); ok {
		card, err := br.FieldCardinality(field)
		if err != nil {
			return 0, 0, fmt.Errorf("field statistics of %s: %w", field, err)
		}
		avg = float64(card) / float64(n)
	}
	return float64(n), avg, nil
}

// added returns the terms of weights that are not in terms, in order.
func added(weights map[string]float64, terms []string) []string {
	var out []string
	for t := range weights {
		if !slices.Contains(terms, t) {
			out = append(out, t)
		}
	}
	slices.Sort(out)
	return out
}

func uniq(terms []string) []string {
	seen := make(map[string]bool, len(terms))
	out := terms[:0:0]
	for _, t := range terms {
		if !seen[t] {
			seen[t] = true
			out = append(out, t)
		}
	}
	return out
}

// bm25Clause is one term in one field: its postings and how much an
// occurrence there counts.
type bm25Clause struct {
	term     string
	reader   index.TermFieldReader
	group    int  // the term's index in bm25Searcher.weights
	primary  bool // the field whose length normalizes
	typed    bool // one of the query's terms, not an expansion term
	tfWeight float64
	// located is false for the exact form of a typed word: its locations
	// are those of the same word in the first field, which reports them.
	located bool
	// also is what a primary clause's occurrences count again for a later
	// field naming the same postings (an exact form that is its stem), read
	// once: whole weights, so the sums are exact in any order.
	also  float64
	cur   *index.TermFieldDoc
	tfd   index.TermFieldDoc
	doc   uint64 // cur's document number, compared as a number
	done  bool
	field string
	pair  bool // a pair of the phrase's terms in the pairs field, not scored
	// lazy is reader when it leaves frequencies and norms until counted:
	// those of the postings moved past undecoded cost nothing.
	lazy *postingsReader
	// stale, while a searcher's heap holds it, is that searcher's flag
	// saying the heap must be rebuilt (see bm25Searcher.next).
	stale *bool
}

// next moves the clause to its next posting, or to the first at or after
// id when id is set.
func (c *bm25Clause) next(id index.IndexInternalID) error {
	var err error
	if id == nil {
		c.cur, err = c.reader.Next(c.tfd.Reset())
	} else {
		c.cur, err = c.reader.Advance(id, c.tfd.Reset())
	}
	if err != nil {
		return fmt.Errorf("read postings of %s: %w", c.term, err)
	}
	c.done = c.cur == nil
	if !c.done {
		c.doc = c.cur.ID.Value()
	}
	if c.stale != nil {
		*c.stale = true // moved in the heap: it is to be rebuilt
	}
	return nil
}

// length is the length of the clause's field in its current article, from
// the norm bleve keeps (1/√length).
func (c *bm25Clause) length() float64 { return bm25.NormLength(c.cur.Norm) }

// bm25Searcher walks the clauses' postings in document order, as a
// disjunction, and sums the scores of the clauses at each article.
type bm25Searcher struct {
	// ctx is the search's: one Next may pass over many articles (those
	// without a required phrase), and a step costs a look at every clause
	// (hundreds in a long query), so ctx is checked every checkDoneEvery
	// steps or clause looks, whichever comes first.
	ctx     context.Context
	work    int
	clauses []*bm25Clause
	weights []float64 // per term: query term frequency × idf
	avg     float64   // the primary field's average length
	tf      []float64 // per term, in the current article
	length  []float64
	scoring bool      // scores are wanted
	floor   *topFloor // nil: every match is scored in full
	bounds  *maxscore.Bounds
	theta   float64 // the threshold essential last saw
	// rows are, per term, its block maxima (see impacts.go), nil for a
	// term without; nil when no term has any. lastBlock is the last block
	// found not to be skippable at threshold lastTheta.
	rows    [][]byte
	rowless []*bm25Clause // the clauses of terms without block maxima
	// pairRows are the maxima of the phrase's words over the articles
	// holding its pairs (see pairMaxima); most is blockBound's per term.
	pairRows  []pairRow
	most      []byte
	present   []bool // per term, whether it may be in the block skipBlock looks at
	wordOf    []int  // per term, the word being typed it is or expands, or -1
	layout    *blockmax.Layout
	lastBlock int
	lastTheta float64
	started   bool
	vectors   bool
	required  bool
	phraseReq bool // the phrase is required: only articles holding it match
	minMatch  int  // see bm25Query.minMatch

	// The phrase is checked by probe in a field with one value per
	// article, else by bleve's phrase searcher.
	probe       *phraseProbe
	phrase      bsearch.Searcher
	phraseAt    *bsearch.DocumentMatch // the phrase searcher's current match
	phraseDone  bool
	phraseBonus float64
	typedTerms  int // the query's terms found in the index: a phrase needs all
	// gates are how many clauses read the phrase's pairs in the pairs
	// field (see pairGates): an article holds the phrase only if it holds
	// them all, and, with wholePair, whenever it holds the one. gate is
	// the group of the rarest, or -1: the bonus needs it, and MaxScore
	// leaves it essential last when it is the rarest term.
	gates     int
	gate      int
	wholePair bool
	// positions is set when the searcher checks a required phrase on its
	// own postings' positions: pos holds each term's positions in the
	// current article, and the phrase's term k is group phraseGroups[k]
	// at offset phraseOffsets[k].
	positions bool
	pos       [][]uint64
	// alone, set for a phrase searched alone, opens a probe of it (see
	// candidates).
	alone         func() (*phraseProbe, error)
	phraseGroups  []int
	phraseOffsets []uint64
	// The clauses a pass walks (walked: the essential ones, or all, as at
	// threshold walkFor, less those done; walking once set), in heap by
	// document when many (big; stale once one moved there, see next); here
	// those at the pass's article, with those and the others there (see
	// gather); leads how many walked lead (see lead).
	heap                cursors.Heap[*bm25Clause]
	walkFor             float64
	walking, big, stale bool
	noHeap              bool // see Options.NoHeap
	walked, here, with  []*bm25Clause
	leads               int
	rest                []*bm25Clause // the clauses of the terms ess leaves out
	restAt              []uint64      // where each of rest was last seen, at most where it is (see gather)
	// touched are the terms count counted in the article (marked).
	touched []int
	marked  []bool
	// prefixOf is, per term, the index of the prefix word it is an
	// expansion of, or -1; nil without prefixes. own is, per prefix word,
	// the term of the word itself (or -1), and best its best expansion's
	// score in the current article; held, those passOver found held.
	prefixOf []int
	own      []int
	dropped  []bool // per word being typed, its expansions left out (see dropExpansions)
	best     []float64
	held     []int
	target   index.IndexInternalID
	folded   uint64 // the postings primary clauses read for others
	// allowed, when set, are the only articles the searcher matches (see
	// bm25Query.filters), looked up by allowedAt.
	allowed   *roaring.Bitmap
	allowedAt roaring.IntPeekable
	// excluded, when set, are articles the searcher does not match (see
	// filterSet.articles).
	excluded *roaring.Bitmap
	// plus scores the words of bm25Query.plus, moved to each match that
	// needs its score (see at). plusBound bounds what it adds, ownBound
	// the rest of a score. plusSet, until needPlus uses it, holds the
	// articles plus matches.
	plus                *bm25Searcher
	plusBound, ownBound float64
	plusSet             *roaring.Bitmap
	// also matches the second required clause (see bm25Query.also),
	// moved to each match (see at); alsoBound is its bound.
	also      *bm25Searcher
	alsoBound float64
	// last, for a searcher beside another's matches, is its match at or
	// after the last article asked about; exhausted is set once it has
	// none (see at).
	last      *bsearch.DocumentMatch
	exhausted bool
	// orBound is what the other alternative of an orQuery may add, once
	// only the articles both match can enter the page (see orSearcher).
	orBound float64
	// matched, when set, holds the articles s may match (see restrict).
	matched *roaring.Bitmap
}

// Next implements search.Searcher.
func (s *bm25Searcher) Next(ctx *bsearch.SearchContext) (*bsearch.DocumentMatch, error) {
	return s.advance(ctx, nil)
}

// Advance implements search.Searcher.
func (s *bm25Searcher) Advance(ctx *bsearch.SearchContext, id index.IndexInternalID) (*bsearch.DocumentMatch, error) {
	return s.advance(ctx, id)
}

func (s *bm25Searcher) advance(ctx *bsearch.SearchContext, target index.IndexInternalID) (*bsearch.DocumentMatch, error) {
	if !s.started {
		s.started = true
		for _, c := range s.clauses {
			if err := c.next(target); err != nil {
				return nil, err
			}
		}
	} else if target != nil {
		if err := s.moveTo(target); err != nil {
			return nil, err
		}
	}
	for {
		if s.work += 1 + len(s.clauses); s.work >= checkDoneEvery {
			if s.work = 0; s.ctx.Err() != nil {
				return nil, s.ctx.Err()
			}
		}
		ess, stop := s.essential()
		if stop {
			return nil, nil
		}
		if s.plusSet != nil {
			s.needPlus()
		}
		if s.required {
			// Only articles with every term can hold the phrase: step
			// through those, as a conjunction, not through any term's.
			if ok, err := s.align(ess); !ok || err != nil {
				return nil, err
			}
		}
		first := s.next(ess) // at the lowest document (of an essential term)
		if first == nil {
			return nil, nil
		}
		doc := first.doc
		if s.allowed != nil && !s.allowed.Contains(uint32(doc)) {
			// Move on to the next article that passes the filters.
			if s.allowedAt.AdvanceIfNeeded(uint32(doc)); !s.allowedAt.HasNext() {
				return nil, nil
			}
			s.target = binary.BigEndian.AppendUint64(s.target[:0], uint64(s.allowedAt.PeekNext()))
			if err := s.moveTo(s.target, ess...); err != nil {
				return nil, err
			}
			continue
		}
		if s.excluded != nil && s.excluded.Contains(uint32(doc)) {
			// Move on past an article the search excludes.
			s.target = binary.BigEndian.AppendUint64(s.target[:0], doc+1)
			if err := s.moveTo(s.target, ess...); err != nil {
				return nil, err
			}
			continue
		}
		if ess != nil && s.rows != nil {
			if skip, err := s.skipBlock(doc); skip || err != nil {
				if err != nil {
					return nil, err
				}
				continue
			}
		}
		if ess != nil { // the other terms' postings skip to doc
			if skip, err := s.passOver(ess); skip || err != nil {
				if err != nil {
					return nil, err
				}
				continue
			}
			s.target = append(s.target[:0], first.cur.ID...)
		}
		if err := s.gather(doc); err != nil { // the others move to doc
			return nil, err
		}
		if s.floor != nil {
			s.floor.scored++
		}
		dm := ctx.DocumentMatchPool.Get()
		dm.IndexInternalID = append(dm.IndexInternalID[:0], first.cur.ID...)
		typed, held, pairs := 0, 0, 0 // the query's terms in the article; all its terms; the phrase's pairs
		at := s.with
		if s.vectors { // every clause: the order of their locations matters
			at = s.clauses
		}
		for _, c := range at {
			if c.done || c.doc != doc {
				continue
			}
			if c.pair {
				pairs++
			}
			if c.primary {
				held++
				if c.typed {
					typed++
					if s.positions {
						var err error
						if s.pos[c.group], err = positionsOf(c.reader, c.cur, s.pos[c.group][:0]); err != nil {
							return nil, err
						}
					}
				}
			}
			if err := s.count(c); err != nil {
				return nil, err
			}
			if s.vectors && c.located {
				dm.FieldTermLocations = appendLocations(dm.FieldTermLocations, c)
			}
			if err := c.next(nil); err != nil {
				return nil, err
			}
		}
		if held < s.minMatch {
			s.untouch()
			ctx.DocumentMatchPool.Put(dm)
			continue
		}
		if s.scoring {
			dm.Score = s.score()
		} else {
			s.untouch()
		}
		if !s.checksPhrase(dm, typed) {
			if holds, done, err := s.alsoHolds(ctx, dm); !holds {
				if err != nil || done {
					return nil, err
				}
				continue
			}
			return s.plussed(ctx, dm)
		}
		theta, pruning := s.floor.threshold()
		// Past the exact count, the words' score is read before the
		// phrase check, which it may spare.
		early := pruning && s.required && s.scoring && s.plus != nil
		extra := 0.0
		if early {
			var err error
			if extra, err = s.plusScore(ctx, dm); err != nil {
				return nil, err
			}
		}
		if pruning && s.required && s.scoring && dm.Score+s.phraseBonus+s.alsoBound+s.orBound+extra <= theta {
			// Past the exact count, an article that could not enter the
			// top hits even holding the phrase is not checked for it: the
			// total becomes a lower bound (see collect).
			s.floor.pruned = true
			ctx.DocumentMatchPool.Put(dm)
			continue
		}
		has := false
		switch {
		case typed < s.typedTerms:
		case pairs < s.gates:
		case s.wholePair:
			has = true
		case s.positions:
			has = holdsAt(s.pos, s.phraseGroups, s.phraseOffsets)
		case s.probe != nil:
			var err error
			if has, err = s.probe.holds(dm.IndexInternalID); err != nil {
				return nil, err
			}
		default:
			var err error
			if has, err = s.hasPhrase(ctx, dm.IndexInternalID); err != nil {
				return nil, err
			}
		}
		if has && s.scoring {
			dm.Score += s.phraseBonus
		}
		if has || !s.required {
			if holds, done, err := s.alsoHolds(ctx, dm); !holds {
				if err != nil || done {
					return nil, err
				}
				continue
			}
			if early {
				dm.Score += extra
				return dm, nil
			}
			return s.plussed(ctx, dm)
		}
		ctx.DocumentMatchPool.Put(dm)
	}
}

// plussed returns the match dm with what plus adds to it (see plusScore).
func (s *bm25Searcher) plussed(ctx *bsearch.SearchContext, dm *bsearch.DocumentMatch) (*bsearch.DocumentMatch, error) {
	extra, err := s.plusScore(ctx, dm)
	if err != nil {
		return nil, err
	}
	dm.Score += extra
	return dm, nil
}

// alsoHolds reports whether the second clause (see bm25Query.also), if
// any, matches dm too, adding its score and locations to dm's. When it
// does not, dm goes back to the pool and s moves to the clause's next
// match, or done is set when it has none.
func (s *bm25Searcher) alsoHolds(ctx *bsearch.SearchContext, dm *bsearch.DocumentMatch) (holds, done bool, err error) {
	if s.also == nil {
		return true, false, nil
	}
	at, err := s.also.at(ctx, dm.IndexInternalID)
	if err != nil || at == nil {
		ctx.DocumentMatchPool.Put(dm)
		return false, true, err
	}
	if !at.IndexInternalID.Equals(dm.IndexInternalID) {
		ctx.DocumentMatchPool.Put(dm)
		s.target = append(s.target[:0], at.IndexInternalID...)
		return false, false, s.moveTo(s.target)
	}
	dm.Score += at.Score
	if s.vectors {
		dm.FieldTermLocations = append(dm.FieldTermLocations, at.FieldTermLocations...)
	}
	return true, false, nil
}

// matches returns the articles s matches when they are exactly those that
// hold any of its terms in any of its fields (no phrase or number of terms
// required), or, of a required phrase that is one pair of common words,
// those that hold the pair, from its postings' bitmaps (see unionOf); nil
// otherwise.
func (s *bm25Searcher) matches() *roaring.Bitmap {
	if s.required && !s.wholePair || s.minMatch > 0 || s.started {
		return nil
	}
	var also *roaring.Bitmap
	if s.also != nil {
		if also = s.also.matches(); also == nil {
			return nil
		}
	}
	var readers []index.TermFieldReader
	for _, c := range s.clauses {
		if c.pair || !s.required {
			readers = append(readers, c.reader)
		}
	}
	m := unionOf(readers)
	if m != nil && also != nil {
		m.And(also)
	}
	if m != nil && s.allowed != nil {
		m.And(s.allowed)
	}
	if m != nil && s.excluded != nil {
		m.AndNot(s.excluded)
	}
	return m
}

// candidates returns, for a phrase searched alone that surely more than
// limit articles hold (see estimate.Sample.Sure), the articles that could
// hold it (with every term, every pair of the pairs field, passing the
// filters), and a new probe of it for facet.Visit to check a sample of
// them, spread over all, with. nil otherwise: the pass then counts the
// holders exactly up to limit.
func (s *bm25Searcher) candidates(limit uint64, checked *estimate.Sample) (*roaring.Bitmap, *phraseProbe, error) {
	if s.alone == nil || s.started || limit == 0 || s.also != nil {
		return nil, nil, nil
	}
	probe, err := s.alone()
	if err != nil || probe.never {
		return nil, nil, err
	}
	defer probe.Close()
	readers := slices.Clone(probe.readers)
	for _, c := range s.clauses {
		if c.pair {
			readers = append(readers, c.reader)
		}
	}
	m := unionOf(readers[:1])
	for _, r := range readers[1:] {
		if b := unionOf([]index.TermFieldReader{r}); m != nil && b != nil {
			m.And(b)
		} else {
			return nil, nil, nil
		}
	}
	if m == nil {
		return nil, nil, nil
	}
	if s.allowed != nil {
		m.And(s.allowed)
	}
	if s.excluded != nil {
		m.AndNot(s.excluded)
	}
	open := func() (estimate.Checker, error) { return s.alone() }
	if sure, err := checked.Sure(m, limit, open); !sure || err != nil {
		return nil, nil, err
	}
	fresh, err := s.alone() // a probe only moves forward
	return m, fresh, err
}

// restrict makes m, the articles s matches (see matches), the only ones
// its pass visits when filters or excluded words leave some of its terms'
// articles out: it moves from match to match, not through each stretch
// of those ("minister" in 2005 at 1M: 7.6 → 6.7 ms, BenchmarkSearchPaths).
func (s *bm25Searcher) restrict(m *roaring.Bitmap) {
	s.matched = m
	if s.allowed == nil && s.excluded == nil {
		return
	}
	s.allowed, s.allowedAt, s.excluded = m, m.Iterator(), nil
}

// moveTo moves the clauses before the article id to it, or past it: those
// of the terms ess marks, or all when ess is nil. The others catch up when
// an article is scored.
func (s *bm25Searcher) moveTo(id index.IndexInternalID, ess ...bool) error {
	t := id.Value()
	for _, c := range s.clauses {
		if !c.done && c.doc < t && (ess == nil || ess[c.group]) {
			if err := c.next(id); err != nil {
				return err
			}
		}
	}
	return nil
}

// essential returns, once the search may skip (see topFloor.threshold),
// which terms an article must hold to enter the top hits, from each term's
// upper bound: tf/(tf + k1·norm) < 1 for any tf ≥ 0 (exact forms subtract
// only what the stem counted), so a term adds less than weight × (k1+1);
// the phrase bonus needs every typed term. nil visits every match; stop is
// set when no article can enter. A required phrase's rarest pair stays
// essential: align steps by it.
func (s *bm25Searcher) essential() (ess []bool, stop bool) {
	theta, ok := s.floor.threshold()
	if !ok || !s.scoring {
		return nil, false
	}
	if s.bounds == nil {
		ub, needs := make([]float64, len(s.weights)), make([]bool, len(s.weights))
		for g, w := range s.weights {
			ub[g] = bm25.Bound(w)
		}
		for _, c := range s.clauses {
			needs[c.group] = needs[c.group] || c.primary && c.typed || c.pair
		}
		s.bounds = maxscore.New(ub, s.phraseBonus, needs)
		if s.required && s.gate >= 0 {
			s.bounds.Keep(s.gate) // the rare gate leads (see align)
		}
		if s.gate >= 0 && s.pairFewest() {
			// Once the words' bounds together fall below the threshold,
			// only the articles holding the pair can enter.
			s.bounds.Last(s.gate)
		}
		if s.prefixOf != nil { // a word being typed counts itself or its best expansion
			oneOf := slices.Clone(s.prefixOf)
			for k, g := range s.own {
				if g >= 0 {
					oneOf[g] = k
				}
			}
			s.bounds.OneOf(oneOf)
		}
	}
	if s.prefixOf != nil && theta != s.theta {
		s.dropExpansions(theta)
	}
	s.theta = theta
	ess, any := s.bounds.Essential(theta - s.alsoBound - s.plusBound - s.orBound) // the other clauses may add that much
	if !any || slices.Contains(ess, false) {
		s.floor.pruned = true
	}
	return ess, !any
}

// dropExpansions leaves out, at threshold theta, the expansions of a word
// being typed once they cannot change the top hits: an expansion counts
// only in an article without the word (see score), and no such article
// can enter once what it could score is below theta. The pass then stops
// moving their postings at each article it scores ("sco": ~100 clauses
// for the ~2,000 articles holding it at 100k). A pass that needs every
// clause at each article (a required phrase, words to hold) keeps them.
func (s *bm25Searcher) dropExpansions(theta float64) {
	if s.required || s.minMatch > 0 || s.positions {
		return
	}
	for k, g := range s.own {
		if g < 0 || s.dropped[k] || !maxscore.Below(s.bounds.Lacking(g)+s.alsoBound+s.plusBound+s.orBound, theta) {
			continue
		}
		s.dropped[k], s.floor.dropped, s.floor.pruned = true, s.floor.dropped+1, true
		for _, c := range s.clauses {
			if s.prefixOf[c.group] == k {
				c.done = true
				if s.rows != nil {
					s.rows[c.group] = nil
				}
			}
		}
	}
}

// blockRows returns the block maxima of each term of s, from im: those of
// its stem for a term whose group sums what the maxima bound (its content
// occurrences at most 1 + exactBoost times, its title ones at most
// 1 + titleBoost times, one exact form's at most exactBoost times, and
// others' taken away), nil for others; those of its content occurrences
// alone for a term whose group counts nothing else (a quoted phrase's),
// when im has them (see rowKey), and content is set for it. It returns
// nil when no term has any.
func (s *bm25Searcher) blockRows(im *blockmax.Table) (rows [][]byte, content []bool) {
	rows = make([][]byte, len(s.weights))
	valid := make([]bool, len(s.weights))
	extra := make([]int, len(s.weights)) // forms counted again: at most one
	others := make([]int, len(s.weights))
	for _, c := range s.clauses {
		if c.primary {
			rows[c.group], valid[c.group] = im.Row(c.term), true
		}
	}
	for _, c := range s.clauses {
		g := c.group
		if !c.primary || c.also > 0 {
			others[g]++
		}
		switch {
		case c.primary:
			valid[g] = valid[g] && c.also <= exactBoost
			if c.also > 0 {
				extra[g]++
			}
		case c.field == schema.Title:
			valid[g] = valid[g] && c.tfWeight <= titleBoost
		case c.field == schema.Exact && c.tfWeight <= 0:
		case c.field == schema.Exact:
			valid[g] = valid[g] && c.tfWeight <= exactBoost
			extra[g]++
		default:
			valid[g] = false
		}
	}
	content = make([]bool, len(s.weights))
	any := false
	for _, c := range s.clauses {
		if g := c.group; c.primary && valid[g] && others[g] == 0 {
			if r := im.Row(rowKey(c.term, "", true)); r != nil {
				rows[g], content[g] = r, true
			}
		}
	}
	for g := range rows {
		if !valid[g] || extra[g] > 1 {
			rows[g] = nil
		}
		any = any || rows[g] != nil
	}
	if !any {
		return nil, nil
	}
	return rows, content
}

// skipBlock reports whether the block of article doc, the first of the
// essential terms' articles, holds no article that can enter the top hits:
// none when, with each term that may be in the block at its block maximum
// (or its bound, without one), a word being typed at the best of itself
// and its expansions (an article counts one of them, see score) and the
// phrase bonus, it would score at most the threshold. The terms' postings
// then move past the block, and past the blocks after it that hold no such
// article either, in one move: a long one crosses zap's chunks of postings
// without reading them (see postingsReader). A term may be in the block
// unless its next article is past it, or, with block maxima, unless its
// maximum there is 0.
//
// The blocks after it are looked at a span at a time, each term at its
// largest maximum over the span: the span doubles while it can be
// skipped, up to maxSkipSpan blocks, and halves when it cannot, until a
// single block cannot. A common word whose blocks can nearly all be
// skipped is then not bounded block by block ("economy" at 1M: 31,000
// blocks of 32).
func (s *bm25Searcher) skipBlock(doc uint64) (bool, error) {
	j, end := s.layout.Block(doc)
	if j == s.lastBlock && s.theta == s.lastTheta {
		return false, nil
	}
	if !s.belowTheta(j, 1, end, false) {
		s.lastBlock, s.lastTheta = j, s.theta
		return false, nil
	}
	skipped := 1
	for next, span := j+1, 1; next < s.layout.Blocks; { // blocks are numbered in document order
		n := min(span, s.layout.Blocks-next)
		spanEnd := s.layout.BlockEnd(next + n - 1)
		if s.belowTheta(next, n, spanEnd, true) {
			end, next, skipped, span = spanEnd, next+n, skipped+n, min(2*span, maxSkipSpan)
			continue
		}
		if n == 1 {
			break
		}
		span = n / 2
	}
	s.target = binary.BigEndian.AppendUint64(s.target[:0], end)
	if err := s.moveTo(s.target); err != nil {
		return true, err
	}
	s.floor.pruned = true
	s.floor.blocks += skipped
	return true, nil
}

// maxSkipSpan is the most blocks skipBlock bounds at once.
const maxSkipSpan = 64

// belowTheta reports whether no article of the n blocks from block j,
// which end before document end, can score above the threshold (see
// skipBlock), with the words of plus at their own block maxima. A term is
// taken to be in the blocks when its next article is before end, or, when
// byRows and the term has block maxima, when its maximum there is not 0.
func (s *bm25Searcher) belowTheta(j, n int, end uint64, byRows bool) bool {
	bound := s.blockBound(j, n, end, byRows)
	switch {
	case s.also != nil && s.also.rows != nil:
		bound += s.also.blockBound(j, n, end, byRows)
	case s.also != nil:
		bound += s.alsoBound
	}
	switch {
	case s.plus != nil && s.plus.rows != nil:
		bound += s.plus.blockBound(j, n, end, byRows)
	case s.plus != nil:
		bound += s.plusBound
	}
	return maxscore.Below(bound+s.orBound, s.theta)
}

// blockBound returns the most s can score an article of the n blocks from
// block j, which end before document end (see belowTheta). Where the
// phrase may be, an article holding it scores at most its words' maxima
// over the articles holding its pairs (see pairMaxima), plus the bonus,
// and one without it at most the words' maxima, without.
func (s *bm25Searcher) blockBound(j, n int, end uint64, byRows bool) float64 {
	clear(s.present)
	clauses := s.clauses
	if byRows {
		clauses = s.rowless
	}
	for _, c := range clauses {
		if !c.done && c.doc < end {
			s.present[c.group] = true
		}
	}
	for g, r := range s.rows {
		s.most[g] = 0
		if r != nil {
			s.most[g] = slices.Max(r[j : j+n])
		}
		if byRows && r != nil {
			s.present[g] = s.most[g] > 0
		}
	}
	bound := s.sumBound()
	phrase := (s.phraseBonus > 0 || s.phraseReq) && s.typedPresent()
	if !phrase {
		return bound
	}
	if len(s.pairRows) == 0 {
		return bound + max(s.phraseBonus, 0)
	}
	for _, p := range s.pairRows {
		for k, g := range p.words {
			s.most[g] = min(s.most[g], slices.Max(p.rows[k][j:j+n]))
		}
	}
	held := s.sumBound() + max(s.phraseBonus, 0)
	if s.phraseReq {
		return held
	}
	return max(bound, held)
}

// sumBound returns the most the terms present can add at their block
// maxima most (or bounds, without).
func (s *bm25Searcher) sumBound() float64 {
	bound := 0.0
	for g, w := range s.weights {
		if !s.present[g] {
			continue
		}
		ub := bm25.Bound(max(w, 0))
		if s.rows[g] != nil {
			ub *= float64(s.most[g]) / 255
		}
		switch k := s.wordOf[g]; {
		case k < 0:
			bound += ub
		case ub > s.best[k]:
			s.best[k] = ub
		}
	}
	for k, ub := range s.best {
		bound += ub
		s.best[k] = 0 // as score expects it
	}
	return bound
}

// noPairMaximaKey, set in a search's context, leaves pairMaxima out.
type noPairMaximaKey struct{}

// noHeapKey, set in a search's context, is Options.NoHeap.
type noHeapKey struct{}

// pairRow is a pair of the phrase's words in the pairs field (its clause's
// group) with maxima of its own: rows[k] are those of its word words[k]
// (a term group) over the articles holding the pair.
type pairRow struct {
	group int
	words [2]int
	rows  [2][]byte
}

// pairMaxima finds, in im, the maxima over the articles holding each pair
// of the phrase's (see rowKey) of its two words, when both have block
// maxima of their own (the pair's bound the same factor): an article
// holding the phrase holds every pair, so its words score at most those.
// A pair's clause is then taken to be in a block where its maxima are
// not 0.
func (s *bm25Searcher) pairMaxima(ctx context.Context, im *blockmax.Table, content []bool) {
	if s.rows == nil || ctx.Value(noPairMaximaKey{}) != nil {
		return
	}
	for _, c := range s.clauses {
		if !c.pair {
			continue
		}
		first, second, ok := analyze.PairStems(c.term)
		if !ok {
			continue
		}
		p := pairRow{group: c.group, words: [2]int{-1, -1}}
		for k, stem := range [2]string{first, second} {
			for _, w := range s.clauses {
				if w.primary && w.typed && w.term == stem && s.rows[w.group] != nil {
					p.words[k] = w.group
					p.rows[k] = im.Row(rowKey(stem, c.term, content[w.group]))
					break
				}
			}
		}
		if p.words[0] < 0 || p.words[1] < 0 || p.words[0] == p.words[1] || p.rows[0] == nil || p.rows[1] == nil {
			continue
		}
		s.pairRows = append(s.pairRows, p)
		s.rows[c.group] = p.rows[0]
	}
}

// typedPresent reports whether every typed term, and every pair of the
// phrase's, may be in the block skipBlock looks at: only then can an
// article of it hold the phrase.
func (s *bm25Searcher) typedPresent() bool {
	for _, c := range s.clauses {
		if (c.primary && c.typed || c.pair) && !s.present[c.group] {
			return false
		}
	}
	return true
}

// passOver reports whether the article the pass is at, scored on the
// essential clauses there (s.here) only, cannot enter the top hits with
// the others at their bounds: those clauses then move past it (see
// maxscore.Bounds.Skip), told what the article lacks (a phrase's word: no
// bonus) and holds (a word being typed: none of its expansions count).
func (s *bm25Searcher) passOver(ess []bool) (bool, error) {
	leads := 0 // of the essential clauses at the article (s.here), those that lead
	for _, c := range s.here {
		if c.lead(nil) {
			leads++
		}
		if err := s.count(c); err != nil {
			return true, err
		}
	}
	lacks := leads < s.leads
	s.held = s.held[:0]
	for k, o := range s.own {
		if o >= 0 && ess[o] && s.tf[o] != 0 { // as score counts the word
			s.held = append(s.held, k)
		}
	}
	if !s.bounds.Skip(s.score(), lacks, s.held...) {
		return false, nil
	}
	s.floor.pruned = true
	for _, c := range s.here {
		if err := c.next(nil); err != nil {
			return true, err
		}
	}
	return true, nil
}

// heapFrom is how many clauses a pass walks from which it keeps them in a
// heap: with fewer, a look at each costs less than the heap's upkeep.
const heapFrom = 24

// next returns the clause at the lowest document of those the pass walks
// (ess's, or all), nil when none is left, with all those there in
// s.here. Many clauses ("sc": ~100) are kept in a heap, those at the
// article taken out for the pass to move and put back at the next call:
// a look at each of them for each article was 30 % of the pass. The heap
// is rebuilt when ess changes, or when the pass moved a clause in it.
func (s *bm25Searcher) next(ess []bool) *bm25Clause {
	key := math.Inf(-1) // the clauses walked change with the threshold
	if ess != nil {
		key = s.theta
	}
	switch {
	case !s.walking || key != s.walkFor || s.stale:
		s.walk(ess, key)
	case s.big:
		for _, c := range s.here {
			if !c.done {
				s.heap.Push(c, c.doc)
				c.stale = &s.stale
			}
		}
	}
	s.here = s.here[:0]
	if s.big {
		doc, ok := s.heap.Top()
		for at := doc; ok && at == doc; at, ok = s.heap.Top() {
			c := s.heap.Pop()
			c.stale, s.here = nil, append(s.here, c)
		}
		if len(s.here) == 0 {
			return nil
		}
		return s.here[0]
	}
	var first *bm25Clause
	for _, c := range s.walked {
		switch {
		case c.done:
		case first == nil || c.doc < first.doc:
			first, s.here = c, append(s.here[:0], c)
		case c.doc == first.doc:
			s.here = append(s.here, c)
		}
	}
	return first
}

// walk sets the clauses the pass walks, ess's (or all): their leads, the
// others (rest), and, when they are many, the heap that holds them.
func (s *bm25Searcher) walk(ess []bool, key float64) {
	s.walking, s.walkFor, s.stale, s.leads, s.walked, s.rest = true, key, false, 0, s.walked[:0], s.rest[:0]
	s.restAt = s.restAt[:0]
	s.heap.Reset()
	for _, c := range s.clauses {
		c.stale = nil
		if c.lead(ess) {
			s.leads++ // a done one too: an article then lacks it
		}
		switch {
		case c.done: // for good
		case ess != nil && !ess[c.group]:
			s.rest, s.restAt = append(s.rest, c), append(s.restAt, c.doc)
		default:
			s.walked = append(s.walked, c)
		}
	}
	if s.big = len(s.walked) >= heapFrom && !s.noHeap; !s.big {
		return
	}
	if s.floor != nil {
		s.floor.heaped++
	}
	for _, c := range s.walked {
		s.heap.Add(c, c.doc)
		c.stale = &s.stale
	}
	s.heap.Init()
}

// gather moves the clauses the pass does not walk (s.rest) to article doc
// (s.target), and sets s.with to those there and those of s.here. Only
// those last seen at or before doc are looked at: clauses move forward
// only, so one seen past doc is past it ("new ye": ~90 clauses, most of
// them far ahead, a look at each a cache miss, were a quarter of its time).
func (s *bm25Searcher) gather(doc uint64) error {
	s.with = append(s.with[:0], s.here...)
	for i, at := range s.restAt {
		if at > doc {
			continue
		}
		c := s.rest[i]
		if !c.done && c.doc < doc {
			if err := c.next(s.target); err != nil {
				return err
			}
		}
		if s.restAt[i] = c.doc; c.done {
			s.restAt[i] = math.MaxUint64
		} else if c.doc == doc {
			s.with = append(s.with, c)
		}
	}
	return nil
}

// count adds clause c's occurrences in its current article to its term's.
func (s *bm25Searcher) count(c *bm25Clause) error {
	if c.lazy != nil && c.lazy.pending != nil {
		if err := c.lazy.entry(c.cur); err != nil {
			return fmt.Errorf("read postings of %s: %w", c.term, err)
		}
	}
	if !s.marked[c.group] {
		s.marked[c.group], s.touched = true, append(s.touched, c.group)
	}
	if c.primary {
		s.tf[c.group] += (1 + c.also) * float64(c.cur.Freq)
		s.length[c.group] = c.length()
	} else {
		s.tf[c.group] += c.tfWeight * float64(c.cur.Freq)
	}
	return nil
}

// checksPhrase reports whether match dm, holding typed of the typed terms,
// must be checked for the phrase. A required phrase selects, so every
// match is checked. A phrase that only adds a bonus is checked when the
// bonus can matter: the search scores, the article holds all the typed
// terms (only then can it hold the phrase), at least two of them, and with
// the bonus it could enter the search's top hits.
func (s *bm25Searcher) checksPhrase(dm *bsearch.DocumentMatch, typed int) bool {
	switch {
	case s.phrase == nil && s.probe == nil && !s.positions && !s.wholePair:
		return false // no phrase
	case s.required:
		return true
	case !s.scoring || typed < max(s.typedTerms, 2):
		return false
	}
	return !s.floor.beyond(dm.IndexInternalID, dm.Score+s.phraseBonus+s.orBound)
}

// holdsAt reports whether an article holds a phrase: pos[g] are term g's
// positions in the article, in increasing order, and the phrase's term k
// is term groups[k], at offsets[k] from the first.
func holdsAt(pos [][]uint64, groups []int, offsets []uint64) bool {
	for _, p := range pos[groups[0]] {
		start := p - offsets[0]
		found := true
		for k := 1; k < len(groups) && found; k++ {
			_, found = slices.BinarySearch(pos[groups[k]], start+offsets[k])
		}
		if found {
			return true
		}
	}
	return false
}

// align moves the query's terms to the next article holding them all, and
// the other clauses to it too; ok is false when there is none. With ess,
// only the essential terms' (each group of a required query is a term or a
// pair): passOver moves past an article the others could not lift.
func (s *bm25Searcher) align(ess []bool) (ok bool, err error) {
	for {
		var last *bm25Clause // the typed term at the highest document
		for _, c := range s.clauses {
			if !c.lead(ess) {
				continue
			}
			if c.done {
				return false, nil
			}
			if last == nil || c.doc > last.doc {
				last = c
			}
		}
		if last == nil {
			return false, nil
		}
		hi := last.doc
		s.target = append(s.target[:0], last.cur.ID...)
		aligned := true
		for _, c := range s.clauses {
			if !c.done && c.doc < hi && (ess == nil || ess[c.group]) {
				if err := c.next(s.target); err != nil {
					return false, err
				}
				if c.lead(ess) && (c.done || c.doc != hi) {
					aligned = false
				}
			}
		}
		if aligned {
			return true, nil
		}
	}
}

// lead reports whether align steps by c (one marked by ess, unless nil).
func (c *bm25Clause) lead(ess []bool) bool {
	return (c.primary && c.typed || c.pair) && (ess == nil || ess[c.group])
}

// score sums the BM25 scores of the terms in the current article (a
// prefix's expansions as prefix.go says) and resets the per-term counts.
func (s *bm25Searcher) score() float64 {
	var sum float64
	slices.Sort(s.touched) // summed in the terms' order, as always
	for _, g := range s.touched {
		tf := s.tf[g]
		if tf == 0 {
			continue
		}
		v := s.weights[g] * bm25.TF(tf, bm25.LengthNorm(s.length[g], s.avg))
		if s.prefixOf == nil || s.prefixOf[g] < 0 {
			sum += v
			continue
		}
		// An expansion counts only without the word itself, and only
		// the best of the word's.
		k := s.prefixOf[g]
		if o := s.own[k]; (o < 0 || s.tf[o] == 0) && v > s.best[k] {
			s.best[k] = v
		}
	}
	for k, v := range s.best {
		sum += v
		s.best[k] = 0
	}
	s.untouch()
	return sum
}

// untouch resets the per-term counts of the terms counted (see count).
func (s *bm25Searcher) untouch() {
	for _, g := range s.touched {
		s.tf[g], s.length[g], s.marked[g] = 0, 0, false
	}
	s.touched = s.touched[:0]
}

// topFloor tells a searcher which matches a search's top hits would not
// keep, however the search orders them: a match that would not enter the
// hits with the best score it could still get is counted but need not be
// scored in full. Its phrase check is skipped: a phrase check reads
// positions, and would otherwise be most of the cost of a common two-word
// search.
//
// Past the exact count (prune), a searcher may also skip the matches that
// cannot enter the hits at all (see essential), and says so (pruned).
type topFloor struct {
	top           *topHits
	limit         uint64 // the matches counted exactly: past them, skipping may start
	probe         bsearch.DocumentMatch
	prune, pruned bool
	off           bool // Options.NoPruning: never skip
	blocks        int  // blocks of articles skipped (see skipBlock)
	scored        int  // articles scored, with Options.Scored
	dropped       int  // words being typed whose expansions were left out, with Options.Dropped
	heaped        int  // heaps of clauses set up, with Options.Heaped
	// shared, in a split pass (see split.go), is where the halves tell
	// each other their thresholds, slot this half's; sent is the last
	// told, once told is set.
	shared *splitFloor
	slot   int
	sent   float64
	told   bool
}

// threshold returns the score a later match must beat to enter the top
// hits (ties go to the earlier article), when skipping is allowed.
func (f *topFloor) threshold() (float64, bool) {
	if f == nil || !f.prune || f.off || f.top.order != byScore || f.top.k == 0 {
		return 0, false
	}
	theta, ok := 0.0, f.top.full()
	if ok {
		theta = f.top.h[0].Score
	}
	if f.shared != nil {
		if ok && (!f.told || theta > f.sent) {
			f.shared.publish(f.slot, theta)
			f.sent, f.told = theta, true
		}
		if o, has := f.shared.other(f.slot); has && (!ok || o > theta) {
			theta, ok = o, true
		}
	}
	return theta, ok
}

// floorKey is the context key of a search's *topFloor.
type floorKey struct{}

// beyond reports whether the match id, scoring at most score, cannot enter
// the top hits.
func (f *topFloor) beyond(id index.IndexInternalID, score float64) bool {
	if f == nil || !f.top.full() {
		return false
	}
	if f.top.k == 0 {
		return true
	}
	f.probe.HitNumber, f.probe.Score = id.Value(), score
	return !f.top.before(&f.probe, f.top.h[0])
}

// hasPhrase reports whether the article id holds the phrase, moving the
// phrase searcher forward (articles come in increasing order).
func (s *bm25Searcher) hasPhrase(ctx *bsearch.SearchContext, id index.IndexInternalID) (bool, error) {
	if s.phraseAt != nil && bytes.Compare(s.phraseAt.IndexInternalID, id) < 0 {
		ctx.DocumentMatchPool.Put(s.phraseAt)
		s.phraseAt = nil
	}
	if s.phraseAt == nil && !s.phraseDone {
		dm, err := s.phrase.Advance(ctx, id)
		if err != nil {
			return false, fmt.Errorf("phrase: %w", err)
		}
		s.phraseAt, s.phraseDone = dm, dm == nil
	}
	return s.phraseAt != nil && bytes.Equal(s.phraseAt.IndexInternalID, id), nil
}

func appendLocations(locs []bsearch.FieldTermLocation, c *bm25Clause) []bsearch.FieldTermLocation {
	for _, v := range c.cur.Vectors {
		var ap bsearch.ArrayPositions
		if len(v.ArrayPositions) > 0 {
			ap = append(ap, v.ArrayPositions...)
		}
		locs = append(locs, bsearch.FieldTermLocation{
			Field: v.Field,
			Term:  c.term,
			Location: bsearch.Location{
				Pos: v.Pos, Start: v.Start, End: v.End, ArrayPositions: ap,
			},
		})
	}
	return locs
}

// Close implements search.Searcher. It closes each reader once however
// often it is called: scorch recycles a closed reader, and one closed twice
// would be handed to two later searches.
func (s *bm25Searcher) Close() error {
	var first error
	for _, c := range s.clauses {
		if err := c.reader.Close(); err != nil && first == nil {
			first = err
		}
	}
	if s.phrase != nil {
		if err := s.phrase.Close(); err != nil && first == nil {
			first = err
		}
	}
	if s.probe != nil {
		if err := s.probe.Close(); err != nil && first == nil {
			first = err
		}
	}
	for _, o := range []*bm25Searcher{s.plus, s.also} {
		if o != nil {
			if err := o.Close(); err != nil && first == nil {
				first = err
			}
		}
	}
	s.clauses, s.phrase, s.probe, s.plus, s.also = nil, nil, nil, nil, nil
	return first
}

// Weight implements search.Searcher. BM25 scores need no query norm; the
// weight only keeps bleve's norm of any other clause finite.
func (s *bm25Searcher) Weight() float64 { return 1 }

// SetQueryNorm implements search.Searcher: BM25 scores are not normalized.
func (s *bm25Searcher) SetQueryNorm(float64) {}

// Count implements search.Searcher: at most this many articles match.
func (s *bm25Searcher) Count() uint64 {
	n := s.folded
	for _, c := range s.clauses {
		n += c.reader.Count()
	}
	return n
}

// Min implements search.Searcher.
func (s *bm25Searcher) Min() int { return 0 }

// Size implements search.Searcher (an estimate of the memory held).
func (s *bm25Searcher) Size() int {
	n := 64
	for _, c := range s.clauses {
		n += 96 + c.reader.Size()
	}
	if s.phrase != nil {
		n += s.phrase.Size()
	}
	if s.probe != nil {
		n += s.probe.Size()
	}
	for _, o := range []*bm25Searcher{s.plus, s.also} {
		if o != nil {
			n += o.Size()
		}
	}
	return n
}

// DocumentMatchPoolSize implements search.Searcher.
func (s *bm25Searcher) DocumentMatchPoolSize() int {
	n := 1
	if s.phrase != nil {
		n += s.phrase.DocumentMatchPoolSize() + 1
	}
	for _, o := range []*bm25Searcher{s.plus, s.also} {
		if o != nil {
			n += o.DocumentMatchPoolSize() + 1
		}
	}
	return n
}

// unscored matches what its query matches with a score of zero: filters
// choose articles, they do not rank them (bleve would score a person filter
// higher on an article that names fewer people).
type unscored struct{ query.Query }

// Searcher implements query.Query.
func (u unscored) Searcher(ctx context.Context, r index.IndexReader, m mapping.IndexMapping, opts bsearch.SearcherOptions) (bsearch.Searcher, error) {
	s, err := u.Query.Searcher(ctx, r, m, opts)
	if err != nil {
		return nil, err
	}
	return unscoredSearcher{s}, nil
}

type unscoredSearcher struct{ bsearch.Searcher }

func (u unscoredSearcher) Next(ctx *bsearch.SearchContext) (*bsearch.DocumentMatch, error) {
	return zero(u.Searcher.Next(ctx))
}

func (u unscoredSearcher) Advance(ctx *bsearch.SearchContext, id index.IndexInternalID) (*bsearch.DocumentMatch, error) {
	return zero(u.Searcher.Advance(ctx, id))
}

func (u unscoredSearcher) Weight() float64      { return 0 }
func (u unscoredSearcher) SetQueryNorm(float64) {}

func zero(dm *bsearch.DocumentMatch, err error) (*bsearch.DocumentMatch, error) {
	if dm != nil {
		dm.Score = 0
	}
	return dm, err
}

// probeShare is how many times the exact count a phrase's rarest term
// must be in for the phrase to be checked by a probe (see Searcher): at
// 1M, with 10,000 counted exactly, "prime minister" (its rarer word in
// 103,237 articles) took 39 -> 27 ms so, "mutual trust" (23,789) 10 -> 13.
const probeShare = 4

// fewest returns how many articles hold the rarest of q's terms in its
// first field.
func (q *bm25Query) fewest(ctx context.Context, r index.IndexReader) (uint64, error) {
	least := uint64(math.MaxUint64)
	for _, t := range uniq(q.terms) {
		tr, err := openPostings(ctx, r, t, q.fields[0].name, false, false, false)
		if err != nil {
			return 0, fmt.Errorf("read postings of %s:%s: %w", q.fields[0].name, t, err)
		}
		least = min(least, tr.Count())
		if err := tr.Close(); err != nil {
			return 0, err
		}
	}
	return least, nil
}

// leader returns q, or, when its second clause (see also) may match
// fewer articles, q with that clause leading: the other is checked only
// where the leader matches. The matches and scores are the same
// (bleve's boolean adds two clauses' scores in either order).
func (q *bm25Query) leader(ctx context.Context, r index.IndexReader) (*bm25Query, error) {
	n, err := q.reach(ctx, r)
	if err != nil {
		return nil, err
	}
	if m, err := q.also.reach(ctx, r); err != nil || m >= n {
		return q, err
	}
	first, lead := *q, *q.also
	first.also, first.plus, first.sole, first.filters = nil, nil, false, nil
	lead.also, lead.plus, lead.sole, lead.filters = &first, q.plus, q.sole, q.filters
	return &lead, nil
}

// reach returns how many articles q may match at most, by its terms'
// postings in its first field: its rarest term's when it needs them all,
// else all its terms'.
func (q *bm25Query) reach(ctx context.Context, r index.IndexReader) (uint64, error) {
	if q.phraseRequired || q.all {
		return q.fewest(ctx, r)
	}
	var n uint64
	for _, t := range uniq(q.terms) {
		tr, err := openPostings(ctx, r, t, q.fields[0].name, false, false, false)
		if err != nil {
			return 0, fmt.Errorf("read postings of %s:%s: %w", q.fields[0].name, t, err)
		}
		n += tr.Count()
		if err := tr.Close(); err != nil {
			return 0, err
		}
	}
	return n, nil
}

// ownPhrase reports whether q is a required phrase in a field with one
// value per article, which its searcher checks by its terms and offsets.
func (q *bm25Query) ownPhrase() bool {
	return q.phraseRequired && len(q.offsets) == len(q.terms) && len(q.terms) > 0
}

// pairGates opens, when s scores a phrase bonus or checks a required
// phrase in the article's text, the postings of pairs, the pairs field's
// terms for the phrase's neighbouring terms (see pairTerms): an article
// without one cannot hold the phrase, so those postings, far shorter than
// the words' when the words are common ("new year"), bound where the bonus
// can be and which articles a required phrase is checked in. none reports
// a pair no article holds: then no article holds the phrase.
func (s *bm25Searcher) pairGates(ctx context.Context, r index.IndexReader, q *bm25Query, pairs []string) (none bool, err error) {
	s.gate = -1
	bonus := q.phrase != nil && !q.phraseRequired && s.scoring && s.phraseBonus > 0
	if len(pairs) == 0 || !bonus && !q.ownPhrase() {
		return false, nil
	}
	least := uint64(math.MaxUint64)
	for _, term := range pairs {
		tr, err := openPostings(ctx, r, term, schema.Pairs, false, false, false)
		if err != nil {
			return false, fmt.Errorf("read postings of %s:%s: %w", schema.Pairs, term, err)
		}
		n := tr.Count()
		if n == 0 {
			s.phraseBonus = 0 // no article holds the phrase
			return true, tr.Close()
		}
		g := len(s.weights)
		s.weights = append(s.weights, 0)
		if s.prefixOf != nil {
			s.prefixOf = append(s.prefixOf, -1)
		}
		s.clauses = append(s.clauses, &bm25Clause{term: term, reader: tr, group: g, field: schema.Pairs, pair: true})
		if s.gates++; n < least {
			least, s.gate = n, g
		}
	}
	s.wholePair = q.wholePair && s.gates == 1
	return false, nil
}

// pairFewest reports whether the rarest pair of the phrase's is in fewer
// articles than each of its words: only then is it the cheapest term to
// leave essential (a phrase with a rarer word, "new year eve", is found
// through that word).
func (s *bm25Searcher) pairFewest() bool {
	var pair uint64
	for _, c := range s.clauses {
		if c.group == s.gate {
			pair = c.reader.Count()
		}
	}
	for _, c := range s.clauses {
		if c.primary && c.typed && c.reader.Count() <= pair {
			return false
		}
	}
	return true
}

// pairTerms returns the pairs field's terms for q's neighbouring terms in
// the article's text, those the generation's pairs field holds (see
// pairsKey); none without one.
func pairTerms(ctx context.Context, q *bm25Query) []string {
	an, _ := ctx.Value(pairsKey{}).(analysis.Analyzer)
	if an == nil || q.fields[0].name != schema.Content {
		return nil
	}
	var terms []string
	for _, ab := range q.adjacent {
		if t, ok := analyze.Pair(an, ab[0], ab[1]); ok {
			terms = append(terms, t)
		}
	}
	return terms
}

// pairsKey is the context key of the pairs field's analyzer, when a
// generation has one (see pairGates).
type pairsKey struct{}
