package server

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/newsfind/newsfind/internal/search"
	"github.com/newsfind/newsfind/internal/search/searchtest"
	"github.com/newsfind/newsfind/web"
)

func TestSimilarEndpoint(t *testing.T) {
	ts := newTestServer(t)
	const seed = "001_61ab04e02ec4d748.txt"
	var res search.Similar
	if resp := get(t, ts, "/api/articles/"+seed+"/similar?size=2", &res); resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d", resp.StatusCode)
	}
	if len(res.Hits) == 0 || len(res.Hits) > 2 {
		t.Fatalf("%d hits, want 1 or 2", len(res.Hits))
	}
	for _, h := range res.Hits {
		if h.ID == seed || h.Title == "" {
			t.Errorf("hit %+v: want another article, with its title", h)
		}
	}
	// An ID with a slash, and the article view's path beside it.
	if resp := get(t, ts, "/api/articles/probe/xss.txt/similar", &res); resp.StatusCode != http.StatusOK || res.Hits == nil {
		t.Errorf("nested ID: status %d, hits %v (want a list, empty or not)", resp.StatusCode, res.Hits)
	}
	for path, want := range map[string]int{
		"/api/articles/" + seed + "/similar?size=21":  http.StatusBadRequest,
		"/api/articles/" + seed + "/similar?size=0":   http.StatusBadRequest,
		"/api/articles/" + seed + "/similar?size=two": http.StatusBadRequest,
		"/api/articles/nope.txt/similar":              http.StatusNotFound,
		"/api/articles//similar":                      http.StatusNotFound,
	} {
		var e map[string]string
		if resp := get(t, ts, path, &e); resp.StatusCode != want || e["error"] == "" {
			t.Errorf("%s: %d %v, want %d with a message", path, resp.StatusCode, e, want)
		}
	}
}

func TestArticleMarksTheSearch(t *testing.T) {
	ts := newTestServer(t)
	var a struct {
		search.Article
		Marked *search.Marked `json:"marked"`
	}
	get(t, ts, "/api/articles/probe/xss.txt?q=xssprobe+bold", &a)
	if a.Marked == nil {
		t.Fatal("no marked text with ?q=")
	}
	if want := "Probe &lt;b&gt;<mark>bold</mark>&lt;/b&gt; headline"; a.Marked.Title != want {
		t.Errorf("marked title %q, want %q", a.Marked.Title, want)
	}
	if b := a.Marked.Body; !strings.Contains(b, "The <mark>xssprobe</mark> body") || strings.Contains(b, "<script>") {
		t.Errorf("marked body %q: want the word marked and the rest escaped", b)
	}
	if a.Body != strings.TrimSpace(strings.SplitN(xssArticle, "\n\n", 2)[1]) {
		t.Errorf("body %q: the plain text stays as it was", a.Body)
	}
	a.Marked = nil
	get(t, ts, "/api/articles/probe/xss.txt", &a)
	if a.Marked != nil {
		t.Errorf("marked %+v without ?q=", a.Marked)
	}
}

// Without an Explorer, articles are served unmarked and similar articles
// are not found; the Explorer's failures map to statuses as searches' do.
func TestExplorerAbsentOrFailing(t *testing.T) {
	art := &searchtest.Searcher{ArticleFn: func(_ context.Context, id string) (search.Article, error) {
		return search.Article{ID: id, Title: "T", Body: "B"}, nil
	}}
	none := httptest.NewServer(New(Config{Searcher: art, Assets: web.Assets}))
	t.Cleanup(none.Close)
	var a map[string]any
	if resp := get(t, none, "/api/articles/a.txt?q=t", &a); resp.StatusCode != http.StatusOK || a["marked"] != nil {
		t.Errorf("no explorer: %d %v, want the article unmarked", resp.StatusCode, a)
	}
	if resp := get(t, none, "/api/articles/a.txt/similar", &a); resp.StatusCode != http.StatusNotFound {
		t.Errorf("no explorer: similar %d, want 404", resp.StatusCode)
	}
	down := httptest.NewServer(New(Config{Searcher: art, Explorer: &searchtest.Explorer{
		SimilarFn: func(context.Context, search.SimilarRequest) (search.Similar, error) {
			return search.Similar{}, search.ErrUnavailable
		},
		MarkFn: func(context.Context, search.Article, string) (search.Marked, error) {
			return search.Marked{}, errors.New("boom")
		},
	}, Assets: web.Assets}))
	t.Cleanup(down.Close)
	if resp := get(t, down, "/api/articles/a.txt/similar", &a); resp.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("similar unavailable: %d, want 503", resp.StatusCode)
	}
	if resp := get(t, down, "/api/articles/a.txt?q=t", &a); resp.StatusCode != http.StatusInternalServerError {
		t.Errorf("mark failing: %d, want 500", resp.StatusCode)
	}
}
