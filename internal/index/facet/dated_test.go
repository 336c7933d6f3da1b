package facet

import (
	"context"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/blevesearch/bleve/v2/numeric"
	"github.com/newsfind/newsfind/internal/index/schema"
)

// Dated returns exactly the matches as new (or old) as their n-th newest
// (oldest), ties included, in document order; nil when fewer than n are
// dated or when nothing would be left out. Checked against sorting every
// match's date, on tables with many ties and undated documents, dates in
// the order of the documents (as an archive adds them) or not, and
// matches from a few (every date read) to all (blocks of dates read).
func TestDated(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 12))
	ctx := context.Background()
	inBlocks := 0
	for round := range 400 {
		docs := 1 + rng.IntN(3000)
		days := 1 + rng.IntN(60) // few days: many ties
		undated := rng.Float64()
		inOrder := rng.IntN(2) == 0
		b := NewBuilder(docs, true, nil)
		for doc := range uint32(docs) {
			b.Doc(doc)
			day := rng.IntN(days)
			if inOrder {
				day = int(doc) * days / docs
			}
			if rng.Float64() >= undated {
				b.Visit(schema.Date, numeric.MustNewPrefixCodedInt64(int64(day)*86_400e9-30*86_400e9, 0))
			}
		}
		tbl := Assemble([]*Builder{b})
		matches := roaring.New()
		share := []float64{0.02, 0.2, 0.67, 1}[rng.IntN(4)]
		for doc := range uint32(docs) {
			if rng.Float64() < share {
				matches.Add(doc)
			}
		}
		if matches.GetCardinality()*denseMatches >= uint64(docs) {
			inBlocks++
		}
		n := 1 + rng.IntN(40)
		for _, oldest := range []bool{false, true} {
			got, err := tbl.Dated(ctx, matches, n, oldest)
			if err != nil {
				t.Fatal(err)
			}
			want := datedBySorting(tbl, matches, n, oldest)
			if !slices.Equal(got, want) {
				t.Fatalf("round %d (%d docs, %d matches, n %d, oldest %v): got %d docs %v, want %d %v",
					round, docs, matches.GetCardinality(), n, oldest, len(got), got, len(want), want)
			}
		}
	}
	if inBlocks < 100 || inBlocks > 300 {
		t.Errorf("%d rounds of 400 read blocks of dates; want both ways taken often", inBlocks)
	}
}

// datedBySorting is what Dated returns, found by sorting every match.
func datedBySorting(tbl *Table, matches *roaring.Bitmap, n int, oldest bool) []uint32 {
	var dates []int64
	for _, doc := range matches.ToArray() {
		if d := tbl.Date(doc); d != NoDate {
			dates = append(dates, d)
		}
	}
	if len(dates) < n {
		return nil
	}
	slices.Sort(dates)
	if !oldest {
		slices.Reverse(dates)
	}
	nth := dates[n-1]
	var docs []uint32
	for _, doc := range matches.ToArray() {
		if d := tbl.Date(doc); d != NoDate && (d >= nth && !oldest || d <= nth && oldest) {
			docs = append(docs, doc)
		}
	}
	if uint64(len(docs)) == matches.GetCardinality() {
		return nil
	}
	return docs
}

// A search cancelled while Dated reads its matches' dates stops with the
// context's error.
func TestDatedStopsWhenCancelled(t *testing.T) {
	tbl := storyTable(10_000)
	matches := roaring.New()
	matches.AddRange(0, 10_000)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := tbl.Dated(ctx, matches, 10, false); err == nil {
		t.Fatal("no error from a cancelled context")
	}
}
