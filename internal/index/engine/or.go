package engine

import (
	"context"
	"encoding/binary"
	"errors"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/blevesearch/bleve/v2/mapping"
	bsearch "github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	"github.com/blevesearch/bleve/v2/search/searcher"
	index "github.com/blevesearch/bleve_index_api"
	"github.com/newsfind/newsfind/internal/index/estimate"
	"github.com/newsfind/newsfind/internal/index/maxscore"
)

// orQuery matches the articles that either of two clauses matches
// (`election OR vote`), scored as bleve's disjunction of the two scores
// them: the sum of the scores of the clauses that match, times the share
// of the two that match (its coordination factor), so an article with
// one scores at most half that clause's bound. Its searcher counts from
// the clauses' bitmaps when they have them, and, once an article with
// one clause cannot enter the page, keeps to the articles with both.
// (bleve's disjunction sums in the order of its clauses' counts, which
// it sorts unstably: the same for two only.)
type orQuery struct {
	parts [2]*bm25Query
	// sole and filters are as bm25Query's.
	sole    bool
	filters *filterSet
}

// orOf returns the orQuery of parts when they are two queries of ours,
// else nil.
func orOf(parts []query.Query) *orQuery {
	if len(parts) != 2 {
		return nil
	}
	a, aok := parts[0].(*bm25Query)
	b, bok := parts[1].(*bm25Query)
	if !aok || !bok || a.minMatch > 0 || b.minMatch > 0 {
		return nil
	}
	return &orQuery{parts: [2]*bm25Query{a, b}}
}

// Searcher implements query.Query.
func (q *orQuery) Searcher(ctx context.Context, r index.IndexReader, m mapping.IndexMapping, opts bsearch.SearcherOptions) (bsearch.Searcher, error) {
	s := &orSearcher{ctx: ctx, vectors: opts.IncludeTermVectors}
	if q.sole && opts.Score != "none" {
		s.floor, _ = ctx.Value(floorKey{}).(*topFloor)
	}
	for i, p := range q.parts {
		ps, err := p.Searcher(ctx, r, m, opts)
		if err != nil {
			return nil, errors.Join(err, s.Close())
		}
		if b, ok := ps.(*bm25Searcher); ok {
			s.parts[i], s.ub[i] = b, b.bound()
			continue
		}
		s.done[i] = true // it matches nothing, and still counts in the share
		if err := ps.Close(); err != nil {
			return nil, errors.Join(err, s.Close())
		}
	}
	if s.done[0] && s.done[1] {
		return searcher.NewMatchNoneSearcher(r)
	}
	if q.filters != nil {
		var err error
		if s.allowed, s.excluded, err = q.filters.articles(ctx, r, m); err != nil {
			return nil, errors.Join(err, s.Close())
		}
	}
	return s, nil
}

// orSearcher walks the matches of an orQuery's two clauses in document
// order.
type orSearcher struct {
	ctx   context.Context
	parts [2]*bm25Searcher
	// at is each clause's match at or after the last returned, nil when
	// it is to be read (at the start, or once returned).
	at      [2]*bsearch.DocumentMatch
	done    [2]bool
	started bool
	ub      [2]float64
	floor   *topFloor
	// both is set once only the articles both clauses match can enter
	// the page.
	both    bool
	vectors bool
	// allowed and excluded are as bm25Searcher's.
	allowed, excluded *roaring.Bitmap
	allowedAt         roaring.IntPeekable
	target            index.IndexInternalID
	work              int
}

// Next implements search.Searcher.
func (s *orSearcher) Next(ctx *bsearch.SearchContext) (*bsearch.DocumentMatch, error) {
	return s.advance(ctx, 0)
}

// Advance implements search.Searcher.
func (s *orSearcher) Advance(ctx *bsearch.SearchContext, id index.IndexInternalID) (*bsearch.DocumentMatch, error) {
	return s.advance(ctx, id.Value())
}

// move moves clause i to its first match at or after doc, or to its
// next when it has none read and doc is 0.
func (s *orSearcher) move(ctx *bsearch.SearchContext, i int, doc uint64) (err error) {
	switch {
	case s.done[i]:
		return nil
	case s.at[i] == nil && doc == 0:
		s.at[i], err = s.parts[i].Next(ctx)
	case s.at[i] == nil || s.at[i].IndexInternalID.Value() < doc:
		ctx.DocumentMatchPool.Put(s.at[i]) // (nil is not put)
		s.target = binary.BigEndian.AppendUint64(s.target[:0], doc)
		s.at[i], err = s.parts[i].Advance(ctx, s.target)
	default:
		return nil
	}
	s.done[i] = s.at[i] == nil
	return err
}

func (s *orSearcher) advance(ctx *bsearch.SearchContext, target uint64) (*bsearch.DocumentMatch, error) {
	s.started = true
	for {
		if s.work++; s.work >= checkDoneEvery {
			if s.work = 0; s.ctx.Err() != nil {
				return nil, s.ctx.Err()
			}
		}
		for i := range s.parts {
			if err := s.move(ctx, i, target); err != nil {
				return nil, err
			}
		}
		if !s.both {
			// One clause scores at most half its bound (see orQuery).
			if theta, ok := s.floor.threshold(); ok && maxscore.Below(max(s.ub[0], s.ub[1])/2, theta) {
				s.both, s.floor.pruned = true, true
				// Each alternative's searcher now skips what cannot
				// enter the page with the other's at its bound.
				for i, p := range s.parts {
					if p != nil && p.scoring {
						p.floor, p.orBound = s.floor, s.ub[1-i]
					}
				}
			}
		}
		if s.both && (s.done[0] || s.done[1]) {
			return nil, nil
		}
		doc, n := uint64(0), 0
		for i := range s.parts {
			if s.done[i] {
				continue
			}
			switch d := s.at[i].IndexInternalID.Value(); {
			case n == 0 || d < doc:
				doc, n = d, 1
			case d == doc:
				n++
			}
		}
		switch {
		case n == 0:
			return nil, nil
		case s.both && n < 2:
			// The clause behind moves to the other's article.
			target = max(s.at[0].IndexInternalID.Value(), s.at[1].IndexInternalID.Value())
			continue
		case s.allowed != nil && !s.allowed.Contains(uint32(doc)):
			if s.allowedAt == nil {
				s.allowedAt = s.allowed.Iterator()
			}
			if s.allowedAt.AdvanceIfNeeded(uint32(doc)); !s.allowedAt.HasNext() {
				return nil, nil
			}
			target = uint64(s.allowedAt.PeekNext())
			continue
		case s.excluded != nil && s.excluded.Contains(uint32(doc)):
			target = doc + 1
			continue
		}
		// As bleve's DisjunctionQueryScorer: the sum, in the clauses'
		// order, times the share that match; the first's match returned.
		var rv *bsearch.DocumentMatch
		sum := 0.0
		for i := range s.parts {
			if s.done[i] || s.at[i].IndexInternalID.Value() != doc {
				continue
			}
			sum += s.at[i].Score
			switch {
			case rv == nil:
				rv = s.at[i]
			default:
				if s.vectors {
					rv.FieldTermLocations = append(rv.FieldTermLocations, s.at[i].FieldTermLocations...)
				}
				ctx.DocumentMatchPool.Put(s.at[i])
			}
			s.at[i] = nil
		}
		rv.Score = sum * (float64(n) / 2)
		if s.floor != nil && !s.both { // (then the alternatives count theirs)
			s.floor.scored++
		}
		return rv, nil
	}
}

// matches returns the articles either clause matches, when both are
// known from their bitmaps (see bm25Searcher.matches); nil otherwise.
func (s *orSearcher) matches() *roaring.Bitmap {
	if s.started {
		return nil
	}
	m := roaring.New()
	for i, p := range s.parts {
		if s.done[i] {
			continue
		}
		b := p.matches()
		if b == nil {
			return nil
		}
		m.Or(b)
	}
	if s.allowed != nil {
		m.And(s.allowed)
	}
	if s.excluded != nil {
		m.AndNot(s.excluded)
	}
	return m
}

// candidates is bm25Searcher's: an orQuery is never estimated.
func (s *orSearcher) candidates(uint64, *estimate.Sample) (*roaring.Bitmap, *phraseProbe, error) {
	return nil, nil, nil
}

// restrict makes m, the articles s matches (see matches), the only ones
// it visits when filters or excluded words leave some out.
func (s *orSearcher) restrict(m *roaring.Bitmap) {
	if s.allowed != nil || s.excluded != nil {
		s.allowed, s.allowedAt, s.excluded = m, nil, nil
	}
}

// Close implements search.Searcher.
func (s *orSearcher) Close() error {
	var errs []error
	for i, p := range s.parts {
		if p != nil {
			errs = append(errs, p.Close())
			s.parts[i] = nil
		}
	}
	return errors.Join(errs...)
}

// Weight implements search.Searcher.
func (s *orSearcher) Weight() float64 { return 1 }

// SetQueryNorm implements search.Searcher.
func (s *orSearcher) SetQueryNorm(float64) {}

// Count implements search.Searcher: at most this many articles match.
func (s *orSearcher) Count() uint64 {
	var n uint64
	for _, p := range s.parts {
		if p != nil {
			n += p.Count()
		}
	}
	return n
}

// Min implements search.Searcher.
func (s *orSearcher) Min() int { return 0 }

// Size implements search.Searcher.
func (s *orSearcher) Size() int {
	n := 64
	for _, p := range s.parts {
		if p != nil {
			n += p.Size()
		}
	}
	return n
}

// DocumentMatchPoolSize implements search.Searcher.
func (s *orSearcher) DocumentMatchPoolSize() int {
	n := 2
	for _, p := range s.parts {
		if p != nil {
			n += p.DocumentMatchPoolSize()
		}
	}
	return n
}
