package facet

import (
	"fmt"

	"github.com/newsfind/newsfind/internal/index/sidecar"
)

// Derive returns the table of a snapshot whose live documents are live
// (ascending) and which shares the segments ru maps with ru.Prev: the
// rows of those segments are copied from ru.Prev, run by run, and the
// rows of the others come from fresh, the table of those documents alone
// (the builders given only the documents ru.Unshared returns, Assemble'd).
// Each column's values are the two tables' values its live rows hold,
// merged in order, so the table is the one the builders would assemble
// from every document's doc values, at the cost of passes over arrays
// instead of a visit of every document.
func Derive(ru *Reuse, fresh *Table, live []uint32) (*Table, error) {
	t := &Table{Live: live}
	if len(live) > 0 {
		t.Docs = int(live[len(live)-1]) + 1
	}
	runs, err := plan(ru, fresh, live)
	if err != nil {
		return nil, err
	}
	t.dates = make([]int64, t.Docs)
	for _, r := range runs {
		src := r.source(ru.Prev, fresh)
		for d := r.start; d < r.end; d++ {
			t.dates[d] = NoDate
			if src != nil {
				t.dates[d] = src.Date(r.from + d - r.start)
			}
		}
	}
	for k := range t.cols {
		var days []int64
		t.cols[k], days = derivedColumn(Kind(k), ru.Prev, fresh, runs, t.Docs)
		if Kind(k) == Day {
			t.days = days
		}
	}
	t.complete()
	return t, nil
}

// run is a stretch of document numbers [start, end) whose rows come from
// one table, from row from on: the previous one, the fresh one, or none
// (deleted documents).
type run struct {
	start, end, from uint32
	src              int8
}

const (
	deleted int8 = iota
	fromPrev
	fromFresh
)

// source returns the table run r's rows come from, or nil.
func (r run) source(prev, fresh *Table) *Table {
	switch r.src {
	case fromPrev:
		return prev
	case fromFresh:
		return fresh
	}
	return nil
}

// plan splits the document numbers below the last live one into runs.
func plan(ru *Reuse, fresh *Table, live []uint32) ([]run, error) {
	var runs []run
	add := func(d, from uint32, src int8) {
		if n := len(runs); n > 0 {
			r := &runs[n-1]
			if r.end == d && r.src == src && (src == deleted || r.from+(d-r.start) == from) {
				r.end++
				return
			}
		}
		runs = append(runs, run{start: d, end: d + 1, from: from, src: src})
	}
	c, next, freshDocs := reuseWalk{ru: ru}, uint32(0), 0
	for _, d := range live {
		for ; next < d; next++ {
			add(next, 0, deleted)
		}
		if from, ok := c.row(d); ok {
			add(d, from, fromPrev)
		} else {
			if freshDocs >= len(fresh.Live) || fresh.Live[freshDocs] != d {
				return nil, fmt.Errorf("facet table: document %d neither copied nor read", d)
			}
			freshDocs++
			add(d, d, fromFresh)
		}
		next = d + 1
	}
	if freshDocs != len(fresh.Live) {
		return nil, fmt.Errorf("facet table: %d documents read, %d not live", len(fresh.Live), len(fresh.Live)-freshDocs)
	}
	return runs, nil
}

// derivedColumn lays out column k of a table of docs documents from the
// rows runs take from prev and fresh; for the Day column it also returns
// the days of its values.
func derivedColumn(k Kind, prev, fresh *Table, runs []run, docs int) (column, []int64) {
	pc, fc := &prev.cols[k], &fresh.cols[k]
	// The values live rows hold, merged in order.
	usedP, usedF := make([]bool, pc.values.Len()), make([]bool, fc.values.Len())
	for _, r := range runs {
		c, used := pc, usedP
		switch r.src {
		case deleted:
			continue
		case fromFresh:
			c, used = fc, usedF
		}
		for i := r.from; i < r.from+(r.end-r.start); i++ {
			for _, o := range c.of(i) {
				used[o] = true
			}
		}
	}
	values, mapP, mapF, order := mergeValues(pc.values, fc.values, usedP, usedF)
	var days []int64
	if k == Day {
		days = make([]int64, len(order))
		for i, o := range order {
			if o.fresh {
				days[i] = fresh.days[o.i]
			} else {
				days[i] = prev.days[o.i]
			}
		}
	}
	// The rows, renumbered.
	start := make([]uint32, docs+1)
	ords := make([]uint32, 0, len(pc.ords)+len(fc.ords))
	multi := false
	for _, r := range runs {
		c, m := pc, mapP
		if r.src == fromFresh {
			c, m = fc, mapF
		}
		for d := r.start; d < r.end; d++ {
			start[d] = uint32(len(ords))
			if r.src == deleted {
				continue
			}
			of := c.of(r.from + d - r.start)
			multi = multi || len(of) > 1
			for _, o := range of {
				ords = append(ords, m[o])
			}
		}
	}
	start[docs] = uint32(len(ords))
	if multi {
		return column{values: values, start: start, ords: ords}, days
	}
	single := start[:docs]
	for d := range single {
		o := uint32(noValue)
		if start[d+1] > start[d] {
			o = ords[start[d]]
		}
		single[d] = o
	}
	return column{values: values, ords: single}, days
}

// origin is where a merged value came from: its ordinal in the previous
// table's column or the fresh one's.
type origin struct {
	i     uint32
	fresh bool
}

// mergeValues merges the values of p and f that are used, both in byte
// order, into one list, and returns it with the new ordinal of each used
// value of p and of f, and the origin of each value of the list.
func mergeValues(p, f sidecar.StringList, usedP, usedF []bool) (sidecar.StringList, []uint32, []uint32, []origin) {
	mapP, mapF := make([]uint32, p.Len()), make([]uint32, f.Len())
	var order []origin
	i, j := 0, 0
	for {
		for i < p.Len() && !usedP[i] {
			i++
		}
		for j < f.Len() && !usedF[j] {
			j++
		}
		if i == p.Len() && j == f.Len() {
			break
		}
		n := uint32(len(order))
		c := 1
		switch {
		case j == f.Len():
			c = -1
		case i < p.Len():
			c = p.CompareTo(i, f, j)
		}
		if c <= 0 {
			mapP[i] = n
			order = append(order, origin{uint32(i), false})
			i++
		}
		if c >= 0 {
			mapF[j] = n
			if c > 0 {
				order = append(order, origin{uint32(j), true})
			}
			j++
		}
	}
	values := sidecar.NewStringListCap(len(order), p.Bytes()+f.Bytes())
	var buf []byte
	for _, o := range order {
		if o.fresh {
			buf = f.AppendTo(buf[:0], int(o.i))
		} else {
			buf = p.AppendTo(buf[:0], int(o.i))
		}
		values.Append(buf)
	}
	return values, mapP, mapF, order
}
