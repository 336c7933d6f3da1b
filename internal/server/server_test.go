package server

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/newsfind/newsfind/internal/index"
	"github.com/newsfind/newsfind/internal/index/engine"
	"github.com/newsfind/newsfind/internal/index/indextest"
	"github.com/newsfind/newsfind/internal/search"
	"github.com/newsfind/newsfind/web"
)

// xssArticle is an extra article whose text carries HTML that must come back
// escaped everywhere it is shown; "xssprobe" finds it.
const xssArticle = "Probe <b>bold</b> headline\n\nThe xssprobe body says <script>alert(1)</script> and <img src=x onerror=alert(2)>.\n"

// newTestServer serves a real index of the seed articles plus xssArticle
// through the real handler, on a loopback port.
func newTestServer(t *testing.T) *httptest.Server {
	t.Helper()
	ix, _ := indextest.Build(t, indextest.Corpus(t, map[string]string{"probe/xss.txt": xssArticle}))
	ts := httptest.NewServer(New(Config{Searcher: ix, Suggester: ix, Explorer: ix, Assets: web.Assets}))
	t.Cleanup(ts.Close)
	return ts
}

// get fetches path and decodes a JSON body into v (when non-nil).
func get(t *testing.T, ts *httptest.Server, path string, v any) *http.Response {
	t.Helper()
	resp, err := ts.Client().Get(ts.URL + path)
	if err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if v != nil {
		if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
			t.Fatalf("GET %s: Content-Type %q, want JSON; body %s", path, ct, body)
		}
		if err := json.Unmarshal(body, v); err != nil {
			t.Fatalf("GET %s: decode %s: %v", path, body, err)
		}
	}
	return resp
}

func search_(t *testing.T, ts *httptest.Server, params url.Values) search.Result {
	t.Helper()
	var res search.Result
	if resp := get(t, ts, "/api/search?"+params.Encode(), &res); resp.StatusCode != http.StatusOK {
		t.Fatalf("search %v: status %d", params, resp.StatusCode)
	}
	return res
}

func TestSearchNorov(t *testing.T) {
	ts := newTestServer(t)
	// Decode loosely too, to pin the JSON field names clients rely on.
	var raw map[string]any
	get(t, ts, "/api/search?q=Norov&page=1&size=10", &raw)
	for _, k := range []string{"query", "total", "took_ms", "page", "size", "hits", "facets"} {
		if _, ok := raw[k]; !ok {
			t.Errorf("response lacks %q: %v", k, raw)
		}
	}
	hit := raw["hits"].([]any)[0].(map[string]any)
	for _, k := range []string{"id", "score", "title", "date", "source", "fragments"} {
		if _, ok := hit[k]; !ok {
			t.Errorf("hit lacks %q: %v", k, hit)
		}
	}

	res := search_(t, ts, url.Values{"q": {"Norov"}})
	if res.Total != 2 || len(res.Hits) != 2 || res.Page != 1 || res.Size != 10 || res.Query != "Norov" {
		t.Fatalf("result = %+v, want the 2 Norov articles", res)
	}
	if !strings.Contains(res.Hits[0].Title, "Norov") {
		t.Errorf("top hit %q should have Norov in its title", res.Hits[0].Title)
	}
	for _, h := range res.Hits {
		if !strings.Contains(strings.Join(h.Fragments["body"], ""), "<mark>Norov</mark>") {
			t.Errorf("%s: body fragments %q lack <mark>Norov</mark>", h.ID, h.Fragments["body"])
		}
	}
	if len(res.Facets["year"]) == 0 {
		t.Errorf("no year facet: %+v", res.Facets)
	}
}

func TestSearchCooperationFindsAllSeeds(t *testing.T) {
	ts := newTestServer(t)
	res := search_(t, ts, url.Values{"q": {"cooperation"}})
	if res.Total != 5 {
		t.Errorf("total = %d, want the 5 seed articles", res.Total)
	}
	for i, h := range res.Hits {
		if len(h.Fragments["body"]) == 0 || !strings.Contains(strings.Join(h.Fragments["body"], ""), "<mark>") {
			t.Errorf("hit %d %s: no highlighted body fragment", i, h.ID)
		}
		if i > 0 && h.Score > res.Hits[i-1].Score {
			t.Errorf("hits not ranked: %v after %v", h.Score, res.Hits[i-1].Score)
		}
	}
}

func TestSearchEscapesArticleHTML(t *testing.T) {
	ts := newTestServer(t)
	res := search_(t, ts, url.Values{"q": {"xssprobe"}})
	if len(res.Hits) != 1 {
		t.Fatalf("hits = %+v, want the probe article", res.Hits)
	}
	// Title and source are plain text (the page inserts them as text);
	// fragments are HTML: escaped, with only <mark> as markup.
	if !strings.Contains(res.Hits[0].Title, "<b>bold</b>") {
		t.Errorf("title = %q, want the plain text", res.Hits[0].Title)
	}
	for field, frags := range res.Hits[0].Fragments {
		for _, f := range frags {
			if strings.Contains(strings.NewReplacer("<mark>", "", "</mark>", "").Replace(f), "<") {
				t.Errorf("%s fragment carries markup other than <mark>: %q", field, f)
			}
		}
	}
	frag := strings.Join(res.Hits[0].Fragments["body"], "")
	if !strings.Contains(frag, "&lt;script&gt;alert(1)&lt;/script&gt;") || !strings.Contains(frag, "<mark>xssprobe</mark>") {
		t.Errorf("body fragment = %q, want escaped script and marked term", frag)
	}
}

func TestTypedAnythingIsA200(t *testing.T) {
	ts := newTestServer(t)
	tests := []struct {
		q        string
		wantSome bool
	}{
		{"what did Wang Yi say?", true},
		{"SCO (Shanghai", true},
		{"a:b:c", false},
		{`"unclosed`, false},
		{`"Shanghai Spirit`, true},
		{"foo:", false},
		{"-", true}, // a lone minus excludes nothing: every article
		{"10:30", false},
		{"/", true},
		{"~", true},
		{"title:", false},
		{"<script>alert(1)</script>", false},
		{"%", true},
		{"中国", false},
	}
	for _, tt := range tests {
		res := search_(t, ts, url.Values{"q": {tt.q}})
		if tt.wantSome && res.Total == 0 {
			t.Errorf("q=%q: no results", tt.q)
		}
	}
}

func TestSearchSyntax(t *testing.T) {
	ts := newTestServer(t)
	count := func(q string, extra ...string) uint64 {
		p := url.Values{"q": {q}}
		for i := 0; i+1 < len(extra); i += 2 {
			p.Add(extra[i], extra[i+1])
		}
		return search_(t, ts, p).Total
	}
	for _, tt := range []struct {
		q     string
		extra []string
		want  uint64
	}{
		{q: "Norov", want: 2},
		{q: `"four proposals"`, want: 1},
		{q: "Norov -Tashkent", want: 1},
		{q: "title:Norov", want: 1},
		{q: "source:Xinhua", want: 1},
		{q: "SCO", extra: []string{"year", "2021"}, want: 2},
		{q: "SCO", extra: []string{"year", "2021", "year", "2023"}, want: 3},
		{q: "SCO", extra: []string{"source", "Xinhua"}, want: 1},
		{q: "SCO", extra: []string{"date_from", "2021-07-13", "date_to", "2021-12-18"}, want: 2},
	} {
		if got := count(tt.q, tt.extra...); got != tt.want {
			t.Errorf("q=%q %v: total %d, want %d", tt.q, tt.extra, got, tt.want)
		}
	}
}

func TestEmptyQueryIsNewestFirst(t *testing.T) {
	ts := newTestServer(t)
	res := search_(t, ts, url.Values{"q": {""}})
	if res.Total != 6 {
		t.Fatalf("total = %d, want all 6 articles", res.Total)
	}
	for i := 1; i < len(res.Hits); i++ {
		if res.Hits[i].Date.After(res.Hits[i-1].Date) {
			t.Errorf("hit %d (%v) is newer than hit %d (%v)", i, res.Hits[i].Date, i-1, res.Hits[i-1].Date)
		}
	}
}

func TestBadRequestsAre400WithAMessage(t *testing.T) {
	ts := newTestServer(t)
	for _, q := range []string{
		"size=101", "size=0", "size=-3", "size=ten", "page=0", "page=1001", "page=x",
		"sort=best", "year=20x1", "date_from=2021-13-01", "date_to=yesterday",
		"date_from=2022-01-01&date_to=2021-01-01", "recency=-5", "recency=soon", "recency=99999",
	} {
		var body map[string]string
		resp := get(t, ts, "/api/search?q=sco&"+q, &body)
		if resp.StatusCode != http.StatusBadRequest || body["error"] == "" {
			t.Errorf("%s: status %d, body %v; want 400 with an error message", q, resp.StatusCode, body)
		}
	}
}

func TestArticleEndpoint(t *testing.T) {
	ts := newTestServer(t)
	var a map[string]any
	resp := get(t, ts, "/api/articles/004_f693d5a72e5eb8f0.txt", &a)
	if resp.StatusCode != http.StatusOK || a["title"] != "Chinese FM meets SCO chief" || a["source"] != "Xinhua" {
		t.Errorf("status %d, article %v", resp.StatusCode, a)
	}
	for _, k := range []string{"id", "title", "date", "body", "word_count"} {
		if _, ok := a[k]; !ok {
			t.Errorf("article lacks %q", k)
		}
	}
	// IDs may contain slashes.
	resp = get(t, ts, "/api/articles/probe/xss.txt", &a)
	if resp.StatusCode != http.StatusOK || !strings.Contains(a["body"].(string), "<script>") {
		t.Errorf("nested ID: status %d, article %v (the API returns plain text; the page escapes it)", resp.StatusCode, a)
	}
	var e map[string]string
	resp = get(t, ts, "/api/articles/no-such-article.txt", &e)
	if resp.StatusCode != http.StatusNotFound || !strings.Contains(e["error"], "not found") {
		t.Errorf("missing article: status %d, body %v", resp.StatusCode, e)
	}
}

func TestRoutes(t *testing.T) {
	ts := newTestServer(t)
	var h map[string]any
	if resp := get(t, ts, "/healthz", &h); resp.StatusCode != http.StatusOK || h["status"] != "ok" || h["articles"] != float64(6) {
		t.Errorf("healthz: %d %v", resp.StatusCode, h)
	}
	var e map[string]string
	if resp := get(t, ts, "/api/nope", &e); resp.StatusCode != http.StatusNotFound || e["error"] == "" {
		t.Errorf("/api/nope: %d %v", resp.StatusCode, e)
	}
	resp, err := ts.Client().Post(ts.URL+"/api/search", "text/plain", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("POST /api/search: %d, want 405", resp.StatusCode)
	}
	page := get(t, ts, "/", nil)
	if page.StatusCode != http.StatusOK || !strings.HasPrefix(page.Header.Get("Content-Type"), "text/html") ||
		page.Header.Get("Content-Security-Policy") == "" {
		t.Errorf("GET /: %d %v", page.StatusCode, page.Header)
	}
}

func TestFacetsCanBeSkipped(t *testing.T) {
	ts := newTestServer(t)
	res := search_(t, ts, url.Values{"q": {"SCO"}, "facets": {"false"}})
	if res.Total != 5 || len(res.Facets["year"])+len(res.Facets["source"]) != 0 {
		t.Errorf("facets=false: total %d, facets %v", res.Total, res.Facets)
	}
	if res := search_(t, ts, url.Values{"q": {"SCO"}}); len(res.Facets["year"]) == 0 {
		t.Errorf("facets by default: %v", res.Facets)
	}
	var e map[string]string
	if resp := get(t, ts, "/api/search?q=sco&facets=maybe", &e); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("facets=maybe: %d", resp.StatusCode)
	}
}

// The last word matches as a prefix unless prefix=false.
func TestPrefixCanBeTurnedOff(t *testing.T) {
	ts := newTestServer(t)
	if res := search_(t, ts, url.Values{"q": {"Shangh"}}); res.Total != 5 {
		t.Errorf("Shangh: total %d, want the 5 seed articles (Shanghai)", res.Total)
	}
	if res := search_(t, ts, url.Values{"q": {"Shangh"}, "prefix": {"false"}}); res.Total != 0 {
		t.Errorf("Shangh with prefix=false: total %d, want 0", res.Total)
	}
}

func TestRepeatedSearchIsCached(t *testing.T) {
	ix, _ := indextest.Build(t, indextest.Corpus(t, nil), index.WithResultCache(1<<20))
	ts := httptest.NewServer(New(Config{Searcher: ix, Assets: web.Assets}))
	t.Cleanup(ts.Close)
	q := url.Values{"q": {"Norov"}}
	if first := search_(t, ts, q); first.Cached || first.Total == 0 {
		t.Fatalf("first search: cached %v, total %d", first.Cached, first.Total)
	}
	if again := search_(t, ts, q); !again.Cached {
		t.Error("repeated search was not answered from the cache")
	}
	q.Set("cache", "false")
	if res := search_(t, ts, q); res.Cached {
		t.Error("cache=false was answered from the cache")
	}
	var e map[string]string
	if resp := get(t, ts, "/api/search?q=sco&cache=maybe", &e); resp.StatusCode != http.StatusBadRequest || !strings.Contains(e["error"], "cache") {
		t.Errorf("cache=maybe: %d %v; want 400 naming the parameter", resp.StatusCode, e)
	}
}

// typo=false searches the words as typed; the answer says how a misspelt
// word is spelt in the archive; a malformed value is a 400 naming it.
func TestTypoParam(t *testing.T) {
	ts := newTestServer(t)
	res := search_(t, ts, url.Values{"q": {"Norvo"}})
	if res.Total != 2 || res.DidYouMean != "Norov" || !res.Corrected {
		t.Errorf("Norvo: total %d, did_you_mean %q, corrected %v; want the 2 Norov articles, corrected", res.Total, res.DidYouMean, res.Corrected)
	}
	var raw map[string]any
	get(t, ts, "/api/search?q=Norvo", &raw)
	if raw["did_you_mean"] != "Norov" {
		t.Errorf("JSON did_you_mean = %v, want Norov", raw["did_you_mean"])
	}
	var plain map[string]any
	get(t, ts, "/api/search?q=Norov", &plain)
	if _, ok := plain["did_you_mean"]; ok {
		t.Errorf("Norov: did_you_mean %v, want it omitted", plain["did_you_mean"])
	}
	res = search_(t, ts, url.Values{"q": {"Norvo"}, "typo": {"false"}})
	if res.Total != 0 || res.DidYouMean != "" {
		t.Errorf("typo=false: total %d, did_you_mean %q; want nothing", res.Total, res.DidYouMean)
	}
	var e map[string]string
	if resp := get(t, ts, "/api/search?q=Norvo&typo=maybe", &e); resp.StatusCode != http.StatusBadRequest || !strings.Contains(e["error"], "typo") {
		t.Errorf("typo=maybe: %d %v; want 400 naming the parameter", resp.StatusCode, e)
	}
}

// Past the exact count (2 here) a search with an excluded phrase answers
// a lower bound
// and facets of a sample, and says so; exact=true counts all; words alone,
// and words with excluded words, are counted exactly; a malformed value is
// a 400 naming the parameter.
func TestExactParam(t *testing.T) {
	ix, _ := indextest.Build(t, indextest.Corpus(t, nil), index.WithEngine(engine.Options{ExactCount: 2}))
	ts := httptest.NewServer(New(Config{Searcher: ix, Assets: web.Assets}))
	t.Cleanup(ts.Close)
	var raw map[string]any
	get(t, ts, "/api/search?q=SCO+cooperation+-%22wombat+koala%22&size=1&cache=false", &raw)
	if raw["total_exact"] != false || raw["total"] != 2.0 || raw["facets_approximate"] != true {
		t.Errorf(`SCO cooperation -"wombat koala": total %v, total_exact %v, facets_approximate %v; want 2, false, true`,
			raw["total"], raw["total_exact"], raw["facets_approximate"])
	}
	res := search_(t, ts, url.Values{"q": {`SCO cooperation -"wombat koala"`}, "exact": {"true"}})
	if !res.TotalExact || res.Total <= 2 || res.FacetsApproximate {
		t.Errorf("exact=true: total %d, total_exact %v, facets_approximate %v; want all, true, false",
			res.Total, res.TotalExact, res.FacetsApproximate)
	}
	// Words alone are counted from their postings' bitmaps, exactly, and
	// their facets are still those of a sample; so are words with excluded
	// words, which take those's bitmaps out.
	for _, q := range []string{"SCO cooperation ", "SCO cooperation -Norov "} {
		all := search_(t, ts, url.Values{"q": {q}, "exact": {"true"}})
		get(t, ts, "/api/search?size=1&cache=false&q="+url.QueryEscape(q), &raw)
		if all.Total <= 2 || raw["total_exact"] != true || raw["total"] != float64(all.Total) || raw["facets_approximate"] != true {
			t.Errorf("%s: total %v, total_exact %v, facets_approximate %v; want %d (more than 2), true, true",
				q, raw["total"], raw["total_exact"], raw["facets_approximate"], all.Total)
		}
	}
	var e map[string]string
	if resp := get(t, ts, "/api/search?q=sco&exact=maybe", &e); resp.StatusCode != http.StatusBadRequest || !strings.Contains(e["error"], "exact") {
		t.Errorf("exact=maybe: %d %v; want 400 naming the parameter", resp.StatusCode, e)
	}
}
