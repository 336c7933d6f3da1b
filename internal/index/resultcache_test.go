package index_test

import (
	"context"
	"path/filepath"
	"reflect"
	"sync"
	"testing"

	"github.com/newsfind/newsfind/internal/index"
	"github.com/newsfind/newsfind/internal/index/gen"
	"github.com/newsfind/newsfind/internal/index/indextest"
	"github.com/newsfind/newsfind/internal/search"
)

// sameAnswer reports whether two results give the same answer: everything
// but how long it took and whether it came from the cache.
func sameAnswer(a, b search.Result) bool {
	a.TookMS, b.TookMS, a.Cached, b.Cached = 0, 0, false, false
	return reflect.DeepEqual(a, b)
}

// The cache's statistics count look-ups as they happen; before the first
// one, the hit ratio is 0, not 1.
func TestResultCacheStats(t *testing.T) {
	ix, _ := indextest.Build(t, indextest.Corpus(t, nil), index.WithResultCache(1<<20))
	st, ok := ix.CacheStats()
	if !ok || st.Hits != 0 || st.Misses != 0 || st.HitRatio != 0 || st.TotalHits != 0 || st.TotalMisses != 0 {
		t.Fatalf("stats of a new cache = %+v, %v; want no look-ups and a hit ratio of 0", st, ok)
	}
	req := search.Request{Query: "Norov"}
	mustSearch(t, ix, req)
	mustSearch(t, ix, req)
	if st, _ = ix.CacheStats(); st.Hits != 1 || st.Misses != 1 || st.HitRatio != 0.5 || st.TotalHits != 1 || st.TotalMisses != 1 {
		t.Errorf("stats after a miss and a hit = %+v; want 1 hit, 1 miss, ratio 0.5", st)
	}
}

func TestResultCacheAnswersRepeats(t *testing.T) {
	ix, _ := indextest.Build(t, indextest.Corpus(t, nil), index.WithResultCache(1<<20))
	req := search.Request{Query: "Norov cooperation", Filters: search.Filters{Sources: []string{"Xinhua", "ANI"}}}

	first := mustSearch(t, ix, req)
	if first.Cached || first.Total == 0 {
		t.Fatalf("first search: cached %v, total %d; want a fresh answer with hits", first.Cached, first.Total)
	}
	again := mustSearch(t, ix, req)
	if !again.Cached || !sameAnswer(first, again) {
		t.Errorf("repeated search: cached %v, same answer %v; want the first answer from the cache", again.Cached, sameAnswer(first, again))
	}

	// The alternatives of a filter are a set: another order is the same search.
	swapped := req
	swapped.Filters.Sources = []string{"ANI", "Xinhua"}
	if res := mustSearch(t, ix, swapped); !res.Cached || !sameAnswer(first, res) {
		t.Errorf("filter values in another order: cached %v; want the same cached answer", res.Cached)
	}

	uncached := req
	uncached.NoCache = true
	if res := mustSearch(t, ix, uncached); res.Cached || !sameAnswer(first, res) {
		t.Errorf("NoCache: cached %v, same answer %v; want the same answer from the index", res.Cached, sameAnswer(first, res))
	}

	// Another page, size, order, query or typo tolerance is another search.
	for _, other := range []search.Request{
		{Query: req.Query, Filters: req.Filters, Page: 2},
		{Query: req.Query, Filters: req.Filters, Size: 3},
		{Query: req.Query, Filters: req.Filters, Sort: search.SortNewest},
		{Query: req.Query, Filters: req.Filters, NoFacets: true},
		{Query: req.Query, Filters: req.Filters, NoTypo: true},
		{Query: "norov cooperation", Filters: req.Filters},
	} {
		if res := mustSearch(t, ix, other); res.Cached {
			t.Errorf("%+v answered from the cache of %+v", other, req)
		}
	}
}

func TestResultCacheIsOffByDefault(t *testing.T) {
	ix, _ := indextest.Build(t, indextest.Corpus(t, nil))
	req := search.Request{Query: "Norov"}
	mustSearch(t, ix, req)
	if res := mustSearch(t, ix, req); res.Cached {
		t.Error("an index opened without WithResultCache answered from a cache")
	}
}

// Nothing cached before an update hides an article it added: a new
// generation has its own cache, warmed with the searches asked before,
// searched again on the new generation.
func TestResultCacheEndsWithItsGeneration(t *testing.T) {
	articles := indextest.Corpus(t, nil)
	dir := filepath.Join(t.TempDir(), "index")
	cfg := gen.Config{Articles: articles, Index: dir}
	indextest.Update(t, cfg)
	ix, err := index.Open(dir, nil, index.WithResultCache(1<<20))
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()

	req := search.Request{Query: "zanzibar"}
	mustSearch(t, ix, req)
	if res := mustSearch(t, ix, req); !res.Cached || res.Total != 0 {
		t.Fatalf("before the update: cached %v, total %d; want a cached empty answer", res.Cached, res.Total)
	}
	writeFile(t, filepath.Join(articles, "new/zanzibar.txt"), "Zanzibar talks\n\nDelegates met in Zanzibar.\n")
	indextest.Update(t, cfg)
	if swapped, err := ix.Reload(); err != nil || !swapped {
		t.Fatalf("Reload = %v, %v; want a swap to the new generation", swapped, err)
	}
	if res := mustSearch(t, ix, req); !res.Cached || res.Total != 1 {
		t.Errorf("after the update: cached %v, total %d; want the new article, from the warmed cache", res.Cached, res.Total)
	}
	if res := mustSearch(t, ix, search.Request{Query: "Norov"}); res.Cached {
		t.Error("a search never asked before was answered from the cache")
	}
	// The new generation counts its own look-ups; the totals go on from
	// the old one's (a miss and a hit), for monitoring.
	if st, _ := ix.CacheStats(); st.Hits != 1 || st.Misses != 1 || st.TotalHits != 2 || st.TotalMisses != 2 {
		t.Errorf("stats after the swap = %+v; want 1 hit and 1 miss, 2 and 2 in total", st)
	}
}

// Concurrent searches, repeated and not, get the same answers with the
// cache as without it (run with -race).
func TestResultCacheConcurrentSearches(t *testing.T) {
	articles := indextest.Corpus(t, nil)
	cached, _ := indextest.Build(t, articles, index.WithResultCache(1<<20))
	plain, _ := indextest.Build(t, articles)
	reqs := []search.Request{
		{Query: "Norov"}, {Query: "Shanghai Cooperation Organization"}, {Query: `"Shanghai Spirit"`},
		{Query: "", Sort: search.SortNewest}, {Query: "cooperation", Page: 2, Size: 2},
		{Query: "minister", Filters: search.Filters{Years: []int{2021}}},
	}
	want := make([]search.Result, len(reqs))
	for i, req := range reqs {
		want[i] = mustSearch(t, plain, req)
	}
	var wg sync.WaitGroup
	errs := make(chan string, 8*len(reqs))
	for range 8 {
		wg.Go(func() {
			for i, req := range reqs {
				res, err := cached.Search(context.Background(), req)
				if err != nil || !sameAnswer(res, want[i]) {
					errs <- req.Query
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for q := range errs {
		t.Errorf("search %q with the cache differs from without it", q)
	}
}

// A search given up on (its client left) leaves nothing in the cache.
func TestResultCacheKeepsNoFailedSearch(t *testing.T) {
	ix, _ := indextest.Build(t, indextest.Corpus(t, nil), index.WithResultCache(1<<20))
	req := search.Request{Query: "Norov"}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := ix.Search(ctx, req); err == nil {
		t.Fatal("a search with its context done succeeded")
	}
	if res := mustSearch(t, ix, req); res.Cached || res.Total == 0 {
		t.Errorf("after a canceled search: cached %v, total %d; want a fresh answer", res.Cached, res.Total)
	}
}
