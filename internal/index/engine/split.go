package engine

import (
	"context"
	"fmt"
	"math"
	"runtime/debug"
	"sync/atomic"

	"github.com/RoaringBitmap/roaring/v2"
	bsearch "github.com/blevesearch/bleve/v2/search"
)

// A ranking pass over many matches may take a core no search is using:
// the matches after the middle one are ranked by a second searcher on
// another goroutine while this one counts the facets and ranks the
// matches before it, and the two halves' top hits are merged. Lucene
// searches segments concurrently the same way (IndexSearcher with an
// executor), and Elasticsearch's concurrent segment search. Under load,
// when every core has its own search, nothing is split: a split costs a
// second searcher's set-up and only moves work between cores.
//
// The merge is exact. A match among the k best of all is among the k best
// of its half (those ranking before it there rank before it overall), with
// stories collapsed too: a story's versions in its half rank it no lower
// than all its versions do. The halves tell each other their thresholds
// (see splitFloor), so each skips what the other's top already excludes.

// defaultSplitMin is how many matches a ranking pass needs before it takes
// a spare core (see Options.SplitMin). The later half's searcher costs
// its set-up again (1-2 ms at a million articles, opening each term's
// postings in 20 segments): the bench's 45 searches at a million, best of
// 7 rounds each, took 242-251 ms split above 32,768 matches, 248-278 ms
// above 4,096, 269-274 ms unsplit, and 8 % and 22 % more CPU than unsplit.
const defaultSplitMin = 32768

// splitFloor is what the two halves of a split pass know of each other's
// thresholds: slot 0 is the earlier half's (articles before the split),
// slot 1 the later's.
type splitFloor struct {
	set [2]atomic.Bool
	val [2]atomic.Uint64 // float64 bits
}

// publish records theta as half slot's threshold.
func (s *splitFloor) publish(slot int, theta float64) {
	s.val[slot].Store(math.Float64bits(theta))
	s.set[slot].Store(true)
}

// other returns the threshold the other half's top hits set for half
// slot, if they are full: a match of half slot below it cannot enter the
// top hits of all. Ties go to the earlier article, so the earlier half
// takes the later one's threshold as one step lower: a match of the
// earlier half scoring it exactly would enter.
func (s *splitFloor) other(slot int) (float64, bool) {
	o := 1 - slot
	if !s.set[o].Load() {
		return 0, false
	}
	theta := math.Float64frombits(s.val[o].Load())
	if slot == 0 {
		theta = math.Nextafter(theta, math.Inf(-1))
	}
	return theta, true
}

// half is the later half of a split pass, ranked on another goroutine.
type half struct {
	top   *topHits
	floor *topFloor
	done  chan error
	stop  context.CancelFunc
	// panicked is the later half's panic and stack, raised again by join
	// on the search's goroutine, where searchd's server recovers it.
	panicked any
}

// splitHalf starts ranking the matches m of pass p from the middle one on,
// on a spare core, and bounds p to those before it; it returns nil, and
// leaves p alone, when no core is spare or m is too small to split. ctx is
// the one p's searcher was made with, floor p's.
func (g *Generation) splitHalf(ctx context.Context, opts bsearch.SearcherOptions, p *pass, floor *topFloor, m *roaring.Bitmap) *half {
	n := m.GetCardinality()
	if p.top == nil || p.top.order != byScore || floor == nil || n < uint64(g.opts.SplitMin) || n < 2 || !g.opts.Cores.Borrow() {
		return nil
	}
	at, err := m.Select(uint32(n / 2)) // (n ≥ 2: at > 0)
	if err != nil {
		g.opts.Cores.Leave()
		return nil
	}
	shared := &splitFloor{}
	floor.shared, floor.slot = shared, 0
	top := &topHits{k: p.top.k, order: p.top.order, table: p.top.table, stories: p.top.stories}
	if p.top.where != nil {
		top.where = make(map[uint64]int, top.k)
	}
	h := &half{top: top, floor: &topFloor{top: top, limit: floor.limit, prune: true, off: floor.off, shared: shared, slot: 1}, done: make(chan error, 1)}
	ctx, h.stop = context.WithCancel(ctx)
	later := pass{query: p.query, score: p.score, top: top, from: uint64(at)}
	p.to = uint64(at)
	go func() {
		defer g.opts.Cores.Leave()
		h.run(func() error { return g.rankHalf(context.WithValue(ctx, floorKey{}, h.floor), opts, later, h.floor) })
	}()
	return h
}

// run ranks the later half with rank and reports its end to join.
func (h *half) run(rank func() error) {
	defer func() {
		if v := recover(); v != nil {
			h.panicked = fmt.Sprintf("%v\n\nthe later half of a split pass, on its own goroutine:\n%s", v, debug.Stack())
			h.done <- nil
		}
	}()
	h.done <- rank()
}

// rankHalf runs pass p, the later half of a split one, with its own
// searcher.
func (g *Generation) rankHalf(ctx context.Context, opts bsearch.SearcherOptions, p pass, floor *topFloor) error {
	s, err := p.query.Searcher(ctx, g.reader, g.idx.Mapping(), opts)
	if err != nil {
		return fmt.Errorf("searcher: %w", err)
	}
	defer s.Close()
	_, err = g.collect(ctx, s, p, floor)
	return err
}

// join waits for the later half, then merges its top hits into top, and
// its counts into floor; with err (the earlier half's), it stops the later
// half first.
func (h *half) join(top *topHits, floor *topFloor, err error) error {
	if err != nil {
		h.stop()
	}
	herr := <-h.done
	h.stop()
	if h.panicked != nil {
		panic(h.panicked)
	}
	if err != nil {
		return err
	}
	if herr != nil {
		return herr
	}
	pool := bsearch.NewDocumentMatchPool(0, 0)
	for _, d := range h.top.h {
		top.add(pool, d)
	}
	floor.blocks += h.floor.blocks
	floor.scored += h.floor.scored
	floor.dropped += h.floor.dropped
	floor.heaped += h.floor.heaped
	return nil
}
