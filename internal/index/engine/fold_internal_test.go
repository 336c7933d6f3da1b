package engine

import (
	"context"
	"testing"

	bsearch "github.com/blevesearch/bleve/v2/search"
)

// A typed word that is its own stem ("china") is scored on the content
// field's postings twice over: as the word, and again as its exact form.
// The searcher reads those postings once, counting them for both (that
// scores stay the same is what the relevance and pruning tests check).
func TestOwnStemPostingsReadOnce(t *testing.T) {
	ix, _ := openBuilt(t, seedsDir)
	ctx := context.Background()
	q := wordsQuery(ix.analyzer, "china", false)
	s, err := q.Searcher(ix.scoringContext(ctx), ix.reader, ix.idx.Mapping(), bsearch.SearcherOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	bs, ok := s.(*bm25Searcher)
	if !ok {
		t.Fatalf("searcher is a %T, want *bm25Searcher", s)
	}
	var first *bm25Clause
	for _, c := range bs.clauses {
		if c.term == "china" && c.primary {
			if first != nil {
				t.Fatalf("the content field's postings of %q are read by two clauses", c.term)
			}
			first = c
		}
	}
	if first == nil || first.also != exactBoost {
		t.Fatalf("content clause of china: %+v, want one counting its occurrences %v more times", first, exactBoost)
	}
	sc := &bsearch.SearchContext{DocumentMatchPool: bsearch.NewDocumentMatchPool(s.DocumentMatchPoolSize(), 0), IndexReader: ix.reader}
	n := 0
	for {
		m, err := s.Next(sc)
		if err != nil {
			t.Fatal(err)
		}
		if m == nil {
			break
		}
		n++
		sc.DocumentMatchPool.Put(m)
	}
	if n == 0 {
		t.Fatal("no seed article matches china")
	}
}
