package facet

import (
	"fmt"
	"reflect"
	"slices"
	"testing"

	"github.com/blevesearch/bleve/v2/numeric"

	"github.com/newsfind/newsfind/internal/index/schema"
)

func TestTopOrdinals(t *testing.T) {
	counts := []uint32{0, 3, 5, 3, 1, 5, 0, 2}
	for n, want := range map[int][]uint32{0: nil, 1: {2}, 3: {2, 5, 1}, 5: {2, 5, 1, 3, 7}, 9: {2, 5, 1, 3, 7, 4}} {
		if got := topOrdinals(counts, nil, n); !slices.Equal(got, want) {
			t.Errorf("topOrdinals(%v, %d) = %v, want %v", counts, n, got, want)
		}
		// The values counted, listed in the order first counted.
		if got := topOrdinals(counts, []uint32{7, 5, 3, 1, 2, 4}, n); !slices.Equal(got, want) {
			t.Errorf("topOrdinals(%v, listed, %d) = %v, want %v", counts, n, got, want)
		}
	}
}

// TestTallyCountsAsCountAll counts the same documents, more than a batch
// and not a whole number of batches, with a Tally and one at a time.
func TestTallyCountsAsCountAll(t *testing.T) {
	const n = 2*tallyBatch + 37
	var builders []*Builder
	for _, g := range Groups {
		b := NewBuilder(n, g.Dates, g.Kinds)
		visit := func(field string, term []byte) {
			if slices.Contains(b.Fields(), field) {
				b.Visit(field, term)
			}
		}
		for i := range uint32(n) {
			b.Doc(i)
			visit(schema.Date, numeric.MustNewPrefixCodedInt64(int64(1_600_000_000+int(i)*86_400)*1e9, 0))
			visit(schema.Source, []byte(fmt.Sprintf("source %d", i%7)))
			for p := range i % 3 {
				visit(schema.Person, []byte(fmt.Sprintf("person %d", (i+p)%11)))
			}
			visit(schema.Org, []byte(fmt.Sprintf("org %d", i)))
		}
		builders = append(builders, b)
	}
	tbl := Assemble(builders)
	want, got := NewCounts(tbl), NewCounts(tbl)
	tally := got.Tally(tbl)
	for doc := uint32(0); doc < n; doc += 2 { // every other document
		want.CountAll(tbl, doc)
		tally.Add(doc)
	}
	tally.Flush()
	if !reflect.DeepEqual(want.n, got.n) || !reflect.DeepEqual(want.Facets(tbl), got.Facets(tbl)) {
		t.Errorf("Tally's counts differ from CountAll's:\n got %v\nwant %v", got.Facets(tbl), want.Facets(tbl))
	}
	if got.n[Source][0] == 0 || got.n[Person][0] == 0 {
		t.Errorf("nothing counted: %v", got.Facets(tbl))
	}
	// Cleared, the counts are zero again, and count as new ones do.
	for _, c := range []*Counts{got, want} {
		c.Clear()
		if !reflect.DeepEqual(c.n, NewCounts(tbl).n) {
			t.Fatal("Clear left counts")
		}
	}
	got.CountAll(tbl, 1)
	if f := got.Facets(tbl)["source"]; len(f) != 1 || f[0].Count != 1 {
		t.Errorf("after Clear, one document counts %v", f)
	}
	// A few documents among many values: the values counted are listed
	// (not past a 256th of the column's), and read back as a pass over
	// all reads them.
	sparse, dense := NewCounts(tbl), NewCounts(tbl)
	for k := range dense.dense {
		dense.dense[k] = true
	}
	for _, doc := range []uint32{3, 100} {
		sparse.CountAll(tbl, doc)
		dense.CountAll(tbl, doc)
	}
	if sparse.dense[Org] || len(sparse.seen[Org]) != 2 {
		t.Errorf("org column: dense %v, %d values listed; want 2 listed", sparse.dense[Org], len(sparse.seen[Org]))
	}
	if !reflect.DeepEqual(sparse.Facets(tbl), dense.Facets(tbl)) {
		t.Errorf("facets from the values listed differ:\n%v\n%v", sparse.Facets(tbl), dense.Facets(tbl))
	}
	if sparse.Clear(); !reflect.DeepEqual(sparse.n, NewCounts(tbl).n) {
		t.Error("Clear of listed values left counts")
	}
}
