// Package indextest builds real newsfind indexes for tests of the packages
// that use one: a copy of the seed articles, plus extra articles, indexed
// into a temporary folder with the production code path.
package indextest

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/newsfind/newsfind/internal/index"
	"github.com/newsfind/newsfind/internal/index/gen"
	"github.com/newsfind/newsfind/internal/search"
)

// The seed articles' IDs, newest first.
const (
	SeedQinZhang  = "004_f693d5a72e5eb8f0.txt" // 2023-04-20, Xinhua
	SeedNorovOut  = "001_61ab04e02ec4d748.txt" // 2021-12-18, Norov in title
	SeedDushanbe  = "002_fece085e94c5575a.txt" // 2021-07-13, four proposals
	SeedNorovVice = "003_3154e74442ac04b2.txt" // 2019-11-12, Norov in body only
	SeedAlimov    = "000_1241d62db3b413ea.txt" // 2018-12-28
)

// SeedsDir returns the path of the repository's seeds/ folder.
func SeedsDir(t testing.TB) string {
	t.Helper()
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		t.Fatal("cannot locate the seeds folder")
	}
	return filepath.Join(filepath.Dir(file), "..", "..", "..", "seeds")
}

// Corpus copies the seed articles into a new temporary folder, adds extra
// files (relative path → content) and returns the folder.
func Corpus(t testing.TB, extra map[string]string) string {
	t.Helper()
	seeds := SeedsDir(t)
	dir := t.TempDir()
	entries, err := os.ReadDir(seeds)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(seeds, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		WriteFile(t, filepath.Join(dir, e.Name()), string(b))
	}
	for name, content := range extra {
		WriteFile(t, filepath.Join(dir, name), content)
	}
	return dir
}

// WriteFile writes content to path, creating folders as needed.
func WriteFile(t testing.TB, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// Build indexes the articles folder into a new temporary index folder and
// opens it for searching with opts; the index is closed when the test ends.
func Build(t testing.TB, articles string, opts ...index.Option) (*index.Index, search.UpdateStats) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "index")
	st, err := gen.Build(context.Background(), gen.Config{Articles: articles, Index: dir, Tables: index.WriteTables})
	if err != nil {
		t.Fatalf("build index: %v", err)
	}
	ix, err := index.Open(dir, nil, opts...)
	if err != nil {
		t.Fatalf("open index: %v", err)
	}
	t.Cleanup(func() { ix.Close() })
	return ix, st
}

// IDs returns the IDs of a result's hits, in order.
func IDs(res search.Result) []string {
	var out []string
	for _, h := range res.Hits {
		out = append(out, h.ID)
	}
	return out
}

// Update updates the index folder of cfg, writing its tables as the
// programs do unless cfg says how, failing the test on error.
func Update(t testing.TB, cfg gen.Config) search.UpdateStats {
	t.Helper()
	if cfg.Tables == nil {
		cfg.Tables = index.WriteTables
	}
	st, err := gen.Update(context.Background(), cfg)
	if err != nil {
		t.Fatalf("update index: %v", err)
	}
	return st
}

// Search runs req on ix, failing the test on error.
func Search(t testing.TB, ix *index.Index, req search.Request) search.Result {
	t.Helper()
	res, err := ix.Search(context.Background(), req)
	if err != nil {
		t.Fatalf("Search(%+v): %v", req, err)
	}
	return res
}

// HoldLock takes the index folder's writer lock, as another indexer
// process would, until the test ends or release is called.
func HoldLock(t testing.TB, indexDir string) (release func()) {
	t.Helper()
	f, err := os.OpenFile(filepath.Join(indexDir, "LOCK"), os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		t.Fatalf("lock the index: %v", err)
	}
	var once sync.Once
	release = func() { once.Do(func() { f.Close() }) }
	t.Cleanup(release)
	return release
}

// WaitFor polls ok every 10 ms until it holds, failing the test when d
// passes first: for what happens in the background, without sleeping a
// guessed time.
func WaitFor(t testing.TB, d time.Duration, what string, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %v waiting for %s", d, what)
		}
		<-tick.C
	}
}
