package eval

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"testing"

	"github.com/newsfind/newsfind/bench/internal/peer/fts5"
	"github.com/newsfind/newsfind/bench/internal/peer/stockbleve"
)

// library is a small collection in CISI's shape whose queries carry the
// punctuation a person types: quotes, parentheses, colons and hyphens.
var library = &Collection{
	Docs: []Doc{
		{ID: "1", Title: "Editions of the Dewey Decimal Classification", Body: "A history of the Dewey Decimal Classification (DDC) and its editions since 1876."},
		{ID: "2", Title: "Use made of technical libraries", Body: "An analysis of acts of use in technical libraries in the United Kingdom."},
		{ID: "3", Title: "Automatic indexing of documents", Body: "Computers can assign index terms to documents automatically, from their text."},
		{ID: "4", Title: "Citation analysis", Body: "Counting citations between journals shows which journals are central to a field."},
		{ID: "10", Title: "Universal Decimal Classification", Body: "The UDC in information retrieval: a classification scheme - like the DDC - for libraries."},
	},
	Queries: []Query{
		{ID: "1", Text: "Is there any use for traditional classification schemes - DDC, UDC, LC, etc. - in information retrieval?"},
		{ID: "2", Text: `How is "automatic indexing" done: by computers?`},
		{ID: "3", Text: "citation (journals)"},
	},
	Qrels: Qrels{"1": {"1": true, "10": true}, "2": {"3": true}, "3": {"4": true}},
}

// Every system finds the obvious answers through its whole path, and maps
// its hits back to collection IDs.
func TestSystemsOnALibrary(t *testing.T) {
	dir := t.TempDir()
	systems := []System{
		NewNewsfind(filepath.Join(dir, "newsfind")),
		NewStockBleve(filepath.Join(dir, "tfidf"), stockbleve.TFIDF),
		NewStockBleve(filepath.Join(dir, "bm25"), stockbleve.BM25),
		NewFTS5(filepath.Join(dir, "fts5"), fts5.Weights{}, false),
		NewFTS5(filepath.Join(dir, "fts5-stop"), fts5.Weights{}, true),
	}
	reps, err := EvaluateAll(context.Background(), systems, library, Config{Runs: 1})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range reps {
		if r.Skipped != "" {
			t.Logf("%s skipped: %s", r.System, r.Skipped)
			continue
		}
		if r.Errors > 0 || len(r.Notes) > 0 {
			t.Errorf("%s: %d errors, notes %v", r.System, r.Errors, r.Notes)
		}
		for _, q := range r.PerQuery {
			if q.P10 == 0 || q.Top[0] == "" {
				t.Errorf("%s: query %s found nothing relevant: top %v", r.System, q.Query, q.Top)
			}
			for _, id := range q.Top {
				if !slices.ContainsFunc(library.Docs, func(d Doc) bool { return d.ID == id }) {
					t.Errorf("%s: query %s returned %q, not a collection ID", r.System, q.Query, id)
				}
			}
		}
		if r.MAP < 0.9 {
			t.Errorf("%s: MAP %.3f on obvious queries, per query %+v", r.System, r.MAP, r.PerQuery)
		}
	}
}

// Newsfind pages through results of MaxSize and stops at k or at the end.
func TestNewsfindPaging(t *testing.T) {
	var docs []Doc
	for i := range 250 {
		docs = append(docs, Doc{ID: fmt.Sprint(i), Title: fmt.Sprintf("Report %d on libraries", i), Body: "Libraries lend books."})
	}
	n := NewNewsfind(t.TempDir())
	defer n.Close()
	if err := n.Index(context.Background(), docs); err != nil {
		t.Fatal(err)
	}
	for _, k := range []int{10, 150, 1000} {
		ids, err := n.Search(context.Background(), "libraries", k)
		if err != nil {
			t.Fatal(err)
		}
		slices.Sort(ids)
		if want := min(k, 250); len(slices.Compact(ids)) != want {
			t.Errorf("k=%d: %d distinct hits, want %d", k, len(ids), want)
		}
	}
}

// The harness on the real collection: every standard system runs, and none
// is below a floor far under its measured quality (see cmd/eval), which a
// broken pipeline (lost documents, IDs not mapped back, queries failing)
// would fall through. The figures themselves belong in notes.
func TestStandardOnCISI(t *testing.T) {
	if testing.Short() {
		t.Skip("indexes CISI in every system")
	}
	c, err := LoadCISI(cisiDir(t))
	if err != nil {
		t.Fatal(err)
	}
	reps, err := EvaluateAll(context.Background(), Standard(t.TempDir()), c, Config{Depth: 100, Runs: -1})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range reps {
		if r.Skipped != "" {
			t.Logf("%s skipped: %s", r.System, r.Skipped)
			continue
		}
		t.Logf("%s: MAP %.3f nDCG@10 %.3f", r.System, r.MAP, r.NDCG10)
		if r.Queries != 76 || r.Errors > 0 || r.NDCG10 < 0.2 || r.MAP < 0.1 {
			t.Errorf("%s: %d queries, %d errors, nDCG@10 %.3f, MAP %.3f; notes %v",
				r.System, r.Queries, r.Errors, r.NDCG10, r.MAP, r.Notes)
		}
	}
}
