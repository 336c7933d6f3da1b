package index_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/newsfind/newsfind/internal/index"
	"github.com/newsfind/newsfind/internal/index/gen"
	"github.com/newsfind/newsfind/internal/search"
)

// freshCorpora are the corpora the freshness benchmarks run on: BBC, and
// a larger folder (e.g. the bench's synthetic 100,000) from
// NEWSFIND_BENCH_CORPUS.
func freshCorpora(b *testing.B) map[string]string {
	out := map[string]string{"bbc": bbcDir(b)}
	if dir := os.Getenv("NEWSFIND_BENCH_CORPUS"); dir != "" {
		out[filepath.Base(dir)] = dir
	}
	return out
}

// linkCorpus makes a writable folder whose files are hard links to the
// corpus's (copies where the file system will not link them), so updates
// can add files without touching the corpus. Not symbolic links: the
// reader skips a link that leads outside the articles folder, and the
// benchmark measured an empty index until session 18.
func linkCorpus(b *testing.B, src string) string {
	dst := b.TempDir()
	err := filepath.WalkDir(src, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		target := filepath.Join(dst, rel)
		if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
			return err
		}
		if os.Link(p, target) == nil {
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(target, data, 0o644)
	})
	if err != nil {
		b.Fatal(err)
	}
	return dst
}

// BenchmarkFreshness measures what keeping an index fresh costs: adding 1
// and 100 articles (an indexer re-run that scans the folder, and an update
// of named paths as the watcher and ingest API do) against a full rebuild,
// each with the derived tables the indexer and searchd write (before
// session 18 it left them out: "milliseconds by path").
func BenchmarkFreshness(b *testing.B) {
	for name, src := range freshCorpora(b) {
		articles := linkCorpus(b, src)
		dir := filepath.Join(b.TempDir(), "index")
		if st, err := gen.Build(context.Background(), gen.Config{Articles: articles, Index: dir, Tables: index.WriteTables}); err != nil || st.Added == 0 || st.Skipped > 0 {
			b.Fatalf("build of %s: %+v, %v; want every article indexed", name, st, err)
		}
		b.Run(name+"/rebuild", func(b *testing.B) {
			for b.Loop() {
				if _, err := gen.Build(context.Background(), gen.Config{Articles: articles, Index: dir, Tables: index.WriteTables}); err != nil {
					b.Fatal(err)
				}
			}
		})
		n := 0
		add := func(b *testing.B, count int) []string {
			var paths []string
			for range count {
				n++
				p := fmt.Sprintf("fresh/%06d.txt", n)
				body := fmt.Sprintf("Fresh article %d\n\nA new article about the economy and the election, number %d.\n", n, n)
				if err := os.MkdirAll(filepath.Join(articles, "fresh"), 0o755); err != nil {
					b.Fatal(err)
				}
				if err := os.WriteFile(filepath.Join(articles, p), []byte(body), 0o644); err != nil {
					b.Fatal(err)
				}
				paths = append(paths, p)
			}
			return paths
		}
		for _, count := range []int{1, 100} {
			b.Run(fmt.Sprintf("%s/add-%d/scan", name, count), func(b *testing.B) {
				for b.Loop() {
					b.StopTimer()
					add(b, count)
					b.StartTimer()
					st, err := gen.Update(context.Background(), gen.Config{Articles: articles, Index: dir, Tables: index.WriteTables})
					if err != nil || st.Added != count {
						b.Fatalf("update: %+v, %v", st, err)
					}
				}
			})
			b.Run(fmt.Sprintf("%s/add-%d/paths", name, count), func(b *testing.B) {
				for b.Loop() {
					b.StopTimer()
					paths := add(b, count)
					b.StartTimer()
					st, err := gen.Update(context.Background(), gen.Config{Articles: articles, Index: dir, Paths: paths, Tables: index.WriteTables})
					if err != nil || st.Added != count {
						b.Fatalf("update: %+v, %v", st, err)
					}
				}
			})
		}
		b.Run(name+"/swap", func(b *testing.B) { benchSwap(b, articles, dir) })
	}
}

// benchSwap measures how a swap to a new generation affects queries: the
// latency of searches running while generations are published and swapped
// in, against searches with no swaps, and the time Reload takes.
func benchSwap(b *testing.B, articles, dir string) {
	ix, err := index.Open(dir, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer ix.Close()
	const searches = 300 // per searching goroutine
	seq := 0
	measure := func(swapping bool) (p99, worst time.Duration, reloads []time.Duration) {
		var mu sync.Mutex
		var lat []time.Duration
		var wg sync.WaitGroup
		done := make(chan struct{})
		for range 2 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for range searches {
					start := time.Now()
					if _, err := ix.Search(context.Background(), search.Request{Query: "economy growth"}); err != nil {
						b.Error(err)
						return
					}
					mu.Lock()
					lat = append(lat, time.Since(start))
					mu.Unlock()
				}
			}()
		}
		go func() { wg.Wait(); close(done) }()
		for swapping {
			select {
			case <-done:
				swapping = false
				continue
			default:
			}
			seq++
			if err := os.WriteFile(filepath.Join(articles, fmt.Sprintf("swap-%d.txt", seq)), []byte("Swap probe\n\nSwap probe body.\n"), 0o644); err != nil {
				b.Fatal(err)
			}
			if _, err := gen.Update(context.Background(), gen.Config{Articles: articles, Index: dir, Tables: index.WriteTables}); err != nil {
				b.Fatal(err)
			}
			start := time.Now()
			if swapped, err := ix.Reload(); err != nil || !swapped {
				b.Fatalf("reload: %v, %v", swapped, err)
			}
			reloads = append(reloads, time.Since(start))
		}
		<-done
		slices.Sort(lat)
		return lat[len(lat)*99/100], lat[len(lat)-1], reloads
	}
	for b.Loop() {
		p99, worst, _ := measure(false)
		p99s, worsts, reloads := measure(true)
		slices.Sort(reloads)
		b.ReportMetric(float64(p99.Microseconds())/1000, "p99-ms-steady")
		b.ReportMetric(float64(worst.Microseconds())/1000, "max-ms-steady")
		b.ReportMetric(float64(p99s.Microseconds())/1000, "p99-ms-swapping")
		b.ReportMetric(float64(worsts.Microseconds())/1000, "max-ms-swapping")
		b.ReportMetric(float64(len(reloads)), "swaps")
		if len(reloads) > 0 {
			b.ReportMetric(float64(reloads[len(reloads)/2].Microseconds())/1000, "reload-ms")
		}
	}
}
