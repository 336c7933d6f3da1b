package engine

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"testing"

	bsearch "github.com/blevesearch/bleve/v2/search"

	"github.com/newsfind/newsfind/internal/analyze"
	"github.com/newsfind/newsfind/internal/index/blockmax"
	"github.com/newsfind/newsfind/internal/index/bm25"
	"github.com/newsfind/newsfind/internal/index/gen"
	"github.com/newsfind/newsfind/internal/index/schema"
	"github.com/newsfind/newsfind/internal/index/suggest"
	"github.com/newsfind/newsfind/internal/search"
)

// Every article a word's search matches scores at most what its block's
// maximum bounds (idf × (k1+1) × the stored factor), whichever form of the
// word is typed: the word itself, a plural, a stem that is its own word
// with siblings, with and without the exact forms counted, and its content
// occurrences alone, as a quoted phrase counts them, by their own maxima. Block maxima
// that bound less would let a search skip an article of its top hits.
func TestBlockMaximaBoundEveryScore(t *testing.T) {
	articles := t.TempDir()
	writeZipfCorpus(t, filepath.Join(articles, "news.jsonl"), 1500)
	ix, _ := openPruning(t, articles)
	if n := boundsHold(t, ix); n < 1000 {
		t.Errorf("only %d scores checked", n)
	}
}

// An update copies the block maxima of the segments it keeps and computes
// only the new ones'; they still bound every score, and pages are still
// those of every match counted.
func TestBlockMaximaAfterUpdate(t *testing.T) {
	articles := t.TempDir()
	writeZipfCorpus(t, filepath.Join(articles, "news.jsonl"), 1500)
	dir := filepath.Join(t.TempDir(), "index")
	copied := -1
	tables := func(_ context.Context, path, from string) error {
		g, err := Open(path, Options{})
		if err != nil {
			return err
		}
		copied, err = writeImpactsWalking(g, from)
		return errors.Join(err, g.Close())
	}
	if _, err := gen.Build(context.Background(), gen.Config{Articles: articles, Index: dir, Tables: tables}); err != nil {
		t.Fatal(err)
	}
	if copied != 0 {
		t.Errorf("a full build copied %d segments' maxima", copied)
	}
	if err := os.WriteFile(filepath.Join(articles, "extra.txt"), []byte("Harbour police\n\nThe harbour police said the harbour was closed. Harbour harbour.\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := gen.Update(context.Background(), gen.Config{Articles: articles, Index: dir, Tables: tables}); err != nil {
		t.Fatal(err)
	}
	if copied < 1 {
		t.Errorf("the update copied %d segments' maxima, want those it kept", copied)
	}
	ix := openIndex(t, dir, Options{ExactCount: pruneCount})
	if ix.impacts == nil {
		t.Fatal("the updated generation has no block maxima")
	}
	if n := boundsHold(t, ix); n < 1000 {
		t.Errorf("only %d scores checked", n)
	}
	if n, _ := pairBoundsHold(t, ix, [2]string{"new", "year"}); n < 500 {
		t.Errorf(`only %d scores checked against the maxima of "new year"`, n)
	}
	var reqs []search.Request
	for _, q := range []string{"harbour", "harbour police ", "new year ", "said "} {
		reqs = append(reqs, search.Request{Query: q})
	}
	samePages(t, ix, reqs)
}

// The stems WriteImpacts stores, gathered from the walks of the
// dictionaries the suggestion lists make, are those walks of their own
// find: the block maxima written are the same, byte for byte.
func TestImpactTermsFromTheSuggestionWalks(t *testing.T) {
	articles := t.TempDir()
	writeFacetCorpus(t, articles, "news.jsonl", 400, 5) // plurals: markets, prices, talks
	ix := openIndex(t, buildPruning(t, articles), Options{})
	g, file := ix.Generation, filepath.Join(ix.Path(), blockmax.File)
	read := func() []byte {
		t.Helper()
		b, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	if _, err := writeImpactsWalking(g, ""); err != nil {
		t.Fatal(err)
	}
	own := read()
	terms := g.NewImpactTerms()
	if _, err := suggest.Build(g, terms.Add); err != nil {
		t.Fatal(err)
	}
	if len(terms.stems) == 0 {
		t.Fatal("the suggestion walks gathered no stems")
	}
	if err := g.Terms(schema.Pairs, func(term string, docs uint64) { terms.Add(schema.Pairs, term, docs) }); err != nil { // as WriteTables adds them
		t.Fatal(err)
	}
	for stem, form := range map[string]string{"market": "markets", "price": "prices", "elect": "election"} {
		if got := terms.forms[stem]; !slices.Equal(got, []string{form}) {
			t.Errorf("forms of %s: %v, want [%s]", stem, got, form)
		}
	}
	if _, err := g.WriteImpacts("", terms); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(read(), own) {
		t.Errorf("block maxima from the stems the suggestion walks gathered differ from those of walks of their own")
	}
}

// writeImpactsWalking writes g's block maxima, copied from from's where
// they can be, from walks of its dictionaries made for them alone.
func writeImpactsWalking(g *Generation, from string) (int, error) {
	terms := g.NewImpactTerms()
	for _, field := range []string{schema.Content, schema.Exact, schema.Pairs} {
		if err := g.Terms(field, func(term string, docs uint64) { terms.Add(field, term, docs) }); err != nil {
			return 0, err
		}
	}
	return g.WriteImpacts(from, terms)
}

// boundsHold checks that every article some words' searches match on ix
// scores at most what its block's maximum bounds, and returns how many
// it checked.
func boundsHold(t *testing.T, ix *testIndex) int {
	t.Helper()
	if ix.impacts == nil {
		t.Fatal("no block maxima read")
	}
	ctx := ix.scoringContext(context.Background())
	checked := 0
	for _, word := range []string{"harbour", "harbours", "new", "year", "said", "police", "markets", "elections"} {
		for _, q := range []*bm25Query{wordsQuery(ix.analyzer, word, false), {terms: analyze.Terms(ix.analyzer, word), fields: []weightedField{{name: schema.Content, boost: 1}, {name: schema.Title, boost: titleBoost}}},
			fieldQuery(ix.analyzer, schema.Content, word, false)} { // a quoted phrase's word: its content occurrences alone
			s, err := q.Searcher(ctx, ix.reader, ix.idx.Mapping(), bsearch.SearcherOptions{})
			if err != nil {
				t.Fatal(err)
			}
			bs, ok := s.(*bm25Searcher)
			if !ok || len(bs.weights) != 1 || bs.rows == nil || bs.rows[0] == nil {
				s.Close()
				continue // not a common word here
			}
			w, row := bs.weights[0], bs.rows[0]
			if alone := ix.impacts.Row(rowKey(q.terms[0], "", true)); len(q.fields) == 1 && (alone == nil || &row[0] != &alone[0]) {
				t.Errorf("%q: a search of its content occurrences alone is not bounded by their own maxima", word)
			}
			eachMatch(t, s, func(d *bsearch.DocumentMatch) {
				j, end := ix.impacts.Block(d.IndexInternalID.Value())
				if bound := bm25.Bound(w) * float64(row[j]) / 255; d.Score > bound {
					t.Errorf("%q: article %d scores %v, above its block's bound %v", word, d.IndexInternalID.Value(), d.Score, bound)
				}
				// A block skipped by its maxima alone, past the first (see
				// skipBlock), is not one whose articles score above the
				// threshold.
				if bs.theta = d.Score * (1 - 1e-6); bs.belowTheta(j, 1, end, true) {
					t.Errorf("%q: block %d would be skipped below article %d's score %v", word, j, d.IndexInternalID.Value(), d.Score)
				}
				// Nor is a span of blocks holding it (see skipBlock).
				for _, n := range []int{2, 7} {
					from := max(0, j-n/2)
					if n = min(n, ix.impacts.Blocks-from); bs.belowTheta(from, n, ix.impacts.BlockEnd(from+n-1), true) {
						t.Errorf("%q: blocks %d to %d would be skipped below article %d's score %v", word, from, from+n-1, d.IndexInternalID.Value(), d.Score)
					}
				}
				checked++
			})
		}
	}
	return checked
}
