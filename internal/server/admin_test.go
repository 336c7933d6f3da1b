package server

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/newsfind/newsfind/internal/corpus"
	"github.com/newsfind/newsfind/internal/index"
	"github.com/newsfind/newsfind/internal/index/gen"
	"github.com/newsfind/newsfind/internal/index/indextest"
	"github.com/newsfind/newsfind/internal/search"
	"github.com/newsfind/newsfind/web"
)

const testToken = "s3cret-token"

var _ Store = (*corpus.Corpus)(nil)

// newAdminServer serves a real index of the seeds with the write API on,
// and a result cache, as searchd -articles DIR -admin-token does.
func newAdminServer(t *testing.T, token string) (*httptest.Server, string) {
	t.Helper()
	f := newAdminFixture(t, Config{AdminToken: token})
	return f.ts, f.articles
}

// adminFixture is a server with the write API over a real corpus.
type adminFixture struct {
	ts              *httptest.Server
	articles, index string
}

// newAdminFixture serves the seeds' folder and index with cfg's settings;
// the searcher and store are the real index and corpus, seen through
// wrap when given.
func newAdminFixture(t testing.TB, cfg Config, wrap ...func(search.Searcher, Store) (search.Searcher, Store)) *adminFixture {
	t.Helper()
	f := &adminFixture{articles: indextest.Corpus(t, nil), index: filepath.Join(t.TempDir(), "index")}
	if _, err := gen.Build(context.Background(), gen.Config{Articles: f.articles, Index: f.index}); err != nil {
		t.Fatal(err)
	}
	ix, err := index.Open(f.index, nil, index.WithResultCache(1<<20))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	cfg.Searcher, cfg.Suggester, cfg.Explorer, cfg.Assets = ix, ix, ix, web.Assets
	cfg.Store = corpus.New(corpus.Config{Articles: f.articles, Index: f.index,
		Published: func() error { _, err := ix.Reload(); return err }})
	for _, w := range wrap {
		cfg.Searcher, cfg.Store = w(cfg.Searcher, cfg.Store)
	}
	f.ts = httptest.NewServer(New(cfg))
	t.Cleanup(f.ts.Close)
	return f
}

var holdIndexLock = indextest.HoldLock

func do(t *testing.T, ts *httptest.Server, method, path, token, contentType, body string) (int, map[string]any) {
	t.Helper()
	req, err := http.NewRequest(method, ts.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := ts.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	var v map[string]any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatalf("%s %s: not JSON: %s", method, path, b)
	}
	return resp.StatusCode, v
}

func TestAdminAPIRequiresTheToken(t *testing.T) {
	disabled, _ := newAdminServer(t, "")
	ts, _ := newAdminServer(t, testToken)
	endpoints := []struct{ method, path string }{
		{"POST", "/api/articles?filename=a.txt"}, {"DELETE", "/api/articles/a.txt"},
		{"POST", "/api/admin/reindex"}, {"GET", "/api/admin/status"},
	}
	for _, e := range endpoints {
		if code, body := do(t, disabled, e.method, e.path, testToken, "", "T\n\nB\n"); code != http.StatusForbidden || body["error"] == "" {
			t.Errorf("no token configured: %s %s = %d %v, want 403", e.method, e.path, code, body)
		}
		for _, tok := range []string{"", "wrong", testToken + "x", strings.ToUpper(testToken)} {
			if code, _ := do(t, ts, e.method, e.path, tok, "", "T\n\nB\n"); code != http.StatusUnauthorized {
				t.Errorf("token %q: %s %s = %d, want 401", tok, e.method, e.path, code)
			}
		}
	}
	if code, body := do(t, ts, "GET", "/api/admin/status", testToken, "", ""); code != http.StatusOK || body["articles"] != float64(5) || body["generation"] == "" {
		t.Errorf("status with the token = %d %v", code, body)
	}
}

func TestAdminStatusReportsTheResultCache(t *testing.T) {
	ts, _ := newAdminServer(t, testToken)
	for range 3 {
		do(t, ts, "GET", "/api/search?q=Norov", "", "", "")
	}
	_, body := do(t, ts, "GET", "/api/admin/status", testToken, "", "")
	rc, ok := body["result_cache"].(map[string]any)
	if !ok || rc["hits"] != float64(2) || rc["misses"] != float64(1) || rc["results"] != float64(1) || rc["max_bytes"] != float64(1<<20) {
		t.Errorf("status result_cache = %v; want 1 result, 2 hits, 1 miss, max 1 MiB", body["result_cache"])
	}
}

func TestIngestSearchDelete(t *testing.T) {
	ts, _ := newAdminServer(t, testToken)
	body := "Axolotl sanctuary opens\n\nThe axolotl sanctuary opened on Monday.\n"
	code, res := do(t, ts, "POST", "/api/articles?filename=2024/axolotl.txt", testToken, "text/plain", body)
	if code != http.StatusCreated || res["id"] != "2024/axolotl.txt" || res["searchable"] != true {
		t.Fatalf("ingest = %d %v", code, res)
	}
	if r := search_(t, ts, url.Values{"q": {"axolotl"}}); r.Total != 1 || r.Hits[0].ID != "2024/axolotl.txt" {
		t.Errorf("search right after ingest = %+v", r)
	}
	if code, _ := do(t, ts, "POST", "/api/articles?filename=2024/axolotl.txt", testToken, "text/plain", "Other\n\nSomething else.\n"); code != http.StatusConflict {
		t.Errorf("different article under the same name = %d, want 409", code)
	}
	if code, _ := do(t, ts, "POST", "/api/articles?filename=2024/axolotl.txt", testToken, "text/plain", body); code != http.StatusCreated {
		t.Errorf("the same article again = %d, want 201 (idempotent)", code)
	}
	for _, bad := range []string{"", "?filename=../x.txt", "?filename=x.exe"} {
		if code, res := do(t, ts, "POST", "/api/articles"+bad, testToken, "text/plain", body); code != http.StatusBadRequest || res["error"] == "" {
			t.Errorf("POST /api/articles%s = %d %v, want 400", bad, code, res)
		}
	}
	if code, _ := do(t, ts, "POST", "/api/articles?filename=big.txt", testToken, "text/plain", "T\n\n"+strings.Repeat("x", DefaultMaxIngestBytes)); code != http.StatusRequestEntityTooLarge {
		t.Errorf("oversized article = %d, want 413", code)
	}
	if code, _ := do(t, ts, "DELETE", "/api/articles/2024/axolotl.txt", testToken, "", ""); code != http.StatusOK {
		t.Errorf("delete = %d", code)
	}
	if r := search_(t, ts, url.Values{"q": {"axolotl"}}); r.Total != 0 {
		t.Errorf("deleted article still found: %+v", r.Hits)
	}
	if code, _ := do(t, ts, "DELETE", "/api/articles/2024/axolotl.txt", testToken, "", ""); code != http.StatusNotFound {
		t.Errorf("delete again = %d, want 404", code)
	}
}

func TestReindexEndpoint(t *testing.T) {
	ts, _ := newAdminServer(t, testToken)
	code, res := do(t, ts, "POST", "/api/admin/reindex", testToken, "", "")
	if code != http.StatusAccepted || res["rebuilding"] != true {
		t.Fatalf("reindex = %d %v", code, res)
	}
	// Searches keep working while it runs and after; the status tells when
	// it is done.
	deadline := time.Now().Add(30 * time.Second)
	for {
		if r := search_(t, ts, url.Values{"q": {"SCO"}}); r.Total != 5 {
			t.Fatalf("during rebuild: total %d", r.Total)
		}
		_, st := do(t, ts, "GET", "/api/admin/status", testToken, "", "")
		updates, _ := st["updates"].(map[string]any)
		last, _ := updates["last_stats"].(map[string]any)
		if updates["rebuild"] == nil && last["full"] == true {
			if last["added"] != float64(5) {
				t.Errorf("rebuild stats = %v", last)
			}
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("rebuild did not finish: %v", st)
		}
	}
}

func TestIngestJSONArticleWithoutAFileName(t *testing.T) {
	ts, articles := newAdminServer(t, testToken)
	body := `{"title":"Narwhal tusks studied","date":"2024-03-05","source":"Polar Times","body":"Scientists studied narwhal tusks in the Arctic."}`
	code, res := do(t, ts, "POST", "/api/articles", testToken, "application/json", body)
	id, _ := res["id"].(string)
	if code != http.StatusCreated || !strings.HasPrefix(id, "ingest/2024/03/05/narwhal-tusks-studied-") || !strings.HasSuffix(id, ".json") {
		t.Fatalf("ingest = %d %v", code, res)
	}
	r := search_(t, ts, url.Values{"q": {"narwhal"}})
	if r.Total != 1 || r.Hits[0].Source != "Polar Times" || r.Hits[0].Date.Format("2006-01-02") != "2024-03-05" {
		t.Errorf("search after JSON ingest = %+v", r)
	}
	// The same article again lands on the same file: no duplicate.
	if code, res := do(t, ts, "POST", "/api/articles", testToken, "application/json", body); code != http.StatusCreated || res["id"] != id {
		t.Errorf("second ingest = %d %v, want the same id", code, res)
	}
	if r := search_(t, ts, url.Values{"q": {"narwhal"}}); r.Total != 1 {
		t.Errorf("after sending twice: %d hits", r.Total)
	}
	if _, err := os.Stat(filepath.Join(articles, filepath.FromSlash(id))); err != nil {
		t.Errorf("the article file is not in the folder: %v", err)
	}
	if code, _ := do(t, ts, "POST", "/api/articles", testToken, "application/json", `{"title": broken`); code != http.StatusBadRequest {
		t.Errorf("malformed JSON = %d, want 400", code)
	}
}

// An article saved while another update holds the index is accepted, not
// failed: 202 with the success body's shape, saying it is not searchable
// yet.
func TestIngestWhileTheIndexIsBusyIs202(t *testing.T) {
	f := newAdminFixture(t, Config{AdminToken: testToken, RequestTimeout: 100 * time.Millisecond})
	holdIndexLock(t, f.index)
	code, res := do(t, f.ts, "POST", "/api/articles?filename=2024/okapi.txt", testToken, "text/plain",
		"Okapi calf born\n\nAn okapi calf was born at the zoo.\n")
	ids, _ := res["ids"].([]any)
	if code != http.StatusAccepted || res["id"] != "2024/okapi.txt" || len(ids) != 1 || ids[0] != "2024/okapi.txt" ||
		res["searchable"] != false || res["message"] == nil || res["error"] != nil {
		t.Errorf("ingest while the index is busy = %d %v; want 202 with id, ids, searchable false and a message", code, res)
	}
	if _, err := os.Stat(filepath.Join(f.articles, "2024", "okapi.txt")); err != nil {
		t.Errorf("the accepted article is not in the folder: %v", err)
	}
}

// A delete that cannot get the index in time answers 503 and changes
// nothing: the file stays and its article stays searchable.
func TestDeleteWhileTheIndexIsBusyChangesNothing(t *testing.T) {
	f := newAdminFixture(t, Config{AdminToken: testToken, RequestTimeout: 100 * time.Millisecond})
	const id = "001_61ab04e02ec4d748.txt"
	release := holdIndexLock(t, f.index)
	if code, res := do(t, f.ts, "DELETE", "/api/articles/"+id, testToken, "", ""); code != http.StatusServiceUnavailable || res["error"] == nil {
		t.Errorf("delete while the index is busy = %d %v, want 503", code, res)
	}
	if _, err := os.Stat(filepath.Join(f.articles, id)); err != nil {
		t.Errorf("after the 503 the file is gone: %v", err)
	}
	if code, _ := do(t, f.ts, "GET", "/api/articles/"+id, "", "", ""); code != http.StatusOK {
		t.Errorf("after the 503 the article = %d, want it still there", code)
	}
	release()
	if code, res := do(t, f.ts, "DELETE", "/api/articles/"+id, testToken, "", ""); code != http.StatusOK {
		t.Fatalf("delete once the index is free = %d %v", code, res)
	}
	if _, err := os.Stat(filepath.Join(f.articles, id)); !os.IsNotExist(err) {
		t.Errorf("after the delete the file is still there: %v", err)
	}
	if code, _ := do(t, f.ts, "GET", "/api/articles/"+id, "", "", ""); code != http.StatusNotFound {
		t.Errorf("after the delete the article = %d, want 404", code)
	}
}
