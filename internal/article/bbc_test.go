package article

import (
	"context"
	"os"
	"path"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

// bbcFiles is the number of articles in the BBC corpus (its README.TXT says
// 2225 documents).
const bbcFiles = 2225

// bbcDir locates the BBC corpus: $NEWSFIND_BBC, else the shared folder
// beside the repository.
func bbcDir(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("NEWSFIND_BBC")
	if dir == "" {
		dir = filepath.Join("..", "..", "..", "shared", "corpora", "bbc")
	}
	if info, err := os.Stat(dir); err != nil || !info.IsDir() {
		t.Skipf("BBC corpus not found at %s (set NEWSFIND_BBC to its folder): %v", dir, err)
	}
	return dir
}

// TestBBCCorpus parses every BBC article (title line, blank line, body) and
// checks that the title is the first line and that the body is exactly the
// remaining paragraphs: nothing dropped as boilerplate, nothing repeated.
func TestBBCCorpus(t *testing.T) {
	dir := bbcDir(t)
	var articles, dated, sourced int
	err := Walk(context.Background(), dir, func(f File) error {
		if !strings.Contains(f.Path, "/") {
			return nil // README.TXT at the top describes the corpus
		}
		articles++
		if f.Err != nil || f.Unsupported || len(f.Articles) != 1 {
			t.Errorf("%s: %+v, want one article", f.Path, f)
			return nil
		}
		a := f.Articles[0]
		raw, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(f.Path)))
		if err != nil {
			return err
		}
		text, err := decodeText(raw)
		if err != nil {
			t.Errorf("%s: %v", f.Path, err)
			return nil
		}
		lines := strings.Split(text, "\n")
		var paras []string
		for _, l := range lines[1:] {
			if l = normalizeSpace(l); l != "" {
				paras = append(paras, l)
			}
		}
		if want := strings.Join(strings.Fields(lines[0]), " "); a.Title != want {
			t.Errorf("%s: title %q, want the first line %q", f.Path, a.Title, want)
		}
		if a.ID != f.Path || a.WordCount == 0 || a.WordCount != len(strings.Fields(a.Body)) {
			t.Errorf("%s: id %q, word count %d for a body of %d words", f.Path, a.ID, a.WordCount, len(strings.Fields(a.Body)))
		}
		if strings.HasPrefix(a.Body, a.Title) {
			t.Errorf("%s: body starts with the title", f.Path)
		}
		for _, p := range strings.Split(a.Body, "\n\n") {
			if rule := boilerplate(p); rule != "" {
				t.Errorf("%s: %s boilerplate left in the body: %q", f.Path, rule, p)
			}
		}
		if !utf8.ValidString(a.Title) || !utf8.ValidString(a.Body) || strings.ContainsAny(a.Body, "\r\u00a0\ufffd") {
			t.Errorf("%s: invalid or unnormalized text", f.Path)
		}
		if want := strings.Join(paras, "\n\n"); a.Body != want {
			t.Errorf("%s: body is not the article's paragraphs:\n got %d paragraphs\nwant %d", f.Path, strings.Count(a.Body, "\n\n")+1, len(paras))
		}
		if !a.Date.IsZero() {
			dated++
		}
		if a.Source != "" {
			sourced++
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if articles != bbcFiles {
		t.Errorf("walked %d articles, want %d", articles, bbcFiles)
	}
	t.Logf("%d BBC articles parsed; %d with a date, %d with a source", articles, dated, sourced)
}

// TestBBCLatin1 checks the one BBC file that is not UTF-8: its "£" is a
// Latin-1 byte and must come out as "£", not as invalid UTF-8.
func TestBBCLatin1(t *testing.T) {
	dir := bbcDir(t)
	const rel = "sport/199.txt"
	raw, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(rel)))
	if err != nil {
		t.Fatal(err)
	}
	if utf8.Valid(raw) {
		t.Skipf("%s is valid UTF-8 in this copy of the corpus", rel)
	}
	f := ReadFile(dir, path.Clean(rel))
	if f.Err != nil || !strings.Contains(f.Articles[0].Body, "£") || !utf8.ValidString(f.Articles[0].Body) {
		t.Errorf("ReadFile(%s) = %+v, want a body with £", rel, f)
	}
}
