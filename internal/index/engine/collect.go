package engine

import (
	"cmp"
	"container/heap"
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/blevesearch/bleve/v2/mapping"
	bsearch "github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	index "github.com/blevesearch/bleve_index_api"
	"github.com/newsfind/newsfind/internal/index/estimate"
	"github.com/newsfind/newsfind/internal/index/facet"
)

// Searches run bleve's searchers themselves rather than through bleve's
// collector: one pass over the matches keeps the top hits and counts the
// facets from the generation's facetTable, and only the hits shown load
// their stored fields.

// order is how a pass ranks its matches.
type order int

const (
	byScore  order = iota // score, highest first
	byNewest              // date, newest first, then score
	byOldest              // date, oldest first, then score
)

// checkDoneEvery is how many matches a pass handles between looks at its
// context, as bleve's collector does.
const checkDoneEvery = 1024

// topHits keeps the k best matches of a pass, as a heap whose root is the
// worst of them. A match's document number is kept in its HitNumber, which
// breaks ties as bleve's collector does (document order).
type topHits struct {
	k     int
	order order
	table *facet.Table
	h     []*bsearch.DocumentMatch
	// where, when set, keeps one match per story (of stories): the heap
	// position of each kept match by its story's key (see collapse.go).
	where   map[uint64]int
	stories *facet.Stories
}

// before reports whether a ranks before b. Matches without a date sort
// last either way, as bleve sorts missing values.
func (t *topHits) before(a, b *bsearch.DocumentMatch) bool {
	if t.order != byScore {
		da, db := t.table.Date(uint32(a.HitNumber)), t.table.Date(uint32(b.HitNumber))
		switch {
		case da == db:
		case da == facet.NoDate:
			return false
		case db == facet.NoDate:
			return true
		default:
			return (da > db) == (t.order == byNewest)
		}
	}
	if a.Score != b.Score {
		return a.Score > b.Score
	}
	return a.HitNumber < b.HitNumber
}

func (t *topHits) Len() int           { return len(t.h) }
func (t *topHits) Less(i, j int) bool { return t.before(t.h[j], t.h[i]) }
func (t *topHits) Swap(i, j int) {
	t.h[i], t.h[j] = t.h[j], t.h[i]
	if t.where != nil {
		t.where[t.story(t.h[i])], t.where[t.story(t.h[j])] = i, j
	}
}
func (t *topHits) Push(x any) { t.h = append(t.h, x.(*bsearch.DocumentMatch)) }
func (t *topHits) Pop() any {
	d := t.h[len(t.h)-1]
	t.h = t.h[:len(t.h)-1]
	return d
}

// full reports whether t holds k matches.
func (t *topHits) full() bool { return len(t.h) == t.k }

// add offers d; a match that is not kept goes back to the pool.
func (t *topHits) add(pool *bsearch.DocumentMatchPool, d *bsearch.DocumentMatch) {
	if t.where != nil && t.collapse(pool, d) {
		return
	}
	switch {
	case len(t.h) < t.k:
		t.kept(d, len(t.h))
		heap.Push(t, d)
	case t.k == 0 || !t.before(d, t.h[0]):
		pool.Put(d)
	default:
		t.evict(t.h[0])
		t.kept(d, 0)
		pool.Put(t.h[0])
		t.h[0] = d
		heap.Fix(t, 0)
	}
}

// sorted returns the kept matches, best first.
func (t *topHits) sorted() []*bsearch.DocumentMatch {
	slices.SortFunc(t.h, func(a, b *bsearch.DocumentMatch) int {
		if t.before(a, b) {
			return -1
		}
		return 1
	})
	return t.h
}

// pass is one run of a query over a generation.
type pass struct {
	query query.Query
	// everything is set when query matches every article: the pass then
	// walks the table's live documents rather than running a searcher, and
	// leaves scores (the same for all) to locate.
	everything bool
	// score asks the searchers for scores.
	score bool
	// top keeps the best matches; nil keeps none.
	top *topHits
	// visit, when set, is called with the document number of every match,
	// or with seen, of every story's first.
	visit func(doc uint32)
	// seen, when set, is told of every match counted (past limit too), so
	// that a total can count stories.
	seen *facet.Seen
	// browse, when set, are the filters the query keeps to, with no
	// words: its matches are the articles that pass, all ranked alike,
	// newest first or oldest first (see Generation.browse).
	browse *filterSet
	// limit, when set, is how many matches are counted and visited: past
	// it visit is no longer called, a pass without top hits stops, and a
	// sole BM25 query may skip what cannot enter the top (see topFloor).
	// A pass whose matches are known up front visits a sample spread
	// over them instead (see facet.Visit).
	limit uint64
	// from and to, when set, bound the articles a ranking pass goes
	// through: from the first at or after from, to the last before to
	// (the halves of a split pass, see split.go).
	from, to uint64
}

// tally is what a pass counted: n matches, all of them when exact, else at
// least n; sampled when visit saw only some, whose counts scale (≥ 1)
// turns into estimates of all matches' (see facet.Visit).
type tally struct {
	n              uint64
	exact, sampled bool
	scale          float64
	// estimated is set when n is an estimate rather than a lower bound
	// (see estimate.Sample).
	estimated bool
}

// run runs p over g and returns how many documents matched.
func (g *Generation) run(ctx context.Context, p pass) (tally, error) {
	if p.everything && p.top == nil && p.limit > 0 {
		// Counting only (the disjunctive facets of a browse): as many
		// as limit, spread over every article, as words' matches are.
		n, scale, err := facet.Visit(ctx, g.liveSet(), p.limit, uint64(g.opts.FacetSample), p.seen, p.visit)
		return tally{n: n, exact: err == nil, sampled: n > p.limit, scale: scale}, err
	}
	if p.everything && p.top != nil && p.visit == nil && p.top.order != byScore && !g.opts.NoDateFirst {
		// The landing page, counted already (the table's counts; with
		// stories to collapse, a story's first version is counted by
		// the walk): ranked through the newest articles only.
		return tally{n: uint64(len(g.table.Live)), exact: true}, g.byDate(ctx, p, g.liveSet())
	}
	if p.everything {
		n, err := g.walk(ctx, p, g.table.Live)
		return tally{n: n, exact: true}, err
	}
	if p.browse != nil {
		return g.browse(ctx, p)
	}
	var opts bsearch.SearcherOptions
	if !p.score {
		opts.Score = "none"
	}
	sctx := g.probeContext(ctx)
	var floor *topFloor
	if p.score {
		sctx = g.scoringContext(ctx)
		if p.top != nil {
			floor = &topFloor{top: p.top, limit: p.limit, off: g.opts.NoPruning}
			sctx = context.WithValue(sctx, floorKey{}, floor)
			if g.opts.SkippedBlocks != nil {
				defer func() { g.opts.SkippedBlocks(floor.blocks) }()
			}
			if g.opts.Scored != nil {
				defer func() { g.opts.Scored(floor.scored) }()
			}
			if g.opts.Dropped != nil {
				defer func() { g.opts.Dropped(floor.dropped) }()
			}
			if g.opts.Heaped != nil {
				defer func() { g.opts.Heaped(floor.heaped) }()
			}
		}
	}
	var s bsearch.Searcher
	renew := func() (err error) { // a searcher only moves forward
		if s != nil {
			s.Close()
		}
		if s, err = p.query.Searcher(sctx, g.reader, g.idx.Mapping(), opts); err != nil {
			return fmt.Errorf("searcher: %w", err)
		}
		return nil
	}
	if err := renew(); err != nil {
		return tally{}, err
	}
	defer func() {
		if s != nil {
			s.Close()
		}
	}()
	if bs, ok := s.(bitmapped); ok {
		m, probe, checked := bs.matches(), (*phraseProbe)(nil), (*estimate.Sample)(nil)
		if m == nil && p.limit > 0 && !g.opts.NoEstimate {
			var err error
			checked = &estimate.Sample{}
			if m, probe, err = bs.candidates(p.limit, checked); err != nil {
				return tally{}, err
			}
			if probe != nil {
				defer probe.Close()
			}
		}
		if m != nil {
			bs.restrict(m)
			// Counted and visited from the postings' bitmaps (of a
			// phrase's candidates, estimated from those the facet sample
			// checks): the pass over the matches only ranks, and may skip
			// from the start, its later half on a spare core while the
			// facets count.
			later := g.splitHalf(sctx, opts, &p, floor, m)
			visit, sample := p.visit, uint64(g.opts.FacetSample)
			if probe != nil {
				visit, sample = checked.Visit(probe.Check, p.visit), estimate.Size(cmp.Or(sample, facet.DefaultSample))
			}
			n, scale, err := facet.Visit(ctx, m, p.limit, sample, p.seen, visit)
			t := tally{n: n, exact: err == nil, sampled: p.limit > 0 && n > p.limit, scale: scale}
			if probe != nil {
				var cerr error
				var repeats *uint64
				if p.seen != nil {
					repeats = &p.seen.Repeats
				}
				t.n, t.exact, cerr = checked.Total(n, p.limit, repeats)
				t.estimated, err = !t.exact, errors.Join(err, cerr)
			}
			if err != nil && later != nil {
				err = later.join(p.top, floor, err)
			}
			if err != nil || p.top == nil {
				return t, err
			}
			p.seen, p.visit, p.limit = nil, nil, 0
			if p.top.order != byScore && !g.opts.NoDateFirst {
				read := false // a new searcher for each try, and for all after
				ranked, err := g.dateFirst(ctx, p.top, m, func(docs []uint32) error {
					if read {
						if err := renew(); err != nil {
							return err
						}
					}
					read = true
					return g.rank(ctx, s, p.top, docs, probe != nil)
				})
				if !ranked && err == nil && read {
					err = renew()
				}
				if ranked || err != nil {
					return t, err
				}
			}
			if floor != nil {
				floor.prune = true
			}
			_, err = g.collect(ctx, s, p, floor)
			if later != nil {
				err = later.join(p.top, floor, err)
			}
			return t, err
		}
	}
	return g.collect(ctx, s, p, floor)
}

// bitmapped is a searcher of ours whose matches may be known from
// postings' bitmaps (bm25Searcher, orSearcher).
type bitmapped interface {
	// matches returns the articles it matches when its postings'
	// bitmaps say which, nil otherwise.
	matches() *roaring.Bitmap
	// candidates returns, for a quoted phrase to estimate, the articles
	// that may hold it and a probe to check them with (see
	// bm25Searcher.candidates); nil otherwise.
	candidates(limit uint64, checked *estimate.Sample) (*roaring.Bitmap, *phraseProbe, error)
	// restrict keeps it to m, the articles it matches.
	restrict(m *roaring.Bitmap)
}

// dateFirst ranks the matches m, sorted by date into top, through only
// the newest (or oldest) of them, which rank offers top: twice as many as
// top keeps, with the last's ties (see facet.Table.Dated); at a million
// articles, a common word sorted by date scored its 100,000 matches for a
// page of 10. When stories collapse and leave top short, it empties top
// and tries eight times as many. It reports false when there is nothing
// left to leave out: every match is then to be ranked.
func (g *Generation) dateFirst(ctx context.Context, top *topHits, m *roaring.Bitmap, rank func(docs []uint32) error) (bool, error) {
	for n := 2 * top.k; ; n *= 8 {
		docs, err := g.table.Dated(ctx, m, n, top.order == byOldest)
		if docs == nil || err != nil {
			return false, err
		}
		if err := rank(docs); err != nil || top.full() {
			return err == nil, err
		}
		top.h = top.h[:0]
		clear(top.where)
	}
}

// rank offers top the matches of searcher s that are the articles docs,
// ascending, scoring each. With some, docs may hold articles s does not
// match (a phrase's candidates, see bm25Searcher.candidates), passed over.
func (g *Generation) rank(ctx context.Context, s bsearch.Searcher, top *topHits, docs []uint32, some bool) error {
	sc := g.searchContext(s, top.k+1)
	var id index.IndexInternalID
	var d *bsearch.DocumentMatch // the searcher's match at or after doc
	for i, doc := range docs {
		if i%checkDoneEvery == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		if d == nil || d.IndexInternalID.Value() < uint64(doc) {
			sc.DocumentMatchPool.Put(d) // (nil is not put)
			id = index.NewIndexInternalID(id, uint64(doc))
			var err error
			if d, err = s.Advance(sc, id); err != nil || d == nil && some {
				return err
			}
		}
		switch {
		case d != nil && d.IndexInternalID.Value() == uint64(doc):
			d.HitNumber = uint64(doc)
			top.add(sc.DocumentMatchPool, d)
			d = nil
		case !some:
			return fmt.Errorf("rank by date: article %d of the matches not found by their searcher", doc)
		}
	}
	return nil
}

// searchContext returns what searcher s needs, with room for keep matches held.
func (g *Generation) searchContext(s bsearch.Searcher, keep int) *bsearch.SearchContext {
	return &bsearch.SearchContext{DocumentMatchPool: bsearch.NewDocumentMatchPool(s.DocumentMatchPoolSize()+keep, 0), IndexReader: g.reader}
}

// collect runs p's searcher s over its matches: it counts them, visits
// and keeps the best, and, past p.limit, lets the searcher skip through
// floor. The matches to visit wait until the count is known (held): all
// are visited within p.limit, a sample of them past it (facet.VisitSome).
func (g *Generation) collect(ctx context.Context, s bsearch.Searcher, p pass, floor *topFloor) (tally, error) {
	k := 0
	if p.top != nil {
		k = p.top.k
	}
	sc := g.searchContext(s, k+1)
	var total uint64
	sampled, scale := false, 1.0
	held, visit := []uint32(nil), p.visit
	if visit != nil && p.limit > 0 {
		p.visit = func(doc uint32) { held = append(held, doc) }
	}
	for {
		if total%checkDoneEvery == 0 && ctx.Err() != nil {
			return tally{n: total}, ctx.Err()
		}
		var d *bsearch.DocumentMatch
		var err error
		if total == 0 && p.from > 0 {
			d, err = s.Advance(sc, index.NewIndexInternalID(nil, p.from))
		} else {
			d, err = s.Next(sc)
		}
		if err != nil {
			return tally{n: total}, err
		}
		if d != nil && p.to > 0 && d.IndexInternalID.Value() >= p.to {
			sc.DocumentMatchPool.Put(d)
			d = nil
		}
		if d == nil {
			for _, doc := range held {
				visit(doc)
			}
			if floor != nil && floor.pruned {
				return tally{n: p.limit, sampled: sampled, scale: scale}, nil
			}
			return tally{n: total, exact: true, sampled: sampled, scale: scale}, nil
		}
		if total++; total > p.limit && p.limit > 0 && !sampled {
			sampled, p.visit = true, nil
			if held != nil {
				scale, held = facet.VisitSome(held, uint64(g.opts.FacetSample), visit), nil
			}
			if p.top == nil {
				sc.DocumentMatchPool.Put(d)
				return tally{n: p.limit, sampled: true, scale: scale}, nil
			}
			if floor != nil {
				floor.prune = true
			}
		}
		doc := uint32(d.IndexInternalID.Value())
		if first := p.seen == nil || p.seen.First(doc); first && p.visit != nil {
			p.visit(doc)
		}
		if p.top == nil {
			sc.DocumentMatchPool.Put(d)
			continue
		}
		d.HitNumber = uint64(doc)
		p.top.add(sc.DocumentMatchPool, d)
	}
}

// browse runs a pass of p.browse's filters, whose matches are known from
// their postings' bitmaps: counted and visited from those, and ranked by
// date, newest (or oldest) first, through the articles dated among the
// page's newest (see dateFirst; at a million articles, a year's 50,000
// took 19 ms through bleve's searchers).
func (g *Generation) browse(ctx context.Context, p pass) (tally, error) {
	m, _, err := p.browse.articles(ctx, g.reader, g.idx.Mapping())
	if err != nil {
		return tally{}, err
	}
	n, scale, err := facet.Visit(ctx, m, p.limit, uint64(g.opts.FacetSample), p.seen, p.visit)
	t := tally{n: n, exact: err == nil, sampled: p.limit > 0 && n > p.limit, scale: scale}
	if err != nil || p.top == nil {
		return t, err
	}
	p.seen, p.visit = nil, nil
	return t, g.byDate(ctx, p, m)
}

// byDate walks the matches m of a pass sorted by date, which score
// alike, through their newest (or oldest) only, unless they are all as
// new (see dateFirst).
func (g *Generation) byDate(ctx context.Context, p pass, m *roaring.Bitmap) error {
	walk := func(docs []uint32) error {
		_, err := g.walk(ctx, p, docs)
		return err
	}
	if ranked, err := g.dateFirst(ctx, p.top, m, walk); ranked || err != nil {
		return err
	}
	return walk(m.ToArray())
}

// walk runs a pass whose matches are docs, ascending, which score alike:
// every live document, or those a browse keeps (see browse).
func (g *Generation) walk(ctx context.Context, p pass, docs []uint32) (uint64, error) {
	var pool *bsearch.DocumentMatchPool
	var probe bsearch.DocumentMatch // to skip, without a match, what the top would not keep
	if p.top != nil {
		pool = bsearch.NewDocumentMatchPool(p.top.k+1, 0)
	}
	for i, doc := range docs {
		if i%checkDoneEvery == 0 && ctx.Err() != nil {
			return uint64(i), ctx.Err()
		}
		if first := p.seen == nil || p.seen.First(doc); first && p.visit != nil {
			p.visit(doc)
		}
		if p.top != nil {
			if probe.HitNumber = uint64(doc); p.top.full() && !p.top.before(&probe, p.top.h[0]) {
				continue
			}
			d := pool.Get()
			d.IndexInternalID = index.NewIndexInternalID(d.IndexInternalID, uint64(doc))
			d.HitNumber = uint64(doc)
			p.top.add(pool, d)
		}
	}
	return uint64(len(docs)), nil
}

// scoringContext adds to ctx what bleve's scorers look for, as bleve's own
// search does: the scoring model, and the generation's BM25 statistics.
// Passes that do not score go without: bleve then rewrites disjunctions of
// terms into one reader on the pseudo-field "*", for which BM25 statistics
// have no entry (an error, not a fallback).
func (g *Generation) scoringContext(ctx context.Context) context.Context {
	ctx = g.probeContext(ctx)
	if im, ok := g.idx.Mapping().(*mapping.IndexMappingImpl); ok && im.ScoringModel == index.BM25Scoring {
		ctx = context.WithValue(ctx, bsearch.GetScoringModelCallbackKey,
			bsearch.GetScoringModelCallbackFn(func() string { return index.BM25Scoring }))
		if g.bm25 != nil {
			ctx = context.WithValue(ctx, bsearch.BM25StatsKey, g.bm25)
		}
		if g.impacts != nil {
			ctx = context.WithValue(ctx, impactsKey{}, g.impacts)
			if g.opts.NoPairMaxima {
				ctx = context.WithValue(ctx, noPairMaximaKey{}, true)
			}
		}
	}
	return ctx
}

// probeContext says in ctx how the searchers check phrases (see noProbeKey
// and pairsKey), and gives them the generation's lexicon (lexiconKey),
// which prefixes are read from.
func (g *Generation) probeContext(ctx context.Context) context.Context {
	if g.lex != nil {
		ctx = context.WithValue(ctx, lexiconKey{}, g.lex)
	}
	if g.opts.NoPhraseProbe {
		ctx = context.WithValue(ctx, noProbeKey{}, true)
	}
	if g.opts.NoHeap {
		ctx = context.WithValue(ctx, noHeapKey{}, true)
	}
	if g.pairs != nil {
		ctx = context.WithValue(ctx, pairsKey{}, g.pairs)
	}
	return ctx
}
