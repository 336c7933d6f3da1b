package engine

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/newsfind/newsfind/internal/index/gen"
	"github.com/newsfind/newsfind/internal/search"
)

// A quoted phrase searched alone that far more articles hold than the
// exact count is checked in a sample of the articles with all its words,
// spread over them: its total is an estimate, and its facets describe all
// its holders, not the first in index order, which follows the order the
// articles were added in. Here that is their date: 6,000 articles over 12
// years, added a year at a time, half holding "river delta" and half both
// words apart; the exact count is 1,000. Counting the first 1,000 holders
// saw four years. A phrase whose words are together in every article but
// that few hold ("quiet river", 150) is counted exactly. The pages are
// those of exact=true, by relevance and by date (ranked through the
// newest candidates, passing over those without the phrase).
func TestQuotedPhraseEstimatedFromASpreadSample(t *testing.T) {
	articles := t.TempDir()
	f, err := os.Create(filepath.Join(articles, "news.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	enc := json.NewEncoder(f)
	const n, years, limit = 6000, 12, 1000
	for i := range n {
		body := fmt.Sprintf("Report %d on the delta and the river, from the quiet council.", i)
		if i%2 == 0 {
			body = fmt.Sprintf("Report %d on the river delta, from the quiet council.", i)
		}
		if i%40 == 1 { // in the articles without the phrase
			body += " A quiet river."
		}
		a := map[string]any{"title": fmt.Sprintf("Water report %d", i), "body": body,
			"source": []string{"Alpha Wire", "Beta News", "Gamma Daily"}[i%3],
			"date":   time.Date(2013+i*years/n, time.Month(1+i%12), 1+i%28, 12, 0, 0, 0, time.UTC).Format(time.RFC3339)}
		if err := enc.Encode(a); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "index")
	if _, err := gen.Build(context.Background(), gen.Config{Articles: articles, Index: dir, BatchSize: n / years}); err != nil {
		t.Fatal(err)
	}
	ix := openIndex(t, dir, Options{ExactCount: limit})
	res := ix.must(t, search.Request{Query: `"river delta"`, NoCollapse: true})
	if !res.TotalEstimated || res.TotalExact || res.Total < n/2*85/100 || res.Total > n/2*115/100 {
		t.Errorf(`"river delta": total %d (exact %v, estimated %v), want an estimate of %d within 15 %%`, res.Total, res.TotalExact, res.TotalEstimated, n/2)
	}
	if !res.FacetsApproximate {
		t.Error(`"river delta": facets not said to be approximate`)
	}
	if got := len(res.Facets["year"]); got < years-1 {
		t.Errorf(`"river delta": %d years in the facets (%v), want the %d the holders span`, got, res.Facets["year"], years)
	}
	sum := 0
	for _, y := range res.Facets["year"] {
		sum += y.Count
	}
	if sum < n/2*85/100 || sum > n/2*115/100 {
		t.Errorf(`"river delta": the years' counts sum to %d, want about %d`, sum, n/2)
	}
	quiet := ix.must(t, search.Request{Query: `"quiet river"`, NoCollapse: true})
	if !quiet.TotalExact || quiet.TotalEstimated || quiet.Total != n/40 {
		t.Errorf(`"quiet river": total %d (exact %v, estimated %v), want %d exactly`, quiet.Total, quiet.TotalExact, quiet.TotalEstimated, n/40)
	}
	for _, req := range []search.Request{{Query: `"river delta"`}, {Query: `"river delta"`, Page: 7, Size: 5}, {Query: `"quiet river"`},
		{Query: `"river delta"`, Sort: search.SortNewest}, {Query: `"river delta"`, Sort: search.SortOldest, Page: 3}} {
		exact := req
		exact.Exact = true
		got, want := ix.must(t, req), ix.must(t, exact)
		if len(got.Hits) != len(want.Hits) {
			t.Fatalf("%s page %d: %d hits, %d with exact=true", req.Query, req.Page, len(got.Hits), len(want.Hits))
		}
		for i := range got.Hits {
			if g, w := got.Hits[i], want.Hits[i]; g.ID != w.ID || g.Score != w.Score {
				t.Errorf("%s page %d %s: hit %d is %s (%v), %s (%v) with exact=true", req.Query, req.Page, req.Sort, i+1, g.ID, g.Score, w.ID, w.Score)
			}
		}
	}
}
