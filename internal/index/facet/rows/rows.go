// Package rows lays out columns of ordinals (a document's people, its
// places, its organizations, its source and its day) a document at a
// time, and counts documents' values from that layout: one range of
// ordinals a document, counted into one array, where the columns take a
// value or a range in each, from as many places in memory.
package rows

import (
	"fmt"
	"iter"
)

// Column is one column: document d's values are the ordinals
// Ords[Start[d]:Start[d+1]], each below Values; documents past the end of
// Start have none. A single-valued column has no Start: document d's
// value is Ords[d], and it has none where that is Values or more (a mark
// of no value) or past the end of Ords.
type Column struct {
	Start, Ords []uint32
	Values      int
}

// Rows are columns laid out by Lay: document d's values, those of each
// column in turn, are Ords[Start[d]:Start[d+1]], each column's ordinals
// offset by the Values of the columns before it (see Bases), so that they
// index one array of counts.
type Rows struct {
	Start, Ords []uint32
	// narrow, when set, is Ords in 16 bits, which the counts read
	// instead (see Narrow).
	narrow []uint16
}

// NarrowValues is the most counts rows may index for Narrow to hold
// their ordinals in 16 bits.
const NarrowValues = 1 << 16

// Narrow returns r with its ordinals in 16 bits instead, which CountRuns
// and CountScattered then read, when the counts they index number at most
// NarrowValues (values); else r as it is. Ords is then nil: rows read
// from a file are checked (Check) before. A count reads a document's
// values where its search's matches are, all over the rows: half the
// bytes are half the cache lines to wait for, and a table of 100,000
// articles' people, places and organizations (940,000 ordinals, 38,779
// values) takes 1.9 MB rather than 3.8, which the caches of a shared
// machine hold more often. At a million articles there are more values
// than 16 bits tell apart.
func (r Rows) Narrow(values int) Rows {
	if values > NarrowValues || len(r.Ords) == 0 {
		return r
	}
	r.narrow = make([]uint16, len(r.Ords))
	for i, o := range r.Ords {
		r.narrow[i] = uint16(o)
	}
	r.Ords = nil
	return r
}

// Bytes returns the size of r's arrays.
func (r Rows) Bytes() int {
	return (len(r.Start)+len(r.Ords))*4 + len(r.narrow)*2
}

// Bases returns where each column's ordinals begin in the rows' counts,
// and the counts' length: the sum of the columns' Values.
func Bases(cols []Column) (bases []uint32, values int) {
	bases = make([]uint32, len(cols))
	for i, c := range cols {
		bases[i] = uint32(values)
		values += c.Values
	}
	return bases, values
}

// Lay lays out cols for docs documents.
func Lay(docs int, cols []Column) Rows {
	starts, values := Sizes(docs, cols)
	r := Rows{Start: make([]uint32, 0, starts), Ords: make([]uint32, 0, values)}
	for o := range Starts(docs, cols) {
		r.Start = append(r.Start, o)
	}
	for o := range Values(docs, cols) {
		r.Ords = append(r.Ords, o)
	}
	return r
}

// Sizes returns the lengths of the Start and Ords Lay would lay out, for
// writing them as Starts and Values yield them, without the arrays.
func Sizes(docs int, cols []Column) (starts, values int) {
	for d := range docs {
		for _, c := range cols {
			values += len(c.of(d))
		}
	}
	return docs + 1, values
}

// of returns document d's values in c: none past its end, or where its
// range is out of order or past Ords (a damaged column, which a reader
// checks and refuses; its rows are laid out without those values).
func (c Column) of(d int) []uint32 {
	if c.Start == nil {
		if d < len(c.Ords) && int(c.Ords[d]) < c.Values {
			return c.Ords[d : d+1]
		}
		return nil
	}
	if d+1 >= len(c.Start) || c.Start[d] > c.Start[d+1] || int(c.Start[d+1]) > len(c.Ords) {
		return nil
	}
	return c.Ords[c.Start[d]:c.Start[d+1]]
}

// Starts yields the Start of the rows of cols, one number at a time.
func Starts(docs int, cols []Column) iter.Seq[uint32] {
	return func(yield func(uint32) bool) {
		var at uint32
		for d := range docs {
			if !yield(at) {
				return
			}
			for _, c := range cols {
				at += uint32(len(c.of(d)))
			}
		}
		yield(at)
	}
}

// Values yields the Ords of the rows of cols, one at a time.
func Values(docs int, cols []Column) iter.Seq[uint32] {
	bases, _ := Bases(cols)
	return func(yield func(uint32) bool) {
		for d := range docs {
			for i, c := range cols {
				for _, o := range c.of(d) {
					if !yield(bases[i] + o) {
						return
					}
				}
			}
		}
	}
}

// Check verifies that r's ranges cover docs documents in order and that
// every ordinal is below values, so that rows read from a file cannot
// send a count out of bounds.
func (r Rows) Check(docs, values int) error {
	if len(r.Start) != docs+1 || r.Start[0] != 0 || int(r.Start[docs]) != len(r.Ords) {
		return fmt.Errorf("rows: ranges do not cover %d documents", docs)
	}
	for d := 1; d <= docs; d++ {
		if r.Start[d] < r.Start[d-1] {
			return fmt.Errorf("rows: range of document %d out of order", d)
		}
	}
	for _, o := range r.Ords {
		if int(o) >= values {
			return fmt.Errorf("rows: value %d of %d", o, values)
		}
	}
	return nil
}

// CountRuns adds one to counts for each value of each of docs
// (ascending): the ranges of documents that follow one another one range,
// read in one loop, as a common word's matches or a sample's runs are.
func (r Rows) CountRuns(docs []uint32, counts []uint32) {
	if r.narrow != nil {
		countRuns(r.Start, r.narrow, docs, counts)
		return
	}
	countRuns(r.Start, r.Ords, docs, counts)
}

// countRuns is CountRuns over ordinals of either width.
func countRuns[O uint16 | uint32](start []uint32, ords []O, docs []uint32, counts []uint32) {
	last := len(start) - 1
	for i := 0; i < len(docs); {
		first, j := docs[i], i+1
		for j < len(docs) && docs[j] == docs[j-1]+1 {
			j++
		}
		if end := min(int(docs[j-1])+1, last); int(first) < end {
			for _, o := range ords[start[first]:start[end]] {
				counts[o]++
			}
		}
		i = j
	}
}

// scatterStride is the mean distance between documents from which they
// count as scattered (see Scattered): past 16 documents apart, each
// document's range is on a cache line of its own.
const scatterStride = 16

// Scattered reports whether docs, ascending, are mostly apart (in more
// runs than half their number) and on average at least scatterStride
// documents apart, so that CountScattered counts them faster than
// CountRuns: the runs of a sample are not.
func Scattered(docs []uint32) bool {
	if len(docs) < 2 || uint64(docs[len(docs)-1]-docs[0]) < scatterStride*uint64(len(docs)-1) {
		return false
	}
	runs := 1
	for i := 1; i < len(docs); i++ {
		if docs[i] != docs[i-1]+1 {
			runs++
		}
	}
	return 2*runs > len(docs)
}

// batch is how many documents CountScattered reads the ranges of at once.
const batch = 256

// CountScattered is CountRuns for documents scattered over the rows (a
// rarer word's matches, a phrase's): each range is then a cache miss, and
// reading a batch's ranges first, in a loop of independent loads, lets
// their misses overlap instead of waiting for each in turn.
func (r Rows) CountScattered(docs []uint32, counts []uint32) {
	if r.narrow != nil {
		countScattered(r, r.narrow, docs, counts)
		return
	}
	countScattered(r, r.Ords, docs, counts)
}

// countScattered is CountScattered over ords, r's ordinals in either
// width.
func countScattered[O uint16 | uint32](r Rows, ords []O, docs []uint32, counts []uint32) {
	var lo, hi [batch]uint32
	for len(docs) > 0 {
		b := docs[:min(len(docs), batch)]
		docs = docs[len(b):]
		r.Ranges(b, lo[:], hi[:])
		for i := range b {
			for _, o := range ords[lo[i]:hi[i]] {
				counts[o]++
			}
		}
	}
}

// Ranges sets lo[i] and hi[i] to where the values of docs[i] begin and
// end in Ords (empty past the last document): the loads of one loop,
// independent of each other, so that their cache misses overlap.
func (r Rows) Ranges(docs []uint32, lo, hi []uint32) {
	for i, d := range docs {
		lo[i], hi[i] = 0, 0
		if int(d)+1 < len(r.Start) {
			lo[i], hi[i] = r.Start[d], r.Start[d+1]
		}
	}
}

// CountScattered counts docs, ascending, in multi-valued column c, into
// counts, listing in seen, when set, the values it counts first (those
// whose count was 0). It is for matches scattered over the table (a rarer
// word's 10,000 among a million, a phrase's): each document's range then
// costs a cache miss, and its values another, which depends on the first.
// Counting a document at a time waits for both in turn, as the loop's
// branches on each range's length stop the processor from running ahead
// to the next document's. So a batch of documents is read in three
// passes: the ranges of all its documents, then the first value of each
// (the loads of a pass are independent, so their misses overlap), then
// the counts, the values from the cache. On the bench's index of
// 1,000,000 articles, 8,700 matches at random took the three columns from
// 2.7 to 1.2 ms when
// the table was out of the cache, as the searches before leave it; the
// 45 bench searches, in turn, took 3 % less, the phrases and the rarer
// words 0.3–0.8 ms less each. At 100,000 (such matches 11 apart) it was
// no faster, and for matches in runs it only adds work (see package
// facet's BenchmarkCountMulti).
func (c Column) CountScattered(docs []uint32, counts []uint32, seen *[]uint32) {
	var lo, hi, first [batch]uint32
	for len(docs) > 0 {
		b := docs[:min(len(docs), batch)]
		docs = docs[len(b):]
		Rows{Start: c.Start, Ords: c.Ords}.Ranges(b, lo[:], hi[:])
		for i := range b {
			if lo[i] < hi[i] {
				first[i] = c.Ords[lo[i]]
			}
		}
		for i := range b {
			if lo[i] >= hi[i] {
				continue
			}
			if seen == nil {
				counts[first[i]]++
				for _, o := range c.Ords[lo[i]+1 : hi[i]] {
					counts[o]++
				}
				continue
			}
			for _, o := range c.Ords[lo[i]:hi[i]] {
				if counts[o] == 0 {
					*seen = append(*seen, o)
				}
				counts[o]++
			}
		}
	}
}
