package gen

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/blevesearch/bleve/v2/document"
	"github.com/newsfind/newsfind/internal/article"
	"github.com/newsfind/newsfind/internal/index/schema"
	"github.com/newsfind/newsfind/internal/search"
)

// prefetchCorpus writes a corpus with good, unparsable and unsupported
// files in nested folders.
func prefetchCorpus(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	files := map[string]string{
		"notes.bin":   "\x00\x01\x02",
		"bad.txt":     "\x00\x00\x00\x00binary\x00\x00",
		"empty.txt":   "",
		"sub/z.txt":   "Last story\n\nIt ends here.",
		"sub-a.txt":   "Dash story\n\nSorted before sub/.",
		"feed.jsonl":  "{\"title\":\"One\",\"body\":\"First.\"}\nnot json\n{\"title\":\"Two\",\"body\":\"Second.\"}\n",
		"README.txt":  "About this corpus.",
		"deep/x/y.md": "# not an article format",
	}
	for i := range 150 { // more files than prefetchAhead
		files[fmt.Sprintf("many/%03d.txt", i)] = fmt.Sprintf("Story %d\n\nBody of story %d.", i, i)
	}
	for p, body := range files {
		path := filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func testBuilder(t *testing.T) func(search.Article) *document.Document {
	t.Helper()
	b, err := schema.NewBuilder(schema.Mapping())
	if err != nil {
		t.Fatal(err)
	}
	return b.Document
}

// walkPrefetched hands fn what article.Walk does, in the same order, with
// each article's document built; unreadable files come with their error.
func TestWalkPrefetchedIsWalk(t *testing.T) {
	dir := prefetchCorpus(t)
	var want []article.File
	if err := article.Walk(context.Background(), dir, func(f article.File) error {
		want = append(want, f)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	var got []article.File
	err := walkPrefetched(context.Background(), dir, testBuilder(t), func(f readFile) error {
		if f.Err == nil && !f.Unsupported && len(f.docs) != len(f.Articles) {
			t.Errorf("%s: %d documents for %d articles", f.Path, len(f.docs), len(f.Articles))
		}
		for i, d := range f.docs {
			if d.ID() != f.Articles[i].ID {
				t.Errorf("%s: document %d is %q, want %q", f.Path, i, d.ID(), f.Articles[i].ID)
			}
		}
		got = append(got, f.File)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) {
		t.Fatalf("%d files, want %d", len(got), len(want))
	}
	var failed int
	for i := range want {
		g, w := got[i], want[i]
		if g.Path != w.Path || g.Hash != w.Hash || g.Unsupported != w.Unsupported ||
			(g.Err == nil) != (w.Err == nil) || !reflect.DeepEqual(g.Articles, w.Articles) {
			t.Errorf("file %d: got %s (err %v), want %s (err %v)", i, g.Path, g.Err, w.Path, w.Err)
		}
		if g.Err != nil {
			failed++
		}
	}
	if failed == 0 {
		t.Error("no unreadable file in the test corpus: the error path went untested")
	}
}

// An error from fn stops the walk and is returned as is; a missing folder
// and a cancelled context are errors too.
func TestWalkPrefetchedStops(t *testing.T) {
	dir := prefetchCorpus(t)
	stop := errors.New("stop")
	n := 0
	err := walkPrefetched(context.Background(), dir, testBuilder(t), func(readFile) error {
		n++
		if n == 3 {
			return stop
		}
		return nil
	})
	if err != stop || n != 3 {
		t.Errorf("got %v after %d files, want %v after 3", err, n, stop)
	}

	if err := walkPrefetched(context.Background(), filepath.Join(dir, "missing"), testBuilder(t), func(readFile) error {
		t.Error("fn called for a missing folder")
		return nil
	}); err == nil {
		t.Error("no error for a missing folder")
	}

	ctx, cancel := context.WithCancel(context.Background())
	n = 0
	err = walkPrefetched(ctx, dir, testBuilder(t), func(readFile) error {
		if n++; n == 2 {
			cancel()
		}
		return nil
	})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("got %v after cancelling, want context.Canceled", err)
	}
}
