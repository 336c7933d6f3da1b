// Package rows lays out multi-valued columns of ordinals (a document's
// people, its places, its organizations) a document at a time, and counts
// documents' values from that layout: one range of ordinals a document,
// counted into one array, where the columns take a range in each, from as
// many places in memory.
package rows

import "fmt"

// Column is one multi-valued column: document d's values are the ordinals
// Ords[Start[d]:Start[d+1]], each below Values; documents past the end of
// Start have none.
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
	bases, _ := Bases(cols)
	n := 0
	for _, c := range cols {
		n += len(c.Ords)
	}
	r := Rows{Start: make([]uint32, docs+1), Ords: make([]uint32, 0, n)}
	for d := range docs {
		r.Start[d] = uint32(len(r.Ords))
		for i, c := range cols {
			if d+1 < len(c.Start) {
				for _, o := range c.Ords[c.Start[d]:c.Start[d+1]] {
					r.Ords = append(r.Ords, bases[i]+o)
				}
			}
		}
	}
	r.Start[docs] = uint32(len(r.Ords))
	return r
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
	last := len(r.Start) - 1
	for i := 0; i < len(docs); {
		first, j := docs[i], i+1
		for j < len(docs) && docs[j] == docs[j-1]+1 {
			j++
		}
		if end := min(int(docs[j-1])+1, last); int(first) < end {
			for _, o := range r.Ords[r.Start[first]:r.Start[end]] {
				counts[o]++
			}
		}
		i = j
	}
}

// batch is how many documents CountScattered reads the ranges of at once.
const batch = 256

// CountScattered is CountRuns for documents scattered over the rows (a
// rarer word's matches, a phrase's): each range is then a cache miss, and
// reading a batch's ranges first, in a loop of independent loads, lets
// their misses overlap instead of waiting for each in turn.
func (r Rows) CountScattered(docs []uint32, counts []uint32) {
	var lo, hi [batch]uint32
	for len(docs) > 0 {
		b := docs[:min(len(docs), batch)]
		docs = docs[len(b):]
		r.Ranges(b, lo[:], hi[:])
		for i := range b {
			for _, o := range r.Ords[lo[i]:hi[i]] {
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
