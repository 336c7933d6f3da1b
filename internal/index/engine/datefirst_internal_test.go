package engine

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/newsfind/newsfind/internal/search"
)

// writeDatedCorpus writes n generated articles as JSON lines, dated on
// few days (many ties), one in ten undated, one in a hundred from a
// small source (Delta Post), one in five a copy of an
// earlier one's text on another day (a version of its story), and a
// burst of 30 versions of one story on the newest day of all.
func writeDatedCorpus(t *testing.T, path string, n int) {
	t.Helper()
	vocab := strings.Fields(`new year said people government minister world market economy election
		film music company report police court party price bank trade oil growth city football team`)
	rng := rand.New(rand.NewPCG(7, 3))
	zipf := rand.NewZipf(rng, 1.1, 2, uint64(len(vocab)-1))
	words := func(k int) string {
		out := make([]string, k)
		for i := range out {
			out[i] = vocab[zipf.Uint64()]
		}
		return strings.Join(out, " ")
	}
	day := func(d int) string {
		return time.Date(2024, 1, 1, 12, 0, 0, 0, time.UTC).AddDate(0, 0, d).Format(time.RFC3339)
	}
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	enc := json.NewEncoder(f)
	var bodies []string
	write := func(i int, title, body, date string) {
		a := map[string]any{
			"id":     fmt.Sprintf("a%04d", i),
			"title":  title,
			"body":   body,
			"source": []string{"Alpha Wire", "Beta News", "Gamma Daily"}[i%3],
		}
		if i%100 == 7 {
			a["source"] = "Delta Post"
		}
		if date != "" {
			a["date"] = date
		}
		if err := enc.Encode(a); err != nil {
			t.Fatal(err)
		}
	}
	for i := range n {
		body := words(40+rng.IntN(80)) + fmt.Sprintf(" marker%d.", i)
		if i%5 == 4 {
			body = bodies[rng.IntN(len(bodies))]
		}
		bodies = append(bodies, body)
		date := day(rng.IntN(25))
		if rng.IntN(10) == 0 {
			date = ""
		}
		write(i, words(3+rng.IntN(4)), body, date)
	}
	burst := "new year said people government minister world market economy election " + words(60)
	for i := range 30 {
		write(n+i, fmt.Sprintf("burst %d", i), burst, day(30))
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

// A search sorted by date scores only the matches dated among the page's
// newest (see byDate), and gives the same pages as scoring every match:
// with ties on the page's last date, undated articles, versions of a
// story collapsed (30 versions on the newest day leave the newest too few
// stories, and every match is ranked), deep pages, filters and exact
// counts. It scores less than a quarter of the articles.
func TestDateFirstKeepsPages(t *testing.T) {
	articles := t.TempDir()
	writeDatedCorpus(t, filepath.Join(articles, "news.jsonl"), 1200)
	dir := buildPruning(t, articles)
	var scoredWith, scoredWithout atomic.Int64
	with := openIndex(t, dir, Options{ExactCount: pruneCount, Scored: func(n int) { scoredWith.Add(int64(n)) }})
	without := openIndex(t, dir, Options{ExactCount: pruneCount, NoDateFirst: true, Scored: func(n int) { scoredWithout.Add(int64(n)) }})
	var reqs []search.Request
	for _, q := range []string{"new year ", "said ", "market price ", "new -year ", "new OR year ", "football team season ", `"new year" `, "electon "} {
		for _, sort := range []search.Sort{search.SortNewest, search.SortOldest} {
			reqs = append(reqs,
				search.Request{Query: q, Sort: sort},
				search.Request{Query: q, Sort: sort, NoCollapse: true},
				search.Request{Query: q, Sort: sort, Page: 4},
				search.Request{Query: q, Sort: sort, Size: 50, Exact: true},
				search.Request{Query: q, Sort: sort, Filters: search.Filters{Sources: []string{"Beta News"}}},
			)
		}
	}
	with.sameAs(t, without, "without date first", reqs)
	t.Logf("%d searches scored %d articles date first, %d without", len(reqs), scoredWith.Load(), scoredWithout.Load())
	if scoredWith.Load() > scoredWithout.Load()/4 {
		t.Errorf("date first scored %d articles, without %d: want less than a quarter", scoredWith.Load(), scoredWithout.Load())
	}
}

// Browsing filters without words (a source, a year: what clicking a facet
// of an empty search shows) keeps the articles that pass, newest first,
// from the filters' postings' bitmaps (see browse): the same pages as
// ranking every match through bleve's searchers, with ties, undated
// articles, collapsed stories and deep pages; its facets are estimated
// from a sample spread over all the matches, as words' are, where the
// searchers' pass counted the first matches only. Browsing everything
// (the landing page) is ranked through its newest articles too, its
// facets exact.
func TestBrowseByDate(t *testing.T) {
	articles := t.TempDir()
	writeDatedCorpus(t, filepath.Join(articles, "news.jsonl"), 1200)
	dir := buildPruning(t, articles)
	with := openIndex(t, dir, Options{ExactCount: pruneCount})
	without := openIndex(t, dir, Options{ExactCount: pruneCount, NoDateFirst: true})
	for _, f := range []search.Filters{
		{},
		{Sources: []string{"Beta News"}},
		{Sources: []string{"Alpha Wire", "Gamma Daily"}},
		{Sources: []string{"Beta News"}, Years: []int{2024}},
	} {
		for _, req := range []search.Request{
			{Filters: f},
			{Filters: f, Sort: search.SortOldest},
			{Filters: f, NoCollapse: true},
			{Filters: f, Page: 5},
			{Filters: f, Sort: search.SortOldest, Page: 3, Size: 50},
		} {
			name := fmt.Sprintf("%v (sort %q, page %d, size %d, collapse %v)", f, req.Sort, req.Page, req.Size, !req.NoCollapse)
			exact := req
			exact.Exact = true
			want, got := without.must(t, exact), with.must(t, req)
			if !got.TotalExact || got.Total != want.Total || len(got.Hits) != len(want.Hits) || len(want.Hits) == 0 {
				t.Errorf("%s: %d of %d hits (exact %v); want %d of %d, exactly", name, len(got.Hits), got.Total, got.TotalExact, len(want.Hits), want.Total)
				continue
			}
			for i := range want.Hits {
				if g, w := got.Hits[i], want.Hits[i]; g.ID != w.ID || g.Score != w.Score || fmt.Sprint(g.Duplicates) != fmt.Sprint(w.Duplicates) {
					t.Errorf("%s: hit %d is %s (%v), want %s (%v)", name, i+1, g.ID, g.Date, w.ID, w.Date)
				}
			}
			// The year's count estimates the dated matches' (nine in ten),
			// where the searchers' pass counted its first 25.
			if years := got.Facets["year"]; len(years) != 1 || years[0].Count < int(got.Total)/2 || got.FacetsApproximate != (len(f.Sources) > 0) {
				t.Errorf("%s: year facet %v of %d matches (approximate %v); want one year counting most of them, estimated",
					name, years, got.Total, got.FacetsApproximate)
			}
		}
	}
}

// A browse of a small source counts its own matches exactly, and the
// source facet over every article (what choosing another source would
// add) from a sample spread over them, past the exact count: estimated,
// and said to be; exact=true counts them all.
func TestBrowseEstimatesOtherValues(t *testing.T) {
	articles := t.TempDir()
	writeDatedCorpus(t, filepath.Join(articles, "news.jsonl"), 1200)
	ix := openIndex(t, buildPruning(t, articles), Options{ExactCount: pruneCount})
	req := search.Request{Filters: search.Filters{Sources: []string{"Delta Post"}}}
	exact := req
	exact.Exact = true
	got, want := ix.must(t, req), ix.must(t, exact)
	if got.Total != want.Total || got.Total > pruneCount || !got.TotalExact || want.FacetsApproximate || !got.FacetsApproximate {
		t.Fatalf("Delta Post: %d matches (exact %v), facets approximate %v (%v with exact=true); want %d (within %d), exact, approximate (not)",
			got.Total, got.TotalExact, got.FacetsApproximate, want.FacetsApproximate, want.Total, pruneCount)
	}
	counts := map[string]int{}
	for _, f := range want.Facets["source"] {
		counts[f.Value] = f.Count
	}
	for _, f := range got.Facets["source"] {
		// (A sample of 25 of 1,200 articles estimates a source of a
		// tenth or more; Delta Post's 1 % is in it once or not at all.)
		if w := counts[f.Value]; w >= 120 && (f.Count < w/2 || f.Count > 2*w) {
			t.Errorf("source %s: estimated %d, counted %d", f.Value, f.Count, w)
		}
	}
	if len(got.Facets["source"]) < 3 {
		t.Errorf("source facet %v: want the other sources too", got.Facets["source"])
	}
}
