package article

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/newsfind/newsfind/internal/search"
)

func TestParseText(t *testing.T) {
	tests := []struct {
		name, in string
		want     search.Article // ID is filled in; WordCount is checked against Body
	}{
		{"bbc form", "Ad sales boost Time Warner profit\n\nQuarterly profits rose.\n\nThe firm said so.\n",
			search.Article{Title: "Ad sales boost Time Warner profit", Body: "Quarterly profits rose.\n\nThe firm said so.", Summary: "Quarterly profits rose. The firm said so."}},
		{"title only", "Just a headline", search.Article{Title: "Just a headline"}},
		{"title repeated", "Title here\n\nTitle here\n\nBody text.", search.Article{Title: "Title here", Body: "Body text.", Summary: "Body text."}},
		{"breadcrumb, nav and date line", "Contact Us Links 中文\nHOME\u00a0>\u00a0China News\nA Title\n2021-12-18 17:10\n\nOn May 1, 2020, text.\n\n[Suggest to a Friend]",
			search.Article{Title: "A Title", Date: utc(2021, 12, 18, 17, 10), Body: "On May 1, 2020, text.", Summary: "On May 1, 2020, text."}},
		{"date and title on one line, credit, caption, dateline",
			" date 2023-04-20 Chinese FM meets SCO chief\n\nXinhua) 10:34, April 20, 2023\n\nA picture. (Xinhua/Zhai Jianlan)\n\nBEIJING, April 19 (Xinhua) -- Text.\n\n(Web editor: Zhang Kaiwei, Wu Chaolan)",
			search.Article{Title: "Chinese FM meets SCO chief", Date: utc(2023, 4, 20, 10, 34), Source: "Xinhua", Body: "BEIJING, April 19 (Xinhua) -- Text.",
				Place: "Beijing", Places: []string{"Beijing"}, Organizations: []string{"Shanghai Cooperation Organization"}, Summary: "Text."}},
		{"dateline takes its year from elsewhere on the page", "Title\n\nBEIJING, April 19 (Xinhua) -- Text.\n\nA picture taken April 18, 2023. (Xinhua/Li Xin)",
			search.Article{Title: "Title", Date: utc(2023, 4, 19, 0, 0), Source: "Xinhua", Body: "BEIJING, April 19 (Xinhua) -- Text.", Place: "Beijing", Places: []string{"Beijing"}, Summary: "Text."}},
		{"dateline with no year anywhere", "Title\n\nBEIJING, April 19 (Xinhua) -- Text.",
			search.Article{Title: "Title", Source: "Xinhua", Body: "BEIJING, April 19 (Xinhua) -- Text.", Place: "Beijing", Places: []string{"Beijing"}, Summary: "Text."}},
		{"page date wins over the body", "Title\n2020-01-02\n\nOn December 28, 2018, text.",
			search.Article{Title: "Title", Date: utc(2020, 1, 2, 0, 0), Body: "On December 28, 2018, text.", Summary: "On December 28, 2018, text."}},
		{"date later in the body is not the article's", "Title\n\nTalks were held on December 28, 2018.",
			search.Article{Title: "Title", Body: "Talks were held on December 28, 2018.", Summary: "Talks were held on December 28, 2018."}},
		{"agency in a caption is not the source", "Title\n\nA picture. (Xinhua/Zhai Jianlan)\n\nText.",
			search.Article{Title: "Title", Body: "Text.", Summary: "Text."}},
		{"markup in the title is text", "Probe <b>bold</b> title\n\nThe body says <script>alert(1)</script> & more.\n",
			search.Article{Title: "Probe <b>bold</b> title", Body: "The body says <script>alert(1)</script> & more.", Summary: "The body says <script>alert(1)</script> & more."}},
		{"byline", "Title\nBy Jane Smith\n\nText.", search.Article{Title: "Title", Author: "Jane Smith", Body: "Text.", Summary: "Text."}},
		{"whitespace and latin-1", "  Caf\xe9\u00a0 news \n\n\tPrices\u2002rose  \xa35.\r\n", search.Article{Title: "Café news", Body: "Prices rose £5.", Summary: "Prices rose £5."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			arts, err := Parse("a/b.txt", []byte(tt.in))
			if err != nil || len(arts) != 1 {
				t.Fatalf("Parse = %v, %v; want one article", arts, err)
			}
			want := tt.want
			want.ID = "a/b.txt"
			want.Section = "a" // its folder
			want.WordCount = len(strings.Fields(want.Body))
			compareArticles(t, arts[0], want)
		})
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name, id, in string
		want         error
	}{
		{"empty", "x.txt", "", ErrNoTitle},
		{"blank", "x.txt", " \n\u00a0\n\t\n", ErrNoTitle},
		{"navigation only", "x.txt", "Home > China News\n\n<Suggest to a friend>\n", ErrNoTitle},
		{"binary", "x.txt", "\x00\x01\x02\xff\xfe", ErrBinary},
		{"no parser", "photo.png", "not an article", ErrUnsupported},
		{"no extension", "README", "Title\n\nBody", ErrUnsupported},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			arts, err := Parse(tt.id, []byte(tt.in))
			if !errors.Is(err, tt.want) || arts != nil {
				t.Fatalf("Parse = %v, %v; want %v", arts, err, tt.want)
			}
			if !strings.Contains(err.Error(), tt.id) {
				t.Errorf("error %q does not name %s", err, tt.id)
			}
		})
	}
}

func TestParseExtensionIgnoresCase(t *testing.T) {
	for _, id := range []string{"a.TXT", "b.Txt", "dir.d/c.txt"} {
		if arts, err := Parse(id, []byte("Title\n\nBody")); err != nil || len(arts) != 1 || arts[0].ID != id {
			t.Errorf("Parse(%q) = %v, %v", id, arts, err)
		}
	}
}

func TestParseDateIsUTCOrZero(t *testing.T) {
	arts, err := Parse("x.txt", []byte("Title\n\nNothing dated here."))
	if err != nil {
		t.Fatal(err)
	}
	if !arts[0].Date.IsZero() {
		t.Errorf("Date = %v, want the zero time", arts[0].Date)
	}
	arts, err = Parse("x.txt", []byte("Title\n2021-12-18 17:10\n\nText."))
	if err != nil {
		t.Fatal(err)
	}
	if arts[0].Date.Location() != time.UTC {
		t.Errorf("Date location = %v, want UTC", arts[0].Date.Location())
	}
}

// BenchmarkParseSeeds measures parsing the seed pages, the common case.
func BenchmarkParseSeeds(b *testing.B) {
	names, _ := filepath.Glob(filepath.Join(seedsDir, "*.txt"))
	var pages [][]byte
	for _, n := range names {
		data, err := os.ReadFile(n)
		if err != nil {
			b.Fatal(err)
		}
		pages = append(pages, data)
	}
	b.ResetTimer()
	for b.Loop() {
		for _, p := range pages {
			if _, err := Parse("seed.txt", p); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkParseHugeLine measures a 1 MiB one-line body, the worst case for
// the line rules (they look at no more than a line's edges).
func BenchmarkParseHugeLine(b *testing.B) {
	data := []byte("Title\n\nBEIJING " + strings.Repeat("BEIJING (Xinhua/Li) April 20, 2023 ", 1<<20/36))
	for b.Loop() {
		if _, err := Parse("huge.txt", data); err != nil {
			b.Fatal(err)
		}
	}
}

func utc(y int, m time.Month, d, h, mi int) time.Time {
	return time.Date(y, m, d, h, mi, 0, 0, time.UTC)
}

func TestPickDate(t *testing.T) {
	day := utc(2023, 4, 20, 0, 0)
	timed := utc(2023, 4, 20, 10, 34)
	other := utc(2023, 4, 21, 9, 0)
	tests := []struct {
		dates []time.Time
		want  int
	}{
		{nil, -1},
		{[]time.Time{day, timed}, 1}, // same day, the credit adds the time
		{[]time.Time{timed, day}, 0},
		{[]time.Time{day, other}, 0}, // a different day never overrides the first
		{[]time.Time{day, day, timed}, 2},
	}
	for _, tt := range tests {
		var dates []dated
		for _, d := range tt.dates {
			dates = append(dates, dated{t: d})
		}
		if got := pickDate(dates); got != tt.want {
			t.Errorf("pickDate(%v) = %d, want %d", tt.dates, got, tt.want)
		}
	}
	// A date labelled as first published wins over a live page's latest
	// entry; one labelled as an update loses to one that is not.
	latest, first := dated{t: other}, dated{t: day, first: true}
	if got := pickDate([]dated{latest, first}); got != 1 {
		t.Errorf("pickDate(latest, first published) = %d, want 1", got)
	}
	if got := pickDate([]dated{{t: other, updated: true}, {t: day}}); got != 1 {
		t.Errorf("pickDate(updated, published) = %d, want 1", got)
	}
}
