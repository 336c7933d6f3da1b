package article

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
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
		arts, err := Parse("fuzz.txt", data)
		if err != nil {
			if arts != nil {
				t.Errorf("error %v with articles %v", err, arts)
			}
			return
		}
		if len(arts) != 1 {
			t.Fatalf("%d articles, want 1", len(arts))
		}
		a := arts[0]
		for name, s := range map[string]string{"title": a.Title, "source": a.Source, "author": a.Author, "body": a.Body} {
			if !utf8.ValidString(s) {
				t.Errorf("%s is not valid UTF-8: %q", name, s)
			}
			if name != "body" && (strings.ContainsAny(s, "\n\r\t") || s != strings.TrimSpace(s)) {
				t.Errorf("%s is not one normalized line: %q", name, s)
			}
		}
		if a.ID != "fuzz.txt" || a.Title == "" || a.WordCount != len(strings.Fields(a.Body)) {
			t.Errorf("article %+v: want ID fuzz.txt, a title, word count of the body", a)
		}
		if strings.Contains(a.Body, "\n\n\n") || a.Body != strings.TrimSpace(a.Body) || strings.ContainsRune(a.Body, '\r') {
			t.Errorf("body has stray line breaks: %q", a.Body)
		}
		if !a.Date.IsZero() && a.Date.Location() != time.UTC {
			t.Errorf("date %v is not UTC", a.Date)
		}
	})
}
