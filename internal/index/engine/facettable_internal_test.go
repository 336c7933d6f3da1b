package engine

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	bsearch "github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	"github.com/newsfind/newsfind/internal/highlight"
	"github.com/newsfind/newsfind/internal/index/facet"
	"github.com/newsfind/newsfind/internal/index/gen"
	"github.com/newsfind/newsfind/internal/index/schema"
	"github.com/newsfind/newsfind/internal/search"
)

// writeFacetCorpus writes n generated articles as JSON lines, with sources,
// dates in various zones (some missing), and several people, places and
// organizations each.
func writeFacetCorpus(t *testing.T, dir, name string, n, seed int) {
	t.Helper()
	rng := rand.New(rand.NewPCG(uint64(seed), 7))
	pick := func(list []string, most int) []string {
		var out []string
		for range rng.IntN(most + 1) {
			if v := list[rng.IntN(len(list))]; !strings.Contains(strings.Join(out, "|"), v) {
				out = append(out, v)
			}
		}
		return out
	}
	words := strings.Fields("economy grew markets fell election campaign film festival minister said talks trade oil prices")
	var b strings.Builder
	for i := range n {
		a := map[string]any{
			"title":         strings.Join(pick(words, 4), " ") + fmt.Sprintf(" report %d", i),
			"body":          strings.Join(pick(words, 12), " ") + ". " + strings.Join(pick(words, 12), " ") + ".",
			"source":        []string{"Alpha Wire", "Beta News", "Gamma Daily", "", "Delta Post"}[rng.IntN(5)],
			"people":        pick([]string{"Ann Lee", "Bo Chen", "Cy Diaz", "Di Evans", "Ed Fox", "Flo Gray"}, 3),
			"places":        pick([]string{"Paris", "Lima", "Oslo", "Cairo"}, 2),
			"organizations": pick([]string{"Acme Corp", "Bolt Inc", "Core Ltd"}, 2),
		}
		if rng.IntN(10) > 0 {
			// In zones from -12 to +14 hours, so that many calendar
			// dates differ from the instant's day in UTC.
			zone := time.FixedZone("", (rng.IntN(27)-12)*3600)
			a["date"] = time.Date(2019+rng.IntN(5), time.Month(1+rng.IntN(12)), 1+rng.IntN(28), rng.IntN(24), 0, 0, 0, zone).Format(time.RFC3339)
		}
		line, err := json.Marshal(a)
		if err != nil {
			t.Fatal(err)
		}
		b.Write(line)
		b.WriteByte('\n')
	}
	if err := os.WriteFile(filepath.Join(dir, name), []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}

// facetIndex builds and opens an index of generated articles.
func facetIndex(t *testing.T) (ix *testIndex, articles, dir string) {
	t.Helper()
	articles = t.TempDir()
	writeFacetCorpus(t, articles, "a.jsonl", 300, 1)
	writeFacetCorpus(t, articles, "b.jsonl", 200, 2)
	ix, dir = openBuilt(t, articles)
	return ix, articles, dir
}

// bleveFacets counts the facets of q with bleve's own facet builder, as
// newsfind did before its facet table.
func bleveFacets(t *testing.T, g *Generation, q query.Query) map[string][]search.Facet {
	t.Helper()
	sr := bleve.NewSearchRequestOptions(q, 0, 0, false)
	for _, d := range facet.Defs {
		sr.AddFacet(d.Name, bleve.NewFacetRequest(d.Field, 1_000_000))
	}
	res, err := g.idx.SearchInContext(context.Background(), sr)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]search.Facet{}
	for _, d := range facet.Defs {
		counts := map[string]int{}
		if fr := res.Facets[d.Name]; fr != nil && fr.Terms != nil {
			for _, tf := range fr.Terms.Terms() {
				counts[tf.Term] = tf.Count
			}
		}
		out[d.Name] = topFacets(counts, d.Size)
	}
	return out
}

var facetQueries = []string{"", "economy", "economy grew", "oil prices fell", `"oil prices"`, "film -festival", "title:election", "zzyzx"}

// The table counts every facet exactly as bleve's facet builder does,
// multi-valued fields included.
func TestFacetTableCountsAsBleve(t *testing.T) {
	ix, _, _ := facetIndex(t)
	g := ix.Generation
	if !everything(compile(search.Parse(""), search.Filters{}, ix.analyzer, false, nil), search.Filters{}) {
		t.Errorf("a search for nothing does not walk every article")
	}
	if !g.table.MultiValued(facet.Person) || g.table.MultiValued(facet.Source) {
		t.Fatalf("want person multi-valued and source single-valued in the table")
	}
	for _, q := range facetQueries {
		res, err := ix.Search(context.Background(), search.Request{Query: q})
		if err != nil {
			t.Fatal(err)
		}
		c := compile(search.Parse(q), search.Filters{}, ix.analyzer, res.Relaxed, nil)
		if want := bleveFacets(t, g, c.query); !reflect.DeepEqual(res.Facets, want) {
			t.Errorf("%q: facets\n%v\nwant (bleve)\n%v", q, res.Facets, want)
		}
		if res.FacetsApproximate {
			t.Errorf("%q: facets approximate", q)
		}
	}
}

// A day of the timeline holds the articles a date filter of that day
// finds: the calendar date each publication wrote, in its own zone, not
// the instant's day in UTC (the facet corpus's dates are in zones from -12
// to +14 hours).
func TestTimelineDaysAreTheFiltersDays(t *testing.T) {
	ix, _, _ := facetIndex(t)
	day := func(s string) time.Time {
		d, err := time.Parse(time.DateOnly, s)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	checked := 0
	for _, month := range []string{"2019-03", "2020-07", "2021-12", "2023-01"} {
		from := day(month + "-01")
		res, err := ix.Search(context.Background(), search.Request{Exact: true,
			Filters: search.Filters{DateFrom: from, DateTo: from.AddDate(0, 1, -1)}})
		if err != nil {
			t.Fatal(err)
		}
		tl := res.Timeline
		if tl == nil || tl.Interval != search.IntervalDay {
			t.Fatalf("%s: timeline %+v, want one by day", month, tl)
		}
		for _, b := range tl.Buckets {
			d := day(b.Start)
			one, err := ix.Search(context.Background(), search.Request{Exact: true, Filters: search.Filters{DateFrom: d, DateTo: d}})
			if err != nil {
				t.Fatal(err)
			}
			if one.Total != uint64(b.Count) {
				t.Errorf("%s: the timeline counts %d, a filter of that day finds %d", b.Start, b.Count, one.Total)
			}
			checked += b.Count
		}
	}
	if checked < 20 {
		t.Errorf("checked %d dated articles; want a few dozen", checked)
	}
}

// A filtered facet counts the matches of every other filter, as a
// separate search without its own filter would.
func TestDisjunctiveFacetsAsSeparateSearches(t *testing.T) {
	ix, _, _ := facetIndex(t)
	g := ix.Generation
	filters := []search.Filters{
		{Years: []int{2021}},
		{Sources: []string{"Alpha Wire", "Beta News"}, Years: []int{2020, 2022}},
		{People: []string{"Ann Lee"}, Months: []string{"2021-03", "2022-07"}, Orgs: []string{"Acme Corp"}},
		{Places: []string{"Oslo"}, Sources: []string{"No Such Source"}},
		{Places: []string{"Paris"}, DateFrom: time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)},
	}
	for _, q := range []string{"", "economy", "markets fell"} {
		parsed := search.Parse(q)
		for _, f := range filters {
			res, err := ix.Search(context.Background(), search.Request{Query: q, Filters: f})
			if err != nil {
				t.Fatal(err)
			}
			filtered := facet.Filters(f)
			for k, d := range facet.Defs {
				other := f
				if len(filtered[k]) > 0 {
					other = withoutFilter(f, facet.Kind(k))
				}
				want := bleveFacets(t, g, compile(parsed, other, ix.analyzer, false, nil).query)[d.Name]
				if !reflect.DeepEqual(res.Facets[d.Name], want) {
					t.Errorf("%q %+v: %s facet %v, want %v", q, f, d.Name, res.Facets[d.Name], want)
				}
			}
		}
	}
}

func withoutFilter(f search.Filters, k facet.Kind) search.Filters {
	switch k {
	case facet.Source:
		f.Sources = nil
	case facet.Year:
		f.Years = nil
	case facet.Month:
		f.Months = nil
	case facet.Person:
		f.People = nil
	case facet.Place:
		f.Places = nil
	case facet.Org:
		f.Orgs = nil
	}
	return f
}

// Hits come in bleve's collector's order with its scores and highlights,
// for every sort and page.
func TestHitsAsBleveCollector(t *testing.T) {
	ix, _, _ := facetIndex(t)
	g := ix.Generation
	sorts := map[search.Sort][]string{
		search.SortRelevance: {"-_score"},
		search.SortNewest:    {"-" + schema.Date, "-_score"},
		search.SortOldest:    {schema.Date, "-_score"},
	}
	filters := []search.Filters{{}, {Sources: []string{"Alpha Wire", "Gamma Daily"}}}
	for _, q := range facetQueries {
		for sort, by := range sorts {
			for i, n := range []int{1, 3} {
				req := search.Request{Query: q, Sort: sort, Page: n, Size: 7, Filters: filters[i]}
				res, err := ix.Search(context.Background(), req)
				if err != nil {
					t.Fatal(err)
				}
				c := compile(search.Parse(q), req.Filters, ix.analyzer, res.Relaxed, nil)
				sr := bleve.NewSearchRequestOptions(c.query, 7, (n-1)*7, false)
				sr.SortBy(by)
				if !c.positive && sort == search.SortRelevance {
					sr.SortBy(sorts[search.SortNewest]) // nothing to rank by
				}
				sr.Fields, sr.IncludeLocations = hitFields, true
				if g.bm25 != nil {
					sr.PreSearchData = map[string]any{bsearch.BM25PreSearchDataKey: g.bm25}
				}
				want, err := g.idx.SearchInContext(context.Background(), sr)
				if err != nil {
					t.Fatal(err)
				}
				if res.Total != want.Total || len(res.Hits) != len(want.Hits) {
					t.Fatalf("%q %s page %d: %d hits of %d, want %d of %d", q, sort, n, len(res.Hits), res.Total, len(want.Hits), want.Total)
				}
				pg, err := g.searchPage(context.Background(), req, c)
				if err != nil {
					t.Fatal(err)
				}
				for i, h := range pg.hits {
					// The searched field's locations, as bleve's; the
					// title's and exact forms' are left out (the article's
					// text holds them: the highlights below are the same).
					w := want.Hits[i].Locations
					if len(h.Locations) == 0 && len(w) > 0 {
						t.Errorf("%q %s hit %d: no term locations, want %v", q, sort, i, w)
					}
					for field, locs := range h.Locations {
						if !reflect.DeepEqual(locs, w[field]) {
							t.Errorf("%q %s hit %d: term locations in %s %v, want %v", q, sort, i, field, locs, w[field])
						}
					}
					if q == "economy" && h.Locations == nil {
						t.Errorf("%q %s hit %d: no term locations", q, sort, i)
					}
				}
				hl := highlight.New(ix.analyzer, c.terms)
				for i, h := range res.Hits {
					if w := toHit(want.Hits[i], hl); !reflect.DeepEqual(h, w) {
						t.Errorf("%q %s page %d hit %d:\n%+v\nwant\n%+v", q, sort, n, i, h, w)
					}
				}
			}
		}
	}
}

// After an incremental update, the new generation's table covers the
// documents it added and leaves out those it deleted or replaced.
func TestFacetTableAfterIncrementalUpdate(t *testing.T) {
	_, articles, dir := facetIndex(t)
	writeFacetCorpus(t, articles, "b.jsonl", 150, 3) // replaces b's 200
	writeFacetCorpus(t, articles, "c.jsonl", 40, 4)
	if _, err := gen.Update(context.Background(), gen.Config{Articles: articles, Index: dir}); err != nil {
		t.Fatal(err)
	}
	ix := openIndex(t, dir, Options{})
	g := ix.Generation
	if n := len(g.table.Live); n != 300+150+40 {
		t.Errorf("table has %d live documents, want %d", n, 300+150+40)
	}
	for _, q := range facetQueries {
		res, err := ix.Search(context.Background(), search.Request{Query: q})
		if err != nil {
			t.Fatal(err)
		}
		if q == "" && res.Total != 300+150+40 {
			t.Errorf("total %d, want %d", res.Total, 300+150+40)
		}
		c := compile(search.Parse(q), search.Filters{}, ix.analyzer, res.Relaxed, nil)
		if want := bleveFacets(t, g, c.query); !reflect.DeepEqual(res.Facets, want) {
			t.Errorf("%q: facets\n%v\nwant (bleve)\n%v", q, res.Facets, want)
		}
	}
}

// Deleted documents keep their numbers in their segments until a merge;
// the table leaves them out.
func TestFacetTableSkipsDeletedDocuments(t *testing.T) {
	// In memory, scorch neither persists nor merges: deleted documents stay.
	idx, err := bleve.NewUsing("", schema.Mapping(), scorch.Name, scorch.Name, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer idx.Close()
	batch := func(from, to int, del ...int) {
		b := idx.NewBatch()
		for i := from; i < to; i++ {
			a := map[string]any{schema.Source: []string{"A", "B", "C"}[i%3], schema.Person: []string{"P1", fmt.Sprint("P", i%5)}, schema.Date: time.Date(2020, 1, 1+i, 0, 0, 0, 0, time.UTC)}
			if err := b.Index(fmt.Sprint("d", i), a); err != nil {
				t.Fatal(err)
			}
		}
		for _, i := range del {
			b.Delete(fmt.Sprint("d", i))
		}
		if err := idx.Batch(b); err != nil {
			t.Fatal(err)
		}
	}
	batch(0, 40)
	batch(40, 60, 1, 2, 3, 10, 20)
	batch(5, 8) // replaces three
	adv, err := idx.Advanced()
	if err != nil {
		t.Fatal(err)
	}
	r, err := adv.Reader()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	table, err := buildFacetTable(r, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(table.Live) != 55 {
		t.Errorf("%d live documents, want 55", len(table.Live))
	}
	if table.Docs <= len(table.Live) {
		t.Errorf("%d document numbers for %d live documents: want deleted ones in between", table.Docs, len(table.Live))
	}
	g := &Generation{idx: idx, reader: r, table: table}
	want := bleveFacets(t, g, bleve.NewMatchAllQuery())
	got := table.All.Facets(table)
	for _, name := range []string{"source", "person"} {
		if !reflect.DeepEqual(got[name], want[name]) {
			t.Errorf("%s: %v, want %v", name, got[name], want[name])
		}
	}
}

// topFacets turns bleve's value counts into a facet list in the engine's
// order: most articles first (ties by value), at most n.
func topFacets(counts map[string]int, n int) []search.Facet {
	out := make([]search.Facet, 0, len(counts))
	for v, c := range counts {
		out = append(out, search.Facet{Value: v, Count: c})
	}
	slices.SortFunc(out, func(a, b search.Facet) int {
		if a.Count != b.Count {
			return b.Count - a.Count
		}
		return strings.Compare(a.Value, b.Value)
	})
	return out[:min(len(out), n)]
}

// After an update, the new generation's table derived from its
// predecessor's (copying the rows of the segments both hold) is the table
// built from all its doc values.
func TestFacetTableDerivedFromPredecessor(t *testing.T) {
	ix, articles, dir := facetIndex(t)
	old := ix.Path()
	if err := ix.table.Save(filepath.Join(ix.Path(), facet.File), ix.Fingerprint()); err != nil {
		t.Fatal(err)
	}
	writeFacetCorpus(t, articles, "b.jsonl", 150, 3) // replaces b's 200
	writeFacetCorpus(t, articles, "c.jsonl", 40, 4)
	if _, err := gen.Update(context.Background(), gen.Config{Articles: articles, Index: dir}); err != nil {
		t.Fatal(err)
	}
	cur, err := gen.Current(dir)
	if err != nil {
		t.Fatal(err)
	}
	var log bytes.Buffer
	derived, err := Open(cur, Options{TablesFrom: old, Log: slog.New(slog.NewTextHandler(&log, nil))})
	if err != nil {
		t.Fatal(err)
	}
	defer derived.Close()
	built := openIndex(t, dir, Options{})
	m := regexp.MustCompile(`copied=(\d+)`).FindStringSubmatch(log.String())
	if m == nil || m[1] == "0" {
		t.Errorf("no rows copied from the predecessor's table:\n%s", log.String())
	}
	if !reflect.DeepEqual(derived.table, built.table) {
		t.Errorf("derived table differs from the built one")
	}
}

// The stories are a column of the facet table: a generation opened with
// its table's file reads no doc values and holds the stories a pass over
// them finds, and an update derives them from its predecessor's table.
func TestStoriesReadWithTheTable(t *testing.T) {
	articles := t.TempDir()
	writeFacetCorpus(t, articles, "a.jsonl", 50, 1)
	version := func(name string) {
		body := strings.Repeat("The city council voted on Tuesday to close three libraries and a swimming pool, citing the cost of repairs. ", 6)
		a, err := json.Marshal(map[string]string{"title": "Libraries to close " + name, "body": body})
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(articles, name+".json"), a, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	version("v1")
	version("v2")
	built, dir := openBuilt(t, articles)
	if s := built.stories; s.Len() != 1 {
		t.Fatalf("%d stories of several versions, want 1", s.Len())
	}
	if err := built.table.Save(filepath.Join(built.Path(), facet.File), built.Fingerprint()); err != nil {
		t.Fatal(err)
	}
	reads := 0
	read := openIndex(t, dir, Options{ReadingDocValues: func() { reads++ }})
	if reads != 0 {
		t.Errorf("opened with its table's file, the generation read the doc values %d times", reads)
	}
	if !reflect.DeepEqual(read.stories, built.stories) {
		t.Errorf("stories read with the table differ from those built")
	}

	version("v3")
	if _, err := gen.Update(context.Background(), gen.Config{Articles: articles, Index: dir}); err != nil {
		t.Fatal(err)
	}
	cur, err := gen.Current(dir)
	if err != nil {
		t.Fatal(err)
	}
	derived, err := Open(cur, Options{TablesFrom: built.Path()})
	if err != nil {
		t.Fatal(err)
	}
	defer derived.Close()
	rebuilt := openIndex(t, dir, Options{})
	versions := 0
	for _, d := range derived.table.Live {
		versions = max(versions, len(derived.stories.Versions(d)))
	}
	if derived.stories.Len() != 1 || versions != 3 {
		t.Errorf("derived: %d stories, of at most %d versions; want 1 of 3", derived.stories.Len(), versions)
	}
	if !reflect.DeepEqual(derived.stories, rebuilt.stories) {
		t.Errorf("stories derived from the predecessor's table differ from those built")
	}
}

// Past the exact count, a search of words counts the facets and the
// timeline of a sample spread over all its matches and scales them:
// estimates of all matches' counts, not the counts of the first ones; a
// filtered facet, counted without its filter, too.
func TestSampledFacetsEstimateAll(t *testing.T) {
	_, _, dir := facetIndex(t)
	ix := openIndex(t, dir, Options{ExactCount: 150, FacetSample: 150})
	for _, f := range []search.Filters{{}, {Years: []int{2021}}} {
		req := search.Request{Query: "economy", Filters: f}
		got, err := ix.Search(context.Background(), req)
		if err != nil {
			t.Fatal(err)
		}
		req.Exact = true
		want, err := ix.Search(context.Background(), req)
		if err != nil {
			t.Fatal(err)
		}
		if !got.FacetsApproximate || want.FacetsApproximate || f.Years == nil && want.Total < 300 {
			t.Fatalf("%+v: facets approximate %v, exact %v over %d matches; want a sample of more than 150", f, got.FacetsApproximate, want.FacetsApproximate, want.Total)
		}
		for _, kind := range []string{"year", "source", "person"} {
			sum := func(fs []search.Facet) (n int) {
				for _, v := range fs {
					n += v.Count
				}
				return n
			}
			// Binomial spread: about 5 % for these sums, 15 % for a value
			// of 60; a build orders the documents of a batch at random.
			if g, w := sum(got.Facets[kind]), sum(want.Facets[kind]); math.Abs(float64(g-w)) > 0.25*float64(w) {
				t.Errorf("%+v: %s counts add up to %d, want about %d", f, kind, g, w)
			}
			exact := map[string]int{}
			for _, v := range want.Facets[kind] {
				exact[v.Value] = v.Count
			}
			for _, v := range got.Facets[kind] {
				if w := exact[v.Value]; w >= 60 && math.Abs(float64(v.Count-w)) > 0.6*float64(w) {
					t.Errorf("%+v: %s %q ≈ %d, exactly %d", f, kind, v.Value, v.Count, w)
				}
			}
		}
		if f.Years != nil {
			continue // the timeline counts the filtered matches
		}
		buckets := func(tl *search.Timeline) (n int) {
			for _, b := range tl.Buckets {
				n += b.Count
			}
			return n
		}
		if g, w := buckets(got.Timeline), buckets(want.Timeline); math.Abs(float64(g-w)) > 0.25*float64(w) {
			t.Errorf("timeline counts add up to %d, want about %d", g, w)
		}
	}
}
