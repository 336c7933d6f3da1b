package facet

import "github.com/newsfind/newsfind/internal/index/facet/rows"

// multiRows are a table's multi-valued columns (the people, places and
// organizations) laid out a document at a time (package rows), counted
// into one array (Counts.together): 1.8–2.3× faster than a range and a
// loop in each column (BenchmarkCountMulti, 100,000 articles), and the
// bench's 45 searches in shuffled rounds, two at a time at 100,000
// articles, 7 % more a second (docs/PERFORMANCE.md, session 37). The
// columns keep their own layout for what reads one column at a time:
// filters, the counts of values still listed, updates.
type multiRows struct {
	rows.Rows
	kinds  []Kind          // the columns laid out, in order
	base   [numCols]uint32 // where column k's ordinals begin in the counts
	values int             // the counts' length
}

// multiColumns returns t's multi-valued columns, in order, as package
// rows takes them.
func (t *Table) multiColumns() (kinds []Kind, cols []rows.Column) {
	for k := range numCols {
		if c := &t.cols[k]; c.start != nil {
			kinds = append(kinds, k)
			cols = append(cols, rows.Column{Start: c.start, Ords: c.ords, Values: c.values.Len()})
		}
	}
	return kinds, cols
}

// newMultiRows returns the layout r of t's multi-valued columns kinds,
// cols (see multiColumns), laid out by laidOut or read back from a file
// (which Load checks next, refusing the table if its rows fail), its
// ordinals in 16 bits when they fit (see rows.Narrow); nil when t has no
// such column.
func newMultiRows(kinds []Kind, cols []rows.Column, r rows.Rows) *multiRows {
	if len(cols) == 0 {
		return nil
	}
	bases, values := rows.Bases(cols)
	m := &multiRows{Rows: r.Narrow(values), kinds: kinds, values: values}
	for i, k := range kinds {
		m.base[k] = bases[i]
	}
	return m
}

// laidOut returns the rows of t's multi-valued columns (nil when none):
// read from its file, or laid out when first asked for. The indexer's
// tables are only saved, and Save streams the rows: it never holds them.
func (t *Table) laidOut() *multiRows {
	t.layOnce.Do(func() {
		if kinds, cols := t.multiColumns(); t.multi == nil && len(cols) > 0 {
			t.multi = newMultiRows(kinds, cols, rows.Lay(t.Docs, cols))
		}
	})
	return t.multi
}
