package facet

import (
	"cmp"
	"math"
	"slices"
	"sync"
	"time"

	"github.com/blevesearch/bleve/v2/numeric"

	"github.com/newsfind/newsfind/internal/index/facet/rows"
	"github.com/newsfind/newsfind/internal/index/schema"
	"github.com/newsfind/newsfind/internal/index/sidecar"
)

// Kind names one facet a search counts.
type Kind int

// The facets, in the order a Counts holds them.
const (
	Source Kind = iota
	Year
	Month
	Person
	Place
	Org
	Section
	NumKinds
)

// Day is a column of the table beyond the facets: the calendar day of each
// document's date ("2021-12-18"), derived from the dates when the table is
// assembled rather than read from the index. A Counts counts it with the
// facets, in the same pass, but no result lists it as a facet: it is what
// a Timeline is made of.
const Day = NumKinds

// numCols is the number of columns a Counts counts: the facets and Day.
const numCols = NumKinds + 1

// storyCol is the hidden column of the table: the story label of each
// document (schema.Story), read and derived like the facets but never
// counted. Its values are only told apart, never listed or looked up, but
// sorted as every column's are, so that an update merges its new labels
// in (Derive) without interning a million old ones; a table holds
// its Stories, laid out from it, so opening a generation whose table is
// saved reads no document's doc values for its stories.
const storyCol = numCols

// allCols is the number of columns a table holds.
const allCols = numCols + 1

// fieldOf returns the index field column k is read from.
func fieldOf(k Kind) string {
	if k == storyCol {
		return schema.Story
	}
	return Defs[k].Field
}

// Defs are the facets every search counts: name in the result, index
// field, and how many values to return.
var Defs = [NumKinds]struct {
	Name, Field string
	Size        int
}{
	Source:  {"source", schema.Source, 10},
	Year:    {"year", schema.Year, 30},
	Month:   {"month", schema.Month, 24},
	Person:  {"person", schema.Person, 10},
	Place:   {"place", schema.Place, 10},
	Org:     {"org", schema.Org, 10},
	Section: {"section", schema.Section, 20},
}

// noValue marks a document without a value in a single-valued column;
// NoDate is the date of a document without one.
const (
	noValue = math.MaxUint32
	NoDate  = math.MinInt64
)

// Table holds the facet fields and the date of every document of one
// opened generation, uninverted once as Lucene's FieldCache does: per
// document number (scorch's global doc number, the big-endian value of an
// IndexInternalID), the ordinals of its values. Counting the facets of a
// match is then a few array reads, where bleve decodes compressed doc
// values per match. Generations are immutable once built, so the table
// never changes while the generation is served.
type Table struct {
	Docs  int // document numbers covered: 0 to docs-1
	cols  [allCols]column
	dates []int64 // UnixNano of each document's date, or NoDate
	// bounds bound the dates of blocks of documents (see Dated).
	bounds *dateBounds
	// days are the days since 1970 of the Day column's values, by ordinal.
	days []int64
	// byDay, for the year and the month, is the value ordinal of each
	// day's (by the day's ordinal), when every live document's is that
	// of its day (see ofDays); nil for other columns, and where one is
	// not. A search counts those columns from its days' counts.
	byDay [numCols][]uint32
	// dayRuns are byDay's in runs of days of one value (a month's days
	// are one run, as the days are in order): what a search that counted
	// many days sums, rather than looking up each day's value.
	dayRuns [numCols][]dayRun
	// Live are the numbers of the documents not deleted, ascending, and
	// all the facet counts over them: what a search for everything needs.
	Live    []uint32
	All     *Counts
	stories *Stories
	// multi are the multi-valued columns an article at a time, what a
	// search counts them from (nil when none, or until laidOut lays them).
	multi   *multiRows
	layOnce sync.Once
	// file holds the arrays of a table read from its file (Load); nil
	// for one assembled in memory.
	file *sidecar.File
}

// Close releases what the table holds outside the collector's heap: the
// mapped file it was read from. The table must not be used after it; its
// Stories, Counts and values handed out stay valid.
func (t *Table) Close() error {
	if t == nil {
		return nil
	}
	return t.file.Close()
}

// column is one keyword field uninverted. values are its distinct terms in
// byte order, one byte slice; an ordinal indexes them. A field with at most one value per
// document keeps one ordinal per document in ords (noValue when it has
// none); a multi-valued one keeps document d's ordinals in
// ords[start[d]:start[d+1]].
type column struct {
	values sidecar.StringList
	start  []uint32
	ords   []uint32
}

// Groups split the table's fields between builders that read their
// doc values concurrently, in shares of about the same work.
var Groups = []struct {
	Dates bool
	Kinds []Kind
}{
	{true, []Kind{Source, Year, Month, Section}},
	{false, []Kind{Person, Place, Org, storyCol}},
}

// Builder gathers the values of some facet fields, and perhaps the
// dates, of every live document, laid out as the table will hold them:
// per column, each document's ordinals one after another, so that
// assembling the table renumbers them in place. A million documents cost
// about 8 bytes a column and value, and their distinct values' bytes.
type Builder struct {
	kinds  []Kind
	fields []string // of kinds, to read
	cols   [allCols]*building
	dates  []int64 // nil when not reading dates
	// shifts are, per document, its publication's calendar date (in the
	// zone it stated, schema.Offset) less its instant's day in UTC: -1, 0
	// or 1. Generations indexed before the offset had doc values have
	// none: their days are the instants' in UTC.
	shifts []int8
	zone   int64 // the offset of the current document, in nanoseconds
	live   []uint32
	doc    uint32
}

// building is one column being gathered.
type building struct {
	values *interner
	// start[d] is where document d's provisional ordinals begin in ords,
	// for the documents met so far.
	start []uint32
	ords  []uint32
	multi bool // some document has several values
}

// NewBuilder returns a builder of kinds, and of dates when asked, for
// an index of about live documents.
func NewBuilder(live int, dates bool, kinds []Kind) *Builder {
	b := &Builder{kinds: kinds, live: make([]uint32, 0, live)}
	if dates {
		b.fields = append(b.fields, schema.Date, schema.Offset)
		b.dates = make([]int64, 0, live)
		b.shifts = make([]int8, 0, live)
	}
	for _, k := range kinds {
		b.fields = append(b.fields, fieldOf(k))
		distinct := 0
		if k == storyCol {
			distinct = live // most documents are a story of their own, labelled in 16 bytes
		}
		b.cols[k] = &building{values: newInterner(distinct, 16),
			start: make([]uint32, 0, live+1), ords: make([]uint32, 0, live)}
	}
	return b
}

// Fields returns the index fields b gathers: read their doc values.
func (b *Builder) Fields() []string { return b.fields }

// Doc starts document n, a live document; the values Visit is given next
// are its. Documents come in increasing order.
func (b *Builder) Doc(n uint32) {
	b.endDoc()
	b.doc = n
	b.live = append(b.live, n)
	if b.dates != nil {
		for len(b.dates) <= int(n) {
			b.dates, b.shifts = append(b.dates, NoDate), append(b.shifts, 0)
		}
	}
	for _, k := range b.kinds {
		b.cols[k].reach(n)
	}
}

// reach records where the documents up to n begin: those skipped have no
// values.
func (c *building) reach(n uint32) {
	for uint32(len(c.start)) <= n {
		c.start = append(c.start, uint32(len(c.ords)))
	}
}

// add gives document doc, the current one, provisional ordinal ord.
func (c *building) add(doc, ord uint32) {
	if uint32(len(c.ords)) > c.start[doc] {
		c.multi = true
	}
	c.ords = append(c.ords, ord)
}

// Visit records one doc value of the current document.
func (b *Builder) Visit(field string, term []byte) {
	switch field {
	case schema.Date:
		if v, ok := fullPrecision(term); ok {
			b.dates[b.doc] = v
		}
		return
	case schema.Offset:
		off, _ := schema.ParseOffset(string(term))
		b.zone = int64(off)
		return
	}
	for _, k := range b.kinds {
		if fieldOf(k) == field {
			c := b.cols[k]
			c.add(b.doc, c.values.ordinal(term))
			return
		}
	}
}

// endDoc completes the current document: its day's shift from UTC, once
// both its date and its offset are known.
func (b *Builder) endDoc() {
	if b.zone == 0 {
		return
	}
	if d := b.dates[b.doc]; d != NoDate {
		b.shifts[b.doc] = int8(floorDiv(d+b.zone, nanosPerDay) - floorDiv(d, nanosPerDay))
	}
	b.zone = 0
}

// fullPrecision returns the value of a date's full-precision term; false
// for the shifted, coarser terms bleve also indexes for range queries.
func fullPrecision(term []byte) (int64, bool) {
	p := numeric.PrefixCoded(term)
	if shift, err := p.Shift(); err != nil || shift != 0 {
		return 0, false
	}
	v, err := p.Int64()
	return v, err == nil
}

// Assemble lays out what builders gathered as one table; the builders are
// not used again.
func Assemble(builders []*Builder) *Table {
	live := builders[0].live
	t := &Table{Live: live}
	var shifts []int8
	if len(live) > 0 {
		t.Docs = int(live[len(live)-1]) + 1
	}
	for _, b := range builders {
		for _, k := range b.kinds {
			t.cols[k] = b.cols[k].column(t.Docs)
			b.cols[k] = nil
		}
		if b.dates != nil {
			b.endDoc()
			t.dates, shifts = b.dates, b.shifts
		}
	}
	for len(t.dates) < t.Docs {
		t.dates, shifts = append(t.dates, NoDate), append(shifts, 0)
	}
	t.cols[Day], t.days = dayColumn(t.dates[:t.Docs], shifts[:t.Docs])
	t.complete()
	return t
}

// complete derives from t's columns what a table holds beside them: the
// counts of everything and the stories.
func (t *Table) complete() {
	t.fromDates()
	t.All = newCounts(t, false)
	for _, doc := range t.Live {
		t.All.CountAll(t, doc)
	}
	t.All.fromDays(t)
	t.All.whole()
	t.stories = newStories(&t.cols[storyCol], t.Docs)
}

// column sorts a column's values and renumbers its
// ordinals to match, in place; a column without a document of several
// values keeps one ordinal per document, in the memory of start.
func (c *building) column(docs int) column {
	c.reach(uint32(docs))
	values := c.values.list
	order := make([]uint32, values.Len())
	for i := range order {
		order[i] = uint32(i)
	}
	slices.SortFunc(order, func(a, b uint32) int { return values.Compare(int(a), int(b)) })
	renumber := make([]uint32, len(order))
	for i, o := range order {
		renumber[o] = uint32(i)
	}
	values = values.Reordered(order)
	for i, o := range c.ords {
		c.ords[i] = renumber[o]
	}
	if c.multi {
		return column{values: values, start: c.start[:docs+1], ords: c.ords}
	}
	// One value at most per document: document d's ordinal goes where
	// start[d] was, read before (start[d+1] is read after) it is written.
	ords := c.start[:docs]
	for d := range ords {
		o := uint32(noValue)
		if c.start[d+1] > c.start[d] {
			o = c.ords[c.start[d]]
		}
		ords[d] = o
	}
	return column{values: values, ords: ords}
}

// dayColumn lays out the calendar day of each date as a single-valued
// column, and returns the days since 1970 of its values; a document
// without a date has none. A document's day is the one its publication
// wrote, as the date filters, the year and the month see it: the day of
// its instant in UTC, shifted by a day where its zone moves it.
func dayColumn(dates []int64, shifts []int8) (column, []int64) {
	byDay := map[int64]uint32{} // day number since 1970 to provisional ordinal
	c := column{ords: make([]uint32, len(dates))}
	var met []int64 // the days met, by provisional ordinal
	for doc, d := range dates {
		if d == NoDate {
			c.ords[doc] = noValue
			continue
		}
		day := floorDiv(d, nanosPerDay) + int64(shifts[doc])
		ord, ok := byDay[day]
		if !ok {
			ord = uint32(len(met))
			byDay[day] = ord
			met = append(met, day)
		}
		c.ords[doc] = ord
	}
	order := make([]uint32, len(met)) // ordinals by day
	for i := range order {
		order[i] = uint32(i)
	}
	slices.SortFunc(order, func(a, b uint32) int { return cmp.Compare(met[a], met[b]) })
	renumber := make([]uint32, len(met))
	values := make([]string, len(met))
	sorted := make([]int64, len(met))
	for i, o := range order {
		renumber[o] = uint32(i)
		sorted[i] = met[o]
		values[i] = dayTime(met[o]).Format(time.DateOnly)
	}
	c.values = sidecar.NewStringList(values)
	for doc, o := range c.ords {
		if o != noValue {
			c.ords[doc] = renumber[o]
		}
	}
	return c, sorted
}

// fromDates derives what searches read of the dates, built or loaded:
// the year's and month's values by day (ofDays), and the blocks' bounds
// (see Dated).
func (t *Table) fromDates() {
	t.ofDays()
	t.bounds = newDateBounds(t.dates)
}

// ofDays sets byDay for the year and the month, when they are functions
// of the day. The schema writes all three from the same date in its own
// zone, so they are for every index written since the days had their
// zone; a table where some day's documents differ (an index written
// before) counts those columns document by document. One pass over the
// live rows when the table is opened or built: a few milliseconds at a
// million articles, where each search's count of two columns of eight,
// per match, took 2-3 % of the bench searches' time.
func (t *Table) ofDays() {
	days := t.cols[Day].ords
	for _, k := range []Kind{Year, Month} {
		t.byDay[k], t.dayRuns[k] = nil, nil
		col := t.cols[k]
		if col.start != nil || len(col.ords) < len(days) {
			continue // several values for some document
		}
		const unset = noValue - 1
		m := make([]uint32, t.cols[Day].values.Len())
		for i := range m {
			m[i] = unset
		}
		ok := true
		for _, doc := range t.Live {
			d, v := days[doc], col.ords[doc]
			switch {
			case d == noValue:
				ok = v == noValue
			case m[d] == unset:
				m[d] = v
			default:
				ok = m[d] == v
			}
			if !ok {
				break
			}
		}
		if ok {
			for d, v := range m {
				if v == unset { // a day no live document has
					m[d] = noValue
				}
			}
			t.byDay[k], t.dayRuns[k] = m, runsOf(m)
		}
	}
}

// dayRun is a run of days, by ordinal, from the end of the run before it
// to end, whose documents all have value v (noValue: none).
type dayRun struct{ end, v uint32 }

// runsOf returns the runs of days of one value in byDay, a column's value
// of each day.
func runsOf(byDay []uint32) []dayRun {
	var runs []dayRun
	for d, v := range byDay {
		if n := len(runs); n > 0 && runs[n-1].v == v {
			runs[n-1].end = uint32(d + 1)
		} else {
			runs = append(runs, dayRun{uint32(d + 1), v})
		}
	}
	return runs
}

// dayTime returns the start of day number day since 1970, in UTC.
func dayTime(day int64) time.Time { return time.Unix(day*secondsPerDay, 0).UTC() }

const (
	secondsPerDay = 24 * 60 * 60
	nanosPerDay   = secondsPerDay * int64(time.Second)
)

// floorDiv divides rounding down, so that a time before 1970 falls on its
// own day.
func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

// count adds one to counts for each value document doc has.
func (c *column) count(doc uint32, counts []uint32) {
	if c.start == nil {
		if int(doc) < len(c.ords) {
			if o := c.ords[doc]; o != noValue {
				counts[o]++
			}
		}
		return
	}
	if int(doc)+1 < len(c.start) {
		for _, o := range c.ords[c.start[doc]:c.start[doc+1]] {
			counts[o]++
		}
	}
}

// countMulti counts docs, ascending, in the columns kinds of t whose
// values are not listed, multi-valued or held by its rows, into c: from
// t's rows (multiRows) when kinds are all of theirs and c's counts are
// together, else column by column: a single-valued one a document at a
// time, the multi-valued ones in runs (countRuns), or, for documents
// scattered over the table (apart, see rows.Scattered), in passes
// (rows.Column.CountScattered).
func (t *Table) countMulti(kinds []Kind, docs []uint32, apart bool, c *Counts) {
	if r := t.laidOut(); r != nil && c.together != nil && slices.Equal(kinds, r.kinds) {
		if apart {
			r.CountScattered(docs, c.together)
		} else {
			r.CountRuns(docs, c.together)
		}
		return
	}
	for _, k := range kinds {
		if col := &t.cols[k]; col.start == nil {
			for _, doc := range docs {
				col.count(doc, c.n[k])
			}
		}
	}
	if !apart {
		t.countRuns(kinds, docs, &c.n) // the multi-valued ones
		return
	}
	for _, k := range kinds {
		if t.cols[k].start != nil {
			rows.Column{Start: t.cols[k].start, Ords: t.cols[k].ords}.CountScattered(docs, c.n[k], nil)
		}
	}
}

// countRuns counts docs in the multi-valued columns kinds of t, into
// counts: document by document, each column's values of a document one
// range of its ords, and the ranges of documents that follow one another
// (ascending docs) one run, read in one loop per column. A search of a
// common word matches most articles, and a sample of its matches takes
// them in runs. Matches scattered over the table are counted by
// rows.Column.CountScattered instead.
func (t *Table) countRuns(kinds []Kind, docs []uint32, counts *[numCols][]uint32) {
	for i := 0; i < len(docs); {
		first, j := docs[i], i+1
		for j < len(docs) && docs[j] == docs[j-1]+1 {
			j++
		}
		end := int(docs[j-1]) + 1
		for _, k := range kinds {
			c, n := &t.cols[k], counts[k]
			if hi := min(end, len(c.start)-1); int(first) < hi {
				for _, o := range c.ords[c.start[first]:c.start[hi]] {
					n[o]++
				}
			}
		}
		i = j
	}
}

// countListed is count that also appends to seen the values it counts
// first; count, small enough to be inlined, is the one most documents
// take (see Counts.track).
func (c *column) countListed(doc uint32, counts []uint32, seen *[]uint32) {
	if c.start == nil {
		if int(doc) < len(c.ords) {
			if o := c.ords[doc]; o != noValue {
				if counts[o] == 0 {
					*seen = append(*seen, o)
				}
				counts[o]++
			}
		}
		return
	}
	if int(doc)+1 < len(c.start) {
		for _, o := range c.ords[c.start[doc]:c.start[doc+1]] {
			if counts[o] == 0 {
				*seen = append(*seen, o)
			}
			counts[o]++
		}
	}
}

// of returns the ordinals of document doc's values.
func (c *column) of(doc uint32) []uint32 {
	if c.start == nil {
		if int(doc) < len(c.ords) && c.ords[doc] != noValue {
			return c.ords[doc : doc+1]
		}
		return nil
	}
	if int(doc)+1 < len(c.start) {
		return c.ords[c.start[doc]:c.start[doc+1]]
	}
	return nil
}

// anyOf reports whether document doc has a value whose ordinal is in set.
func (c *column) anyOf(doc uint32, set []bool) bool {
	if c.start == nil {
		if int(doc) < len(c.ords) {
			o := c.ords[doc]
			return o != noValue && set[o]
		}
		return false
	}
	if int(doc)+1 < len(c.start) {
		for _, o := range c.ords[c.start[doc]:c.start[doc+1]] {
			if set[o] {
				return true
			}
		}
	}
	return false
}

// ordinal returns the ordinal of value, or false when no document has it.
func (c *column) ordinal(value string) (uint32, bool) {
	i, ok := c.values.Search(value)
	return uint32(i), ok
}

// EntityValues returns how many values Entities calls its function with.
func (t *Table) EntityValues() int {
	return t.cols[Person].values.Len() + t.cols[Place].values.Len() + t.cols[Org].values.Len()
}

// Entities calls fn with each person, place and org value (fields
// schema.Person, Place, Org) and the number of live articles holding it.
func (t *Table) Entities(fn func(field, value string, docs int)) {
	for _, k := range []Kind{Person, Place, Org} {
		for ord := range t.cols[k].values.Len() {
			fn(Defs[k].Field, t.cols[k].values.At(ord), int(t.All.n[k][ord]))
		}
	}
}

// MultiValued reports whether some document has several values of
// facet k.
func (t *Table) MultiValued(k Kind) bool { return t.cols[k].start != nil }

// Stories returns the stories of the table's documents.
func (t *Table) Stories() *Stories { return t.stories }

// Date returns document doc's date as UnixNano, or NoDate.
func (t *Table) Date(doc uint32) int64 {
	if int(doc) < len(t.dates) {
		return t.dates[doc]
	}
	return NoDate
}

// Bytes returns the memory the table holds.
func (t *Table) Bytes() int {
	n := len(t.dates)*8 + len(t.days)*8 + len(t.Live)*4 + t.stories.Bytes()
	if t.bounds != nil {
		n += 2 * len(t.bounds.best[0]) * (8 + 4)
	}
	if t.multi != nil {
		n += t.multi.Bytes()
	}
	for k, c := range t.cols {
		if k < int(numCols) {
			n += len(t.All.n[k]) * 4
		}
		n += (len(c.start) + len(c.ords)) * 4
		n += c.values.Bytes()
	}
	return n
}
