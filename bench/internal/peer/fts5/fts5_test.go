package fts5

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/newsfind/newsfind/bench/internal/peer"
)

// create makes an index in a temporary folder, or skips the test when this
// binary has no FTS5.
func create(t *testing.T, cfg Config) *Index {
	t.Helper()
	if cfg.Path == "" {
		cfg.Path = filepath.Join(t.TempDir(), "fts5.db")
	}
	ix, err := Create(context.Background(), cfg)
	if errors.Is(err, ErrNoFTS5) {
		t.Skipf("built without -tags sqlite_fts5: %v", err)
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := ix.Close(); err != nil {
			t.Error(err)
		}
	})
	return ix
}

var docs = []peer.Doc{
	{ID: "dewey", Title: "Editions of the Dewey Decimal Classification", Body: "A history of the classification scheme and its editions.", Source: "JASIS", Date: time.Date(1971, 1, 1, 0, 0, 0, 0, time.UTC)},
	{ID: "use", Title: "Use made of technical libraries", Body: "An analysis of acts of use in technical libraries; library use is one aspect of information use."},
	{ID: "retrieval", Title: "Automatic retrieval", Body: "Retrieving articles automatically from their titles, with <b>markup</b> & ampersands."},
}

func ids(hits []peer.Hit) []string {
	out := make([]string, len(hits))
	for i, h := range hits {
		out[i] = h.ID
	}
	return out
}

func TestSearchRanksAndSnippets(t *testing.T) {
	ix := create(t, Config{BatchSize: 2}) // two transactions for three docs
	ctx := context.Background()
	if err := ix.Add(ctx, docs); err != nil {
		t.Fatal(err)
	}
	if err := ix.Optimize(ctx); err != nil {
		t.Fatal(err)
	}
	hits, err := ix.Search(ctx, Query{Text: "libraries' use?", Snippets: true})
	if err != nil {
		t.Fatal(err)
	}
	if got := ids(hits); !slices.Equal(got, []string{"use"}) {
		t.Fatalf("hits = %v, want [use]", got)
	}
	if !strings.Contains(hits[0].Snippet, "<mark>") || hits[0].Score <= 0 {
		t.Errorf("hit = %+v, want a marked snippet and a positive score", hits[0])
	}

	// Porter stemming: "retrieve" finds "retrieval"; markup is escaped.
	hits, err = ix.Search(ctx, Query{Text: `"retrieve" (markup)`, Snippets: true})
	if err != nil {
		t.Fatal(err)
	}
	if got := ids(hits); !slices.Equal(got, []string{"retrieval"}) {
		t.Fatalf("hits = %v, want [retrieval]", got)
	}
	if s := hits[0].Snippet; strings.Contains(s, "<b>") || !strings.Contains(s, "&lt;b&gt;") {
		t.Errorf("snippet %q is not HTML-escaped", s)
	}
}

func TestTitleWeight(t *testing.T) {
	ix := create(t, Config{})
	ctx := context.Background()
	if err := ix.Add(ctx, []peer.Doc{
		{ID: "in-body", Title: "Other things", Body: "Cataloguing cataloguing rules and more rules about cataloguing."},
		{ID: "in-title", Title: "Cataloguing", Body: "Rules and more rules, for libraries, explained at length here."},
	}); err != nil {
		t.Fatal(err)
	}
	order := func(w Weights) []string {
		hits, err := ix.Search(ctx, Query{Text: "cataloguing", Weights: w})
		if err != nil {
			t.Fatal(err)
		}
		return ids(hits)
	}
	if got := order(Weights{Title: 1, Body: 1}); got[0] != "in-body" {
		t.Errorf("equal weights: %v, want the body with three mentions first", got)
	}
	if got := order(Weights{Title: 10, Body: 1}); got[0] != "in-title" {
		t.Errorf("title weight 10: %v, want the title match first", got)
	}
}

func TestStopWords(t *testing.T) {
	ix := create(t, Config{})
	ctx := context.Background()
	if err := ix.Add(ctx, docs); err != nil {
		t.Fatal(err)
	}
	stop := EnglishStopWords()
	hits, err := ix.Search(ctx, Query{Text: "What is the Dewey classification?", StopWords: stop, Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	if got := ids(hits); !slices.Equal(got, []string{"dewey"}) {
		t.Errorf("with stop words removed: %v, want [dewey]", got)
	}
	hits, err = ix.Search(ctx, Query{Text: "What is the Dewey classification?", Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(ids(hits), "use") {
		t.Errorf("stock: %v, want also the doc that shares only \"is\" with the question", ids(hits))
	}
	if hits, err := ix.Search(ctx, Query{Text: "the of and", StopWords: stop}); err != nil || len(hits) != 0 {
		t.Errorf("only stop words: %v, %v; want no hits and no error", ids(hits), err)
	}
}

// Anything a person types is a valid search.
func TestTypedAnythingIsASearch(t *testing.T) {
	ix := create(t, Config{})
	ctx := context.Background()
	if err := ix.Add(ctx, docs); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		`"unclosed`, "a:b:c", "(DDC, UDC, LC, etc.)", "-", "NEAR(a b)", "AND OR NOT", "title:dewey", "*", "^x",
		"y = a log(x + c) + b", "non-numeric", "don't", "中国", "é", "\x00", "   ", `""`, "'", "{a b}: c", "a - b",
	} {
		if _, err := ix.Search(ctx, Query{Text: q}); err != nil {
			t.Errorf("Search(%q): %v", q, err)
		}
	}
}

func TestCreateRefusesExistingFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "fts5.db")
	create(t, Config{Path: path})
	if _, err := Create(context.Background(), Config{Path: path}); err == nil {
		t.Error("Create over an existing database succeeded")
	}
}

func TestOpenReadsWhatCreateWrote(t *testing.T) {
	path := filepath.Join(t.TempDir(), "fts5.db")
	ix := create(t, Config{Path: path})
	if err := ix.Add(context.Background(), docs); err != nil {
		t.Fatal(err)
	}
	again, err := Open(context.Background(), Config{Path: path})
	if err != nil {
		t.Fatal(err)
	}
	defer again.Close()
	hits, err := again.Search(context.Background(), Query{Text: "dewey"})
	if err != nil || len(hits) != 1 {
		t.Errorf("reopened: %v, %v; want the dewey doc", ids(hits), err)
	}
	if _, err := Open(context.Background(), Config{Path: filepath.Join(t.TempDir(), "none.db")}); err == nil {
		t.Error("Open of a missing file succeeded")
	}
}

func TestMatchExpr(t *testing.T) {
	stop := map[string]bool{"the": true, "of": true}
	for _, tc := range []struct {
		text string
		stop map[string]bool
		want string
	}{
		{"", nil, ""},
		{"dewey", nil, `"dewey"`},
		{`What "problems" (and concerns)?`, nil, `"What" OR "problems" OR "and" OR "concerns"`},
		{"title:dewey non-numeric", nil, `"title" OR "dewey" OR "non" OR "numeric"`},
		{"The use OF the library", stop, `"use" OR "library"`},
		{"the of", stop, ""},
		{"naïve 中国 x2", nil, `"naïve" OR "中国" OR "x2"`},
	} {
		if got := MatchExpr(tc.text, tc.stop); got != tc.want {
			t.Errorf("MatchExpr(%q) = %s, want %s", tc.text, got, tc.want)
		}
	}
}

func TestEnglishStopWords(t *testing.T) {
	stop := EnglishStopWords()
	for _, w := range []string{"the", "what", "of", "yourselves", "not"} {
		if !stop[w] {
			t.Errorf("%q is not a stop word", w)
		}
	}
	if stop["retrieval"] || len(stop) < 150 {
		t.Errorf("unexpected list of %d words", len(stop))
	}
}

// FuzzMatchExpr checks that any text gives an expression FTS5 accepts, when
// FTS5 is compiled in, and that MatchExpr never panics.
func FuzzMatchExpr(f *testing.F) {
	for _, s := range []string{`"a" b`, "NEAR(x", "a:b", "-x", "(", `""""`, "*", "é\u0301", "\uE000"} {
		f.Add(s)
	}
	ix, err := Create(context.Background(), Config{Path: filepath.Join(f.TempDir(), "fuzz.db")})
	if err != nil && !errors.Is(err, ErrNoFTS5) {
		f.Fatal(err)
	}
	if ix != nil {
		defer ix.Close()
		if err := ix.Add(context.Background(), docs); err != nil {
			f.Fatal(err)
		}
	}
	f.Fuzz(func(t *testing.T, text string) {
		expr := MatchExpr(text, nil)
		if strings.Count(expr, `"`)%2 != 0 {
			t.Fatalf("MatchExpr(%q) = %s: unbalanced quotes", text, expr)
		}
		if ix == nil {
			return
		}
		if _, err := ix.Search(context.Background(), Query{Text: text, Limit: 1}); err != nil {
			t.Fatalf("Search(%q) with expression %s: %v", text, expr, err)
		}
	})
}

func BenchmarkSearch(b *testing.B) {
	ix, err := Create(context.Background(), Config{Path: filepath.Join(b.TempDir(), "bench.db")})
	if errors.Is(err, ErrNoFTS5) {
		b.Skipf("built without -tags sqlite_fts5: %v", err)
	}
	if err != nil {
		b.Fatal(err)
	}
	defer ix.Close()
	many := make([]peer.Doc, 0, 3000)
	for i := range 1000 {
		for _, d := range docs {
			d.ID += strconv.Itoa(i)
			many = append(many, d)
		}
	}
	if err := ix.Add(context.Background(), many); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := ix.Search(context.Background(), Query{Text: "use of technical libraries", Limit: 100}); err != nil {
			b.Fatal(err)
		}
	}
}

// A Create that fails leaves no file behind, so a later one can succeed.
func TestFailedCreateLeavesNothing(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bad.db")
	if _, err := Create(context.Background(), Config{Path: path, Tokenizer: "no_such_tokenizer"}); err == nil {
		t.Fatal("Create with an unknown tokenizer succeeded")
	}
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("after a failed Create, stat %s: %v; want no file", path, err)
	}
}
