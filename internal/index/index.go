// Package index serves searches over an index folder: it opens the
// generation CURRENT names (package gen writes and publishes them), answers
// searches and article look-ups on it through package engine, keeps a
// result cache per generation, and swaps to a newer generation without
// downtime.
//
// It implements search.Searcher; packages outside internal/index never see
// bleve.
package index

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/newsfind/newsfind/internal/index/engine"
	"github.com/newsfind/newsfind/internal/index/gen"
	"github.com/newsfind/newsfind/internal/index/spare"
	"github.com/newsfind/newsfind/internal/search"
)

var (
	_ search.Searcher  = (*Index)(nil)
	_ search.Suggester = (*Index)(nil)
)

// Index serves searches over the current generation of an index folder.
// Reload swaps to a newer generation atomically: queries in flight finish on
// the old one, later queries see the new one, none fails or sees a partial
// index. It is safe for concurrent use.
type Index struct {
	dir  string
	log  *slog.Logger
	opts engine.Options

	cacheBytes uint64 // the result cache of each generation; 0: none

	reloading sync.Mutex // serializes Reload: one new generation opened at a time
	mu        sync.Mutex // guards the swap of cur, retired, and Close
	cur       atomic.Pointer[served]
	// retiring counts the generations swapped out and being closed once
	// the searches holding them end; Close waits for them.
	retiring sync.WaitGroup
	// retired counts the result-cache look-ups of the generations served
	// before cur (the hits and misses of searches still finishing on one
	// after its swap are not counted).
	retired struct{ hits, misses uint64 }

	// hooks, set by tests in this package before searching.
	hooks hooks
}

// hooks let tests hold the steps of a search or a reload at a point they
// choose; nil hooks do nothing.
type hooks struct {
	search func(req search.Request) // a search on the index (not the cache) starts
	warm   func(next string)        // a new generation is about to be warmed
	// warmSearch is called as each warming search starts, with its context.
	warmSearch func(ctx context.Context, req search.Request)
}

// Option configures an Index when it is opened.
type Option func(*Index)

// WithResultCache keeps the results of up to maxBytes (estimated) of
// searches per generation and answers a repeated search from them (see
// resultCache). A new generation starts with an empty cache. Without it,
// every search runs on the index.
func WithResultCache(maxBytes uint64) Option {
	return func(ix *Index) { ix.cacheBytes = maxBytes }
}

// WithSpareCores lets a search rank half its matches on one of n cores
// that no other search uses (see spare.Cores). The caller counts the
// searches it runs with Load's Enter and Leave.
func WithSpareCores(n int) Option {
	return func(ix *Index) { ix.opts.Cores = spare.NewCores(n) }
}

// Load returns the count of running searches that decides when a search
// may borrow a core, for the caller to count its searches in; nil
// without WithSpareCores.
func (ix *Index) Load() *spare.Cores { return ix.opts.Cores }

// WithEngine sets how each generation searches (see engine.Options), for
// benchmarks and tests that compare the engine's paths; it replaces what
// WithSpareCores set.
func WithEngine(o engine.Options) Option {
	return func(ix *Index) { ix.opts = o }
}

// Open opens the current generation of the index folder dir for searching.
func Open(dir string, log *slog.Logger, opts ...Option) (*Index, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	ix := &Index{dir: dir, log: log}
	for _, o := range opts {
		o(ix)
	}
	ix.opts.Log = log
	path, err := gen.Current(dir)
	if err != nil {
		return nil, err
	}
	cur, err := ix.open(path)
	if err != nil {
		return nil, err
	}
	ix.cur.Store(cur)
	return ix, nil
}

// Generation returns the name of the generation being served, "" once
// closed.
func (ix *Index) Generation() string {
	if g := ix.cur.Load(); g != nil {
		return g.eng.Path()
	}
	return ""
}

// Reload swaps to the generation CURRENT names if it is not the one being
// served, and closes the old one once queries in flight have finished. It
// reports whether it swapped.
//
// The new generation is opened and its cache warmed (for at most warmFor)
// before the swap, and the old one closed after it, with no lock held that
// searches, Count, CacheStats or Generation take: only the swap itself is
// exclusive. Reload does not wait for the old generation's searches in
// flight, however slow: it is closed in the background once they end.
func (ix *Index) Reload() (bool, error) {
	ix.reloading.Lock()
	defer ix.reloading.Unlock()
	cur := ix.cur.Load()
	if cur == nil {
		return false, errors.New("index is closed")
	}
	path, err := gen.Current(ix.dir)
	if err != nil || path == cur.eng.Path() {
		return false, err
	}
	next, err := ix.open(path)
	if err != nil {
		return false, err
	}
	if ix.hooks.warm != nil {
		ix.hooks.warm(path)
	}
	ix.warm(next, cur)
	ix.mu.Lock()
	old := ix.cur.Load()
	if old != nil {
		if old.results != nil {
			st := old.results.stats()
			ix.retired.hits += st.Hits
			ix.retired.misses += st.Misses
		}
		ix.cur.Store(next)
	}
	ix.mu.Unlock()
	if old == nil { // closed meanwhile
		return false, errors.Join(errors.New("index is closed"), next.close())
	}
	ix.retiring.Go(func() {
		if err := old.close(); err != nil {
			ix.log.Warn("close old generation", "err", err)
		}
	})
	return true, nil
}

// Watch reloads whenever CURRENT changes, checking every interval, until ctx
// is done. Errors are logged and retried: the served generation stays.
func (ix *Index) Watch(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		swapped, err := ix.Reload()
		switch {
		case err != nil:
			ix.log.Warn("reload index", "err", err)
		case swapped:
			ix.log.Info("serving new index generation", "generation", ix.Generation())
		}
	}
}

// Close closes the index once the searches in flight have finished, on
// the generation served and on those swapped out. Searches after Close
// fail with search.ErrUnavailable.
func (ix *Index) Close() error {
	ix.mu.Lock()
	old := ix.cur.Swap(nil)
	ix.mu.Unlock()
	defer ix.retiring.Wait()
	if old == nil {
		return nil
	}
	return old.close()
}

// Count returns the number of articles in the served generation.
func (ix *Index) Count() (uint64, error) {
	g, err := ix.acquire()
	if err != nil {
		return 0, fmt.Errorf("count: %w", err)
	}
	defer g.release()
	return g.eng.Count()
}

// CacheStats describes the served generation's result cache, and the
// look-ups of every generation's since Open; ok is false when the index has
// none.
func (ix *Index) CacheStats() (st search.CacheStats, ok bool) {
	// Under mu, cur is not swapped, so it is not closed either, and the
	// totals do not miss the generation being retired.
	ix.mu.Lock()
	defer ix.mu.Unlock()
	g := ix.cur.Load()
	if g == nil || g.results == nil {
		return st, false
	}
	st = g.results.stats()
	st.TotalHits, st.TotalMisses = ix.retired.hits+st.Hits, ix.retired.misses+st.Misses
	return st, true
}

// Search runs req and returns one page of highlighted hits with facets.
func (ix *Index) Search(ctx context.Context, req search.Request) (search.Result, error) {
	if err := req.Validate(); err != nil {
		return search.Result{}, err
	}
	g, err := ix.acquire()
	if err != nil {
		return search.Result{}, fmt.Errorf("search: %w", err)
	}
	defer g.release()
	start := time.Now()
	find := func(ctx context.Context) (search.Result, error) {
		if ix.hooks.search != nil {
			ix.hooks.search(req)
		}
		return g.eng.Search(ctx, req, start)
	}
	if req.NoCache || g.results == nil {
		return find(ctx)
	}
	searched := false
	out, err := g.results.load(ctx, req, func(ctx context.Context) (search.Result, error) {
		searched = true
		return find(ctx)
	})
	if err == nil && !searched {
		out.Cached = true
		out.TookMS = float64(time.Since(start).Microseconds()) / 1000
	}
	return out, err
}

// Article returns the stored article with the given ID.
func (ix *Index) Article(ctx context.Context, id string) (search.Article, error) {
	g, err := ix.acquire()
	if err != nil {
		return search.Article{}, fmt.Errorf("article: %w", err)
	}
	defer g.release()
	return g.eng.Article(ctx, id)
}

// Suggest completes what a person is typing from the served generation's
// words and entity names (see suggest.Lists). Suggestions are not cached:
// each is a few binary searches in lists held in memory.
func (ix *Index) Suggest(ctx context.Context, req search.SuggestRequest) (search.Suggestions, error) {
	if err := req.Validate(); err != nil {
		return search.Suggestions{}, err
	}
	g, err := ix.acquire()
	if err != nil {
		return search.Suggestions{}, fmt.Errorf("suggest: %w", err)
	}
	defer g.release()
	out, err := g.suggest.Suggest(ctx, req)
	if err != nil {
		return out, err
	}
	return withTitles(ctx, g, req, out)
}

// Warming a new generation's result cache (Solr's autowarm): before it is
// served, it answers the warmSearches searches its predecessor's cache
// holds most firmly, for at most warmFor. Updates arrive every few minutes
// in a newsroom, and each would otherwise empty the cache of the searches
// people are repeating; warming delays an update's visibility by warmFor
// at the most.
const (
	warmSearches = 32
	warmFor      = 250 * time.Millisecond
)

// warm fills next's result cache with the searches old's cache holds most
// firmly, run on next. The budget is a deadline every search checks: one
// slow search is cut at it, and the rest are searched when asked for.
func (ix *Index) warm(next, old *served) {
	if next.results == nil || old == nil {
		return
	}
	reqs := old.results.hottest(warmSearches)
	// Warming is a search running too (see WithSpareCores).
	ix.opts.Cores.Enter()
	defer ix.opts.Cores.Leave()
	start := time.Now()
	ctx, cancel := context.WithTimeout(context.Background(), warmFor)
	defer cancel()
	n := 0
	for _, req := range reqs {
		if ix.hooks.warmSearch != nil {
			ix.hooks.warmSearch(ctx, req)
		}
		res, err := next.eng.Search(ctx, req, time.Now())
		if err != nil {
			break // out of time: the rest are searched when asked for
		}
		next.results.put(cacheKey(req), req, res)
		n++
	}
	ix.log.Debug("result cache warmed", "generation", next.eng.Path(), "searches", n, "of", len(reqs),
		"took", time.Since(start).Round(time.Millisecond))
}
