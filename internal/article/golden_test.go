package article

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/newsfind/newsfind/internal/article/summary"

	"github.com/newsfind/newsfind/internal/search"
)

var update = flag.Bool("update", false, "rewrite testdata/golden/*.json from the parser's output")

// seedsDir holds the seed articles, relative to this package.
const seedsDir = "../../seeds"

// seedNames lists the seed article files; the test fails when there are
// none, so a moved folder cannot make the golden tests pass vacuously.
func seedNames(t *testing.T) []string {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join(seedsDir, "*.txt"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no seed articles in %s (err %v)", seedsDir, err)
	}
	names := make([]string, len(paths))
	for i, p := range paths {
		names[i] = filepath.Base(p)
	}
	return names
}

// TestGolden parses each seed article and compares every field with
// testdata/golden/<seed>.json, the reviewed specification of what the parser
// extracts. Run with -update to rewrite the files, then review the diff.
func TestGolden(t *testing.T) {
	for _, name := range seedNames(t) {
		t.Run(name, func(t *testing.T) {
			f := ReadFile(seedsDir, name)
			if f.Err != nil || f.Unsupported || len(f.Articles) != 1 {
				t.Fatalf("ReadFile = %+v, want one article", f)
			}
			got := f.Articles[0]
			golden := filepath.Join("testdata", "golden", strings.TrimSuffix(name, ".txt")+".json")
			if *update {
				data, err := json.MarshalIndent(got, "", "  ")
				if err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(golden, append(data, '\n'), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			data, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			var want search.Article
			dec := json.NewDecoder(bytes.NewReader(data))
			dec.DisallowUnknownFields()
			if err := dec.Decode(&want); err != nil {
				t.Fatalf("decode %s: %v", golden, err)
			}
			compareArticles(t, got, want)
		})
	}
}

// compareArticles reports each field of got that differs from want.
func compareArticles(t *testing.T, got, want search.Article) {
	t.Helper()
	check := func(field string, g, w any) {
		t.Helper()
		if !reflect.DeepEqual(g, w) {
			t.Errorf("%s = %q, want %q", field, g, w)
		}
	}
	check("ID", got.ID, want.ID)
	check("Title", got.Title, want.Title)
	check("Source", got.Source, want.Source)
	check("Author", got.Author, want.Author)
	check("URL", got.URL, want.URL)
	check("Place", got.Place, want.Place)
	check("Language", got.Language, want.Language)
	check("People", got.People, want.People)
	check("Places", got.Places, want.Places)
	check("Organizations", got.Organizations, want.Organizations)
	check("Summary", got.Summary, want.Summary)
	if !got.Date.Equal(want.Date) || got.Date.Location() != want.Date.Location() {
		t.Errorf("Date = %v, want %v", got.Date, want.Date)
	}
	if got.WordCount != want.WordCount {
		t.Errorf("WordCount = %d, want %d", got.WordCount, want.WordCount)
	}
	if got.Body != want.Body {
		i := 0
		for i < len(got.Body) && i < len(want.Body) && got.Body[i] == want.Body[i] {
			i++
		}
		t.Errorf("Body differs at byte %d:\n got …%q\nwant …%q", i, excerpt(got.Body, i), excerpt(want.Body, i))
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("articles differ:\n got %+v\nwant %+v", got, want)
	}
}

func excerpt(s string, i int) string {
	start := max(0, i-30)
	return strings.ToValidUTF8(s[start:min(len(s), i+50)], "")
}

// TestSeedFacts pins, independently of the golden files, the facts checked
// by hand against each seed, so that a careless -update cannot rewrite the
// specification unnoticed.
func TestSeedFacts(t *testing.T) {
	tests := []struct {
		name, title, date, source string
		words                     int
		bodyStart, bodyEnd        string
	}{
		{"000_1241d62db3b413ea.txt",
			"Wang Yi Meets with Outgoing Secretary-General of the Shanghai Cooperation Organization (SCO) Rashid Alimov",
			"2018-12-28T00:00:00Z", "", 332,
			"On December 28, 2018, State Councilor", "positive role in pushing the greater development of the SCO."},
		{"001_61ab04e02ec4d748.txt",
			"Wang Yi Meets with Outgoing SCO Secretary-General Vladimir Norov",
			"2021-12-18T17:10:00Z", "", 488,
			"On December 18, 2021, State Councilor", "inject new impetus into the development of the organization."},
		{"002_fece085e94c5575a.txt",
			"Wang Yi Puts Forward Four Proposals on Promoting the Development and Growth of the Shanghai Cooperation Organization",
			"2021-07-13T00:00:00Z", "", 479,
			"On July 13, 2021 local time, State Councilor", "to play a bigger role in regional and international affairs."},
		{"003_3154e74442ac04b2.txt",
			"SCO Secretary-General\u2019s meeting with Vice Foreign Minister of China",
			"2019-11-12T00:00:00Z", "", 414,
			"On 12 November 2019, SCO Secretary-General Vladimir Norov met with Vice Minister of Foreign Affairs of China",
			"The meeting took place in a friendly and constructive manner."},
		{"004_f693d5a72e5eb8f0.txt",
			"Chinese FM meets SCO chief",
			"2023-04-20T10:34:00Z", "Xinhua", 250,
			"BEIJING, April 19 (Xinhua) -- Chinese State Councilor", "He thanked China for its strong support for the work of the secretariat."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := readSeed(t, tt.name)
			want, err := time.Parse(time.RFC3339, tt.date)
			if err != nil {
				t.Fatal(err)
			}
			if a.ID != tt.name || a.Title != tt.title || !a.Date.Equal(want) || a.Source != tt.source || a.Author != "" || a.WordCount != tt.words {
				t.Errorf("got id %q title %q date %v source %q author %q words %d\nwant %q %q %v %q \"\" %d",
					a.ID, a.Title, a.Date, a.Source, a.Author, a.WordCount, tt.name, tt.title, want, tt.source, tt.words)
			}
			if !strings.HasPrefix(a.Body, tt.bodyStart) || !strings.HasSuffix(a.Body, tt.bodyEnd) {
				t.Errorf("body = %.80q … %q", a.Body, a.Body[max(0, len(a.Body)-80):])
			}
			for _, bad := range []string{"\u00a0", "\u2002", "  ", "Suggest to a", "Web editor", "Zhai Jianlan", "Home >", "HOME >", "中文", "10:34, April 20"} {
				if strings.Contains(a.Body, bad) {
					t.Errorf("body contains %q", bad)
				}
			}
			if strings.Contains(a.Body, a.Title) {
				t.Errorf("body repeats the title")
			}
		})
	}
}

// TestSeedEntities pins the people, places and organizations of each seed,
// and its dateline place, as checked by hand against the files: most
// mentioned first, ties in order of first mention (the title counts).
func TestSeedEntities(t *testing.T) {
	tests := []struct {
		name                 string
		place                string
		people, places, orgs []string
	}{
		{"000_1241d62db3b413ea.txt", "",
			[]string{"Wang Yi", "Rashid Alimov"},
			[]string{"Qingdao"}, // "the Qingdao Summit"; Zhongnanhai is no city, "Shanghai Spirit" no place
			[]string{"Shanghai Cooperation Organization", "United Nations"}},
		{"001_61ab04e02ec4d748.txt", "",
			[]string{"Vladimir Norov", "Wang Yi", "Xi Jinping"},
			[]string{"China", "Uzbekistan", "Beijing", "Dushanbe"},
			[]string{"Shanghai Cooperation Organization", "Communist Party of China"}},
		{"002_fece085e94c5575a.txt", "",
			[]string{"Wang Yi", "Sirojiddin Muhriddin"},
			[]string{"Dushanbe", "Tajikistan", "China"},
			[]string{"Shanghai Cooperation Organization"}},
		{"003_3154e74442ac04b2.txt", "",
			[]string{"Vladimir Norov", "Le Yucheng"},
			[]string{"China", "Tashkent", "Uzbekistan", "Bishkek"},
			[]string{"Shanghai Cooperation Organization", "Ministry of Foreign Affairs of China", "SCO Consortium of Economic Analytical Centres"}},
		{"004_f693d5a72e5eb8f0.txt", "Beijing",
			[]string{"Qin Gang", "Zhang Ming", "Xi Jinping"}, // not the photographer or the web editors
			[]string{"China", "Beijing", "Samarkand"},
			[]string{"Shanghai Cooperation Organization"}}, // not Xinhua: the source, not a mention
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := readSeed(t, tt.name)
			if a.Place != tt.place || a.Language != "en" || !slices.Equal(a.People, tt.people) || !slices.Equal(a.Places, tt.places) || !slices.Equal(a.Organizations, tt.orgs) {
				t.Errorf("got place %q language %q\npeople %q\nplaces %q\norgs %q\nwant place %q language en\npeople %q\nplaces %q\norgs %q",
					a.Place, a.Language, a.People, a.Places, a.Organizations, tt.place, tt.people, tt.places, tt.orgs)
			}
			if a.Summary == "" || len(a.Summary) > summary.Max || !strings.HasPrefix(a.Body, a.Summary) && !strings.Contains(a.Body, a.Summary) {
				t.Errorf("summary %q is not the body's opening sentence", a.Summary)
			}
		})
	}
}

// readSeed reads the one article of a seed file.
func readSeed(t *testing.T, name string) search.Article {
	t.Helper()
	f := ReadFile(seedsDir, name)
	if f.Err != nil || len(f.Articles) != 1 {
		t.Fatalf("ReadFile = %+v", f)
	}
	return f.Articles[0]
}
