package server

import (
	"context"
	"crypto/sha256"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/newsfind/newsfind/internal/index/indextest"
	"github.com/newsfind/newsfind/internal/search"
	"github.com/newsfind/newsfind/web"
)

// The HTTP API's fuzz targets: whatever a client sends, the answer is never
// a 500, and the work it asks of the index runs under the request's
// deadline and ends by it. `make test` runs each for a few seconds
// (`make fuzz`); `go test` runs their seeds.

// fuzzTimeout is the fuzzed server's RequestTimeout, and fuzzOverrun how
// far past it a call into the index may end before the fuzz target calls
// it unbounded.
const (
	fuzzTimeout = 5 * time.Second
	fuzzOverrun = time.Second
)

// deadlineWatch checks the calls a request makes into the index: each
// must run under a context deadline at most RequestTimeout away, and
// return by that deadline (give or take fuzzOverrun).
type deadlineWatch struct {
	mu      sync.Mutex
	problem string
}

// check records what is wrong with a call of what that started at start
// under ctx and has just returned.
func (d *deadlineWatch) check(ctx context.Context, what string, start time.Time) {
	dl, ok := ctx.Deadline()
	var p string
	switch {
	case !ok:
		p = what + " ran without a deadline"
	case dl.Sub(start) > fuzzTimeout:
		p = fmt.Sprintf("%s ran with a deadline %v away, more than the request timeout %v", what, dl.Sub(start), fuzzTimeout)
	case time.Since(dl) > fuzzOverrun:
		p = fmt.Sprintf("%s returned %v past its deadline", what, time.Since(dl))
	}
	if p != "" {
		d.mu.Lock()
		d.problem = p
		d.mu.Unlock()
	}
}

// take returns the problem recorded since the last take, if any.
func (d *deadlineWatch) take() string {
	d.mu.Lock()
	defer d.mu.Unlock()
	p := d.problem
	d.problem = ""
	return p
}

// watched wraps a searcher and a store so that w checks their calls.
func (d *deadlineWatch) watched(s search.Searcher, st Store) (search.Searcher, Store) {
	return watchedSearcher{s, d}, watchedStore{st, d}
}

type watchedSearcher struct {
	search.Searcher
	watch *deadlineWatch
}

func (s watchedSearcher) Search(ctx context.Context, req search.Request) (search.Result, error) {
	defer s.watch.check(ctx, "search", time.Now())
	return s.Searcher.Search(ctx, req)
}

type watchedSuggester struct {
	search.Suggester
	watch *deadlineWatch
}

func (s watchedSuggester) Suggest(ctx context.Context, req search.SuggestRequest) (search.Suggestions, error) {
	defer s.watch.check(ctx, "suggest", time.Now())
	return s.Suggester.Suggest(ctx, req)
}

type watchedStore struct {
	Store
	watch *deadlineWatch
}

func (s watchedStore) Add(ctx context.Context, name string, data []byte) ([]search.Article, error) {
	defer s.watch.check(ctx, "ingest", time.Now())
	return s.Store.Add(ctx, name, data)
}

// serveFuzz sends r to h and fails t on a 500 or on what watch saw.
func serveFuzz(t *testing.T, h http.Handler, watch *deadlineWatch, r *http.Request) {
	t.Helper()
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	if w.Code >= 500 && w.Code != http.StatusServiceUnavailable {
		t.Fatalf("%s %s?%s = %d %s", r.Method, r.URL.Path, r.URL.RawQuery, w.Code, w.Body)
	}
	if p := watch.take(); p != "" {
		t.Fatalf("%s %s?%s: %s", r.Method, r.URL.Path, r.URL.RawQuery, p)
	}
}

func FuzzSearchQuery(f *testing.F) {
	for _, q := range []string{
		"q=sco", "q=Norov&page=1&size=10", "q=%zz%", "q=bank;size=500", "q=a&q=b",
		"date_from=9999-12-31&date_to=1000-01-01", "date_to=0001-01-01", "date_from=2021-12-18&date_to=2021-07-13",
		"q=wang+AND+(yi+OR+-sco)+%22foreign+minister%22&sort=date&page=1000&size=100",
		"q=title:wang+org:sco+minis*&source=Xinhua&year=2021&month=2021-12&person=Wang+Yi&recency=30",
		"q=goverment&facets=false&cache=false&prefix=false&typo=false",
		"q=" + strings.Repeat("A+", 500) + "%3A", "page=0&size=-1&recency=99999999999999999999&sort=x",
	} {
		f.Add(q, false)
	}
	f.Add("q=wang+y", true)
	f.Add("q=%E2%82&size=20", true)
	var watch deadlineWatch
	ix, _ := indextest.Build(f, indextest.Corpus(f, nil))
	h := New(Config{Searcher: watchedSearcher{ix, &watch}, Suggester: watchedSuggester{ix, &watch}, Assets: web.Assets,
		RequestTimeout: fuzzTimeout, MaxSearches: -1})
	f.Fuzz(func(t *testing.T, rawQuery string, suggest bool) {
		path := "/api/search"
		if suggest {
			path = "/api/suggest"
		}
		r := httptest.NewRequest(http.MethodGet, path, nil)
		r.URL.RawQuery = rawQuery
		serveFuzz(t, h, &watch, r)
	})
}

func FuzzIngest(f *testing.F) {
	f.Add([]byte(`{"title":"Fuzzed","date":"2024-03-05","body":"A body.","people":["Wang Yi"]}`), uint8(0))
	f.Add([]byte(`{"title":"Bad date","date":"not-a-date!!","body":"x"}`), uint8(0))
	f.Add([]byte(`{"title":"x","people":"not a list","date":7}`), uint8(0))
	f.Add([]byte(`[1,2]`), uint8(0))
	f.Add([]byte("{\"title\":\"One\"}\n{\"title\":\"Two\",\"date\":\"x\"}\n{"), uint8(1))
	f.Add([]byte("Headline\n\nBEIJING, April 19 (Xinhua) -- A body.\n"), uint8(2))
	f.Add([]byte("<html><head><title>T</title><script type=\"application/ld+json\">{\"@type\":\"NewsArticle\",\"datePublished\":\"x\"}</script></head><body><p>B</p></body></html>"), uint8(3))
	f.Add([]byte("\xff\xfe\x00"), uint8(2))
	var watch deadlineWatch
	fx := newAdminFixture(f, Config{AdminToken: testToken, RequestTimeout: fuzzTimeout}, watch.watched)
	h := fx.ts.Config.Handler
	exts := []string{"json", "jsonl", "txt", "html"}
	f.Fuzz(func(t *testing.T, body []byte, kind uint8) {
		ext := exts[int(kind)%len(exts)]
		target := "/api/articles"
		if ext != "json" {
			target += fmt.Sprintf("?filename=fuzz/%x.%s", sha256.Sum256(body), ext)
		}
		r := httptest.NewRequest(http.MethodPost, target, strings.NewReader(string(body)))
		r.Header.Set("Authorization", "Bearer "+testToken)
		if ext == "json" {
			r.Header.Set("Content-Type", "application/json")
		}
		serveFuzz(t, h, &watch, r)
	})
}
