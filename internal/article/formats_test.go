package article

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/newsfind/newsfind/internal/search"
)

// want is what a fixture's article must hold; "" and nil fields are
// checked to be empty.
type want struct {
	id, title, date, source, author, url, place, language string
	people, places, orgs                                  []string
	bodyStart, bodyEnd                                    string
	notInBody                                             []string
}

func (w want) check(t *testing.T, a search.Article) {
	t.Helper()
	var date time.Time
	if w.date != "" {
		var err error
		if date, err = time.Parse(time.RFC3339, w.date); err != nil {
			t.Fatal(err)
		}
	}
	got := []string{a.ID, a.Title, a.Source, a.Author, a.URL, a.Place, a.Language}
	exp := []string{w.id, w.title, w.source, w.author, w.url, w.place, w.language}
	_, gotOff := a.Date.Zone()
	_, wantOff := date.Zone()
	if !slices.Equal(got, exp) || !a.Date.Equal(date) || gotOff != wantOff { // the instant and the offset stated
		t.Errorf("got  %q %v\nwant %q %v", got, a.Date, exp, date)
	}
	for _, l := range []struct {
		name      string
		got, want []string
	}{{"people", a.People, w.people}, {"places", a.Places, w.places}, {"organizations", a.Organizations, w.orgs}} {
		if !slices.Equal(l.got, l.want) {
			t.Errorf("%s = %q, want %q", l.name, l.got, l.want)
		}
	}
	if !strings.HasPrefix(a.Body, w.bodyStart) || !strings.HasSuffix(a.Body, w.bodyEnd) {
		t.Errorf("body = %.100q … %q", a.Body, a.Body[max(0, len(a.Body)-100):])
	}
	for _, bad := range w.notInBody {
		if strings.Contains(a.Body, bad) {
			t.Errorf("body holds %q", bad)
		}
	}
	if a.WordCount != len(strings.Fields(a.Body)) || a.Summary == "" && a.Body != "" {
		t.Errorf("word count %d, summary %q", a.WordCount, a.Summary)
	}
}

// pageFurniture is text of the HTML fixtures that is not article text.
var pageFurniture = []string{
	"cookie", "Cookie", "Accept", "Privacy", "Facebook", "Twitter", "Share", "Print", "Related",
	"Comments", "comment", "Most read", "Newsletter", "newsletter", "Sign up", "©", "All rights reserved",
	"Advertisement", "Web editor", "Zhai Jianlan", "Home", "Subscribe", "Read more", "Back to news",
	"last updated", "Topics:", "Published:",
}

// TestHTMLFixtures reads the saved pages of testdata/html: the metadata
// the page states wins, the text keeps no navigation, share bars, related
// links, comments or cookie banners.
func TestHTMLFixtures(t *testing.T) {
	tests := []want{
		{
			id: "xinhua_sco.html", title: "Chinese FM meets SCO chief", date: "2023-04-20T10:34:00+08:00",
			source: "Xinhua", url: "https://english.news.cn/20230420/abc/c.html", place: "Beijing", language: "en",
			people: []string{"Qin Gang", "Zhang Ming", "Xi Jinping"}, places: []string{"Beijing", "China", "Samarkand"},
			orgs:      []string{"Shanghai Cooperation Organization"},
			bodyStart: "BEIJING, April 19 (Xinhua) -- Chinese State Councilor", bodyEnd: "for the work of the secretariat.",
			notInBody: pageFurniture,
		},
		{
			id: "ledger_rates.html", title: "Bank of England holds interest rates at 0.75%", date: "2019-11-07T12:05:00Z",
			source: "The Daily Ledger", author: "Jane Smith", language: "en",
			people:    []string{"Mark Carney", "Sajid Javid", "Jonathan Haskel", "Michael Saunders"},
			places:    []string{"London", "United Kingdom", "United States", "Washington", "Beijing"},
			orgs:      []string{"Bank of England", "Monetary Policy Committee", "International Monetary Fund", "Organisation for Economic Co-operation and Development"},
			bodyStart: "The Bank of England has kept interest rates", bodyEnd: "have also warned of a slowdown.",
			notInBody: append([]string{"By Jane Smith", "House prices", "PoundWatcher"}, pageFurniture...),
		},
		{
			id: "wire_graph.html", title: "UN chief urges restraint as talks resume in Geneva", date: "2021-03-02T00:00:00Z",
			source: "World Wire", author: "Maria Lopez, Tom Becker", place: "Geneva", language: "en",
			people:    []string{"Antonio Guterres", "Tedros Adhanom Ghebreyesus"},
			places:    []string{"Geneva", "Vienna", "Russia", "Turkey", "Iran", "Moscow"},
			orgs:      []string{"United Nations", "World Health Organization", "European Union", "African Union"},
			bodyStart: "GENEVA (World Wire) — United Nations Secretary-General", bodyEnd: `the region was "catastrophic".`,
			notInBody: append([]string{"Ceasefire holds", "morning briefing"}, pageFurniture...),
		},
		{
			// No metadata: the title from <title> and the headings, the date
			// from the "Published:" line, not the later "last updated" one.
			id: "plain_nometa.html", title: "Council approves new tram line", date: "2019-11-12T00:00:00Z", language: "en",
			people:    []string{"Anna Keller"},
			bodyStart: "The city council on Tuesday approved plans", bodyEnd: "the council said.",
			notInBody: pageFurniture,
		},
		{
			// No metadata: the date from the visible byline, the source
			// from the <title> suffix, the title without it.
			id: "wire_byline_nometa.html", title: "Storm batters California coast, closing roads", date: "2001-07-01T09:19:00Z",
			source: "Reuters", author: "Jane Doe", language: "en", places: []string{"California"}, orgs: []string{"National Weather Service"},
			bodyStart: "Heavy rain and high winds", bodyEnd: "while the damage was assessed.",
			notInBody: append([]string{"Reporting by", "June 28", "World News"}, pageFurniture...),
		},
		{
			// No metadata: the date from a <time> element's text, the
			// source and place from the wire dateline.
			id: "wire_time_nometa.html", title: "Storm batters coast", date: "2023-02-26T15:18:59Z",
			source: "Reuters", place: "Santa Cruz", language: "en", places: []string{"California"}, orgs: []string{"National Weather Service"},
			bodyStart: "SANTA CRUZ, Calif., Feb 26 (Reuters) - Heavy rain", bodyEnd: "while the damage was assessed.",
			notInBody: pageFurniture,
		},
	}
	for _, w := range tests {
		t.Run(w.id, func(t *testing.T) {
			f := ReadFile(filepath.Join("testdata", "html"), w.id)
			if f.Err != nil || len(f.Articles) != 1 {
				t.Fatalf("ReadFile = %+v", f)
			}
			w.check(t, f.Articles[0])
		})
	}
}

// TestHTMLMetadataWins checks that JSON-LD beats Open Graph, which beats
// the text: the body's "On February 26, 2021" and "Updated March 3" lose
// to datePublished, and og:title's site suffix is no part of the title.
func TestHTMLMetadataWins(t *testing.T) {
	page := func(head string) []byte {
		return []byte(`<html><head>` + head + `<title>Talks resume | World Wire</title></head><body><article><h1>Talks resume</h1>
<p>On February 26, 2021, envoys met in Moscow to prepare the talks that resumed in Geneva on Tuesday, a diplomat said.</p>
<p>The delegations will meet again next week, according to the organizers of the talks.</p></article></body></html>`)
	}
	tests := []struct {
		head, title, date, source, rule string
	}{
		{`<script type="application/ld+json">{"@type":"NewsArticle","headline":"Talks resume in Geneva","datePublished":"2021-03-02T09:00:00+01:00","publisher":{"name":"World Wire"}}</script>
<meta property="og:title" content="OG title"><meta property="article:published_time" content="2021-03-05">`,
			"Talks resume in Geneva", "2021-03-02T09:00:00+01:00", "World Wire", "json-ld NewsArticle.datePublished"},
		{`<script type="application/ld+json">{"@type":"ReportageNews","headline":"Talks resume &amp; stall","datePublished":"20 avril 2021","author":"https://x.example/me","publisher":"World Wire"}</script>`,
			"Talks resume & stall", "2021-04-20T00:00:00Z", "World Wire", "json-ld ReportageNews.datePublished"},
		{`<meta property="og:title" content="Talks resume | World Wire"><meta property="og:site_name" content="World Wire"><meta property="article:published_time" content="2021-03-05">`,
			"Talks resume", "2021-03-05T00:00:00Z", "World Wire", "meta article:published_time"},
		// Without metadata the title is go-readability's reading of <title>,
		// which keeps a site name it has no way to know is one.
		{`<script type="application/ld+json">{"@type":"NewsArticle","datePublished":"yesterday"}</script>`,
			"Talks resume | World Wire", "2021-02-26T00:00:00Z", "", "first-sentence-date"},
		{`<script type="application/ld+json">{ this is not JSON</script>`,
			"Talks resume | World Wire", "2021-02-26T00:00:00Z", "", "first-sentence-date"},
	}
	for _, tt := range tests {
		drafts, err := htmlParser{}.read("p.html", page(tt.head))
		if err != nil {
			t.Fatal(err)
		}
		a, o := drafts[0].Article, drafts[0].origins
		if a.Title != tt.title || a.Date.Format(time.RFC3339) != tt.date || a.Source != tt.source || o["date"].Rule != tt.rule {
			t.Errorf("head %.60q: got %q %v %q (%s), want %q %s %q (%s)", tt.head, a.Title, a.Date, a.Source, o["date"].Rule, tt.title, tt.date, tt.source, tt.rule)
		}
	}
}

func TestHTMLCharset(t *testing.T) {
	page := []byte("<html><head><meta charset=\"iso-8859-1\"><title>Caf\xe9 prices rise</title></head><body><p>Prices at the caf\xe9 rose by \xa32 on Monday, the owners of the shop said in a statement to the press.</p></body></html>")
	arts, err := Parse("cafe.htm", page)
	if err != nil || len(arts) != 1 {
		t.Fatalf("Parse = %v, %v", arts, err)
	}
	if arts[0].Title != "Café prices rise" || !strings.Contains(arts[0].Body, "café rose by £2") {
		t.Errorf("got %q / %q", arts[0].Title, arts[0].Body)
	}
	if _, err := Parse("empty.html", []byte("<html><body><nav>Home | News</nav></body></html>")); !errors.Is(err, ErrNoTitle) {
		t.Errorf("a page without a title: err %v, want ErrNoTitle", err)
	}
}

// TestJSONFixtures reads the .json and .jsonl fixtures of testdata/json.
func TestJSONFixtures(t *testing.T) {
	dir := filepath.Join("testdata", "json")
	tests := []want{
		{
			// The file's own lists win, under their canonical names, once each.
			id: "sco_export.json", title: "Wang Yi Meets with Outgoing SCO Secretary-General Vladimir Norov",
			date: "2021-12-18T17:10:00+08:00", source: "Ministry of Foreign Affairs of the People's Republic of China",
			author: "Press Office", url: "https://www.fmprc.gov.cn/mfa_eng/wjbxw/202112/t20211218.html", language: "en",
			people:    []string{"Wang Yi", "Vladimir Norov", "Xi Jinping"},
			places:    []string{"Beijing", "Uzbekistan", "China"},
			orgs:      []string{"Shanghai Cooperation Organization", "Communist Party of China"},
			bodyStart: "On December 18, 2021, State Councilor", bodyEnd: "during his tenure.",
			notInBody: []string{"Suggest to a Friend"},
		},
		{
			// An HTML body; no lists, so they are extracted.
			id: "html_body.json", title: "Bank holds rates as Carney warns on growth", date: "2019-11-07T12:05:00Z",
			source: "The Daily Ledger", place: "London", language: "en",
			people: []string{"Mark Carney"}, places: []string{"London"}, orgs: []string{"Bank of England"},
			bodyStart: "LONDON, Nov 7 (Reuters) - The Bank of England", bodyEnd: "global growth had slowed.",
			notInBody: []string{"<p>", "Share this article"},
		},
	}
	for _, w := range tests {
		t.Run(w.id, func(t *testing.T) {
			f := ReadFile(dir, w.id)
			if f.Err != nil || len(f.Articles) != 1 || f.LineErrors != nil {
				t.Fatalf("ReadFile = %+v", f)
			}
			w.check(t, f.Articles[0])
		})
	}
}

// TestJSONLBadLines reads a JSON Lines file with bad lines in the middle:
// the good lines are articles with their line numbers in their IDs, each
// bad one a LineError with its number.
func TestJSONLBadLines(t *testing.T) {
	f := ReadFile(filepath.Join("testdata", "json"), "feed.jsonl")
	if f.Err != nil {
		t.Fatal(f.Err)
	}
	var ids []string
	for _, a := range f.Articles {
		ids = append(ids, a.ID)
	}
	if want := []string{"feed.jsonl#1", "feed.jsonl#2", "feed.jsonl#5", "feed.jsonl#8", "feed.jsonl#9"}; !slices.Equal(ids, want) {
		t.Errorf("IDs %q, want %q", ids, want)
	}
	var lines []int
	for _, err := range f.LineErrors {
		var le *LineError
		if !errors.As(err, &le) || !strings.Contains(err.Error(), "feed.jsonl") {
			t.Errorf("line error %v: want a *LineError naming the file", err)
			continue
		}
		lines = append(lines, le.Line)
	}
	if want := []int{3, 6, 7}; !slices.Equal(lines, want) {
		t.Errorf("bad lines %v, want %v (%v)", lines, want, f.LineErrors)
	}
	if !errors.Is(f.LineErrors[2], ErrNoTitle) {
		t.Errorf("line 7 has no title: %v", f.LineErrors[2])
	}
	byID := map[string]search.Article{}
	for _, a := range f.Articles {
		byID[a.ID] = a
	}
	// Line 2 gives people and an empty list of places: both are kept as
	// given, while its organizations are extracted.
	if a := byID["feed.jsonl#2"]; !slices.Equal(a.People, []string{"Vladimir Norov", "Le Yucheng"}) || a.Places != nil ||
		!slices.Equal(a.Organizations, []string{"Shanghai Cooperation Organization"}) {
		t.Errorf("line 2: people %q places %q orgs %q", a.People, a.Places, a.Organizations)
	}
	// "yesterday" is no date: the first sentence's date is taken instead.
	if a := byID["feed.jsonl#5"]; a.Date.Format(time.DateOnly) != "2021-07-13" || a.Author != "Li Wei" {
		t.Errorf("line 5: date %v author %q", a.Date, a.Author)
	}
	// A number is no date, and nothing else dates line 8 or 9: left empty.
	if a, b := byID["feed.jsonl#8"], byID["feed.jsonl#9"]; !a.Date.IsZero() || !b.Date.IsZero() || b.Source != "SCO Secretariat" {
		t.Errorf("lines 8, 9: dates %v %v source %q, want none and SCO Secretariat", a.Date, b.Date, b.Source)
	}
}

func TestJSONErrors(t *testing.T) {
	tests := []struct {
		id, data string
		want     error
	}{
		{"a.json", `[{"title": "x"}]`, errNotObject},
		{"a.json", `{"title": ""}`, ErrNoTitle},
		{"a.json", `{"title": "x", "body": 3}`, nil},
		{"a.json", "\x00\x01binary", ErrBinary},
		{"a.jsonl", "\n\n", ErrNoTitle},
		{"a.jsonl", "{\n}\n", nil}, // every line bad: an error, no articles
	}
	for _, tt := range tests {
		arts, err := Parse(tt.id, []byte(tt.data))
		if err == nil || tt.want != nil && !errors.Is(err, tt.want) || arts != nil {
			t.Errorf("Parse(%s, %q) = %v, %v; want error %v and no articles", tt.id, tt.data, arts, err, tt.want)
		}
	}
	// A file whose every line is bad is a failed file, not an empty one.
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "bad.jsonl"), []byte("{\n[1]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if f := ReadFile(dir, "bad.jsonl"); f.Err == nil || f.Articles != nil {
		t.Errorf("ReadFile(bad.jsonl) = %+v, want Err", f)
	}
}

// TestExplainGolden compares Explain's output for the fixtures, and for one
// seed, with testdata/golden/explain/*.json: the reviewed record of where
// each field comes from. Run with -update to rewrite them.
func TestExplainGolden(t *testing.T) {
	files := []struct{ root, rel string }{
		{seedsDir, "004_f693d5a72e5eb8f0.txt"},
		{filepath.Join("testdata", "html"), "xinhua_sco.html"},
		{filepath.Join("testdata", "html"), "ledger_rates.html"},
		{filepath.Join("testdata", "html"), "wire_graph.html"},
		{filepath.Join("testdata", "html"), "plain_nometa.html"},
		{filepath.Join("testdata", "json"), "sco_export.json"},
		{filepath.Join("testdata", "json"), "html_body.json"},
		{filepath.Join("testdata", "json"), "feed.jsonl"},
	}
	for _, f := range files {
		t.Run(f.rel, func(t *testing.T) {
			ex, err := Explain(f.root, f.rel)
			if err != nil {
				t.Fatal(err)
			}
			got, err := json.MarshalIndent(ex, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, '\n')
			golden := filepath.Join("testdata", "golden", "explain", f.rel+".json")
			if *update {
				if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("Explain(%s) differs from %s; run go test -update and review the diff", f.rel, golden)
			}
			// Explain tells the same articles as ReadFile.
			rf := ReadFile(f.root, f.rel)
			for i, a := range rf.Articles {
				if i >= len(ex.Articles) || !articlesEqual(a, ex.Articles[i].Article) {
					t.Errorf("article %d: Explain and ReadFile disagree", i)
				}
			}
		})
	}
}

func articlesEqual(a, b search.Article) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return bytes.Equal(x, y)
}

func TestExplainErrors(t *testing.T) {
	if _, err := Explain(seedsDir, "nope.png"); !errors.Is(err, ErrUnsupported) {
		t.Errorf("Explain(png) = %v, want ErrUnsupported", err)
	}
	if _, err := Explain(seedsDir, "missing.txt"); err == nil || !strings.Contains(err.Error(), "missing.txt") {
		t.Errorf("Explain(missing) = %v, want an error naming the file", err)
	}
	if _, err := Explain(seedsDir, "../go.mod.txt"); err == nil {
		t.Error("Explain outside the folder succeeded")
	}
}

func TestPlaceName(t *testing.T) {
	if got := placeName("NEW YORK"); got != "New York" {
		t.Errorf("placeName(NEW YORK) = %q", got)
	}
	if got := placeName("SANTA CRUZ DE LA SIERRA"); got != "Santa Cruz De La Sierra" {
		t.Errorf("placeName = %q", got)
	}
}

func TestTrimSiteName(t *testing.T) {
	if got := trimSiteName("UN chief urges restraint | World Wire", "World Wire"); got != "UN chief urges restraint" {
		t.Errorf("trimSiteName = %q", got)
	}
	if got := trimSiteName("Rock - Paper - Scissors", "Other Site"); got != "Rock - Paper - Scissors" {
		t.Errorf("trimSiteName kept no title: %q", got)
	}
}
