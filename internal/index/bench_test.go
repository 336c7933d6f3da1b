package index_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/newsfind/newsfind/internal/index"
	"github.com/newsfind/newsfind/internal/index/gen"
	"github.com/newsfind/newsfind/internal/search"
)

// bbcDir is the BBC corpus used by benchmarks and tests, from NEWSFIND_BBC or beside
// the repository; they skip without it.
func bbcDir(b testing.TB) string {
	dir := os.Getenv("NEWSFIND_BBC")
	if dir == "" {
		dir = "../../../shared/corpora/bbc"
	}
	if _, err := os.Stat(dir); err != nil {
		b.Skipf("BBC corpus not found at %s (set NEWSFIND_BBC): %v", dir, err)
	}
	return dir
}

func BenchmarkBuildBBC(b *testing.B) {
	dir := bbcDir(b)
	for b.Loop() {
		st, err := gen.Build(context.Background(), gen.Config{Articles: dir, Index: filepath.Join(b.TempDir(), "ix")})
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(st.Indexed)/st.Elapsed.Seconds(), "articles/s")
	}
}

// benchQueries are typical searches: words, a common pair, a phrase, an
// exclusion, a field, a long question.
var benchQueries = []string{"economy", "new year", "mobile phone", `"prime minister"`, "blair election -labour", "title:film", "what did the chancellor say about interest rates"}

// BenchmarkSearchBBC runs typical result-list searches (top 10, highlighted,
// with facets) against the BBC corpus.
func BenchmarkSearchBBC(b *testing.B) {
	ix, _ := build(b, bbcDir(b))
	for _, q := range benchQueries {
		b.Run(q, func(b *testing.B) {
			for b.Loop() {
				if _, err := ix.Search(context.Background(), search.Request{Query: q}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkSearchIndex runs the same searches against an existing index
// folder given by NEWSFIND_BENCH_INDEX (e.g. one the indexer built from the
// bench's synthetic 100,000 articles), for profiling at scale.
func BenchmarkSearchIndex(b *testing.B) {
	dir := os.Getenv("NEWSFIND_BENCH_INDEX")
	if dir == "" {
		b.Skip("set NEWSFIND_BENCH_INDEX to an index folder")
	}
	ix, err := index.Open(dir, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer ix.Close()
	for _, noFacets := range []bool{false, true} {
		for _, q := range benchQueries {
			name := q
			if noFacets {
				name = "nofacets/" + q
			}
			b.Run(name, func(b *testing.B) {
				for b.Loop() {
					if _, err := ix.Search(context.Background(), search.Request{Query: q, NoFacets: noFacets}); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
