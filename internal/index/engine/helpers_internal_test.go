package engine

import (
	"context"
	"fmt"
	bsearch "github.com/blevesearch/bleve/v2/search"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/newsfind/newsfind/internal/index/gen"
	"github.com/newsfind/newsfind/internal/search"
)

// bbcCorpus is the BBC corpus, from NEWSFIND_BBC or beside the repository;
// tests that need it skip when it is absent.
var bbcCorpus = func() string {
	if p := os.Getenv("NEWSFIND_BBC"); p != "" {
		return p
	}
	return filepath.Join("..", "..", "..", "..", "shared", "corpora", "bbc")
}()

// seedsDir is the repository's seed articles.
var seedsDir = filepath.Join("..", "..", "..", "seeds")

// testIndex is the current generation of an index folder, opened for a
// test and searched as package index searches it.
type testIndex struct {
	*Generation
	dir string // the index folder
}

// openIndex opens the current generation of the index folder dir with
// opts; it is closed when the test ends.
func openIndex(t testing.TB, dir string, opts Options) *testIndex {
	t.Helper()
	path, err := gen.Current(dir)
	if err != nil {
		t.Fatal(err)
	}
	g, err := Open(path, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { g.Close() })
	return &testIndex{Generation: g, dir: dir}
}

// openBuilt builds an index of the articles in the folder articles and
// opens it; it returns the index and its folder.
func openBuilt(t testing.TB, articles string) (*testIndex, string) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "index")
	if _, err := gen.Build(context.Background(), gen.Config{Articles: articles, Index: dir}); err != nil {
		t.Fatal(err)
	}
	return openIndex(t, dir, Options{}), dir
}

// Search validates req and runs it.
func (ix *testIndex) Search(ctx context.Context, req search.Request) (search.Result, error) {
	if err := req.Validate(); err != nil {
		return search.Result{}, err
	}
	return ix.Generation.Search(ctx, req, time.Now())
}

// must runs req and fails the test on an error.
func (ix *testIndex) must(t *testing.T, req search.Request) search.Result {
	t.Helper()
	res, err := ix.Search(context.Background(), req)
	if err != nil {
		t.Fatalf("%q: %v", req.Query, err)
	}
	return res
}

// sameAs searches each request on ix and on base, the same index opened
// without a feature (named by without, as "without pairs"), and fails on
// any difference in the pages: totals, their exactness, and the hits (IDs,
// scores and other versions, in order).
func (ix *testIndex) sameAs(t *testing.T, base *testIndex, without string, reqs []search.Request) {
	t.Helper()
	ctx := context.Background()
	for _, req := range reqs {
		want, err := base.Search(ctx, req)
		if err != nil {
			t.Fatalf("%q %s: %v", req.Query, without, err)
		}
		got, err := ix.Search(ctx, req)
		if err != nil {
			t.Fatalf("%q: %v", req.Query, err)
		}
		name := fmt.Sprintf("%q (sort %q, page %d, size %d, collapse %v, exact %v, sources %v)",
			req.Query, req.Sort, req.Page, req.Size, !req.NoCollapse, req.Exact, req.Filters.Sources)
		if got.Total != want.Total || got.TotalExact != want.TotalExact || len(got.Hits) != len(want.Hits) {
			t.Errorf("%s: %d of %d hits (exact %v), %d of %d (exact %v) %s",
				name, len(got.Hits), got.Total, got.TotalExact, len(want.Hits), want.Total, want.TotalExact, without)
			continue
		}
		for i := range want.Hits {
			if g, w := got.Hits[i], want.Hits[i]; g.ID != w.ID || g.Score != w.Score || fmt.Sprint(g.Duplicates) != fmt.Sprint(w.Duplicates) {
				t.Errorf("%s: hit %d is %s (%v, %v), %s (%v, %v) %s", name, i+1, g.ID, g.Score, g.Duplicates, w.ID, w.Score, w.Duplicates, without)
			}
		}
	}
}

// eachMatch calls fn with each match of searcher s, in document order,
// and closes it.
func eachMatch(t *testing.T, s bsearch.Searcher, fn func(d *bsearch.DocumentMatch)) {
	t.Helper()
	defer s.Close()
	sc := &bsearch.SearchContext{DocumentMatchPool: bsearch.NewDocumentMatchPool(s.DocumentMatchPoolSize()+1, 0)}
	for {
		d, err := s.Next(sc)
		if err != nil {
			t.Fatal(err)
		}
		if d == nil {
			return
		}
		fn(d)
		sc.DocumentMatchPool.Put(d)
	}
}
