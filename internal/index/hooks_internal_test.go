package index

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/newsfind/newsfind/internal/index/gen"
	"github.com/newsfind/newsfind/internal/search"
)

// openSeeds indexes a copy of the seed articles and opens the index with
// opts (package indextest cannot be used here: it imports this package).
func openSeeds(t *testing.T, opts ...Option) (ix *Index, articles string) {
	t.Helper()
	articles = t.TempDir()
	if err := os.CopyFS(articles, os.DirFS(filepath.Join("..", "..", "seeds"))); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "index")
	if _, err := gen.Build(context.Background(), gen.Config{Articles: articles, Index: dir}); err != nil {
		t.Fatal(err)
	}
	ix, err := Open(dir, nil, opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	return ix, articles
}

// within fails the test unless f returns before the deadline: for calls
// that must not wait on something the test is holding.
func within(t *testing.T, what string, f func()) {
	t.Helper()
	done := make(chan struct{})
	go func() { defer close(done); f() }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatalf("%s waited on the held reload", what)
	}
}

// waitUntil polls cond until it holds, failing the test at the deadline.
func waitUntil(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(time.Millisecond)
	}
}

// While a reload opens and warms the next generation, the served one goes
// on answering: searches, Count, CacheStats and Generation do not wait for
// it. Only the swap is exclusive.
func TestReloadDoesNotBlockWhileWarming(t *testing.T) {
	ix, articles := openSeeds(t, WithResultCache(1<<20))
	if _, err := ix.Search(context.Background(), search.Request{Query: "SCO"}); err != nil {
		t.Fatal(err)
	}
	first := ix.Generation()
	if err := os.WriteFile(filepath.Join(articles, "new.txt"), []byte("A new article\n\nAbout the SCO summit.\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := gen.Update(context.Background(), gen.Config{Articles: articles, Index: ix.dir}); err != nil {
		t.Fatal(err)
	}

	warming, release := make(chan string), make(chan struct{})
	var once sync.Once
	unhold := func() { once.Do(func() { close(release) }) }
	t.Cleanup(unhold) // on failure too, so that the index can close
	ix.hooks.warm = func(next string) { warming <- next; <-release }
	reloaded := make(chan error, 1)
	go func() {
		_, err := ix.Reload()
		reloaded <- err
	}()
	next := <-warming // the reload holds here until released
	within(t, "Generation", func() {
		if g := ix.Generation(); g != first {
			t.Errorf("Generation while warming = %s, want the served %s", g, first)
		}
	})
	within(t, "Count", func() {
		if n, err := ix.Count(); err != nil || n != 5 {
			t.Errorf("Count while warming = %d, %v; want 5", n, err)
		}
	})
	within(t, "CacheStats", func() { ix.CacheStats() })
	within(t, "Search", func() {
		if _, err := ix.Search(context.Background(), search.Request{Query: "summit", NoCache: true}); err != nil {
			t.Error(err)
		}
	})
	unhold()
	if err := <-reloaded; err != nil {
		t.Fatal(err)
	}
	if g := ix.Generation(); g != next {
		t.Errorf("Generation after the reload = %s, want %s", g, next)
	}
}

// doneCounter is a context that counts the searches waiting on it: a search
// that joins another's in the result cache waits on its context's Done for
// that search's answer.
type doneCounter struct {
	context.Context
	waiting *atomic.Int32
	once    sync.Once
}

func (c *doneCounter) Done() <-chan struct{} {
	c.once.Do(func() { c.waiting.Add(1) })
	return c.Context.Done()
}

// Concurrent searches for the same thing search the index once: the others
// wait for that search's answer. The first search is held on the index
// until every other one either waits for it or searches itself, so the
// outcome does not depend on scheduling.
func TestResultCacheSearchesABurstOnce(t *testing.T) {
	ix, _ := openSeeds(t, WithResultCache(1<<20))
	req := search.Request{Query: "Shanghai Cooperation Organization"}
	var searches, waiting atomic.Int32
	started, release := make(chan struct{}), make(chan struct{})
	ix.hooks.search = func(search.Request) {
		if searches.Add(1) == 1 {
			close(started)
			<-release
		}
	}
	const followers = 15
	results := make([]search.Result, followers+1)
	errs := make([]error, len(results))
	var wg sync.WaitGroup
	wg.Go(func() { results[0], errs[0] = ix.Search(context.Background(), req) })
	<-started
	for i := 1; i <= followers; i++ {
		ctx := &doneCounter{Context: context.Background(), waiting: &waiting}
		wg.Go(func() { results[i], errs[i] = ix.Search(ctx, req) })
	}
	waitUntil(t, "the burst to wait or search", func() bool {
		return waiting.Load() == followers || searches.Load() > 1
	})
	close(release)
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
	if n := searches.Load(); n != 1 {
		t.Errorf("%d of %d concurrent identical searches searched the index, want 1", n, len(results))
	}
	for i, r := range results {
		if r.Cached != (i > 0) || r.Total != results[0].Total || len(r.Hits) != len(results[0].Hits) {
			t.Errorf("search %d: cached %v, %d hits of %d; the first: %d of %d", i, r.Cached, len(r.Hits), r.Total, len(results[0].Hits), results[0].Total)
		}
	}
}
