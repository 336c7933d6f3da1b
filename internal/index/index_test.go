package index_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/newsfind/newsfind/internal/index"
	"github.com/newsfind/newsfind/internal/index/gen"
	"github.com/newsfind/newsfind/internal/index/indextest"
	"github.com/newsfind/newsfind/internal/search"
)

// Seed article IDs, newest first.
const (
	seedQinZhang  = indextest.SeedQinZhang
	seedNorovOut  = indextest.SeedNorovOut
	seedDushanbe  = indextest.SeedDushanbe
	seedNorovVice = indextest.SeedNorovVice
	seedAlimov    = indextest.SeedAlimov
)

// seedsDir is the seed corpus as the tests see it.
const seedsDir = "../../seeds"

var (
	copyCorpus = indextest.Corpus
	writeFile  = indextest.WriteFile
	build      = indextest.Build
)

var ids = indextest.IDs

var mustSearch = indextest.Search

func TestBuildSeeds(t *testing.T) {
	_, st := build(t, seedsDir)
	if st.Indexed != 5 || st.Skipped != 0 || st.Files != 5 {
		t.Errorf("stats = %+v, want 5 files, 5 indexed, 0 skipped", st)
	}
}

func TestSearchSeeds(t *testing.T) {
	ix, _ := build(t, seedsDir)
	all := []string{seedQinZhang, seedNorovOut, seedDushanbe, seedNorovVice, seedAlimov}
	tests := []struct {
		name    string
		req     search.Request
		want    []string // exact IDs in order, when order matters
		wantSet []string // IDs in any order
	}{
		{name: "title match ranks above body match", req: search.Request{Query: "Norov"}, want: []string{seedNorovOut, seedNorovVice}},
		{name: "lower case", req: search.Request{Query: "norov"}, want: []string{seedNorovOut, seedNorovVice}},
		{name: "stemmed: cooperate finds cooperation", req: search.Request{Query: "cooperate"}, wantSet: all},
		{name: "empty query is newest first", req: search.Request{}, want: all},
		{name: "sort newest", req: search.Request{Query: "SCO", Sort: search.SortNewest}, want: all},
		{name: "sort oldest", req: search.Request{Query: "SCO", Sort: search.SortOldest}, want: []string{seedAlimov, seedNorovVice, seedDushanbe, seedNorovOut, seedQinZhang}},
		{name: "exact phrase", req: search.Request{Query: `"four proposals"`}, want: []string{seedDushanbe}},
		{name: "exclusion", req: search.Request{Query: "Norov -Tashkent"}, want: []string{seedNorovOut}},
		{name: "exclusion only", req: search.Request{Query: "-Norov"}, wantSet: []string{seedQinZhang, seedDushanbe, seedAlimov}},
		{name: "title field", req: search.Request{Query: "title:Norov"}, want: []string{seedNorovOut}},
		{name: "title field phrase", req: search.Request{Query: `title:"four proposals"`}, want: []string{seedDushanbe}},
		{name: "source field", req: search.Request{Query: "source:xinhua"}, want: []string{seedQinZhang}},
		{name: "year filter", req: search.Request{Query: "SCO", Filters: search.Filters{Years: []int{2021}}}, wantSet: []string{seedNorovOut, seedDushanbe}},
		{name: "source filter", req: search.Request{Filters: search.Filters{Sources: []string{"Xinhua"}}}, want: []string{seedQinZhang}},
		{name: "date range inclusive", req: search.Request{Filters: search.Filters{
			DateFrom: time.Date(2019, 11, 12, 0, 0, 0, 0, time.UTC), DateTo: time.Date(2021, 7, 13, 0, 0, 0, 0, time.UTC)}},
			want: []string{seedDushanbe, seedNorovVice}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := mustSearch(t, ix, tt.req)
			got := ids(res)
			if tt.want != nil && !slices.Equal(got, tt.want) {
				t.Errorf("ids = %v, want %v", got, tt.want)
			}
			if tt.wantSet != nil {
				slices.Sort(got)
				want := slices.Clone(tt.wantSet)
				slices.Sort(want)
				if !slices.Equal(got, want) {
					t.Errorf("ids = %v, want (any order) %v", got, want)
				}
			}
			if int(res.Total) != len(got) {
				t.Errorf("total = %d, but %d hits on one page", res.Total, len(got))
			}
		})
	}
}

func TestHitsAreHighlighted(t *testing.T) {
	ix, _ := build(t, seedsDir)
	res := mustSearch(t, ix, search.Request{Query: "Norov"})
	if len(res.Hits) == 0 {
		t.Fatal("no hits")
	}
	top := res.Hits[0]
	if len(top.Fragments["title"]) != 1 || !strings.Contains(top.Fragments["title"][0], "<mark>Norov</mark>") {
		t.Errorf("title fragments = %q, want Norov marked", top.Fragments["title"])
	}
	for _, h := range res.Hits {
		if len(h.Fragments["body"]) == 0 || !strings.Contains(strings.Join(h.Fragments["body"], " "), "<mark>Norov</mark>") {
			t.Errorf("%s body fragments = %q, want Norov marked", h.ID, h.Fragments["body"])
		}
		if h.Title == "" || h.Date.IsZero() {
			t.Errorf("%s: missing title or date: %+v", h.ID, h)
		}
	}
	// A stemmed query marks the forms it matched.
	res = mustSearch(t, ix, search.Request{Query: "cooperate"})
	if !strings.Contains(strings.Join(res.Hits[0].Fragments["body"], " "), "<mark>cooperation</mark>") {
		t.Errorf("cooperate: body fragments %q do not mark 'cooperation'", res.Hits[0].Fragments["body"])
	}
}

func TestFacets(t *testing.T) {
	ix, _ := build(t, seedsDir)
	res := mustSearch(t, ix, search.Request{Query: "SCO"})
	years := map[string]int{}
	for _, f := range res.Facets["year"] {
		years[f.Value] = f.Count
	}
	want := map[string]int{"2018": 1, "2019": 1, "2021": 2, "2023": 1}
	for y, n := range want {
		if years[y] != n {
			t.Errorf("year facet %s = %d, want %d (all: %v)", y, years[y], n, res.Facets["year"])
		}
	}
	if len(res.Facets["source"]) == 0 || res.Facets["source"][0].Value != "Xinhua" {
		t.Errorf("source facet = %v, want Xinhua", res.Facets["source"])
	}
}

func TestEscapesArticleHTML(t *testing.T) {
	dir := copyCorpus(t, map[string]string{
		"xss.txt": "Probe <b>bold</b> title\n\nThe xssprobe body says <script>alert(1)</script> & more.\n",
	})
	ix, _ := build(t, dir)
	res := mustSearch(t, ix, search.Request{Query: "xssprobe"})
	if len(res.Hits) != 1 {
		t.Fatalf("hits = %v, want the probe", ids(res))
	}
	body := strings.Join(res.Hits[0].Fragments["body"], "")
	if !strings.Contains(body, "&lt;script&gt;alert(1)&lt;/script&gt;") || strings.Contains(body, "<script>") {
		t.Errorf("body fragment not escaped: %q", body)
	}
	res = mustSearch(t, ix, search.Request{Query: "bold"})
	if title := strings.Join(res.Hits[0].Fragments["title"], ""); title != "Probe &lt;b&gt;<mark>bold</mark>&lt;/b&gt; title" {
		t.Errorf("title fragment = %q", title)
	}
}

func TestTypedAnythingIsASearch(t *testing.T) {
	ix, _ := build(t, seedsDir)
	for _, q := range []string{
		"what did Wang Yi say?", "SCO (Shanghai", "a:b:c", `"unclosed`, "foo:", "-", "~", "10:30", "/",
		"title:", "source:", `""`, "-\"\"", "the of and", "   ", "Wang Yi -", "+SCO", "***", "\x00", "é", "中国",
	} {
		if _, err := ix.Search(context.Background(), search.Request{Query: q}); err != nil {
			t.Errorf("Search(%q): %v", q, err)
		}
	}
	res := mustSearch(t, ix, search.Request{Query: "what did Wang Yi say?"})
	if res.Total == 0 || !strings.Contains(res.Hits[0].Title, "Wang Yi") {
		t.Errorf("question: top hit %v, want an article titled with Wang Yi", ids(res))
	}
}

func TestRequestValidation(t *testing.T) {
	ix, _ := build(t, seedsDir)
	for _, req := range []search.Request{
		{Page: -1}, {Size: search.MaxSize + 1}, {Page: search.MaxPage + 1}, {Sort: "popularity"},
		{Filters: search.Filters{DateFrom: time.Date(2022, 1, 1, 0, 0, 0, 0, time.UTC), DateTo: time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC)}},
	} {
		if _, err := ix.Search(context.Background(), req); !errors.Is(err, search.ErrInvalid) {
			t.Errorf("Search(%+v) err = %v, want ErrInvalid", req, err)
		}
	}
}

func TestPaging(t *testing.T) {
	ix, _ := build(t, seedsDir)
	var seen []string
	for page := 1; page <= 3; page++ {
		res := mustSearch(t, ix, search.Request{Query: "SCO", Page: page, Size: 2})
		if res.Total != 5 {
			t.Fatalf("total = %d, want 5", res.Total)
		}
		seen = append(seen, ids(res)...)
	}
	slices.Sort(seen)
	if len(slices.Compact(seen)) != 5 {
		t.Errorf("pages of 2 gave %v, want each of 5 articles once", seen)
	}
}

func TestArticle(t *testing.T) {
	ix, _ := build(t, seedsDir)
	a, err := ix.Article(context.Background(), seedQinZhang)
	if err != nil {
		t.Fatal(err)
	}
	if a.ID != seedQinZhang || a.Title != "Chinese FM meets SCO chief" || a.Source != "Xinhua" || a.WordCount == 0 ||
		!strings.Contains(a.Body, "Zhang said that he will lead the secretariat") || a.Date.Year() != 2023 {
		t.Errorf("article = %+v", a)
	}
	if _, err := ix.Article(context.Background(), "no-such.txt"); !errors.Is(err, search.ErrNotFound) {
		t.Errorf("missing article err = %v, want ErrNotFound", err)
	}
}

func TestBuildSkipsBadFilesAndCountsOthers(t *testing.T) {
	dir := copyCorpus(t, map[string]string{
		"empty.txt":      "",
		"binary.txt":     "\x00\x01\x02\xff\xfe",
		"photo.png":      "not an article",
		"nested/bbc.txt": "Nested title\n\nA body about Norov.\n",
	})
	var skipped []string
	st, err := gen.Build(context.Background(), gen.Config{
		Articles: dir, Index: filepath.Join(t.TempDir(), "ix"),
		Skipped: func(path string, err error) { skipped = append(skipped, path) },
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(skipped)
	if st.Indexed != 6 || st.Unsupported != 1 || !slices.Equal(skipped, []string{"binary.txt", "empty.txt"}) {
		t.Errorf("stats %+v, skipped %v; want 6 indexed, 1 unsupported, binary and empty skipped", st, skipped)
	}
}

func TestBuildMissingFolder(t *testing.T) {
	_, err := gen.Build(context.Background(), gen.Config{Articles: filepath.Join(t.TempDir(), "nope"), Index: t.TempDir()})
	if err == nil || !strings.Contains(err.Error(), "nope") {
		t.Errorf("err = %v, want an error naming the folder", err)
	}
}

func TestOpenWithoutIndex(t *testing.T) {
	if _, err := index.Open(t.TempDir(), nil); !errors.Is(err, gen.ErrNoIndex) {
		t.Errorf("err = %v, want gen.ErrNoIndex", err)
	}
}

// A new generation, from an update or a rebuild, replaces the served one
// while queries run: none fails,
// every one sees a complete index, and old generations are cleaned up.
func TestReloadUnderLoad(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "index")
	articles := copyCorpus(t, nil)
	if _, err := gen.Build(context.Background(), gen.Config{Articles: articles, Index: dir}); err != nil {
		t.Fatal(err)
	}
	ix, err := index.Open(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()

	// A leftover of a killed build must neither be served nor survive.
	leftover := filepath.Join(dir, "gen-00000000T000000-killed")
	if err := os.MkdirAll(leftover, 0o755); err != nil {
		t.Fatal(err)
	}

	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	var mu sync.Mutex
	var failures []string
	queries := 0
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				res, err := ix.Search(context.Background(), search.Request{Query: "SCO"})
				mu.Lock()
				queries++
				if err != nil {
					failures = append(failures, err.Error())
				} else if res.Total < 5 {
					failures = append(failures, "partial index: total "+strconv.FormatUint(res.Total, 10))
				}
				mu.Unlock()
			}
		}()
	}
	for i := range 4 {
		writeFile(t, filepath.Join(articles, "new", strconv.Itoa(i)+".txt"), "SCO update "+strconv.Itoa(i)+"\n\nThe SCO met again.\n")
		// Incremental updates and full rebuilds, in turn.
		if _, err := gen.Update(context.Background(), gen.Config{Articles: articles, Index: dir, Full: i%2 == 1}); err != nil {
			t.Fatal(err)
		}
		if swapped, err := ix.Reload(); err != nil || !swapped {
			t.Fatalf("Reload = %v, %v; want a swap", swapped, err)
		}
	}
	cancel()
	wg.Wait()
	if len(failures) > 0 {
		t.Errorf("%d of %d queries failed during reloads, first: %s", len(failures), queries, failures[0])
	}
	if n, _ := ix.Count(); n != 9 {
		t.Errorf("count after reloads = %d, want 9", n)
	}
	gens, _ := filepath.Glob(filepath.Join(dir, "gen-*"))
	if len(gens) != 2 {
		t.Errorf("generations on disk = %v, want the current and the previous one", gens)
	}
}

// FuzzSearch runs arbitrary typed text through the whole query path against
// a real index: it must never panic nor fail.
func FuzzSearch(f *testing.F) {
	for _, s := range []string{`"unbalanced`, "foo:", "-", "~", "a:b:c", "10:30", "/", `title:"x y" -z`,
		"\xff\xfe", `-"`, `source:"`, "what did Wang Yi say?", `"the of"`, "title:the", `"a b" -"c d" e:f`} {
		f.Add(s)
	}
	ix, _ := build(f, seedsDir)
	f.Fuzz(func(t *testing.T, q string) {
		if _, err := ix.Search(context.Background(), search.Request{Query: q}); err != nil {
			t.Errorf("Search(%q): %v", q, err)
		}
	})
}
