package index

import (
	"context"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/newsfind/newsfind/internal/index/gen"
	"github.com/newsfind/newsfind/internal/search"
)

// The index's part of the abuse suite (issue 17, row 2): a slow search,
// cached or in flight, never holds up publishing a new generation.

// publishNext adds an article to the seed corpus of ix and publishes a new
// generation of it, which ix has not swapped to yet.
func publishNext(t *testing.T, ix *Index, articles string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(articles, "new.txt"), []byte("A new article\n\nAbout the SCO summit.\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := gen.Update(context.Background(), gen.Config{Articles: articles, Index: ix.dir}); err != nil {
		t.Fatal(err)
	}
}

// holdUntil returns a channel the test closes to release what it holds,
// closed at the end of the test in any case.
func holdUntil(t *testing.T) (release chan struct{}, unhold func()) {
	release = make(chan struct{})
	var once sync.Once
	unhold = func() { once.Do(func() { close(release) }) }
	t.Cleanup(unhold)
	return release, unhold
}

// Warming re-runs the searches people repeat on the new generation, within
// a budget: a search slower than the budget (here one held until its
// deadline passes) is cut there, warming stops, and the swap happens.
func TestAbuseWarmingStopsAtItsBudget(t *testing.T) {
	ix, articles := openSeeds(t, WithResultCache(1<<20))
	for _, q := range []string{"SCO", "summit", "Norov"} {
		if _, err := ix.Search(context.Background(), search.Request{Query: q}); err != nil {
			t.Fatal(err)
		}
	}
	publishNext(t, ix, articles)
	release, _ := holdUntil(t)
	warmed := 0
	ix.hooks.warmSearch = func(ctx context.Context, _ search.Request) {
		if warmed++; warmed == 1 {
			select { // the first warming search outlasts the budget
			case <-ctx.Done():
			case <-release:
			}
		}
	}
	first := ix.Generation()
	within(t, "Reload", func() {
		if swapped, err := ix.Reload(); !swapped || err != nil {
			t.Errorf("Reload = %v, %v; want a swap", swapped, err)
		}
	})
	if ix.Generation() == first {
		t.Error("still serving the old generation after the reload")
	}
	if st, _ := ix.CacheStats(); warmed != 1 || st.Results != 0 {
		t.Errorf("warming ran %d searches and cached %d, want it stopped at the first, cut at its budget", warmed, st.Results)
	}
}

// A search in flight on the served generation, however slow, does not hold
// up the swap to the next: the old generation is closed once it ends.
func TestAbuseReloadDoesNotWaitForSearchesInFlight(t *testing.T) {
	ix, articles := openSeeds(t)
	release, unhold := holdUntil(t)
	started := make(chan struct{})
	ix.hooks.search = func(search.Request) { close(started); <-release }
	searched := make(chan error, 1)
	go func() {
		_, err := ix.Search(context.Background(), search.Request{Query: "SCO"})
		searched <- err
	}()
	<-started
	ix.hooks.search = nil // later searches are not held
	first := ix.Generation()
	publishNext(t, ix, articles)
	within(t, "Reload", func() {
		if swapped, err := ix.Reload(); !swapped || err != nil {
			t.Errorf("Reload = %v, %v; want a swap", swapped, err)
		}
	})
	if ix.Generation() == first {
		t.Error("still serving the old generation after the reload")
	}
	unhold()
	if err := <-searched; err != nil {
		t.Errorf("the search in flight on the old generation: %v", err)
	}
}
