package gen

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/newsfind/newsfind/internal/article"
	"github.com/newsfind/newsfind/internal/search"
)

// BenchmarkStoriesBBC measures what finding stories adds to a full build
// of the BBC corpus, in one run: a whole build (which includes it), and
// the fingerprinting and band look-ups of every article alone, as a new
// manifest receives them. It reports their ratio (stories/build); the
// signing runs in the build's parallel readers, the look-ups on its
// writer.
func BenchmarkStoriesBBC(b *testing.B) {
	dir := os.Getenv("NEWSFIND_BBC")
	if dir == "" {
		dir = filepath.Join("..", "..", "..", "..", "shared", "corpora", "bbc")
	}
	if _, err := os.Stat(dir); err != nil {
		b.Skipf("BBC corpus not found at %s (set NEWSFIND_BBC to its folder): %v", dir, err)
	}
	var arts []search.Article
	if err := article.Walk(context.Background(), dir, func(f article.File) error {
		arts = append(arts, f.Articles...)
		return nil
	}); err != nil {
		b.Fatal(err)
	}
	var build, stories time.Duration
	for b.Loop() {
		start := time.Now()
		if _, err := Build(context.Background(), Config{Articles: dir, Index: filepath.Join(b.TempDir(), "index")}); err != nil {
			b.Fatal(err)
		}
		build += time.Since(start)

		m, err := openManifest(filepath.Join(b.TempDir(), "manifest.db"))
		if err != nil {
			b.Fatal(err)
		}
		start = time.Now()
		st := newStories(m.db)
		for _, a := range arts {
			sig := sign(a)
			if _, err := st.assign(a.ID, sig.sig, sig.ok); err != nil {
				b.Fatal(err)
			}
			if st.pending() >= storyFlushEvery {
				if err := m.apply(nil, st); err != nil {
					b.Fatal(err)
				}
			}
		}
		if err := m.apply(nil, st); err != nil {
			b.Fatal(err)
		}
		stories += time.Since(start)
		m.Close()
	}
	b.ReportMetric(float64(build.Milliseconds())/float64(b.N), "build-ms/op")
	b.ReportMetric(float64(stories.Milliseconds())/float64(b.N), "stories-ms/op")
	b.ReportMetric(float64(stories)/float64(build), "stories/build")
}
