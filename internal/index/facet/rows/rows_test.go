package rows

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
)

// randomColumns returns three multi-valued columns of docs documents, with
// 0 to 4 values each (some documents past a column's end), of 7, 300 and
// 40 values, and a single-valued one of 12 values, which a tenth of the
// documents lack (an ordinal past its values, or past its end).
func randomColumns(rng *rand.Rand, docs int) []Column {
	single := Column{Values: 12}
	for range docs - 5 {
		o := uint32(rng.IntN(single.Values))
		if rng.IntN(10) == 0 {
			o = 1<<32 - 1
		}
		single.Ords = append(single.Ords, o)
	}
	cols := []Column{single}
	for i, values := range []int{7, 300, 40} {
		c := Column{Values: values, Start: []uint32{0}}
		n := docs - i*3 // the later columns end before the last documents
		for range n {
			for range rng.IntN(5) {
				c.Ords = append(c.Ords, uint32(rng.IntN(values)))
			}
			c.Start = append(c.Start, uint32(len(c.Ords)))
		}
		cols = append(cols, c)
	}
	return cols
}

// naive counts docs column by column, each column's ordinals offset by
// its base.
func naive(cols []Column, docs []uint32) []uint32 {
	bases, values := Bases(cols)
	counts := make([]uint32, values)
	for i, c := range cols {
		for _, d := range docs {
			if c.Start == nil {
				if int(d) < len(c.Ords) && int(c.Ords[d]) < c.Values {
					counts[bases[i]+c.Ords[d]]++
				}
				continue
			}
			if int(d)+1 < len(c.Start) {
				for _, o := range c.Ords[c.Start[d]:c.Start[d+1]] {
					counts[bases[i]+o]++
				}
			}
		}
	}
	return counts
}

// The rows count what the columns hold, for documents in runs, spread
// out and scattered at random, with both ways of counting.
func TestCountAsTheColumns(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	const docs = 2000
	cols := randomColumns(rng, docs)
	r := Lay(docs, cols)
	_, values := Bases(cols)
	if err := r.Check(docs, values); err != nil {
		t.Fatalf("laid out rows: %v", err)
	}
	sets := map[string][]uint32{}
	for _, step := range []int{1, 2, 17} {
		var ds []uint32
		for d := 0; d < docs; d += step {
			ds = append(ds, uint32(d))
		}
		sets[fmt.Sprint("every ", step)] = ds
	}
	seen := map[uint32]bool{}
	for len(seen) < 300 {
		seen[uint32(rng.IntN(docs))] = true
	}
	var random []uint32
	for d := range seen {
		random = append(random, d)
	}
	slices.Sort(random)
	sets["random"] = random
	sets["the last"] = []uint32{docs - 2, docs - 1} // past the later columns' ends
	// The narrow rows count from their 16-bit ordinals alone.
	narrow := r.Narrow(values)
	if narrow.Ords != nil || narrow.Bytes() != r.Bytes()-2*len(r.Ords) {
		t.Fatalf("rows of %d values not narrowed: %d bytes, %d ordinals of 32 bits", values, narrow.Bytes(), len(narrow.Ords))
	}
	for name, ds := range sets {
		want := naive(cols, ds)
		for way, count := range map[string]func([]uint32, []uint32){
			"runs": r.CountRuns, "scattered": r.CountScattered,
			"runs, narrow": narrow.CountRuns, "scattered, narrow": narrow.CountScattered,
		} {
			got := make([]uint32, values)
			count(ds, got)
			if !slices.Equal(got, want) {
				t.Errorf("%s, counted as %s: differs from the columns'", name, way)
			}
		}
	}
}

// Rows keep their ordinals in 32 bits when 16 would not tell every
// value apart: a column of 70,000 values, past 1<<16, counts as laid out.
func TestNarrowOnlyWhatFits(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	const docs = 500
	big := Column{Values: 70_000, Start: []uint32{0}}
	for range docs {
		for range 1 + rng.IntN(3) {
			big.Ords = append(big.Ords, uint32(rng.IntN(big.Values)))
		}
		big.Start = append(big.Start, uint32(len(big.Ords)))
	}
	cols := []Column{{Values: 7, Start: []uint32{0, 1}, Ords: []uint32{6}}, big}
	r := Lay(docs, cols)
	_, values := Bases(cols)
	if n := r.Narrow(values); n.Bytes() != r.Bytes() {
		t.Fatalf("rows of %d values narrowed: %d bytes, not %d", values, n.Bytes(), r.Bytes())
	}
	all := make([]uint32, docs)
	for d := range all {
		all[d] = uint32(d)
	}
	want := naive(cols, all)
	for way, count := range map[string]func([]uint32, []uint32){"runs": r.Narrow(values).CountRuns, "scattered": r.Narrow(values).CountScattered} {
		got := make([]uint32, values)
		count(all, got)
		if !slices.Equal(got, want) {
			t.Errorf("counted as %s: differs from the columns'", way)
		}
	}
	// At the limit, 1<<16 values, the last ordinal still fits.
	small := Rows{Start: []uint32{0, 2}, Ords: []uint32{0, 1<<16 - 1}}
	n := small.Narrow(1 << 16)
	if n.Bytes() != small.Bytes()-4 {
		t.Fatalf("rows of 1<<16 values not narrowed: %d bytes", n.Bytes())
	}
	got := make([]uint32, 1<<16)
	n.CountRuns([]uint32{0}, got)
	if got[0] != 1 || got[1<<16-1] != 1 {
		t.Errorf("narrowed at the limit: counts %d and %d, want 1 and 1", got[0], got[1<<16-1])
	}
}

// Check refuses rows that would count out of bounds or miss documents.
func TestCheckRefusesBadRows(t *testing.T) {
	good := Rows{Start: []uint32{0, 2, 2, 3}, Ords: []uint32{0, 4, 1}}
	if err := good.Check(3, 5); err != nil {
		t.Fatalf("good rows: %v", err)
	}
	for name, r := range map[string]Rows{
		"a value past the counts":    {Start: []uint32{0, 2, 2, 3}, Ords: []uint32{0, 5, 1}},
		"a document short":           {Start: []uint32{0, 2, 3}, Ords: []uint32{0, 4, 1}},
		"ranges out of order":        {Start: []uint32{0, 2, 1, 3}, Ords: []uint32{0, 4, 1}},
		"values past the last range": {Start: []uint32{0, 2, 2, 2}, Ords: []uint32{0, 4, 1}},
		"none at all":                {},
	} {
		if err := r.Check(3, 5); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}
