package engine

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"
	"github.com/newsfind/newsfind/internal/analyze"
	"github.com/newsfind/newsfind/internal/index/schema"
	"github.com/newsfind/newsfind/internal/search"
)

// A phrase's pairs of common words (the pairs field) only find faster the
// articles that hold it: on generated news where "new" and "year" are
// among the commonest words and often stand together, searches of common
// words (two, three, with a gap, as typed, in quotes, filtered, paged,
// expanded) give the same hits and scores with the pairs as with the words'
// positions alone. A quoted phrase that is one pair is counted from the
// pair's postings, exactly, where the positions stop at the exact count.
func TestPairsKeepPages(t *testing.T) {
	articles := t.TempDir()
	writeZipfCorpus(t, filepath.Join(articles, "news.jsonl"), 1500)
	dir := buildPruning(t, articles)
	with := openIndex(t, dir, Options{ExactCount: pruneCount})
	without := openIndex(t, dir, Options{ExactCount: pruneCount, NoPairs: true})
	if with.pairs == nil {
		t.Fatal("a new generation has no pairs field")
	}
	var reqs []search.Request
	for _, q := range []string{
		"new year ", "new year", "year new ", "new years ", "prime minister ", "world cup final ", "new year said ",
		"said people government ", "new of year ", "interest rates market ", "market price ", "new year harbour ",
		"football team season player club match ", "what did the government say about the new year budget ",
		"new yaer ", `"new year" `, `"world cup final" `, "+new year ", "new year -said ",
	} {
		reqs = append(reqs, search.Request{Query: q}, search.Request{Query: q, Exact: true})
	}
	reqs = append(reqs,
		search.Request{Query: "new year ", Page: 3},
		search.Request{Query: "new year ", RecencyDays: 30},
		search.Request{Query: "new year ", Filters: search.Filters{Sources: []string{"Beta News"}}},
	)
	pairOnly := func(req search.Request) bool { return req.Query == `"new year" ` && !req.Exact }
	with.sameAs(t, without, "without pairs", slices.DeleteFunc(slices.Clone(reqs), pairOnly))
	beta := search.Filters{Sources: []string{"Beta News"}}
	for _, req := range []search.Request{{Query: `"new year" `}, {Query: `"new year" `, Page: 2, Size: 5}, {Query: `"new year" `, Filters: beta}} {
		exact := req
		exact.Exact = true
		got, want, positions := with.must(t, req), without.must(t, exact), without.must(t, req)
		if !got.TotalExact || got.Total != want.Total || positions.TotalExact || len(got.Hits) != len(want.Hits) || len(got.Hits) != len(positions.Hits) {
			t.Errorf("%q %v: %d of %d hits (exact %v); want %d of %d exactly (by positions: %d of %d, exact %v)", req.Query, req.Filters.Sources,
				len(got.Hits), got.Total, got.TotalExact, len(want.Hits), want.Total, len(positions.Hits), positions.Total, positions.TotalExact)
			continue
		}
		for i := range want.Hits {
			if g, w, p := got.Hits[i], want.Hits[i], positions.Hits[i]; g.ID != w.ID || g.Score != w.Score || g.ID != p.ID {
				t.Errorf("%q %v: hit %d is %s (%v), %s (%v) exactly, %s by positions", req.Query, req.Filters.Sources, i+1, g.ID, g.Score, w.ID, w.Score, p.ID)
			}
		}
	}
}

// Where two common words rarely stand together, their pair bounds the
// phrase bonus: of 6,000 articles that all hold "new" and "year", about 70
// hold "new year", and once the best hold it, a search for it scores only
// those, which it cannot find by the words' positions alone; the hits are
// the same.
func TestPairsSkipBlocks(t *testing.T) {
	articles := t.TempDir()
	f, err := os.Create(filepath.Join(articles, "news.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	enc := json.NewEncoder(f)
	rng := rand.New(rand.NewPCG(3, 5))
	fill := strings.Fields("market said people government world report police court party price bank trade")
	for i := range 6000 {
		words := []string{"new", "year"}
		for range 30 + rng.IntN(60) {
			words = append(words, fill[rng.IntN(len(fill))])
		}
		rng.Shuffle(len(words), func(a, b int) { words[a], words[b] = words[b], words[a] })
		body := strings.Join(words, " ") // "new year" by chance in about 1 in 100
		if i%500 == 7 {
			body += ". A new year."
		}
		if err := enc.Encode(map[string]any{"title": fmt.Sprintf("Report %d", i), "body": body}); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	dir := buildPruning(t, articles)
	var withScored, withoutScored atomic.Int64
	with := openIndex(t, dir, Options{ExactCount: pruneCount, Scored: func(n int) { withScored.Add(int64(n)) }})
	without := openIndex(t, dir, Options{ExactCount: pruneCount, NoPairs: true, Scored: func(n int) { withoutScored.Add(int64(n)) }})
	ctx := context.Background()
	for _, req := range []search.Request{{Query: "new year ", Size: 5}, {Query: "new year ", Size: 20}, {Query: "new year ", Page: 2}, {Query: "new year "}} {
		withScored.Store(0)
		withoutScored.Store(0)
		got, err := with.Search(ctx, req)
		if err != nil {
			t.Fatal(err)
		}
		want, err := without.Search(ctx, req)
		if err != nil {
			t.Fatal(err)
		}
		for i := range want.Hits {
			if g, w := got.Hits[i], want.Hits[i]; g.ID != w.ID || g.Score != w.Score {
				t.Errorf("size %d page %d: hit %d is %s (%v) with pairs, %s (%v) without", req.Size, req.Page, i+1, g.ID, g.Score, w.ID, w.Score)
			}
		}
		t.Logf(`"new year", size %d page %d: %d of 6,000 articles scored with pairs, %d without`, req.Size, req.Page, withScored.Load(), withoutScored.Load())
		if withScored.Load()*4 > withoutScored.Load() {
			t.Errorf(`"new year", size %d page %d: %d articles scored with pairs, %d without: the pairs bound little`, req.Size, req.Page, withScored.Load(), withoutScored.Load())
		}
	}
}

// The pairs field holds exactly the phrases of two common words: on the
// BBC corpus, for a spread of the field's terms and for pairs of the
// commonest stems (held or not), the articles holding a pair are those
// where bleve's phrase query finds its words next to each other.
func TestPairsAreThePhrasesBBC(t *testing.T) {
	if _, err := os.Stat(bbcCorpus); err != nil {
		t.Skipf("BBC corpus not found at %s (set NEWSFIND_BBC to its folder): %v", bbcCorpus, err)
	}
	ix, _ := openBuilt(t, bbcCorpus)
	dict, err := ix.reader.FieldDict(schema.Pairs)
	if err != nil {
		t.Fatal(err)
	}
	var held []string
	for e, err := dict.Next(); e != nil || err != nil; e, err = dict.Next() {
		if err != nil {
			t.Fatal(err)
		}
		held = append(held, e.Term)
	}
	dict.Close()
	if len(held) < 1000 {
		t.Fatalf("%d pairs in the BBC corpus", len(held))
	}
	var pairs [][2]string
	for i := 0; i < len(held); i += len(held) / 300 {
		a, b, _ := strings.Cut(held[i], "+")
		pairs = append(pairs, [2]string{a, b})
	}
	common := []string{"said", "year", "new", "peopl", "govern", "minist", "general", "world", "time", "last", "first", "elect"}
	for _, a := range common {
		for _, b := range common {
			pairs = append(pairs, [2]string{a, b})
		}
	}
	ids := func(q query.Query) map[string]bool {
		res, err := ix.idx.Search(bleve.NewSearchRequestOptions(q, 5000, 0, false))
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]bool{}
		for _, h := range res.Hits {
			out[h.ID] = true
		}
		return out
	}
	found := 0
	for _, p := range pairs {
		term, ok := analyze.Pair(ix.pairs, p[0], p[1])
		if !ok {
			t.Fatalf("%s %s: not a pair of common stems", p[0], p[1])
		}
		tq := bleve.NewTermQuery(term)
		tq.SetField(schema.Pairs)
		got, want := ids(tq), ids(bleve.NewPhraseQuery([]string{p[0], p[1]}, schema.Content))
		if !maps.Equal(got, want) {
			t.Errorf("%s: %d articles hold the pair, %d the phrase", term, len(got), len(want))
		}
		found += len(want)
	}
	t.Logf("%d pairs of %d in the field checked, %d articles holding them", len(pairs), len(held), found)
}
