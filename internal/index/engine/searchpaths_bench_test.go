package engine

import (
	"context"
	"maps"
	"os"
	"testing"

	"github.com/blevesearch/bleve/v2"
	bsearch "github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	"github.com/newsfind/newsfind/internal/highlight"
	"github.com/newsfind/newsfind/internal/index/facet"
	"github.com/newsfind/newsfind/internal/index/gen"
	"github.com/newsfind/newsfind/internal/index/schema"
	"github.com/newsfind/newsfind/internal/search"
)

// BenchmarkSearchPaths compares, in one run on the index folder given by
// NEWSFIND_BENCH_INDEX, searches as newsfind runs them (one pass over the
// matches, facets from the facet table) with how it ran them before
// (bleve's collector and facet builder, counting a sample of results
// above 2,000 matches and one more search per filtered facet).
func BenchmarkSearchPaths(b *testing.B) {
	dir := os.Getenv("NEWSFIND_BENCH_INDEX")
	if dir == "" {
		b.Skip("set NEWSFIND_BENCH_INDEX to an index folder")
	}
	ix := openIndex(b, dir, Options{})
	reqs := []search.Request{
		{Query: "economy"}, {Query: "new year"}, {Query: "what did the chancellor say about interest rates"},
		{Query: "title:film"}, {Query: `"prime minister"`}, {Query: "said", Page: 5},
		{Query: "economy", Sort: search.SortNewest}, {Query: ""},
		{Query: "minister", Filters: search.Filters{Years: []int{2005}}},
	}
	for _, req := range reqs {
		name := req.Query + "/" + string(req.Sort)
		if req.Page > 1 || len(req.Filters.Years) > 0 {
			name += "/paged-or-filtered"
		}
		b.Run("table/"+name, func(b *testing.B) {
			for b.Loop() {
				if _, err := ix.Search(context.Background(), req); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run("bleve/"+name, func(b *testing.B) {
			for b.Loop() {
				if _, err := legacySearch(ix, req); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkOpen measures opening the index folder NEWSFIND_BENCH_INDEX,
// facet table included.
func BenchmarkOpen(b *testing.B) {
	dir := os.Getenv("NEWSFIND_BENCH_INDEX")
	if dir == "" {
		b.Skip("set NEWSFIND_BENCH_INDEX to an index folder")
	}
	path, err := gen.Current(dir)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		g, err := Open(path, Options{})
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(g.table.Bytes()), "table-bytes")
		g.Close()
	}
}

// legacySearch is Search as it was before the facet table, for comparison.
func legacySearch(ix *testIndex, req search.Request) (search.Result, error) {
	if err := req.Validate(); err != nil {
		return search.Result{}, err
	}
	g := ix.Generation
	parsed := search.Parse(req.Query)
	c := compile(parsed, req.Filters, ix.analyzer, false, nil)
	sr := bleve.NewSearchRequestOptions(c.query, req.Size, (req.Page-1)*req.Size, false)
	sr.Fields = hitFields
	sr.IncludeLocations = true
	sort := req.Sort
	if !c.positive && sort == search.SortRelevance {
		sort = search.SortNewest
	}
	switch sort {
	case search.SortRelevance:
		sr.SortBy([]string{"-_score"})
	case search.SortNewest:
		sr.SortBy([]string{"-" + schema.Date, "-_score"})
	case search.SortOldest:
		sr.SortBy([]string{schema.Date, "-_score"})
	}
	res, err := legacyBM25(g, sr)
	if err != nil {
		return search.Result{}, err
	}
	out := search.Result{Total: res.Total, Facets: map[string][]search.Facet{}}
	main, err := legacyFacets(g, c.query, res.Total)
	if err != nil {
		return out, err
	}
	for _, k := range newDisjunctiveKinds(req.Filters) {
		q := compile(parsed, withoutFilter(req.Filters, k), ix.analyzer, false, nil).query
		count, err := legacyBM25(g, bleve.NewSearchRequestOptions(q, 0, 0, false))
		if err != nil {
			return out, err
		}
		if _, err := legacyFacets(g, q, count.Total); err != nil {
			return out, err
		}
	}
	out.Facets = main
	hl := highlight.New(ix.analyzer, c.terms)
	for _, h := range res.Hits {
		out.Hits = append(out.Hits, toHit(h, hl))
	}
	return out, nil
}

func newDisjunctiveKinds(f search.Filters) []facet.Kind {
	var out []facet.Kind
	for k, vs := range facet.Filters(f) {
		if len(vs) > 0 {
			out = append(out, facet.Kind(k))
		}
	}
	return out
}

func legacyBM25(g *Generation, sr *bleve.SearchRequest) (*bleve.SearchResult, error) {
	if g.bm25 != nil {
		// The sample field's statistics, as they were.
		bm := *g.bm25
		bm.FieldCardinality = maps.Clone(bm.FieldCardinality)
		bm.FieldCardinality["sample"] = int(bm.DocCount)
		sr.PreSearchData = map[string]any{bsearch.BM25PreSearchDataKey: &bm}
	}
	return g.idx.SearchInContext(context.Background(), sr)
}

func legacyFacets(g *Generation, q query.Query, total uint64) (map[string][]search.Facet, error) {
	const exact, buckets = 2000, 64
	if total > exact {
		n := max(1, buckets*exact/int(total))
		lo, hi, incl, excl := 0.0, float64(n), true, false
		sample := bleve.NewNumericRangeInclusiveQuery(&lo, &hi, &incl, &excl)
		sample.SetField("sample")
		q = bleve.NewConjunctionQuery(q, sample)
	}
	sr := bleve.NewSearchRequestOptions(q, 0, 0, false)
	for _, d := range facet.Defs {
		if d.Name != "year" {
			sr.AddFacet(d.Field, bleve.NewFacetRequest(d.Field, 1200))
		}
	}
	res, err := legacyBM25(g, sr)
	if err != nil {
		return nil, err
	}
	out := map[string][]search.Facet{}
	for _, d := range facet.Defs {
		if fr := res.Facets[d.Field]; fr != nil && fr.Terms != nil {
			for _, t := range fr.Terms.Terms() {
				out[d.Name] = append(out[d.Name], search.Facet{Value: t.Term, Count: t.Count})
			}
		}
	}
	return out, nil
}

// BenchmarkBoundedSearch compares, in one run on the index folder given by
// NEWSFIND_BENCH_INDEX, the commonest searches counted exactly
// (exact=true: every match visited, counted and its facets counted) with
// the default (exact up to the threshold, then skipping what cannot enter
// the page), and exactly without facets, for the cost of the count and
// facets alone. Each search is first-time: the engine has no result cache.
func BenchmarkBoundedSearch(b *testing.B) {
	dir := os.Getenv("NEWSFIND_BENCH_INDEX")
	if dir == "" {
		b.Skip("set NEWSFIND_BENCH_INDEX to an index folder")
	}
	ix := openIndex(b, dir, Options{})
	for _, q := range []string{"new year", "said people", "said", "world cup final", "economy growth", "prime minister"} {
		for _, way := range []struct {
			name string
			req  search.Request
		}{
			{"exact", search.Request{Query: q, Exact: true}},
			{"bounded", search.Request{Query: q}},
			{"exact-nofacets", search.Request{Query: q, Exact: true, NoFacets: true}},
			{"bounded-nofacets", search.Request{Query: q, NoFacets: true}},
		} {
			b.Run(q+"/"+way.name, func(b *testing.B) {
				var res search.Result
				for b.Loop() {
					var err error
					if res, err = ix.Search(context.Background(), way.req); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(res.Total), "total")
			})
		}
	}
}
