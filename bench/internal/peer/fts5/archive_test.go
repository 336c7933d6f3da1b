package fts5

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/newsfind/newsfind/bench/internal/peer"
	"github.com/newsfind/newsfind/internal/search"
)

// createArchive makes an archive of news in a temporary folder, or skips
// the test when this binary has no FTS5.
func createArchive(t *testing.T) *Archive {
	t.Helper()
	path := filepath.Join(t.TempDir(), "archive.db")
	ctx := context.Background()
	a, err := CreateArchive(ctx, Config{Path: path, BatchSize: 2})
	if errors.Is(err, ErrNoFTS5) {
		t.Skipf("built without -tags sqlite_fts5: %v", err)
	}
	if err != nil {
		t.Fatal(err)
	}
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 9, 30, 0, 0, time.UTC) }
	news := []peer.Doc{
		{ID: "sco", Title: "Wang Yi meets SCO chief", Body: "Foreign Minister Wang Yi met the SCO secretary-general. Mutual trust and cooperation.", Date: day(2021, 12, 18), Source: "Xinhua"},
		{ID: "norov", Title: "Norov leaves the SCO", Body: "Vladimir Norov, returning to Uzbekistan, praised SCO cooperation.", Date: day(2021, 12, 17), Source: "Xinhua"},
		{ID: "blair", Title: "Blair's election campaign", Body: "The prime minister said the general election campaign would focus on the economy.", Date: day(2005, 4, 5), Source: "BBC News"},
		{ID: "brown", Title: "Brown on the economy", Body: "Gordon Brown said the economy grew. The prime minister agreed.", Date: day(2005, 3, 1)},
		{ID: "film", Title: "Box office record", Body: "The film took a record at the box office; people queued.", Source: "Reuters"},
	}
	if err := a.Add(ctx, news); err != nil {
		t.Fatal(err)
	}
	if err := a.Close(); err != nil {
		t.Fatal(err)
	}
	a, err = OpenArchive(ctx, Config{Path: path})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := a.Close(); err != nil {
			t.Error(err)
		}
	})
	return a
}

func hitIDs(r search.Result) []string {
	out := make([]string, len(r.Hits))
	for i, h := range r.Hits {
		out[i] = h.ID
	}
	return out
}

func TestArchiveSearch(t *testing.T) {
	a := createArchive(t)
	ctx := context.Background()
	if n, err := a.Count(ctx); err != nil || n != 5 {
		t.Fatalf("Count = %d, %v; want 5", n, err)
	}
	for _, tc := range []struct {
		req     search.Request
		want    []string // in order when ordered is set, else as a set
		ordered bool
	}{
		{req: search.Request{Query: "cooperation"}, want: []string{"sco", "norov"}},
		{req: search.Request{Query: "the economy"}, want: []string{"brown", "blair"}},      // "the" is a stop word; title match ranks first
		{req: search.Request{Query: `"prime minister"`}, want: []string{"blair", "brown"}}, // phrase
		{req: search.Request{Query: `"minister prime"`}, want: nil},
		{req: search.Request{Query: "SCO -Norov"}, want: []string{"sco"}},
		{req: search.Request{Query: "-SCO"}, want: []string{"blair", "brown", "film"}, ordered: true}, // newest first, undated last
		{req: search.Request{Query: "title:SCO"}, want: []string{"sco", "norov"}},
		{req: search.Request{Query: "title:economy"}, want: []string{"brown"}},
		{req: search.Request{Query: "source:xinhua"}, want: []string{"sco", "norov"}},
		{req: search.Request{Query: `title:"Wang Yi"`}, want: []string{"sco"}},
		{req: search.Request{Query: "Blair's"}, want: []string{"blair"}},
		{req: search.Request{Query: `"Gordon Brown" economy`}, want: []string{"brown"}}, // the phrase selects, the word ranks
		{req: search.Request{Query: "said", Filters: search.Filters{Years: []int{2005}}}, want: []string{"blair", "brown"}},
		{req: search.Request{Query: "cooperation", Filters: search.Filters{Sources: []string{"Xinhua"}}}, want: []string{"sco", "norov"}},
		{req: search.Request{Query: "", Filters: search.Filters{Years: []int{2021}}}, want: []string{"sco", "norov"}, ordered: true},
		{req: search.Request{Query: ""}, want: []string{"sco", "norov", "blair", "brown", "film"}, ordered: true},
		{req: search.Request{Query: "", Sort: search.SortOldest}, want: []string{"film", "brown", "blair", "norov", "sco"}, ordered: true}, // undated first
		{req: search.Request{Query: "SCO", Sort: search.SortNewest}, want: []string{"sco", "norov"}, ordered: true},
		{req: search.Request{Query: "SCO", Sort: search.SortOldest}, want: []string{"norov", "sco"}, ordered: true},
		{req: search.Request{Query: "", Page: 2, Size: 2}, want: []string{"blair", "brown"}, ordered: true},
		{req: search.Request{Query: "zzyzx"}, want: nil},
		{req: search.Request{Query: `the "" ? -`}, want: []string{"sco", "norov", "blair", "brown", "film"}, ordered: true},
	} {
		name := fmt.Sprintf("%q %+v", tc.req.Query, tc.req.Filters)
		res, err := a.Search(ctx, tc.req)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		got := hitIDs(res)
		want := slices.Clone(tc.want)
		if !tc.ordered {
			slices.Sort(got)
			slices.Sort(want)
		}
		if !slices.Equal(got, want) {
			t.Errorf("%s: hits %v, want %v (match %+v)", name, hitIDs(res), tc.want, CompileMatch(search.Parse(tc.req.Query), EnglishStopWords()))
		}
		if tc.req.Page <= 1 && res.Total != uint64(len(tc.want)) {
			t.Errorf("%s: total %d, want %d", name, res.Total, len(tc.want))
		}
	}
}

func TestArchiveFragmentsAndFacets(t *testing.T) {
	a := createArchive(t)
	res, err := a.Search(context.Background(), search.Request{Query: "SCO cooperation"})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Hits) != 2 || res.Total != 2 {
		t.Fatalf("hits %v, total %d", hitIDs(res), res.Total)
	}
	h := res.Hits[0]
	if h.Score <= 0 || h.Source != "Xinhua" || h.Date.Year() != 2021 || h.Title == "" {
		t.Errorf("hit %+v: want a positive score, the source, date and title", h)
	}
	if f := h.Fragments["title"]; len(f) != 1 || !strings.Contains(f[0], "<mark>SCO</mark>") {
		t.Errorf("title fragments %q", f)
	}
	if f := h.Fragments["body"]; len(f) != 1 || !strings.Contains(f[0], "<mark>") {
		t.Errorf("body fragments %q", f)
	}
	want := map[string][]search.Facet{
		"source": {{Value: "Xinhua", Count: 2}},
		"year":   {{Value: "2021", Count: 2}},
	}
	if !equalFacets(res.Facets, want) {
		t.Errorf("facets %v, want %v", res.Facets, want)
	}

	res, err = a.Search(context.Background(), search.Request{Query: ""})
	if err != nil {
		t.Fatal(err)
	}
	want = map[string][]search.Facet{
		"source": {{Value: "Xinhua", Count: 2}, {Value: "BBC News", Count: 1}, {Value: "Reuters", Count: 1}},
		"year":   {{Value: "2005", Count: 2}, {Value: "2021", Count: 2}},
	}
	if !equalFacets(res.Facets, want) || res.Total != 5 {
		t.Errorf("browse: facets %v, total %d; want %v, 5", res.Facets, res.Total, want)
	}
	if f := res.Hits[0].Fragments["body"]; len(f) != 1 || !strings.HasPrefix(f[0], "Foreign Minister") || strings.Contains(f[0], "<mark>") {
		t.Errorf("browse: body fragment %q, want the lead without marks", f)
	}
	if _, err := a.Search(context.Background(), search.Request{Query: "x", Size: 500}); !errors.Is(err, search.ErrInvalid) {
		t.Errorf("size 500: %v, want ErrInvalid", err)
	}
}

func equalFacets(a, b map[string][]search.Facet) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if !slices.Equal(v, b[k]) {
			return false
		}
	}
	return true
}

func TestCompileMatch(t *testing.T) {
	stop := map[string]bool{"the": true, "of": true}
	for _, tc := range []struct {
		in   string
		want Match
	}{
		{"", Match{}},
		{"the of", Match{}},
		{"oil prices", Match{Match: `{title body} : ("oil" OR "prices")`}},
		{"Blair's", Match{Match: `{title body} : ("Blair s")`}},
		{`"prime minister"`, Match{Match: `{title body} : "prime minister"`}},
		{`title:"Wang Yi" -source:xinhua`, Match{Match: `(title : "Wang Yi") NOT (source : "xinhua")`}},
		{"SCO -Norov -\"mutual trust\"", Match{Match: `({title body} : ("SCO")) NOT ({title body} : "Norov" OR {title body} : "mutual trust")`}},
		{"-Norov", Match{Exclude: `{title body} : "Norov"`}},
		{`"Gordon Brown" economy`, Match{Match: `({title body} : "Gordon Brown") AND ({title body} : ("economy") OR {title body} : "Gordon Brown")`}},
		{`NEAR(a b) AND "x`, Match{Match: `{title body} : ("NEAR" OR "a" OR "b" OR "x")`}}, // FTS5 syntax is text; newsfind's operators and groups are searched as their words
		{`Blair's AND (brown OR -howard)`, Match{Match: `({title body} : ("Blair s" OR "brown")) NOT ({title body} : "howard")`}},
		{"? - :", Match{}},
	} {
		if got := CompileMatch(search.Parse(tc.in), stop); got != tc.want {
			t.Errorf("CompileMatch(%q) =\n %+v\nwant\n %+v", tc.in, got, tc.want)
		}
	}
}

// FuzzArchiveSearch checks that anything typed compiles to expressions FTS5
// accepts (when FTS5 is compiled in) and never panics.
func FuzzArchiveSearch(f *testing.F) {
	for _, s := range []string{`"a" b`, "NEAR(x", "title:a:b", "-x", `-"`, "source:\"", "*", "^x", "{a b}:c", "a -b -c d", "é\u0301 中国"} {
		f.Add(s)
	}
	stop := EnglishStopWords()
	a, err := CreateArchive(context.Background(), Config{Path: filepath.Join(f.TempDir(), "fuzz.db")})
	if err != nil && !errors.Is(err, ErrNoFTS5) {
		f.Fatal(err)
	}
	if a != nil {
		defer a.Close()
		if err := a.Add(context.Background(), docs); err != nil {
			f.Fatal(err)
		}
	}
	f.Fuzz(func(t *testing.T, text string) {
		m := CompileMatch(search.Parse(text), stop)
		if strings.Count(m.Match, `"`)%2 != 0 || strings.Count(m.Exclude, `"`)%2 != 0 {
			t.Fatalf("%q: unbalanced quotes in %+v", text, m)
		}
		if a == nil {
			return
		}
		if _, err := a.Search(context.Background(), search.Request{Query: text}); err != nil {
			t.Fatalf("Search(%q) with %+v: %v", text, m, err)
		}
	})
}
