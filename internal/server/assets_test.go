package server

import (
	"bytes"
	"compress/gzip"
	"errors"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/newsfind/newsfind/internal/search/searchtest"
	"github.com/newsfind/newsfind/web"
)

// assetServer is searchd's handler with the real page, and a client that
// sends Accept-Encoding only when told to and never decodes for us.
func assetServer(t *testing.T, files fs.FS) (*httptest.Server, *http.Client) {
	t.Helper()
	ts := httptest.NewServer(New(Config{Searcher: &searchtest.Searcher{}, Assets: files}))
	t.Cleanup(ts.Close)
	tr := ts.Client().Transport.(*http.Transport).Clone()
	tr.DisableCompression = true
	return ts, &http.Client{Transport: tr, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// fetch sends method path with headers (name, value, …) and returns the
// response with its body read.
func fetch(t *testing.T, c *http.Client, ts *httptest.Server, method, path string, headers ...string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, ts.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%s %s: read body: %v", method, path, err)
	}
	return resp, body
}

func gunzip(t *testing.T, b []byte) []byte {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("not gzip: %v", err)
	}
	out, err := io.ReadAll(zr)
	if err != nil {
		t.Fatalf("bad gzip: %v", err)
	}
	return out
}

// The page, its script and its style come gzipped to a client that takes
// gzip and decode to the very bytes of the file; as is to one that does
// not; each with its own ETag, Cache-Control and Vary.
func TestAssetsGzipAndIdentity(t *testing.T) {
	ts, c := assetServer(t, web.Assets)
	for _, tc := range []struct{ path, file, ctype string }{
		{"/", "index.html", "text/html"},
		{"/app.js", "app.js", "text/javascript"},
		{"/style.css", "style.css", "text/css"},
	} {
		want, err := fs.ReadFile(web.Assets, tc.file)
		if err != nil {
			t.Fatal(err)
		}
		zr, zbody := fetch(t, c, ts, "GET", tc.path, "Accept-Encoding", "br, gzip, deflate")
		if zr.StatusCode != http.StatusOK || zr.Header.Get("Content-Encoding") != "gzip" {
			t.Fatalf("%s with gzip accepted: %d, Content-Encoding %q", tc.path, zr.StatusCode, zr.Header.Get("Content-Encoding"))
		}
		if got := gunzip(t, zbody); !bytes.Equal(got, want) {
			t.Errorf("%s: gzipped body decodes to %d bytes, not the file's %d", tc.path, len(got), len(want))
		}
		if len(zbody) >= len(want) {
			t.Errorf("%s: gzipped %d bytes, file %d: not smaller", tc.path, len(zbody), len(want))
		}
		pr, pbody := fetch(t, c, ts, "GET", tc.path)
		if pr.StatusCode != http.StatusOK || pr.Header.Get("Content-Encoding") != "" || !bytes.Equal(pbody, want) {
			t.Errorf("%s without Accept-Encoding: %d, Content-Encoding %q, %d bytes; want the file's %d bytes as is",
				tc.path, pr.StatusCode, pr.Header.Get("Content-Encoding"), len(pbody), len(want))
		}
		for _, r := range []*http.Response{zr, pr} {
			if !strings.HasPrefix(r.Header.Get("Content-Type"), tc.ctype) || r.Header.Get("Vary") != "Accept-Encoding" ||
				r.Header.Get("Cache-Control") != assetCacheControl || r.Header.Get("ETag") == "" ||
				r.Header.Get("Content-Security-Policy") == "" {
				t.Errorf("%s: headers %v; want %s, Vary, Cache-Control, ETag and the security headers", tc.path, r.Header, tc.ctype)
			}
		}
		if zr.Header.Get("ETag") == pr.Header.Get("ETag") {
			t.Errorf("%s: gzipped and plain share ETag %s", tc.path, zr.Header.Get("ETag"))
		}
		if zq, _ := fetch(t, c, ts, "GET", tc.path, "Accept-Encoding", "gzip;q=0, identity"); zq.Header.Get("Content-Encoding") != "" {
			t.Errorf("%s: gzip;q=0 answered with Content-Encoding %q", tc.path, zq.Header.Get("Content-Encoding"))
		}
	}
}

// A client revalidating with the ETag it holds gets a 304 without a body;
// one holding another version gets the file.
func TestAssetsRevalidate(t *testing.T) {
	ts, c := assetServer(t, web.Assets)
	for _, enc := range []string{"gzip", ""} {
		first, _ := fetch(t, c, ts, "GET", "/app.js", "Accept-Encoding", enc)
		etag := first.Header.Get("ETag")
		again, body := fetch(t, c, ts, "GET", "/app.js", "Accept-Encoding", enc, "If-None-Match", etag)
		if again.StatusCode != http.StatusNotModified || len(body) != 0 || again.Header.Get("ETag") != etag {
			t.Errorf("Accept-Encoding %q, If-None-Match %s: %d with %d bytes, ETag %q; want 304, empty, the same ETag",
				enc, etag, again.StatusCode, len(body), again.Header.Get("ETag"))
		}
		stale, body := fetch(t, c, ts, "GET", "/app.js", "Accept-Encoding", enc, "If-None-Match", `"an-older-version"`)
		if stale.StatusCode != http.StatusOK || len(body) == 0 {
			t.Errorf("Accept-Encoding %q, stale If-None-Match: %d with %d bytes; want the file", enc, stale.StatusCode, len(body))
		}
	}
}

// The page has an icon, at the address it names and at the one browsers
// try on their own.
func TestFavicon(t *testing.T) {
	ts, c := assetServer(t, web.Assets)
	want, err := fs.ReadFile(web.Assets, "favicon.svg")
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"/favicon.svg", "/favicon.ico"} {
		resp, body := fetch(t, c, ts, "GET", p)
		if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "image/svg+xml" || !bytes.Equal(body, want) {
			t.Errorf("GET %s: %d, Content-Type %q, %d bytes; want 200, image/svg+xml, the icon", p, resp.StatusCode, resp.Header.Get("Content-Type"), len(body))
		}
	}
	_, page := fetch(t, c, ts, "GET", "/")
	if !bytes.Contains(page, []byte(`rel="icon" href="favicon.svg"`)) {
		t.Error("the page does not name its icon")
	}
}

// Other paths: a missing file is a 404, the page has one address, the
// files are read-only.
func TestAssetsOtherPaths(t *testing.T) {
	ts, c := assetServer(t, web.Assets)
	if resp, _ := fetch(t, c, ts, "GET", "/nope.js"); resp.StatusCode != http.StatusNotFound {
		t.Errorf("GET /nope.js: %d, want 404", resp.StatusCode)
	}
	if resp, _ := fetch(t, c, ts, "GET", "/index.html?q=sco"); resp.StatusCode != http.StatusMovedPermanently || resp.Header.Get("Location") != "/?q=sco" {
		t.Errorf("GET /index.html: %d to %q, want 301 to /?q=sco", resp.StatusCode, resp.Header.Get("Location"))
	}
	if resp, body := fetch(t, c, ts, "HEAD", "/style.css"); resp.StatusCode != http.StatusOK || len(body) != 0 || resp.Header.Get("ETag") == "" {
		t.Errorf("HEAD /style.css: %d, %d bytes, ETag %q", resp.StatusCode, len(body), resp.Header.Get("ETag"))
	}
	if resp, _ := fetch(t, c, ts, "POST", "/app.js"); resp.StatusCode != http.StatusMethodNotAllowed || resp.Header.Get("Allow") != "GET, HEAD" {
		t.Errorf("POST /app.js: %d, Allow %q; want 405, GET, HEAD", resp.StatusCode, resp.Header.Get("Allow"))
	}
}

// A file gzip would not shrink is served as is, without Vary.
func TestAssetsIncompressible(t *testing.T) {
	ts, c := assetServer(t, fstest.MapFS{"index.html": {Data: []byte("<p>hi</p>")}})
	resp, body := fetch(t, c, ts, "GET", "/", "Accept-Encoding", "gzip")
	if resp.Header.Get("Content-Encoding") != "" || resp.Header.Get("Vary") != "" || string(body) != "<p>hi</p>" {
		t.Errorf("tiny page: Content-Encoding %q, Vary %q, body %q; want it as is", resp.Header.Get("Content-Encoding"), resp.Header.Get("Vary"), body)
	}
}

func TestAcceptsGzip(t *testing.T) {
	for _, tc := range []struct {
		header string
		want   bool
	}{
		{"", false},
		{"gzip", true},
		{"GZIP", true},
		{"deflate, gzip;q=1.0, *;q=0.5", true},
		{"x-gzip", true},
		{"*", true},
		{"br", false},
		{"gzip;q=0", false},
		{"gzip;q=0.000", false},
		{"*;q=1, gzip;q=0", false},
		{"identity", false},
		{"gzip;q=nonsense", false},
	} {
		if got := acceptsGzip([]string{tc.header}); got != tc.want {
			t.Errorf("Accept-Encoding %q: %v, want %v", tc.header, got, tc.want)
		}
	}
}

// brokenFS fails every read, as a damaged disk would.
type brokenFS struct{}

func (brokenFS) Open(string) (fs.File, error) { return nil, errors.New("disk on fire") }

// Page files that cannot be read make the page a 500, and the API stays up.
func TestAssetsUnreadable(t *testing.T) {
	ts, c := assetServer(t, brokenFS{})
	if resp, _ := fetch(t, c, ts, "GET", "/app.js"); resp.StatusCode != http.StatusInternalServerError {
		t.Errorf("GET /app.js with unreadable files: %d, want 500", resp.StatusCode)
	}
	if resp, _ := fetch(t, c, ts, "GET", "/healthz"); resp.StatusCode != http.StatusOK {
		t.Errorf("GET /healthz: %d, want the API unaffected", resp.StatusCode)
	}
}
