package corpus

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fsnotify/fsnotify"
	"github.com/newsfind/newsfind/internal/article"
	"github.com/newsfind/newsfind/internal/index/indextest"
	"github.com/newsfind/newsfind/internal/search"
)

// logBuffer collects a Corpus's log lines for a test to read.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *logBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// logTo makes the fixture's corpus log into a buffer it returns.
func (f *fixture) logTo() *logBuffer {
	b := &logBuffer{}
	f.c.cfg.Log = slog.New(slog.NewTextHandler(b, nil))
	return b
}

// TestAbuseLinkToEtcPasswdIsNotIndexed is row 4 of issue 17: a link to
// /etc/passwd in the articles folder was indexed and found by "root
// nologin". A scan and an update of the path both skip it with a message.
func TestAbuseLinkToEtcPasswdIsNotIndexed(t *testing.T) {
	f := newFixture(t)
	logs := f.logTo()
	outside := t.TempDir()
	if err := os.WriteFile(filepath.Join(outside, "secret.txt"), []byte("Secret\n\nroot nologin zyzzyva\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for link, target := range map[string]string{"passwd.txt": "/etc/passwd", "secret.txt": filepath.Join(outside, "secret.txt")} {
		if err := os.Symlink(target, filepath.Join(f.articles, link)); err != nil {
			t.Fatal(err)
		}
	}
	ctx := context.Background()
	st, err := f.c.Scan(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st.Skipped != 2 {
		t.Errorf("scan skipped %d files, want the 2 links", st.Skipped)
	}
	if _, err := f.c.Update(ctx, []string{"passwd.txt", "secret.txt"}); err != nil { // as the watcher would
		t.Fatal(err)
	}
	for _, q := range []string{"root nologin", "zyzzyva"} {
		if got := f.hits(t, q); len(got) > 0 {
			t.Errorf("%q found %v through a link out of the folder", q, got)
		}
	}
	if _, err := f.ix.Article(ctx, "passwd.txt"); !errors.Is(err, search.ErrNotFound) {
		t.Errorf("passwd.txt served: %v", err)
	}
	if l := logs.String(); strings.Count(l, "leads outside the articles folder") < 4 {
		t.Errorf("want a skip message per link and update; log:\n%s", l)
	}
}

// TestAbuseIngestThroughALinkedFolderIsRefused is row 5 of issue 17: with
// a link to a folder outside, an ingest of link/evil.txt wrote outside the
// articles folder. It is now a 400 (ErrInvalid), and nothing is written;
// a delete through the link finds nothing.
func TestAbuseIngestThroughALinkedFolderIsRefused(t *testing.T) {
	f := newFixture(t)
	outside := t.TempDir()
	if err := os.WriteFile(filepath.Join(outside, "victim.txt"), []byte("Victim\n\nA file outside.\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(outside, filepath.Join(f.articles, "link")); err != nil {
		t.Fatal(err)
	}
	// A linked folder inside is refused too: the walk does not follow it.
	if err := os.Mkdir(filepath.Join(f.articles, "real"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("real", filepath.Join(f.articles, "inner")); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	body := []byte("Evil\n\nWritten through a link.\n")
	for _, name := range []string{"link/evil.txt", "link/new/evil.txt", "inner/evil.txt"} {
		if _, err := f.c.Add(ctx, name, body); !errors.Is(err, search.ErrInvalid) || !strings.Contains(err.Error(), "symbolic link") {
			t.Errorf("Add(%s) = %v, want ErrInvalid naming the link", name, err)
		}
	}
	if _, err := f.c.Add(ctx, "link", body); err == nil {
		t.Errorf("Add over the link itself succeeded")
	}
	left, _ := os.ReadDir(outside)
	if len(left) != 1 {
		t.Errorf("the folder outside holds %d entries, want only victim.txt", len(left))
	}
	if err := f.c.Delete(ctx, "link/victim.txt"); !errors.Is(err, search.ErrNotFound) {
		t.Errorf("Delete through the link = %v, want not found", err)
	}
	if _, err := os.Stat(filepath.Join(outside, "victim.txt")); err != nil {
		t.Errorf("the file outside was touched: %v", err)
	}
}

// TestAbuseIngestBadNames is row 8 of issue 17: a NUL in a name, a
// 300-character name and a name under an existing file were 500s; a deep
// path made as many folders. Each is ErrInvalid (a 400) naming the problem.
func TestAbuseIngestBadNames(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	if _, err := f.c.Add(ctx, "existing.txt", []byte("Existing\n\nAn article.\n")); err != nil {
		t.Fatal(err)
	}
	body := []byte("Title\n\nBody.\n")
	for name, want := range map[string]string{
		"a\x00b.txt":                       "control character",
		strings.Repeat("x", 300) + ".txt":  "200-byte cap",
		"existing.txt/x.txt":               "existing.txt is a file, not a folder",
		strings.Repeat("d/", 40) + "x.txt": "folders deep",
	} {
		if _, err := f.c.Add(ctx, name, body); !errors.Is(err, search.ErrInvalid) || !strings.Contains(err.Error(), want) {
			t.Errorf("Add(%.40q) = %v, want ErrInvalid with %q", name, err, want)
		}
	}
	if _, err := os.Stat(filepath.Join(f.articles, "d")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a refused deep name left folders: %v", err)
	}
	if _, err := f.c.Add(ctx, "big.txt", append([]byte("Big\n\n"), make([]byte, article.MaxFileSize)...)); !errors.Is(err, search.ErrInvalid) {
		t.Errorf("Add of a file over the cap = %v, want ErrInvalid", err)
	}
}

// TestAbuseWatchStopsAtTheDepthCap is row 8 of issue 17: 2,000 nested
// folders cost 2,000 inotify watches. The watcher stops at
// article.MaxDepth and says so.
func TestAbuseWatchStopsAtTheDepthCap(t *testing.T) {
	f := newFixture(t)
	logs := f.logTo()
	deep := filepath.Join(f.articles, "deep", strings.Repeat("d/", article.MaxDepth+10))
	if err := os.MkdirAll(deep, 0o755); err != nil {
		t.Fatal(err)
	}
	w, err := fsnotify.NewWatcher()
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	before := len(f.watchedFolders(t))
	if err := f.c.watchTree(w, f.articles, nil); err != nil {
		t.Fatal(err)
	}
	if got, want := len(w.WatchList()), before+article.MaxDepth; got != want {
		t.Errorf("%d watches, want %d (the seeds' folders and %d under deep/)", got, want, article.MaxDepth)
	}
	if !strings.Contains(logs.String(), "deeper than the cap") {
		t.Errorf("no message for the folders past the cap; log:\n%s", logs)
	}
}

// watchedFolders returns the folders of the fixture's articles folder the
// watcher would watch before the test adds any: the folder and its
// subfolders, hidden ones aside.
func (f *fixture) watchedFolders(t *testing.T) []string {
	t.Helper()
	var dirs []string
	err := filepath.WalkDir(f.articles, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && p != f.articles && strings.HasPrefix(d.Name(), ".") {
			return filepath.SkipDir
		}
		if d.IsDir() && !strings.HasPrefix(p, filepath.Join(f.articles, "deep")) {
			dirs = append(dirs, p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return dirs
}

// TestAbuseCatchUpIndexesFilesSavedButNotIndexed is row 10 of issue 17: a
// kill -9 during an ingest burst left files saved but never indexed, and
// searchd without -watch did not look at them again. CatchUp, which
// searchd -articles runs on start, makes them searchable.
func TestAbuseCatchUpIndexesFilesSavedButNotIndexed(t *testing.T) {
	f := newFixture(t)
	// What a killed ingest leaves: the file in place, the index without it.
	if err := os.WriteFile(filepath.Join(f.articles, "okapi.txt"), []byte("Okapi census\n\nRangers counted the okapi herd.\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if got := f.hits(t, "okapi"); len(got) > 0 {
		t.Fatalf("found before catching up: %v", got)
	}
	if err := f.c.CatchUp(); err != nil {
		t.Fatal(err)
	}
	// The status is written just after the new generation is published.
	indextest.WaitFor(t, 10*time.Second, "the saved file to be searchable", func() bool {
		return f.c.Status().LastStats != nil && slices.Equal(f.hits(t, "okapi"), []string{"okapi.txt"})
	})
	if st := f.c.Status().LastStats; st == nil || st.Added != 1 || st.Full {
		t.Errorf("catch-up stats %+v, want one file added incrementally", st)
	}
	if err := f.c.Close(); err != nil {
		t.Fatal(err)
	}
	if err := f.c.CatchUp(); !errors.Is(err, ErrClosed) {
		t.Errorf("CatchUp after Close = %v, want ErrClosed", err)
	}
}
