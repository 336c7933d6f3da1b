package index

import (
	"context"
	"encoding/json"
	"math"
	"slices"

	"github.com/maypok86/otter/v2"
	"github.com/maypok86/otter/v2/stats"
	"github.com/newsfind/newsfind/internal/search"
)

// resultCache keeps the results of searches on one generation, as Solr's
// queryResultCache does per searcher. A generation never changes once
// served, so a result stays right for as long as its generation is served
// and needs no invalidation: the cache goes with the generation. Searches
// people repeat (the news of the day, the page's first screen) are then
// answered without visiting their matches again: at 100,000 articles the
// commonest two-word searches visit ~90,000 matches (25 ms), a cached
// answer is a map look-up.
//
// It is bounded by the bytes its results hold (estimated), not by entry
// count, and evicts by W-TinyLFU (otter): a search asked often survives a
// burst of one-off ones, such as a crawler paging through results, which
// would flush a plain LRU cache.
type resultCache struct {
	c *otter.Cache[string, cachedResult]
}

// cachedResult is a result with the request it answers, so that a new
// generation can be warmed with the searches people repeat (warm).
type cachedResult struct {
	req search.Request
	res search.Result
}

// newResultCache returns a cache of at most maxBytes of results, or nil
// (no cache) when maxBytes is 0.
func newResultCache(maxBytes uint64) *resultCache {
	if maxBytes == 0 {
		return nil
	}
	return &resultCache{c: otter.Must(&otter.Options[string, cachedResult]{
		MaximumWeight: maxBytes,
		Weigher:       func(key string, r cachedResult) uint32 { return resultWeight(key, r.res) },
		StatsRecorder: stats.NewCounter(),
	})}
}

// stats reports what the cache holds and how often it answered.
func (rc *resultCache) stats() search.CacheStats {
	st := rc.c.Stats()
	out := search.CacheStats{
		Results: rc.c.EstimatedSize(), Bytes: rc.c.WeightedSize(), MaxBytes: rc.c.GetMaximum(),
		Hits: st.Hits, Misses: st.Misses,
	}
	if n := st.Hits + st.Misses; n > 0 {
		// otter's own ratio is 1 before any look-up: a cache that has
		// answered nothing has not answered everything.
		out.HitRatio = float64(st.Hits) / float64(n)
	}
	return out
}

// load returns the cached result of req, or the one find returns, which
// it caches. Concurrent loads of one request wait for the first one's
// search rather than each searching (a burst of people searching the
// news that just broke costs one search); a failed search is not cached.
func (rc *resultCache) load(ctx context.Context, req search.Request, find func(context.Context) (search.Result, error)) (search.Result, error) {
	r, err := rc.c.Get(ctx, cacheKey(req), otter.LoaderFunc[string, cachedResult](func(ctx context.Context, _ string) (cachedResult, error) {
		res, err := find(ctx)
		return cachedResult{req, res}, err
	}))
	return r.res, err
}

// put caches res as the result of req, whose key is key.
func (rc *resultCache) put(key string, req search.Request, res search.Result) {
	if rc != nil {
		rc.c.Set(key, cachedResult{req, res})
	}
}

// hottest returns the requests of up to n of the cached results the cache
// would keep longest (the most asked for), hottest first.
func (rc *resultCache) hottest(n int) []search.Request {
	if rc == nil {
		return nil
	}
	var out []search.Request
	for e := range rc.c.Hottest() {
		if len(out) == n {
			break
		}
		out = append(out, e.Value.req)
	}
	return out
}

// close stops the cache's maintenance goroutine.
func (rc *resultCache) close() {
	if rc != nil {
		rc.c.StopAllGoroutines()
	}
}

// cacheKey returns the key of a validated request: equal for requests that
// must get the same result. The alternatives of a filter are a set, so
// their order does not matter.
func cacheKey(req search.Request) string {
	f := req.Filters
	f.Sources, f.Months, f.Sections = sorted(f.Sources), sorted(f.Months), sorted(f.Sections)
	f.People, f.Places, f.Orgs = sorted(f.People), sorted(f.Places), sorted(f.Orgs)
	f.Years = slices.Sorted(slices.Values(f.Years))
	b, err := json.Marshal(struct {
		Q       string
		F       search.Filters
		P, S, R int
		Sort    search.Sort
		NoFacet bool
		NoPre   bool
		NoTypo  bool
		Exact   bool
		NoColl  bool
	}{req.Query, f, req.Page, req.Size, req.RecencyDays, req.Sort, req.NoFacets, req.NoPrefix, req.NoTypo, req.Exact, req.NoCollapse})
	if err != nil { // cannot happen: plain strings, numbers and times
		panic("cache key: " + err.Error())
	}
	return string(b)
}

func sorted(s []string) []string { return slices.Sorted(slices.Values(s)) }

// resultWeight estimates the bytes a cached result holds: its strings and
// a fixed overhead per hit, fragment and facet.
func resultWeight(key string, r search.Result) uint32 {
	n := 256 + len(key) + len(r.Query) + len(r.DidYouMean)
	for _, h := range r.Hits {
		n += 160 + len(h.ID) + len(h.Title) + len(h.Source) + len(h.Section)
		for _, fs := range h.Fragments {
			for _, f := range fs {
				n += 16 + len(f)
			}
		}
	}
	for name, fs := range r.Facets {
		n += 64 + len(name)
		for _, f := range fs {
			n += 24 + len(f.Value)
		}
	}
	if r.Timeline != nil {
		n += 64 + 32*len(r.Timeline.Buckets)
	}
	return uint32(min(n, math.MaxUint32))
}
