package engine

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"testing"

	bsearch "github.com/blevesearch/bleve/v2/search"
	index "github.com/blevesearch/bleve_index_api"
	"github.com/newsfind/newsfind/internal/search"
)

// bbcCorpus is the BBC news corpus the phrase probe is also compared on,
// when the machine has it.

// phraseProbeQueries are plain-word searches, each checked for the phrase
// bonus: common pairs and triples, stop words inside and around, repeated
// and reversed words, words only some of which any article has, words no
// article has, single words, a question, and a longer one (expanded by
// feedback).
var phraseProbeQueries = []string{
	"new year", "year new", "new new york", "new york", "the new year",
	"prime minister", "prime minister of britain", "minister of the", "house of commons",
	"bank of england", "secretary of state", "chancellor gordon brown", "interest rates",
	"mobile phone", "world cup", "general election", "tony blair", "film festival",
	"oil prices", "minister said talks", "economy grew", "said said said", "year year",
	"new zzyzx", "prime zzyzx minister", "zzyzx qqqxx", "the the", "economy", "xinhua",
	"shanghai cooperation organization", "secretary-general of the sco", "wang yi",
	"what did the chancellor say about interest rates",
	"prime minister tony blair told the labour party conference in brighton",
}

// withPhraseProbes runs f with g's phrase probe on or off.
func withPhraseProbes(g *Generation, on bool, f func()) {
	defer func(was bool) { g.opts.NoPhraseProbe = was }(g.opts.NoPhraseProbe)
	g.opts.NoPhraseProbe = !on
	f()
}

// scored is a match of the scorer: the article and its score.
type scored struct {
	doc   uint64
	score float64
}

// scoreAll runs q through the BM25 scorer with no top hits to skip (so
// every match holding all the words is phrase-checked), or, with targets,
// advancing to each target only (so the check skips the articles in
// between). kind tells which phrase checker the scorer used.
func scoreAll(t *testing.T, g *Generation, q *bm25Query, targets []index.IndexInternalID) (out []scored, kind string) {
	t.Helper()
	if q == nil {
		return nil, "none"
	}
	s, err := q.Searcher(g.scoringContext(context.Background()), g.reader, g.idx.Mapping(), bsearch.SearcherOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	switch bs := s.(*bm25Searcher); {
	case bs.probe != nil:
		kind = "probe"
	case bs.phrase != nil:
		kind = "bleve"
	default:
		kind = "none"
	}
	sctx := &bsearch.SearchContext{DocumentMatchPool: bsearch.NewDocumentMatchPool(s.DocumentMatchPoolSize()+1, 0), IndexReader: g.reader}
	add := func(d *bsearch.DocumentMatch) {
		out = append(out, scored{d.IndexInternalID.Value(), d.Score})
		sctx.DocumentMatchPool.Put(d)
	}
	if targets == nil {
		for {
			d, err := s.Next(sctx)
			if err != nil {
				t.Fatal(err)
			}
			if d == nil {
				return out, kind
			}
			add(d)
		}
	}
	for _, id := range targets {
		if len(out) > 0 && out[len(out)-1].doc >= id.Value() {
			continue // already past it
		}
		d, err := s.Advance(sctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if d == nil {
			break
		}
		add(d)
	}
	return out, kind
}

// sameScores reports how got differs from want, or "" when it does not:
// the same articles, in the same order, with scores within 1e-12.
func sameScores(got, want []scored) string {
	if len(got) != len(want) {
		return fmt.Sprintf("%d matches, want %d", len(got), len(want))
	}
	for i := range got {
		if got[i].doc != want[i].doc || math.Abs(got[i].score-want[i].score) > 1e-12 {
			return fmt.Sprintf("match %d is article %d scoring %v, want %d scoring %v", i, got[i].doc, got[i].score, want[i].doc, want[i].score)
		}
	}
	return ""
}

// The phrase bonus checked by the probe (advancing one postings reader
// per term, with positions, to the articles asked about) gives exactly what
// bleve's phrase searcher gave: the same matches with the same scores, in
// the scorer's own pass over every match, when it skips to chosen articles,
// and in searches' top hits, where only matches that could still enter the
// top are checked. The scorer is run on the words as a search compiles
// them and on the typed text whole: a search drops the stop words between
// its words before it makes the phrase (compile keeps only words with
// terms), so only the latter checks phrases with gaps. Some articles must
// gain the bonus, or the comparison would prove nothing.
func TestPhraseProbeAsBleve(t *testing.T) {
	for _, c := range []struct {
		name string
		open func(t *testing.T) *testIndex
	}{
		{"seeds", func(t *testing.T) *testIndex { ix, _ := openBuilt(t, seedsDir); return ix }},
		// Many articles holding the same few words in every order.
		{"generated", func(t *testing.T) *testIndex { ix, _, _ := facetIndex(t); return ix }},
		{"bbc", func(t *testing.T) *testIndex {
			if _, err := os.Stat(bbcCorpus); err != nil {
				t.Skipf("BBC corpus absent (%v): compared on the seeds and generated articles only", err)
			}
			ix, _ := openBuilt(t, bbcCorpus)
			return ix
		}},
	} {
		t.Run(c.name, func(t *testing.T) { comparePhraseProbe(t, c.open(t)) })
	}
}

// comparePhraseProbe runs phraseProbeQueries on ix with the probe and with
// bleve's phrase searcher, and reports any difference.
func comparePhraseProbe(t *testing.T, ix *testIndex) {
	g := ix.Generation
	probed, bonuses := map[string]int{}, map[string]int{}
	rng := rand.New(rand.NewPCG(1, 2))
	for _, text := range phraseProbeQueries {
		for _, form := range []struct {
			name string
			q    *bm25Query
		}{
			{"compiled", compile(search.Parse(text), search.Filters{}, ix.analyzer, false, nil).words},
			{"typed", wordsQuery(ix.analyzer, text, true)},
		} {
			var want, got []scored
			var wantKind, gotKind string
			withPhraseProbes(g, false, func() { want, wantKind = scoreAll(t, g, form.q, nil) })
			withPhraseProbes(g, true, func() { got, gotKind = scoreAll(t, g, form.q, nil) })
			if diff := sameScores(got, want); diff != "" {
				t.Errorf("%q %s, every match: %s", text, form.name, diff)
			}
			if wantKind == "probe" || (wantKind == "bleve") != (gotKind == "probe") {
				t.Errorf("%q %s: phrase checked by %s with probes off, %s with probes on", text, form.name, wantKind, gotKind)
			}
			if gotKind == "probe" {
				probed[form.name]++
				bare := *form.q // the same search without the bonus
				bare.phrase = nil
				unphrased, _ := scoreAll(t, g, &bare, nil)
				for i := range min(len(got), len(unphrased)) {
					if got[i].score != unphrased[i].score {
						bonuses[form.name]++
					}
				}
			}

			// Skipping: one match in 1 to 50, at random.
			var targets []index.IndexInternalID
			for i := 0; i < len(want); i += 1 + rng.IntN(50) {
				targets = append(targets, index.NewIndexInternalID(nil, want[i].doc))
			}
			withPhraseProbes(g, false, func() { want, _ = scoreAll(t, g, form.q, targets) })
			withPhraseProbes(g, true, func() { got, _ = scoreAll(t, g, form.q, targets) })
			if diff := sameScores(got, want); diff != "" {
				t.Errorf("%q %s, skipping to %d matches: %s", text, form.name, len(targets), diff)
			}
		}

		// Searches: the top hits, where the floor skips most checks.
		for _, req := range []search.Request{
			{Query: text, Page: 1, Size: 10}, {Query: text, Page: 3, Size: 7},
			{Query: text, Page: 1, Size: 50, Sort: search.SortNewest},
		} {
			var want, got search.Result
			withPhraseProbes(g, false, func() { want = mustSearchInternal(t, ix, req) })
			withPhraseProbes(g, true, func() { got = mustSearchInternal(t, ix, req) })
			if diff := sameHits(got, want); diff != "" {
				t.Errorf("%q page %d of %d sorted %q: %s", req.Query, req.Page, req.Size, req.Sort, diff)
			}
		}
	}
	for _, form := range []string{"compiled", "typed"} {
		if probed[form] == 0 || bonuses[form] == 0 {
			t.Errorf("%s: %d scorers probed, %d articles gained the bonus: the comparison proves nothing", form, probed[form], bonuses[form])
		}
	}
	t.Logf("scorers probed %v, articles gaining the phrase bonus %v", probed, bonuses)
}

func mustSearchInternal(t *testing.T, ix *testIndex, req search.Request) search.Result {
	t.Helper()
	res, err := ix.Search(context.Background(), req)
	if err != nil {
		t.Fatalf("Search(%+v): %v", req, err)
	}
	return res
}

// sameHits reports how got differs from want, or "" when it does not: the
// same total and hits, in order, with scores within 1e-12 and the same
// highlighted fragments.
func sameHits(got, want search.Result) string {
	if got.Total != want.Total || got.Relaxed != want.Relaxed || len(got.Hits) != len(want.Hits) {
		return fmt.Sprintf("%d matches, %d hits (relaxed %v), want %d, %d (relaxed %v)",
			got.Total, len(got.Hits), got.Relaxed, want.Total, len(want.Hits), want.Relaxed)
	}
	for i, h := range got.Hits {
		w := want.Hits[i]
		if h.ID != w.ID || math.Abs(h.Score-w.Score) > 1e-12 {
			return fmt.Sprintf("hit %d is %s scoring %v, want %s scoring %v", i, h.ID, h.Score, w.ID, w.Score)
		}
		if fmt.Sprint(h.Fragments) != fmt.Sprint(w.Fragments) {
			return fmt.Sprintf("hit %d (%s) shows %v, want %v", i, h.ID, h.Fragments, w.Fragments)
		}
	}
	return ""
}

// A probe closes its readers once, however often the scorer is closed,
// and a phrase with a term no article has is checked by a probe that
// holds no reader.
func TestPhraseProbeClosedOnce(t *testing.T) {
	ix, _, _ := facetIndex(t)
	g := ix.Generation
	for _, text := range []string{"oil prices", "oil zzyzx prices"} {
		q := wordsQuery(ix.analyzer, text, true)
		s, err := q.Searcher(g.scoringContext(context.Background()), g.reader, g.idx.Mapping(), bsearch.SearcherOptions{})
		if err != nil {
			t.Fatal(err)
		}
		bs := s.(*bm25Searcher)
		p := bs.probe
		if p == nil {
			t.Fatalf("%q: no probe", text)
		}
		if never := text != "oil prices"; p.never != never || (len(p.readers) == 0) != never {
			t.Errorf("%q: probe never %v with %d readers", text, p.never, len(p.readers))
		}
		s.Close()
		s.Close()
		if len(p.readers) != 0 || bs.probe != nil {
			t.Errorf("%q: probe keeps %d readers after Close", text, len(p.readers))
		}
	}
	// Later searches see sound readers.
	res := mustSearchInternal(t, ix, search.Request{Query: "oil prices", Page: 1, Size: 10})
	if res.Total == 0 {
		t.Error("no match for oil prices after the probes closed")
	}
}
