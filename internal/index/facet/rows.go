package facet

import "github.com/newsfind/newsfind/internal/index/facet/rows"

// multiRows are a table's multi-valued columns (the people, places and
// organizations) laid out a document at a time (package rows), counted
// into one array (Counts.together): 1.8–2.3× faster than a range and a
// loop in each column (BenchmarkCountMulti, 100,000 articles), and the
// bench's 45 searches in shuffled rounds, two at a time at 100,000
// articles, 7 % more a second (docs/PERFORMANCE.md, session 37). Where
// every value they and the single-valued columns counted a match at a time
// (the source, the section, the day) hold fits in 16 bits (rows.Narrow),
// those are laid out with them: a scattered match is then two cache lines
// to wait for, its range and its values, rather than one more per column.
// The columns keep their own layout for what reads one column at a time:
// filters, the counts of values still listed, updates.
type multiRows struct {
	rows.Rows
	kinds  []Kind          // the columns laid out, in order
	base   [numCols]uint32 // where column k's ordinals begin in the counts
	values int             // the counts' length
	held   [numCols]bool   // the columns laid out
}

// multiColumns returns t's multi-valued columns, in order, as package
// rows takes them, and, when singles is set, the single-valued ones a
// search counts a match at a time: those not counted from the days (see
// Table.byDay) that have values.
func (t *Table) multiColumns(singles bool) (kinds []Kind, cols []rows.Column) {
	for k := range numCols {
		c := &t.cols[k]
		switch {
		case c.start != nil:
			cols = append(cols, rows.Column{Start: c.start, Ords: c.ords, Values: c.values.Len()})
		case singles && t.byDay[k] == nil && c.values.Len() > 0:
			cols = append(cols, rows.Column{Ords: c.ords, Values: c.values.Len()})
		default:
			continue
		}
		kinds = append(kinds, k)
	}
	return kinds, cols
}

// newMultiRows returns the layout r of the columns kinds, cols (see
// multiColumns), laid out by laidOut or read back from a file (which Load
// checks); nil when there is none.
func newMultiRows(kinds []Kind, cols []rows.Column, r rows.Rows) *multiRows {
	if len(cols) == 0 {
		return nil
	}
	bases, values := rows.Bases(cols)
	m := &multiRows{Rows: r, kinds: kinds, values: values}
	for i, k := range kinds {
		m.base[k], m.held[k] = bases[i], true
	}
	return m
}

// laidOut returns the rows a search counts from (nil when none), when
// first asked for (Open asks, for a generation searched): the multi-valued columns and the single-valued ones
// laid out anew in 16 bits where their values fit, else the multi-valued
// ones read from its file or laid out, in 16 bits where theirs fit. The
// indexer's tables are only saved, and Save streams the rows of the
// multi-valued columns: it never holds them.
func (t *Table) laidOut() *multiRows {
	t.layOnce.Do(func() {
		if kinds, cols := t.multiColumns(true); len(cols) > 0 {
			if _, values := rows.Bases(cols); values <= rows.NarrowValues {
				t.multi = newMultiRows(kinds, cols, rows.Lay(t.Docs, cols).Narrow(values))
				return
			}
		}
		if kinds, cols := t.multiColumns(false); t.multi == nil && len(cols) > 0 {
			t.multi = newMultiRows(kinds, cols, rows.Lay(t.Docs, cols))
		}
		if t.multi != nil {
			t.multi.Rows = t.multi.Narrow(t.multi.values)
		}
	})
	return t.multi
}
