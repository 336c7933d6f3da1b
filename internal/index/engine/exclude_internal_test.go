package engine

import (
	"context"
	"path/filepath"
	"sync/atomic"
	"testing"

	"github.com/newsfind/newsfind/internal/search"
)

// allHits returns every hit of req, page after page, best first.
func allHits(t *testing.T, ix *testIndex, req search.Request) []search.Hit {
	t.Helper()
	req.Size = 100
	var out []search.Hit
	for req.Page = 1; ; req.Page++ {
		res, err := ix.Search(context.Background(), req)
		if err != nil {
			t.Fatalf("%q: %v", req.Query, err)
		}
		if out = append(out, res.Hits...); len(res.Hits) < req.Size {
			return out
		}
	}
}

// Excluding ("-word", -"a phrase") keeps to the articles of the words
// without those of the exclusion, ranked and scored as the words alone
// rank and score them, with filters too; and the words' searcher then
// counts its matches from their postings' bitmaps and skips what cannot
// enter the page, as without an exclusion.
func TestExclusionsKeepToTheWords(t *testing.T) {
	ix, sc := newScoring(t)
	beta := search.Filters{Sources: []string{"Beta News"}}
	for _, c := range []struct {
		words, not string
		filters    search.Filters
	}{
		{"new year ", "harbour", search.Filters{}},
		{"market price ", "harbour", search.Filters{}},
		{"economy growth ", `"world cup"`, search.Filters{}},
		{"football team season ", "quill", beta},
		{"new ", "cup", beta},
	} {
		words := allHits(t, ix, search.Request{Query: c.words, NoTypo: true, Filters: c.filters})
		out := map[string]bool{}
		for _, h := range allHits(t, ix, search.Request{Query: c.not + " ", NoTypo: true}) {
			out[h.ID] = true
		}
		var want []search.Hit
		for _, h := range words {
			if !out[h.ID] {
				want = append(want, h)
			}
		}
		q := "-" + c.not + " " + c.words
		got := allHits(t, ix, search.Request{Query: q, NoTypo: true, Filters: c.filters})
		if len(got) != len(want) || len(out) == 0 || len(want) == 0 {
			t.Errorf("%q: %d hits; want %d (%d of the words', %d excluded)", q, len(got), len(want), len(words), len(out))
			continue
		}
		for i := range want {
			if got[i].ID != want[i].ID || got[i].Score != want[i].Score {
				t.Errorf("%q: hit %d is %s (%v); want %s (%v)", q, i+1, got[i].ID, got[i].Score, want[i].ID, want[i].Score)
				break
			}
		}
		res := sc.search(t, search.Request{Query: q, NoTypo: true, Filters: c.filters})
		if !res.TotalExact || res.Total != uint64(len(want)) {
			t.Errorf("%q: total %d (exact %v); want %d", q, res.Total, res.TotalExact, len(want))
		}
	}
	// Before, bleve's conjunction scored every article of the words, the
	// excluded too: 6,099 for 4,451 matches.
	sc.fewerThanMatched(t)
}

// scoring counts the articles an index's searches score (Options.Scored)
// against their matches.
type scoring struct {
	ix               *testIndex
	scored           atomic.Int64
	matches, scoreds int64
}

// newScoring opens an index of 1,500 generated articles
// (writeZipfCorpus), with its block maxima, whose searches scoring counts.
func newScoring(t *testing.T) (*testIndex, *scoring) {
	t.Helper()
	articles := t.TempDir()
	writeZipfCorpus(t, filepath.Join(articles, "news.jsonl"), 1500)
	sc := &scoring{}
	sc.ix = openIndex(t, buildPruning(t, articles), Options{Scored: func(n int) { sc.scored.Add(int64(n)) }})
	return sc.ix, sc
}

// search searches req's first page and adds its matches, and the articles
// it scored, to sc's.
func (sc *scoring) search(t *testing.T, req search.Request) search.Result {
	t.Helper()
	sc.scored.Store(0)
	res := sc.ix.must(t, req)
	t.Logf("%q %v: %d matches, %d scored for the first page", req.Query, req.Filters, res.Total, sc.scored.Load())
	sc.matches += int64(res.Total)
	sc.scoreds += sc.scored.Load()
	return res
}

// fewerThanMatched fails unless the searches scored at most three
// quarters of their matches: they skipped what could not enter the page.
func (sc *scoring) fewerThanMatched(t *testing.T) {
	t.Helper()
	if sc.scoreds > sc.matches*3/4 {
		t.Errorf("the first pages scored %d articles of %d matches; want at most three quarters", sc.scoreds, sc.matches)
	}
}
