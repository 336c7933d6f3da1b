package index

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/newsfind/newsfind/internal/search"
)

// Above the exact limit, facet counts are estimated from a sample of the
// matches and say so; the estimates are close to the truth.
func TestSampledFacets(t *testing.T) {
	articles := t.TempDir()
	const n = 2000
	for i := range n {
		source := []string{"Alpha Wire", "Beta News"}[i%4/3] // 3 of 4 Alpha
		body := fmt.Sprintf("Article %d\n2021-0%d-1%d 10:00\n\nThe economy grew again, number %d. (%s)\n", i, 1+i%9, i%10, i, source)
		if err := os.WriteFile(filepath.Join(articles, fmt.Sprintf("%04d.txt", i)), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	dir := filepath.Join(t.TempDir(), "index")
	if _, err := Build(context.Background(), BuildConfig{Articles: articles, Index: dir}); err != nil {
		t.Fatal(err)
	}
	ix, err := Open(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	exact, err := ix.Search(context.Background(), search.Request{Query: "economy"})
	if err != nil || exact.FacetsApproximate || exact.Total != n {
		t.Fatalf("exact: %v, approximate %v, total %d", err, exact.FacetsApproximate, exact.Total)
	}
	defer func(old int) { exactFacetLimit = old }(exactFacetLimit)
	exactFacetLimit = 400
	sampled, err := ix.Search(context.Background(), search.Request{Query: "economy"})
	if err != nil || !sampled.FacetsApproximate || sampled.Total != n {
		t.Fatalf("sampled: %v, approximate %v, total %d", err, sampled.FacetsApproximate, sampled.Total)
	}
	sum := func(fs []search.Facet) (total int) {
		for _, f := range fs {
			total += f.Count
		}
		return total
	}
	for _, name := range []string{"year", "month"} {
		e, s := sum(exact.Facets[name]), sum(sampled.Facets[name])
		if e == 0 || s < e*7/10 || s > e*13/10 {
			t.Errorf("%s: sampled counts sum to %d, exact to %d", name, s, e)
		}
	}
	t.Logf("exact %v\nsampled %v", exact.Facets["month"], sampled.Facets["month"])
}
