package facet

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strconv"
	"testing"
	"time"

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

// BenchmarkCountMulti measures counting the people, places and
// organizations of 5,000 matches of tables of 100,000 and 1,000,000
// articles, the matches every step-th article: every one (a common
// word's, whose ranges join into runs), every other one, every twentieth,
// and at 1,000,000 every 200th (a cache miss each).
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
					for i := 0; i < len(docs); i += tallyBatch {
						t.countRuns([]Kind{Person, Place, Org}, docs[i:min(i+tallyBatch, len(docs))], &c.n)
					}
				}
			})
		}
	}
}
