package article

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/newsfind/newsfind/internal/article/summary"
)

// FuzzParse checks that the .txt parser never panics and that whatever it
// accepts comes out as valid, normalized UTF-8 with a consistent word count.
func FuzzParse(f *testing.F) {
	// The seed pages' header and trailer, where the rules live; whole pages
	// would make each minimization of an interesting input take a minute.
	seeds, _ := filepath.Glob(filepath.Join(seedsDir, "*.txt"))
	for _, p := range seeds {
		data, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data[:min(len(data), 400)])
		f.Add(data[max(0, len(data)-300):])
	}
	for _, s := range []string{
		"", "\n", "Title", "Title\n\nBody", "\xff\xfe", "\xfe\xff\x00T", "\xef\xbb\xbf",
		"Home > News\n2021-12-18 17:10\n", " date 2023-04-20 \n", "date 2023-04-20 T\nX) 10:34, April 20, 2023\n",
		"T\n\nBEIJING, Feb 29 (X) -- a\n\nMay 1, 2100", "T\n\nOn Friday, 31 April 2020, x",
		"\x93T\x94\n\n\xa3\x81", "T\r\n\r\nB\u00a0\u2002\u200b", "T\n\nA. (X/Y)\n\n(Web editor: Z)",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		checkParse(t, "fuzz.txt", data)
	})
}

// checkParse parses data as the file id and checks what any reader must
// guarantee of any input: no panic, an error without articles or articles
// whose text is valid, normalized UTF-8 with consistent derived fields.
func checkParse(t *testing.T, id string, data []byte) {
	arts, err := Parse(id, data)
	var bad BadLines
	switch {
	case err != nil && len(arts) == 0:
		return
	case err != nil && !errors.As(err, &bad):
		t.Fatalf("error %v with articles %v", err, arts)
	case len(arts) == 0:
		t.Fatalf("no articles and no error")
	}
	if !strings.HasSuffix(id, ".jsonl") && len(arts) != 1 {
		t.Fatalf("%d articles, want 1", len(arts))
	}
	for _, a := range arts {
		lines := map[string]string{"title": a.Title, "source": a.Source, "author": a.Author, "url": a.URL,
			"place": a.Place, "language": a.Language, "summary": a.Summary}
		for _, list := range [][]string{a.People, a.Places, a.Organizations} {
			seen := map[string]bool{}
			for _, n := range list {
				if n == "" || seen[n] {
					t.Errorf("empty or repeated name in %q", list)
				}
				seen[n] = true
				lines["entity "+n] = n
			}
		}
		for name, s := range lines {
			if !utf8.ValidString(s) {
				t.Errorf("%s is not valid UTF-8: %q", name, s)
			}
			if strings.ContainsAny(s, "\n\r\t") || s != strings.TrimSpace(s) {
				t.Errorf("%s is not one normalized line: %q", name, s)
			}
		}
		if !utf8.ValidString(a.Body) {
			t.Errorf("body is not valid UTF-8")
		}
		if !strings.HasPrefix(a.ID, id) || a.Title == "" || a.WordCount != len(strings.Fields(a.Body)) {
			t.Errorf("article %+v: want ID %s, a title, word count of the body", a, id)
		}
		if strings.Contains(a.Body, "\n\n\n") || a.Body != strings.TrimSpace(a.Body) || strings.ContainsRune(a.Body, '\r') {
			t.Errorf("body has stray line breaks: %q", a.Body)
		}
		if len(a.Summary) > summary.Max+len("…") {
			t.Errorf("summary of %d bytes", len(a.Summary))
		}
		if _, off := a.Date.Zone(); !a.Date.IsZero() && (off < -14*3600 || off > 14*3600 || a.Date.Year() < 1900 || a.Date.Year() > 2100) {
			t.Errorf("date %v is not a plausible date", a.Date)
		}
	}
}

// FuzzParseHTML checks the .html reader on any bytes.
func FuzzParseHTML(f *testing.F) {
	paths, _ := filepath.Glob(filepath.Join("testdata", "html", "*.html"))
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data[:min(len(data), 2000)])
	}
	for _, s := range []string{
		"", "<", "<html", "<title>T</title>", "<meta charset=\"shift_jis\"><title>\x82\xa0</title>",
		`<script type="application/ld+json">{"@graph":[{"@id":"a","@type":"NewsArticle","publisher":{"@id":"a"},"author":{"@id":"a"}}]}</script><title>T</title>`,
		`<script type="application/ld+json">[[[[[[{"@type":"Article","headline":"H","datePublished":"99999-99-99"}]]]]]]</script>`,
		`<meta property="article:published_time" content="yesterday"><title>T</title><p>BEIJING, Feb 30 (X) -- a</p>`,
		"<title>T</title>" + strings.Repeat("<div>", 2000) + "text",
		"\xff\xfe<\x00h\x00",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		checkParse(t, "fuzz.html", data)
	})
}

// FuzzParseJSON checks the .json reader on any bytes.
func FuzzParseJSON(f *testing.F) {
	for _, s := range []string{
		"", "{}", "[]", "null", `{"title":"T"}`, `{"title":"T","date":"2023-04-20T10:34:00+08:00","people":["SCO",""],"author":["a",1]}`,
		`{"title":"T","body":"<p>BEIJING, April 19 (Xinhua) -- Qin said.</p>","date":{"x":1}}`,
		`{"title":"\u0000\ud800","body":"\r\n\r\n"}`, `{"title":"T","places":["(",")","( )"]}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		checkParse(t, "fuzz.json", data)
	})
}

// FuzzParseJSONL checks the .jsonl reader on any bytes, bad lines and all.
func FuzzParseJSONL(f *testing.F) {
	data, err := os.ReadFile(filepath.Join("testdata", "json", "feed.jsonl"))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(data)
	for _, s := range []string{"", "\n", "{\n}", `{"title":"T"}` + "\n[1]\n", "\xef\xbb\xbf{\"title\":\"T\"}\r\n"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		checkParse(t, "fuzz.jsonl", data)
	})
}
