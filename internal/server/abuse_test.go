package server

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/newsfind/newsfind/internal/index/indextest"
	"github.com/newsfind/newsfind/internal/search"
	"github.com/newsfind/newsfind/internal/search/searchtest"
	"github.com/newsfind/newsfind/web"
)

// The abuse suite: each test is a reproduction from issue 17 that once
// answered wrongly (a 500, a silent drop, a request without bound), named
// by the row.

// rawRequest sends method to path with rawQuery set verbatim, so that a
// malformed query string reaches the server as a client sent it.
func rawRequest(t *testing.T, ts *httptest.Server, method, path, rawQuery string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, ts.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.URL.RawQuery = rawQuery
	resp, err := ts.Client().Do(req)
	if err != nil {
		t.Fatalf("%s %s?%s: %v", method, path, rawQuery, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, body
}

// errorOf returns the "error" of a JSON error body, or the body itself.
func errorOf(body []byte) string {
	var v struct {
		Error string `json:"error"`
	}
	if json.Unmarshal(body, &v) != nil || v.Error == "" {
		return "not a JSON error: " + string(body)
	}
	return v.Error
}

// Row 3: dates outside what the index can represent were a 500 and an
// ERROR line from bleve's date range; 0001-01-01 was taken as "no bound".
func TestAbuseDateFilterRange(t *testing.T) {
	var logs logRecorder
	ix, _ := indextest.Build(t, indextest.Corpus(t, nil))
	ts := httptest.NewServer(New(Config{Searcher: ix, Assets: web.Assets, Log: logs.logger()}))
	t.Cleanup(ts.Close)
	bounds := []string{"1678-01-01", "2261-12-31"}
	for _, c := range []struct {
		query string
		want  []string // in the error message
	}{
		{"date_from=9999-12-31&date_to=1000-01-01", append([]string{"date_from", "9999-12-31"}, bounds...)},
		{"date_from=9999-12-31", bounds},
		{"date_to=1000-01-01", append([]string{"date_to"}, bounds...)},
		{"date_to=0001-01-01", append([]string{"date_to", "0001-01-01"}, bounds...)},
		{"date_from=0001-01-01", bounds},
		{"date_from=2021-12-18&date_to=2021-07-13", []string{"date_to (2021-07-13) is before date_from (2021-12-18)"}},
	} {
		resp, body := rawRequest(t, ts, "GET", "/api/search", "q=&"+c.query)
		msg := errorOf(body)
		if resp.StatusCode != http.StatusBadRequest {
			t.Errorf("%s = %d %s, want 400", c.query, resp.StatusCode, body)
			continue
		}
		for _, w := range c.want {
			if !strings.Contains(msg, w) {
				t.Errorf("%s: error %q does not name %q", c.query, msg, w)
			}
		}
	}
	// The bounds themselves are dates: every article is within them.
	var all, within search.Result
	get(t, ts, "/api/search?q=", &all)
	if resp := get(t, ts, "/api/search?q=&date_from=1678-01-01&date_to=2261-12-31", &within); resp.StatusCode != http.StatusOK || within.Total != all.Total {
		t.Errorf("the widest range = %d with %d articles, want 200 with all %d", resp.StatusCode, within.Total, all.Total)
	}
	for _, r := range logs.records(t) {
		if r["level"] == "ERROR" {
			t.Errorf("logged an error: %v", r)
		}
	}
}

// Row 7: a 7.5 MB ingest was taken (the cap was 8 MiB) and held the index
// lock past the request's deadline.
func TestAbuseIngestBodyCap(t *testing.T) {
	small := newAdminFixture(t, Config{AdminToken: testToken, MaxIngestBytes: 1000}).ts
	ts, _ := newAdminServer(t, testToken)
	for _, c := range []struct {
		ts   *httptest.Server
		size int
		cap  string
	}{
		{small, 1001, "1000 bytes"},
		{ts, DefaultMaxIngestBytes + 1, "2097152 bytes (2 MiB)"},
		{ts, 15 << 19, "2097152 bytes (2 MiB)"}, // the audit's 7.5 MB
	} {
		body := "Big\n\n" + strings.Repeat("word ", c.size/5)
		code, res := do(t, c.ts, "POST", "/api/articles?filename=big.txt", testToken, "text/plain", body)
		if msg, _ := res["error"].(string); code != http.StatusRequestEntityTooLarge || !strings.Contains(msg, c.cap) {
			t.Errorf("%d bytes = %d %v, want 413 naming %s", len(body), code, res, c.cap)
		}
	}
	// A declared Content-Length over the cap is refused unread, so that a
	// client waiting on "Expect: 100-continue" never sends the body.
	declared := httptest.NewRequest("POST", "/api/articles?filename=declared.txt", unreadable{t})
	declared.ContentLength = 15 << 19
	declared.Header.Set("Authorization", "Bearer "+testToken)
	w := httptest.NewRecorder()
	small.Config.Handler.ServeHTTP(w, declared)
	if w.Code != http.StatusRequestEntityTooLarge || !strings.Contains(errorOf(w.Body.Bytes()), "at most 1000 bytes") {
		t.Errorf("Content-Length 7.5 MB = %d %s, want 413 naming the cap", w.Code, w.Body)
	}
	// Without a Content-Length (chunked), the cap is found while reading.
	req, _ := http.NewRequest("POST", small.URL+"/api/articles?filename=chunked.txt", io.NopCloser(strings.NewReader("Chunked\n\n"+strings.Repeat("word ", 400))))
	req.Header.Set("Authorization", "Bearer "+testToken)
	resp, err := small.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusRequestEntityTooLarge || !strings.Contains(errorOf(body), "at most 1000 bytes") || req.ContentLength != 0 {
		t.Errorf("a chunked body over the cap = %d %s (Content-Length %d), want 413 naming the cap", resp.StatusCode, body, req.ContentLength)
	}
	if code, res := do(t, small, "POST", "/api/articles?filename=fits.txt", testToken, "text/plain", "Fits\n\nThe fitting body.\n"); code != http.StatusCreated {
		t.Errorf("a body under the cap = %d %v, want 201", code, res)
	}
}

// unreadable is a request body that fails the test when read.
type unreadable struct{ t *testing.T }

func (u unreadable) Read([]byte) (int, error) {
	u.t.Error("the body of a request declared over the cap was read")
	return 0, io.EOF
}

// names returns a JSON list of n distinct names.
func names(n int) string {
	s := make([]string, n)
	for i := range s {
		s[i] = fmt.Sprintf("%q", fmt.Sprintf("Person %d", i))
	}
	return "[" + strings.Join(s, ",") + "]"
}

// savedFiles lists the article files under dir.
func savedFiles(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(dir, p)
			out = append(out, rel)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// Row 7: an ingest with 700,000 people took 72 s and grew the facet table
// 75 times.
func TestAbuseIngestEntityCap(t *testing.T) {
	f := newAdminFixture(t, Config{AdminToken: testToken})
	before := savedFiles(t, f.articles)
	for _, c := range []struct{ name, body, want string }{
		{"crowd.json", `{"title":"Crowd","body":"A crowd.","people":` + names(MaxIngestEntities+1) + `}`,
			"people lists 201 names; an article may list at most 200"},
		{"many.jsonl", `{"title":"One","body":"Fine."}` + "\n" + `{"title":"Two","body":"Places.","PLACES":` + names(700) + `}`,
			"line 2: places lists 700 names; an article may list at most 200"},
	} {
		code, res := do(t, f.ts, "POST", "/api/articles?filename="+c.name, testToken, "application/json", c.body)
		if msg, _ := res["error"].(string); code != http.StatusBadRequest || !strings.Contains(msg, c.want) {
			t.Errorf("%s = %d %v, want 400 saying %q", c.name, code, res, c.want)
		}
	}
	if after := savedFiles(t, f.articles); len(after) != len(before) {
		t.Errorf("refused articles were saved: %v, was %v", after, before)
	}
	body := `{"title":"Summit","body":"A summit.","organizations":` + names(MaxIngestEntities) + `}`
	if code, res := do(t, f.ts, "POST", "/api/articles?filename=summit.json", testToken, "application/json", body); code != http.StatusCreated {
		t.Errorf("%d organizations = %d %v, want 201", MaxIngestEntities, code, res)
	}
}

// Row 9: a JSON article whose date is not a date was 201, saved undated.
func TestAbuseIngestUnreadableDate(t *testing.T) {
	f := newAdminFixture(t, Config{AdminToken: testToken})
	before := savedFiles(t, f.articles)
	for _, c := range []struct{ query, body, want string }{
		{"", `{"title":"Dateless","date":"not-a-date!!","body":"Undated."}`, `date "not-a-date!!" is not a date`},
		{"?filename=x.json", `{"title":"Numbered","date":20240305,"body":"A number."}`, `date 20240305 is not a date`},
		{"?filename=feed.jsonl", `{"title":"Good","date":"2024-03-05","body":"Fine."}` + "\n\n" + `{"title":"Bad","Date":"yesterday","body":"No."}`,
			`line 3: date "yesterday" is not a date`},
	} {
		code, res := do(t, f.ts, "POST", "/api/articles"+c.query, testToken, "application/json", c.body)
		if msg, _ := res["error"].(string); code != http.StatusBadRequest || !strings.Contains(msg, c.want) || !strings.Contains(msg, "nothing was saved") {
			t.Errorf("%s = %d %v, want 400 saying %q", c.body, code, res, c.want)
		}
	}
	if after := savedFiles(t, f.articles); len(after) != len(before) {
		t.Errorf("refused articles were saved: %v, was %v", after, before)
	}
	for _, body := range []string{
		`{"title":"Dated","date":"2024-03-05","body":"Dated."}`,
		`{"title":"No date","date":"","body":"Left out."}`,
		`{"title":"Null date","date":null,"body":"Left out."}`,
	} {
		if code, res := do(t, f.ts, "POST", "/api/articles", testToken, "application/json", body); code != http.StatusCreated {
			t.Errorf("%s = %d %v, want 201", body, code, res)
		}
	}
}

// Row 11: HEAD was 405 without Allow, and OPTIONS, TRACE and PATCH on the
// page answered 200 with it.
func TestAbuseMethods(t *testing.T) {
	ts := newTestServer(t)
	for _, path := range []string{"/healthz", "/api/search?q=sco", "/api/suggest?q=wa", "/api/articles/001_61ab04e02ec4d748.txt", "/", "/app.js"} {
		req, _ := http.NewRequest(http.MethodHead, ts.URL+path, nil)
		resp, err := ts.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") == "" {
			t.Errorf("HEAD %s = %d (Content-Type %q), want 200 with the GET's headers", path, resp.StatusCode, resp.Header.Get("Content-Type"))
		}
	}
	for _, c := range []struct{ method, path, allow string }{
		{"OPTIONS", "/", "GET, HEAD"},
		{"TRACE", "/", "GET, HEAD"},
		{"PATCH", "/", "GET, HEAD"},
		{"POST", "/index.html", "GET, HEAD"},
		{"POST", "/healthz", "GET, HEAD"},
		{"POST", "/api/search", "GET, HEAD"},
		{"DELETE", "/api/suggest", "GET, HEAD"},
		{"PUT", "/api/articles/a.txt", "GET, HEAD, DELETE"},
		{"GET", "/api/articles", "POST"},
		{"GET", "/api/admin/reindex", "POST"},
	} {
		resp, body := rawRequest(t, ts, c.method, c.path, "")
		if resp.StatusCode != http.StatusMethodNotAllowed || resp.Header.Get("Allow") != c.allow {
			t.Errorf("%s %s = %d Allow %q, want 405 Allow %q", c.method, c.path, resp.StatusCode, resp.Header.Get("Allow"), c.allow)
		}
		if msg := errorOf(body); !strings.Contains(msg, c.method+" is not allowed") {
			t.Errorf("%s %s: error %q", c.method, c.path, msg)
		}
	}
}

// Row 12: a query string that does not parse was dropped silently: 200
// with every article.
func TestAbuseMalformedQueryString(t *testing.T) {
	ix, _ := indextest.Build(t, indextest.Corpus(t, nil))
	ts := httptest.NewServer(New(Config{Searcher: ix, Suggester: ix, Assets: web.Assets}))
	t.Cleanup(ts.Close)
	for _, c := range []struct{ path, query, want string }{
		{"/api/search", "q=%zz%", `invalid URL escape "%zz"`},
		{"/api/search", "q=bank;size=500", "semicolon"},
		{"/api/search", "q=bank&size=5%", `invalid URL escape "%"`},
		{"/api/suggest", "q=%zz", "invalid URL escape"},
		{"/api/articles/001_61ab04e02ec4d748.txt", "x=%", "invalid URL escape"},
	} {
		resp, body := rawRequest(t, ts, "GET", c.path, c.query)
		if msg := errorOf(body); resp.StatusCode != http.StatusBadRequest || !strings.Contains(msg, c.want) || !strings.Contains(msg, "malformed") {
			t.Errorf("%s?%s = %d %s, want 400 saying %s", c.path, c.query, resp.StatusCode, body, c.want)
		}
	}
	if resp, body := rawRequest(t, ts, "GET", "/api/search", "q=bank%3Bsize%3D500"); resp.StatusCode != http.StatusOK {
		t.Errorf("an escaped semicolon = %d %s, want 200", resp.StatusCode, body)
	}
}

// holding returns a fake searcher whose searches for "hold" tell entered
// and wait until release is closed; other searches answer at once.
func holding() (fake *searchtest.Searcher, entered, release chan struct{}) {
	entered, release = make(chan struct{}), make(chan struct{})
	fake = &searchtest.Searcher{SearchFn: func(ctx context.Context, req search.Request) (search.Result, error) {
		if req.Query == "hold" {
			entered <- struct{}{}
			<-release
		}
		return search.Result{Query: req.Query, Hits: []search.Hit{}}, nil
	}}
	return fake, entered, release
}

// A search beyond MaxSearches in flight is answered 503 with Retry-After,
// and the cap frees as searches finish.
func TestAbuseSearchesInFlightCap(t *testing.T) {
	fake, entered, release := holding()
	var logs logRecorder
	ts := newFakeServer(t, fake, Config{MaxSearches: 2, SearchQueueWait: -1, Log: logs.logger()})
	done := make(chan int, 2)
	for range 2 {
		go func() {
			resp, err := ts.Client().Get(ts.URL + "/api/search?q=hold")
			if err != nil {
				done <- 0
				return
			}
			resp.Body.Close()
			done <- resp.StatusCode
		}()
		<-entered
	}
	resp, body := rawRequest(t, ts, "GET", "/api/search", "q=third")
	if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") != "1" || !strings.Contains(errorOf(body), "(2)") {
		t.Errorf("a third search in flight = %d Retry-After %q %s, want 503 Retry-After 1 naming the cap 2",
			resp.StatusCode, resp.Header.Get("Retry-After"), body)
	}
	if code, _ := getJSON(t, ts, "/healthz"); code != http.StatusOK {
		t.Errorf("/healthz while searches are capped = %d, want 200", code)
	}
	for _, r := range logs.records(t) {
		if r["level"] == "ERROR" {
			t.Errorf("a search turned away logged an error: %v", r)
		}
	}
	close(release)
	for range 2 {
		if code := <-done; code != http.StatusOK {
			t.Errorf("a held search = %d, want 200", code)
		}
	}
	if code, body := getJSON(t, ts, "/api/search?q=after"); code != http.StatusOK {
		t.Errorf("a search once the others finished = %d %v, want 200", code, body)
	}
}

// A search over the cap waits for a slot when SearchQueueWait allows.
func TestAbuseSearchWaitsForASlot(t *testing.T) {
	fake, entered, release := holding()
	h := New(Config{Searcher: fake, Assets: web.Assets, MaxSearches: 1, SearchQueueWait: time.Hour})
	done := make(chan int)
	go func() {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest("GET", "/api/search?q=hold", nil))
		done <- w.Code
	}()
	<-entered
	waiting := make(chan int)
	go func() {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest("GET", "/api/search?q=next", nil))
		waiting <- w.Code
	}()
	close(release)
	if code := <-done; code != http.StatusOK {
		t.Errorf("the held search = %d", code)
	}
	if code := <-waiting; code != http.StatusOK {
		t.Errorf("the search that waited for a slot = %d, want 200", code)
	}
}

// Each client of the public API gets RateLimit requests per window, then
// 429 with Retry-After; loopback is exempt unless RateLimitLoopback.
func TestAbuseRateLimit(t *testing.T) {
	fake := &searchtest.Searcher{SearchFn: func(ctx context.Context, req search.Request) (search.Result, error) {
		return search.Result{Query: req.Query, Hits: []search.Hit{}}, nil
	}}
	ts := newFakeServer(t, fake, Config{RateLimit: 3, RateWindow: time.Hour, RateLimitLoopback: true})
	for i := range 3 {
		if code, body := getJSON(t, ts, fmt.Sprintf("/api/search?q=%d", i)); code != http.StatusOK {
			t.Fatalf("request %d = %d %v", i+1, code, body)
		}
	}
	resp, body := rawRequest(t, ts, "GET", "/api/search", "q=4")
	if resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") != "3600" || !strings.Contains(errorOf(body), "at most 3 per 1h0m0s") {
		t.Errorf("request 4 = %d Retry-After %q %s, want 429 Retry-After 3600 naming the limit", resp.StatusCode, resp.Header.Get("Retry-After"), body)
	}
	if resp, _ := rawRequest(t, ts, "GET", "/api/suggest", "q=wa"); resp.StatusCode != http.StatusTooManyRequests {
		t.Errorf("suggest past the limit = %d, want 429: the public API shares one budget", resp.StatusCode)
	}
	for _, path := range []string{"/healthz", "/"} {
		if resp, _ := rawRequest(t, ts, "GET", path, ""); resp.StatusCode != http.StatusOK {
			t.Errorf("GET %s past the API's limit = %d, want 200: only the API is limited", path, resp.StatusCode)
		}
	}

	// Loopback is exempt by default; other addresses are not, each with its own budget.
	h := New(Config{Searcher: fake, Assets: web.Assets, RateLimit: 1, RateWindow: time.Hour})
	status := func(remote string) int {
		r := httptest.NewRequest("GET", "/api/search?q=x", nil)
		r.RemoteAddr = remote
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		return w.Code
	}
	for range 3 {
		if code := status("127.0.0.1:5000"); code != http.StatusOK {
			t.Errorf("loopback = %d, want 200: exempt by default", code)
		}
		if code := status("[::1]:5000"); code != http.StatusOK {
			t.Errorf("IPv6 loopback = %d, want 200: exempt by default", code)
		}
	}
	if a, b, other := status("203.0.113.7:5000"), status("203.0.113.7:5001"), status("198.51.100.2:5000"); a != http.StatusOK || b != http.StatusTooManyRequests || other != http.StatusOK {
		t.Errorf("one client twice, then another = %d, %d, %d; want 200, 429, 200", a, b, other)
	}
}

// The rate limit keys a client by its connection's address, an IPv6
// client by its /64 (one host's addresses share a budget).
func TestRateLimitKeysByPeerAddress(t *testing.T) {
	key := func(addr string) string {
		r := httptest.NewRequest(http.MethodGet, "/api/search", nil)
		r.RemoteAddr = addr
		r.Header.Set("X-Forwarded-For", "203.0.113.9") // never trusted
		k, err := clientKey(r)
		if err != nil {
			t.Fatal(err)
		}
		return k
	}
	if a, b := key("198.51.100.7:1234"), key("198.51.100.7:5678"); a != b || a != "198.51.100.7" {
		t.Errorf("one IPv4 client: keys %q and %q", a, b)
	}
	if key("198.51.100.7:1") == key("198.51.100.8:1") {
		t.Error("two IPv4 clients share a key")
	}
	if a, b := key("[2001:db8:1:2::1]:1"), key("[2001:db8:1:2:ffff::9]:2"); a != b {
		t.Errorf("one IPv6 /64: keys %q and %q", a, b)
	}
	if key("[2001:db8:1:2::1]:1") == key("[2001:db8:1:3::1]:1") {
		t.Error("two IPv6 /64s share a key")
	}
	if key("[::ffff:198.51.100.7]:1") != "198.51.100.7" {
		t.Error("an IPv4-mapped address is not keyed as its IPv4 address")
	}
}

// countingLoad is a Load that counts the searches running, and says it
// lent lent cores.
type countingLoad struct {
	n       atomic.Int64
	lent    uint64
	entered chan int64 // when set, told the count after each Enter
}

func (l *countingLoad) Lent() uint64 { return l.lent }

func (l *countingLoad) Enter() {
	n := l.n.Add(1)
	if l.entered != nil {
		l.entered <- n
	}
}
func (l *countingLoad) Leave() { l.n.Add(-1) }

// Load counts the searches running: a search turned away by the cap
// leaves the count as it is answered, and every search leaves.
func TestSearchesRunningAreCounted(t *testing.T) {
	var load countingLoad
	entered, release := make(chan int64), make(chan struct{})
	fake := &searchtest.Searcher{SearchFn: func(ctx context.Context, req search.Request) (search.Result, error) {
		if req.Query == "hold" {
			entered <- load.n.Load()
			<-release
		}
		return search.Result{Query: req.Query, Hits: []search.Hit{}}, nil
	}}
	h := New(Config{Searcher: fake, Assets: web.Assets, MaxSearches: 1, SearchQueueWait: -1, Load: &load})
	done := make(chan int)
	go func() {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest("GET", "/api/search?q=hold", nil))
		done <- w.Code
	}()
	if n := <-entered; n != 1 {
		t.Errorf("one search running counted as %d", n)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest("GET", "/api/search?q=turned+away", nil))
	if w.Code != http.StatusServiceUnavailable || load.n.Load() != 1 {
		t.Errorf("a search over the cap = %d, %d counted; want 503 and still 1", w.Code, load.n.Load())
	}
	close(release)
	if code := <-done; code != http.StatusOK {
		t.Errorf("the held search = %d", code)
	}
	if n := load.n.Load(); n != 0 {
		t.Errorf("%d searches counted once all ended", n)
	}
}

// Load counts a search from its arrival: one waiting for a slot counts,
// so that no core is lent while searches wait their turn for one.
func TestSearchesWaitingAreCounted(t *testing.T) {
	load := countingLoad{entered: make(chan int64, 2)}
	fake, entered, release := holding()
	h := New(Config{Searcher: fake, Assets: web.Assets, MaxSearches: 1, SearchQueueWait: time.Hour, Load: &load})
	codes := make(chan int, 2)
	search := func(q string) {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest("GET", "/api/search?q="+q, nil))
		codes <- w.Code
	}
	go search("hold")
	<-entered
	if n := <-load.entered; n != 1 {
		t.Errorf("one search running counted as %d", n)
	}
	go search("waiting")
	select {
	case n := <-load.entered:
		if n != 2 {
			t.Errorf("a search waiting for a slot counted as %d of 2", n)
		}
	case <-time.After(10 * time.Second):
		t.Error("a search waiting for a slot was not counted")
	}
	close(release)
	for range 2 {
		if code := <-codes; code != http.StatusOK {
			t.Errorf("a search = %d, want 200", code)
		}
	}
	if n := load.n.Load(); n != 0 {
		t.Errorf("%d searches counted once all ended", n)
	}
}
