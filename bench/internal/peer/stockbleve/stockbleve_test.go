package stockbleve

import (
	"context"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/newsfind/newsfind/bench/internal/peer"
)

var docs = []peer.Doc{
	{ID: "dewey", Title: "Editions of the Dewey Decimal Classification", Body: "A history of the classification scheme and its editions.", Source: "JASIS", Date: time.Date(1971, 1, 1, 0, 0, 0, 0, time.UTC)},
	{ID: "use", Title: "Use made of technical libraries", Body: "An analysis of acts of use in technical libraries; library use is one aspect of information use."},
	{ID: "retrieval", Title: "Automatic retrieval", Body: "Retrieving articles automatically from their titles."},
}

func create(t *testing.T, model string) *Index {
	t.Helper()
	ix, err := Create(Config{Path: filepath.Join(t.TempDir(), "ix"), ScoringModel: model, BatchSize: 2})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := ix.Close(); err != nil {
			t.Error(err)
		}
	})
	if err := ix.Add(context.Background(), docs); err != nil {
		t.Fatal(err)
	}
	return ix
}

func ids(hits []peer.Hit) []string {
	out := make([]string, len(hits))
	for i, h := range hits {
		out[i] = h.ID
	}
	return out
}

func TestSearch(t *testing.T) {
	for _, model := range []string{"", TFIDF, BM25} {
		t.Run("model="+model, func(t *testing.T) {
			ix := create(t, model)
			ctx := context.Background()
			// Stemming ("retrieve" finds "retrieval", "librari" both forms),
			// stop words dropped, punctuation harmless.
			for _, tc := range []struct {
				text string
				want []string
			}{
				{`What is "retrieve"?`, []string{"retrieval"}},
				{"library (use): -technical", []string{"use"}},
				{"the of and", nil},
				{"classification retrieval", []string{"dewey", "retrieval"}},
			} {
				hits, err := ix.Search(ctx, tc.text, 10)
				if err != nil {
					t.Fatal(err)
				}
				got := ids(hits)
				slices.Sort(got)
				if !slices.Equal(got, tc.want) {
					t.Errorf("Search(%q) = %v, want %v", tc.text, got, tc.want)
				}
			}
			hits, err := ix.Search(ctx, "retrieval classification", 1)
			if err != nil || len(hits) != 1 {
				t.Errorf("k=1: %v, %v; want one hit", ids(hits), err)
			}
		})
	}
}

func TestCreateRejectsUnknownModel(t *testing.T) {
	if _, err := Create(Config{Path: filepath.Join(t.TempDir(), "ix"), ScoringModel: "magic"}); err == nil {
		t.Error("Create with an unknown scoring model succeeded")
	}
}

// The scoring model must reach bleve: the same hit scores differently under
// TF-IDF and BM25.
func TestScoringModelsDiffer(t *testing.T) {
	score := func(model string) float64 {
		hits, err := create(t, model).Search(context.Background(), "use", 1)
		if err != nil || len(hits) == 0 {
			t.Fatalf("%s: %v, %v", model, ids(hits), err)
		}
		return hits[0].Score
	}
	if tf, bm := score(TFIDF), score(BM25); tf == bm {
		t.Errorf("tf-idf and bm25 both score %v", tf)
	}
}
