package facet

import (
	"fmt"
	"maps"
	"math/rand/v2"
	"reflect"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2/numeric"

	"github.com/newsfind/newsfind/internal/index/facet/rows"
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

// BenchmarkTopOrdinals measures finding the 10 people most counted in
// the counts of 158,810 people (those of the bench's 1,000,000 articles),
// a tenth of them counted: a column passed over whole (see Counts.track).
func BenchmarkTopOrdinals(b *testing.B) {
	rng := rand.New(rand.NewPCG(7, 8))
	counts := make([]uint32, 158_810)
	for range 20_000 {
		counts[rng.IntN(len(counts))] += 1 + uint32(rng.IntN(3))
	}
	for b.Loop() {
		topOrdinals(counts, nil, 10)
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
	for doc := range uint32(n) {
		if doc%2 == 0 || doc%7 < 4 { // runs of documents that follow one another, and gaps
			want.CountAll(tbl, doc)
			tally.Add(doc)
		}
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

// The year and the month, functions of the day in a table built as the
// schema writes them, are counted from the days' counts, and give the
// counts of each document's values: for a search's few matches (values
// listed), many (a pass over all), the table's counts of everything, and
// after Clear. A table where one document's year is not its day's counts
// that column document by document, as one where a dated document has no
// month does the month's.
func TestYearAndMonthCountedFromDays(t *testing.T) {
	const n = 3000
	rng := rand.New(rand.NewPCG(21, 12))
	dates := make([]time.Time, n)
	for i := range dates {
		dates[i] = time.Date(2004+rng.IntN(6), time.Month(1+rng.IntN(12)), 1+rng.IntN(28), 12, 0, 0, 0, time.UTC)
	}
	build := func(year func(i uint32) []string, month func(i uint32) []string) *Table {
		docs := make([]uint32, n)
		for i := range docs {
			docs[i] = uint32(i)
		}
		return tableFrom(docs, func(i uint32) docValues {
			v := docValues{schema.Source: {fmt.Sprint("src", i%5)}, schema.Year: year(i), schema.Month: month(i)}
			if i%50 != 7 { // some undated
				v[schema.Date] = []string{string(numeric.MustNewPrefixCodedInt64(dates[i].UnixNano(), 0))}
			}
			return v
		})
	}
	yearOf := func(i uint32) []string {
		if i%50 == 7 {
			return nil
		}
		return []string{strconv.Itoa(dates[i].Year())}
	}
	monthOf := func(i uint32) []string {
		if i%50 == 7 {
			return nil
		}
		return []string{dates[i].Format("2006-01")}
	}
	// byHand counts docs' values document by document.
	byHand := func(tbl *Table, docs []uint32) *Counts {
		c := NewCounts(tbl)
		for _, doc := range docs {
			for k := range numCols {
				tbl.cols[k].count(doc, c.n[k])
			}
		}
		c.whole()
		return c
	}
	for _, tc := range []struct {
		name        string
		year, month func(i uint32) []string
		fromDays    [2]bool // year, month
	}{
		{"as the schema writes", yearOf, monthOf, [2]bool{true, true}},
		{"a year not its day's", func(i uint32) []string {
			if i == 1234 {
				return []string{"1999"}
			}
			return yearOf(i)
		}, monthOf, [2]bool{false, true}},
		{"a dated document without a month", yearOf, func(i uint32) []string {
			if i == 99 {
				return nil
			}
			return monthOf(i)
		}, [2]bool{true, false}},
	} {
		tbl := build(tc.year, tc.month)
		if got := [2]bool{tbl.byDay[Year] != nil, tbl.byDay[Month] != nil}; got != tc.fromDays {
			t.Errorf("%s: year and month counted from days %v, want %v", tc.name, got, tc.fromDays)
		}
		if !reflect.DeepEqual(tbl.All.n, byHand(tbl, tbl.Live).n) {
			t.Errorf("%s: the counts of everything differ from counting each document", tc.name)
		}
		c := NewCounts(tbl)
		for _, every := range []int{1, 7, 600} { // a pass over all; values listed
			var docs []uint32
			tally := c.Tally(tbl)
			for doc := uint32(0); doc < n; doc += uint32(every) {
				docs = append(docs, doc)
				tally.Add(doc)
			}
			tally.Flush()
			want := byHand(tbl, docs)
			if !reflect.DeepEqual(c.n, want.n) || !reflect.DeepEqual(c.Facets(tbl), want.Facets(tbl)) {
				t.Errorf("%s, every %d: counts\n%v, counting each document\n%v", tc.name, every, c.Facets(tbl), want.Facets(tbl))
			}
			c.Clear()
		}
	}
}

// TestTallyScatteredOrNot checks a Tally, both ways it counts the
// multi-valued columns (runs, and scattered matches read in passes), and
// with their values listed or not, against counting each document's
// values one at a time.
func TestTallyScatteredOrNot(t *testing.T) {
	tbl := syntheticTable(20_000)
	rng := rand.New(rand.NewPCG(3, 4))
	sets := map[string][]uint32{}
	for _, step := range []uint32{1, 2, 15, 16, 40, 997} {
		var docs []uint32
		for d := rng.Uint32N(step); int(d) < tbl.Docs; d += step {
			docs = append(docs, d)
		}
		sets[fmt.Sprint("every ", step)] = docs
	}
	var runs []uint32 // runs of 1-4 articles, far apart
	for d := uint32(0); int(d) < tbl.Docs; d += 50 + rng.Uint32N(50) {
		for i := range 1 + rng.Uint32N(4) {
			runs = append(runs, d+i)
		}
	}
	sets["short runs apart"] = runs
	sets["the first and the last article"] = []uint32{0, uint32(tbl.Docs - 1)}
	ways := map[bool]int{}
	got := NewCounts(tbl) // cleared after each set, as a search's are
	for _, name := range slices.Sorted(maps.Keys(sets)) {
		docs := sets[name]
		want := NewCounts(tbl)
		for _, doc := range docs {
			want.CountAll(tbl, doc)
		}
		want.fromDays(tbl)
		tally := got.Tally(tbl)
		for i, doc := range docs {
			if i%tallyBatch == 0 {
				ways[rows.Scattered(docs[i:min(i+tallyBatch, len(docs))])]++
			}
			tally.Add(doc)
		}
		tally.Flush()
		for k := range numCols {
			if !slices.Equal(got.n[k], want.n[k]) {
				t.Errorf("%s: column %d counted differently from document by document", name, k)
			}
		}
		if g, w := got.Facets(tbl), want.Facets(tbl); !reflect.DeepEqual(g, w) {
			t.Errorf("%s: facets\n%v, counting each document\n%v", name, g, w)
		}
		got.Clear()
	}
	if ways[true] == 0 || ways[false] == 0 {
		t.Errorf("batches scattered or not: %v; want both", ways)
	}
}

// BenchmarkCountMulti measures counting the columns the rows hold (the
// people, places and organizations, and where they fit in 16 bits the
// source and the day) of 5,000 matches of tables of 100,000 and 1,000,000
// articles, the matches every step-th article: every one (a common
// word's, whose ranges join into runs), every other one, every twentieth,
// and at 1,000,000 every 200th (a cache miss each); and 8,700 matches
// scattered at random, out of the cache.
func BenchmarkCountMulti(b *testing.B) {
	for _, rows := range []int{100_000, 1_000_000} {
		t := syntheticTable(rows)
		for _, step := range []uint32{1, 2, 20, 200} {
			var docs []uint32
			for d := uint32(0); len(docs) < 5000 && int(d) < rows; d += step {
				docs = append(docs, d)
			}
			c := NewCounts(t)
			b.Run(fmt.Sprint("rows=", rows, "/step=", step), func(b *testing.B) {
				for b.Loop() {
					countBatches(t, docs, c)
				}
			})
		}
		// Matches scattered at random, a different set each time: the
		// table out of the cache, as the searches before leave it.
		rng := rand.New(rand.NewPCG(5, 6))
		sets := make([][]uint32, 32)
		for i := range sets {
			seen := map[uint32]bool{}
			for len(seen) < 8_700 {
				seen[rng.Uint32N(uint32(rows))] = true
			}
			sets[i] = slices.Sorted(maps.Keys(seen))
		}
		c := NewCounts(t)
		b.Run(fmt.Sprint("rows=", rows, "/scattered"), func(b *testing.B) {
			i := 0
			for b.Loop() {
				countBatches(t, sets[i%len(sets)], c)
				i++
			}
		})
	}
}

// countBatches counts the columns t's rows hold (the people, places and
// organizations, and the single-valued columns laid out with them) of docs
// as a Tally does once their values are no longer listed, a batch at a
// time.
func countBatches(t *Table, docs []uint32, c *Counts) {
	kinds := t.laidOut().kinds
	for i := 0; i < len(docs); i += tallyBatch {
		batch := docs[i:min(i+tallyBatch, len(docs))]
		t.countMulti(kinds, batch, rows.Scattered(batch), c)
	}
}
