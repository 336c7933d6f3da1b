package index_test

import (
	"bytes"
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/newsfind/newsfind/internal/index"
	"github.com/newsfind/newsfind/internal/index/facet"
	"github.com/newsfind/newsfind/internal/index/gen"
	"github.com/newsfind/newsfind/internal/index/indextest"
	"github.com/newsfind/newsfind/internal/index/lexicon"
	sgst "github.com/newsfind/newsfind/internal/index/suggest"
	"github.com/newsfind/newsfind/internal/search"
)

// served is what a generation answers that its derived tables feed: the
// facets and count of everything, a filtered search, and suggestions.
type served struct {
	All, Filtered search.Result
	Suggested     search.Suggestions
}

// openServed opens the index folder dir, logging into a buffer, and
// returns what it serves and what it logged.
func openServed(t *testing.T, dir string) (served, string) {
	t.Helper()
	var log bytes.Buffer
	ix, err := index.Open(dir, slog.New(slog.NewTextHandler(&log, nil)))
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	var s served
	s.All = indextest.Search(t, ix, search.Request{Size: 50})
	s.Filtered = indextest.Search(t, ix, search.Request{Query: "cooperation", Filters: search.Filters{Orgs: []string{"SCO"}}, Size: 50})
	s.Suggested, err = ix.Suggest(context.Background(), search.SuggestRequest{Query: "sh", Size: 10})
	if err != nil {
		t.Fatal(err)
	}
	s.All.TookMS, s.Filtered.TookMS = 0, 0
	return s, log.String()
}

// A generation is published with its facet table and suggestion lists,
// and opening it reads them instead of building them; what it serves is
// the same either way.
func TestTablesWrittenAndRead(t *testing.T) {
	articles := indextest.Corpus(t, nil)
	dir := filepath.Join(t.TempDir(), "index")
	indextest.Update(t, gen.Config{Articles: articles, Index: dir})
	cur, err := gen.Current(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{facet.File, sgst.File, lexicon.File} {
		if !strings.HasSuffix(f, gen.TableSuffix) {
			t.Errorf("%s does not end in %s: an update's copy would keep a stale one", f, gen.TableSuffix)
		}
		if _, err := os.Stat(filepath.Join(cur, f)); err != nil {
			t.Errorf("generation published without %s: %v", f, err)
		}
	}
	fromFiles, log := openServed(t, dir)
	for _, want := range []string{`msg="facet table read"`, `msg="suggestion lists read"`} {
		if !strings.Contains(log, want) {
			t.Errorf("open did not log %s:\n%s", want, log)
		}
	}
	if len(fromFiles.All.Hits) == 0 || len(fromFiles.Suggested.Suggestions) == 0 {
		t.Fatalf("nothing served: %+v", fromFiles)
	}
	for _, f := range []string{facet.File, sgst.File} {
		if err := os.Remove(filepath.Join(cur, f)); err != nil {
			t.Fatal(err)
		}
	}
	built, log := openServed(t, dir)
	if !strings.Contains(log, `msg="facet table built"`) || !strings.Contains(log, `msg="suggestion lists built"`) {
		t.Errorf("without the files, open did not build the tables:\n%s", log)
	}
	if !reflect.DeepEqual(fromFiles, built) {
		t.Errorf("served from the files:\n%+v\nbuilt at open:\n%+v", fromFiles, built)
	}
}

// An update's generation gets tables of its own: the copy it starts from
// does not carry the old ones, and tables of another generation are
// refused, not trusted.
func TestTablesAfterUpdate(t *testing.T) {
	articles := indextest.Corpus(t, nil)
	dir := filepath.Join(t.TempDir(), "index")
	indextest.Update(t, gen.Config{Articles: articles, Index: dir})
	old, _ := gen.Current(dir)
	indextest.WriteFile(t, filepath.Join(articles, "extra.txt"),
		"Shymkent summit\n\nSHYMKENT, July 3 (Xinhua) -- Leaders of the SCO met in Shymkent on Thursday.\n")
	var calls []string
	indextest.Update(t, gen.Config{Articles: articles, Index: dir, Tables: func(ctx context.Context, g, from string) error {
		for _, f := range []string{facet.File, sgst.File} {
			if _, err := os.Stat(filepath.Join(g, f)); err == nil {
				t.Errorf("the update's copy carried %s over", f)
			}
		}
		calls = append(calls, g)
		if from != old {
			t.Errorf("tables of %s derived from %q, want %s", g, from, old)
		}
		return index.WriteTables(ctx, g, from)
	}})
	cur, _ := gen.Current(dir)
	if len(calls) != 1 || calls[0] != cur {
		t.Fatalf("tables written for %v, published %s", calls, cur)
	}
	s, log := openServed(t, dir)
	if !strings.Contains(log, `msg="facet table read"`) || s.All.Total != 6 {
		t.Errorf("after the update: %d articles; log:\n%s", s.All.Total, log)
	}
	// The old generation's tables in the new one: refused, and rebuilt.
	for _, f := range []string{facet.File, sgst.File} {
		b, err := os.ReadFile(filepath.Join(old, f))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(cur, f), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	stale, log := openServed(t, dir)
	if !strings.Contains(log, "stale") || !strings.Contains(log, `msg="facet table built"`) {
		t.Errorf("stale tables were not refused:\n%s", log)
	}
	if !reflect.DeepEqual(stale, s) {
		t.Errorf("with stale tables:\n%+v\nwant\n%+v", stale, s)
	}
}

// A served generation's tables are mapped, not read into the process's
// own memory, and unmapped when it is swapped out and closed: a searchd
// that serves update after update holds the pages of one generation's
// tables (and keeps no deleted generation's files on disk).
func TestTablesMappedWhileServed(t *testing.T) {
	mapped := func() string {
		b, err := os.ReadFile("/proc/self/maps")
		if err != nil {
			t.Skip("no /proc/self/maps to see mappings in:", err)
		}
		return string(b)
	}
	mapped()
	articles := indextest.Corpus(t, nil)
	dir := filepath.Join(t.TempDir(), "index")
	cfg := gen.Config{Articles: articles, Index: dir}
	indextest.Update(t, cfg)
	old, _ := gen.Current(dir)
	ix, err := index.Open(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	for _, f := range []string{facet.File, sgst.File} {
		if !strings.Contains(mapped(), filepath.Join(old, f)) {
			t.Errorf("%s of the served generation is not mapped", f)
		}
	}
	indextest.WriteFile(t, filepath.Join(articles, "extra.txt"),
		"Shymkent summit\n\nSHYMKENT, July 3 (Xinhua) -- Leaders of the SCO met in Shymkent on Thursday.\n")
	indextest.Update(t, cfg)
	if swapped, err := ix.Reload(); err != nil || !swapped {
		t.Fatalf("Reload = %v, %v; want a swap", swapped, err)
	}
	cur, _ := gen.Current(dir)
	// The old generation closes in the background, once its searches end.
	indextest.WaitFor(t, 10*time.Second, "the old generation's tables unmapped", func() bool {
		return !strings.Contains(mapped(), old)
	})
	if !strings.Contains(mapped(), filepath.Join(cur, facet.File)) {
		t.Errorf("%s's facet table not mapped", cur)
	}
	if res := indextest.Search(t, ix, search.Request{Query: "Shymkent"}); res.Total != 1 {
		t.Errorf("Shymkent: %d matches on the new generation, want 1", res.Total)
	}
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	if m := mapped(); strings.Contains(m, dir) {
		t.Errorf("after Close, tables still mapped:\n%s", m)
	}
}
