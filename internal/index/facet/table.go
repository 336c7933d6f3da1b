package facet

import (
	"cmp"
	"math"
	"slices"
	"time"

	"github.com/blevesearch/bleve/v2/numeric"

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
// counted. Its values are only told apart, never listed or looked up, so
// they keep the order documents first meet them, unsorted; a table holds
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
	// days are the days since 1970 of the Day column's values, by ordinal.
	days []int64
	// Live are the numbers of the documents not deleted, ascending, and
	// all the facet counts over them: what a search for everything needs.
	Live    []uint32
	All     *Counts
	stories *Stories
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
// byte order (story labels in the order met), one byte slice; an ordinal indexes them. A field with at most one value per
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

// Builder gathers the (document, value) pairs of some facet fields,
// and perhaps the dates, of every live document.
type Builder struct {
	kinds  []Kind
	fields []string                   // of kinds, to read
	ords   [allCols]map[string]uint32 // value to provisional ordinal
	pairs  [allCols][]docOrd
	// copied maps the ordinals of the table Copy reads from to
	// provisional ones (noValue: not met yet).
	copied [allCols][]uint32
	dates  []int64 // nil when not reading dates
	live   []uint32
	doc    uint32
}

type docOrd struct{ doc, ord uint32 }

// NewBuilder returns a builder of kinds, and of dates when asked, for
// an index of about live documents.
func NewBuilder(live int, dates bool, kinds []Kind) *Builder {
	b := &Builder{kinds: kinds, live: make([]uint32, 0, live)}
	if dates {
		b.fields = append(b.fields, schema.Date)
		b.dates = make([]int64, 0, live)
	}
	for _, k := range kinds {
		b.fields = append(b.fields, fieldOf(k))
		b.ords[k] = map[string]uint32{}
		b.pairs[k] = make([]docOrd, 0, live)
	}
	return b
}

// Fields returns the index fields b gathers: read their doc values.
func (b *Builder) Fields() []string { return b.fields }

// Doc starts document n, a live document; the values Visit is given next
// are its. Documents come in increasing order.
func (b *Builder) Doc(n uint32) {
	b.doc = n
	b.live = append(b.live, n)
	if b.dates != nil {
		for len(b.dates) <= int(n) {
			b.dates = append(b.dates, NoDate)
		}
	}
}

// Copy records what document from of table prev holds as the values of
// the current document: a document of a segment prev's index shares.
func (b *Builder) Copy(prev *Table, from uint32) {
	if b.dates != nil {
		b.dates[b.doc] = prev.Date(from)
	}
	for _, k := range b.kinds {
		c := &prev.cols[k]
		if b.copied[k] == nil {
			b.copied[k] = make([]uint32, c.values.Len())
			for i := range b.copied[k] {
				b.copied[k][i] = noValue
			}
		}
		lo, hi := int(from), int(from)+1
		if c.start != nil {
			if int(from)+1 >= len(c.start) {
				continue
			}
			lo, hi = int(c.start[from]), int(c.start[from+1])
		}
		for _, o := range c.ords[min(lo, len(c.ords)):min(hi, len(c.ords))] {
			if o == noValue {
				continue
			}
			ord := b.copied[k][o]
			if ord == noValue {
				ord = b.ordinal(k, c.values.At(int(o)))
				b.copied[k][o] = ord
			}
			b.pairs[k] = append(b.pairs[k], docOrd{b.doc, ord})
		}
	}
}

// ordinal returns the provisional ordinal of value in facet k.
func (b *Builder) ordinal(k Kind, value string) uint32 {
	ord, ok := b.ords[k][value]
	if !ok {
		ord = uint32(len(b.ords[k]))
		b.ords[k][value] = ord
	}
	return ord
}

// Visit records one doc value of the current document.
func (b *Builder) Visit(field string, term []byte) {
	if field == schema.Date {
		b.visitDate(term)
		return
	}
	for _, k := range b.kinds {
		if fieldOf(k) != field {
			continue
		}
		ord, ok := b.ords[k][string(term)]
		if !ok {
			ord = b.ordinal(k, string(term))
		}
		b.pairs[k] = append(b.pairs[k], docOrd{b.doc, ord})
		return
	}
}

// visitDate keeps the full-precision term of a date (bleve also indexes
// shifted, coarser terms for range queries).
func (b *Builder) visitDate(term []byte) {
	p := numeric.PrefixCoded(term)
	if shift, err := p.Shift(); err != nil || shift != 0 {
		return
	}
	if v, err := p.Int64(); err == nil {
		b.dates[b.doc] = v
	}
}

// Assemble lays out what builders gathered as one table.
func Assemble(builders []*Builder) *Table {
	live := builders[0].live
	t := &Table{Live: live}
	if len(live) > 0 {
		t.Docs = int(live[len(live)-1]) + 1
	}
	for _, b := range builders {
		for _, k := range b.kinds {
			t.cols[k] = b.column(k, t.Docs)
		}
		if b.dates != nil {
			t.dates = b.dates
		}
	}
	for len(t.dates) < t.Docs {
		t.dates = append(t.dates, NoDate)
	}
	t.cols[Day], t.days = dayColumn(t.dates[:t.Docs])
	t.complete()
	return t
}

// complete derives from t's columns what a table holds beside them: the
// counts of everything and the stories.
func (t *Table) complete() {
	t.All = NewCounts(t)
	for _, doc := range t.Live {
		t.All.CountAll(t, doc)
	}
	t.stories = newStories(&t.cols[storyCol], t.Docs)
}

// column sorts a field's values (but story labels), renumbers its pairs to
// match and lays them out by document (pairs arrive in document order).
func (b *Builder) column(k Kind, docs int) column {
	values := make([]string, len(b.ords[k]))
	for v, o := range b.ords[k] {
		values[o] = v
	}
	renumber := make([]uint32, len(values))
	for i := range renumber {
		renumber[i] = uint32(i)
	}
	if k != storyCol {
		slices.Sort(values)
		for i, v := range values {
			renumber[b.ords[k][v]] = uint32(i)
		}
	}
	pairs := b.pairs[k]
	multi := false
	for i := 1; i < len(pairs) && !multi; i++ {
		multi = pairs[i].doc == pairs[i-1].doc
	}
	c := column{values: sidecar.NewStringList(values)}
	if !multi {
		c.ords = make([]uint32, docs)
		for i := range c.ords {
			c.ords[i] = noValue
		}
		for _, p := range pairs {
			c.ords[p.doc] = renumber[p.ord]
		}
		return c
	}
	c.start, c.ords = make([]uint32, docs+1), make([]uint32, 0, len(pairs))
	for _, p := range pairs {
		c.start[p.doc+1]++
		c.ords = append(c.ords, renumber[p.ord])
	}
	for d := 1; d <= docs; d++ {
		c.start[d] += c.start[d-1]
	}
	return c
}

// dayColumn lays out the calendar day of each date as a single-valued
// column, and returns the days since 1970 of its values; a document
// without a date has none.
func dayColumn(dates []int64) (column, []int64) {
	byDay := map[int64]uint32{} // day number since 1970 to provisional ordinal
	c := column{ords: make([]uint32, len(dates))}
	var days []int64
	for doc, d := range dates {
		if d == NoDate {
			c.ords[doc] = noValue
			continue
		}
		day := floorDiv(d, nanosPerDay)
		ord, ok := byDay[day]
		if !ok {
			ord = uint32(len(days))
			byDay[day] = ord
			days = append(days, day)
		}
		c.ords[doc] = ord
	}
	order := make([]uint32, len(days)) // ordinals by day
	for i := range order {
		order[i] = uint32(i)
	}
	slices.SortFunc(order, func(a, b uint32) int { return cmp.Compare(days[a], days[b]) })
	renumber := make([]uint32, len(days))
	values := make([]string, len(days))
	sorted := make([]int64, len(days))
	for i, o := range order {
		renumber[o] = uint32(i)
		sorted[i] = days[o]
		values[i] = dayTime(days[o]).Format(time.DateOnly)
	}
	c.values = sidecar.NewStringList(values)
	for doc, o := range c.ords {
		if o != noValue {
			c.ords[doc] = renumber[o]
		}
	}
	return c, sorted
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

// Entities calls fn with each person, place and org value (fields
// schema.Person, Place, Org) and the number of live articles holding it.
func (t *Table) Entities(fn func(field, value string, docs int)) {
	for _, k := range []Kind{Person, Place, Org} {
		for ord := range t.cols[k].values.Len() {
			fn(Defs[k].Field, t.cols[k].values.At(ord), int(t.All[k][ord]))
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
	for k, c := range t.cols {
		if k < int(numCols) {
			n += len(t.All[k]) * 4
		}
		n += (len(c.start) + len(c.ords)) * 4
		n += c.values.Bytes()
	}
	return n
}
