package analyze

import (
	"strconv"
	"sync"
	"testing"
)

// TestTermCacheKeepsCachingPastItsBound fills a term cache with many more
// distinct terms than it may hold, as query text sent to searchd can, and
// checks that it stays within its bound, still caches new terms, keeps a
// term in steady use, and has dropped the terms of the flood's start.
func TestTermCacheKeepsCachingPastItsBound(t *testing.T) {
	const limit = 1 << 10
	c := newTermCache(limit)
	computed := map[string]int{}
	compute := func(raw []byte) termEntry {
		computed[string(raw)]++
		return termEntry{term: string(raw)}
	}
	lookup := func(w string) termEntry {
		if e, ok := c.snapshot()[w]; ok {
			return e
		}
		return c.lookupSlow([]byte(w), compute)
	}
	lookup("hot")
	for i := range 8 * limit {
		lookup("t" + strconv.Itoa(i))
		if i%100 == 0 {
			lookup("hot") // a word of the news vocabulary, in steady use
		}
		if n := cachedTerms(c); n > limit {
			t.Fatalf("after %d distinct terms the cache holds %d, more than its bound %d", i+2, n, limit)
		}
	}
	if e := lookup("fresh"); e.term != "fresh" {
		t.Fatalf("lookup(fresh) = %+v", e)
	}
	lookup("fresh")
	if n := computed["fresh"]; n != 1 {
		t.Errorf("a new term after the cache filled was analysed %d times, want once (cached)", n)
	}
	if n := computed["hot"]; n != 1 {
		t.Errorf("a term in steady use was analysed %d times, want once (kept)", n)
	}
	lookup("t0")
	if n := computed["t0"]; n != 2 {
		t.Errorf("the flood's first term was analysed %d times, want twice (dropped, then cached again)", n)
	}
}

// TestTermCacheConcurrentTurnover looks terms up from several goroutines
// in a cache small enough to start a new generation every few hundred
// lookups, so that turnovers, carry-overs and promotions race with readers
// (run with -race), and checks every entry returned.
func TestTermCacheConcurrentTurnover(t *testing.T) {
	c := newTermCache(256)
	compute := func(raw []byte) termEntry { return termEntry{term: "=" + string(raw)} }
	const workers, lookups = 4, 5000
	var wg sync.WaitGroup
	errs := make(chan string, workers)
	for w := range workers {
		wg.Go(func() {
			snap := c.snapshot()
			for i := range lookups {
				word := "hot" + strconv.Itoa(i%20) // shared by all workers
				if i%2 == 1 {
					word = strconv.Itoa(w) + "/" + strconv.Itoa(i) // this worker's own
				}
				e, ok := snap[word]
				if !ok {
					e = c.lookupSlow([]byte(word), compute)
				}
				if e.term != "="+word {
					errs <- "lookup(" + word + ") = " + e.term
					return
				}
				if i%64 == 0 { // a new snapshot per analysed text
					snap = c.snapshot()
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
	if n := cachedTerms(c); n > 256 {
		t.Errorf("the cache holds %d entries, more than its bound 256", n)
	}
	if c.old[0] == nil {
		t.Error("the cache never started a new generation; the test tests nothing")
	}
}

// cachedTerms counts the entries c holds, in both generations.
func cachedTerms(c *termCache) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.snapshot()) + len(c.pending) + len(c.old[0]) + len(c.old[1])
}
