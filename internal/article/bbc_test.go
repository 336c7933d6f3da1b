package article

import (
	"context"
	"os"
	"path"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/newsfind/newsfind/internal/article/furniture"
	"github.com/newsfind/newsfind/internal/article/summary"
	"github.com/newsfind/newsfind/internal/article/textenc"
	"github.com/newsfind/newsfind/internal/article/textnorm"
	"github.com/newsfind/newsfind/internal/entity"
	"github.com/newsfind/newsfind/internal/search"
)

// bbcFiles is the number of articles in the BBC corpus (its README.TXT says
// 2225 documents).
const bbcFiles = 2225

// bbcDir locates the BBC corpus: $NEWSFIND_BBC, else the shared folder
// beside the repository.
func bbcDir(t testing.TB) string {
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
	var articles, dated, sourced, english, withEntities int
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
		text, err := textenc.Decode(raw)
		if err != nil {
			t.Errorf("%s: %v", f.Path, err)
			return nil
		}
		lines := strings.Split(text, "\n")
		var paras []string
		for _, l := range lines[1:] {
			if l = textnorm.Space(l); l != "" {
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
			if rule := furniture.Rule(p); rule != "" {
				t.Errorf("%s: %s boilerplate left in the body: %q", f.Path, rule, p)
			}
		}
		if !utf8.ValidString(a.Title) || !utf8.ValidString(a.Body) || strings.ContainsAny(a.Body, "\r\u00a0\ufffd") {
			t.Errorf("%s: invalid or unnormalized text", f.Path)
		}
		if want := strings.Join(paras, "\n\n"); a.Body != want {
			t.Errorf("%s: body is not the article's paragraphs:\n got %d paragraphs\nwant %d", f.Path, strings.Count(a.Body, "\n\n")+1, len(paras))
		}
		checkBBCDerived(t, f.Path, a)
		if a.Language == "en" {
			english++
		} else {
			t.Logf("%s: language %q", f.Path, a.Language)
		}
		if len(a.People)+len(a.Places)+len(a.Organizations) > 0 {
			withEntities++
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
	t.Logf("%d BBC articles parsed; %d with a date, %d with a source, %d in English, %d with entities",
		articles, dated, sourced, english, withEntities)
	if english != articles {
		t.Errorf("%d of %d articles detected as English, want all", english, articles)
	}
	if withEntities < articles*9/10 {
		t.Errorf("only %d of %d articles have entities", withEntities, articles)
	}
}

// notNameWords are words that start sentences or name times: an "entity"
// holding one as a word of its own was read from a sentence start or a
// date, not from a name.
var notNameWords = map[string]bool{
	"The": true, "But": true, "And": true, "However": true, "Yesterday": true, "Today": true,
	"He": true, "She": true, "It": true, "They": true, "We": true, "This": true, "That": true,
	"January": true, "February": true, "March": true, "April": true, "June": true, "July": true,
	"August": true, "September": true, "October": true, "November": true, "December": true,
	"Monday": true, "Tuesday": true, "Wednesday": true, "Thursday": true, "Friday": true,
	"Saturday": true, "Sunday": true,
}

// checkBBCDerived sanity-checks the fields derived from a BBC article's
// text: people are names of two or more words, none of them a sentence
// opener or a month; the summary is the body's opening.
func checkBBCDerived(t *testing.T, path string, a search.Article) {
	t.Helper()
	for _, p := range a.People {
		words := strings.Fields(p)
		if len(words) < 2 {
			t.Errorf("%s: person %q is one word", path, p)
		}
		for _, w := range words {
			if notNameWords[w] {
				t.Errorf("%s: person %q holds %q", path, p, w)
			}
		}
	}
	for _, list := range [][]string{a.People, a.Places, a.Organizations} {
		for _, n := range list {
			if _, _, known := entity.Default().Canonical(n); known {
				continue // "Sunday Times"
			}
			if first, _, _ := strings.Cut(n, " "); notNameWords[first] {
				t.Errorf("%s: entity %q starts with %q", path, n, first)
			}
		}
	}
	if a.Summary == "" || len(a.Summary) > summary.Max+len("…") ||
		!strings.HasPrefix(a.Body, strings.TrimSuffix(a.Summary, "…")) && !strings.HasPrefix(strings.ReplaceAll(a.Body, "\n\n", " "), strings.TrimSuffix(a.Summary, "…")) {
		t.Errorf("%s: summary %q is not the body's opening", path, a.Summary)
	}
	if a.Place != "" {
		t.Errorf("%s: place %q, but BBC articles have no datelines", path, a.Place)
	}
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
