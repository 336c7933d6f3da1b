package server

import (
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestAbuseIngestNamesAre400 is rows 5 and 8 of issue 17 over HTTP: an
// ingest through a linked folder wrote outside the articles folder, and a
// NUL in the name, a 300-character name and a name under an existing file
// were 500s. Each is now a 400 whose error names the problem, and nothing
// is written outside.
func TestAbuseIngestNamesAre400(t *testing.T) {
	ts, articles := newAdminServer(t, testToken)
	outside := t.TempDir()
	if err := os.Symlink(outside, filepath.Join(articles, "link")); err != nil {
		t.Fatal(err)
	}
	body := "Evil\n\nAn article sent under a hostile name.\n"
	if code, res := do(t, ts, "POST", "/api/articles?filename=existing.txt", testToken, "text/plain", body); code != http.StatusCreated {
		t.Fatalf("ingest existing.txt = %d %v", code, res)
	}
	for name, want := range map[string]string{
		"link/evil.txt":                    "symbolic link",
		"a\x00b.txt":                       "control character",
		strings.Repeat("n", 300) + ".txt":  "byte cap",
		"existing.txt/x.txt":               "not a folder",
		strings.Repeat("d/", 40) + "x.txt": "folders deep",
	} {
		path := "/api/articles?filename=" + url.QueryEscape(name)
		code, res := do(t, ts, "POST", path, testToken, "text/plain", body)
		if msg, _ := res["error"].(string); code != http.StatusBadRequest || !strings.Contains(msg, want) {
			t.Errorf("POST filename=%.40q = %d %v, want 400 with %q", name, code, res, want)
		}
	}
	if left, _ := os.ReadDir(outside); len(left) > 0 {
		t.Errorf("written outside the articles folder: %v", left)
	}
}
