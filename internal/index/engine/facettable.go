package engine

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"sync"
	"unsafe"

	"github.com/blevesearch/bleve/v2/numeric"
	index "github.com/blevesearch/bleve_index_api"
	"github.com/newsfind/newsfind/internal/index/schema"
)

// facetKind names one facet a search counts.
type facetKind int

const (
	facetSource facetKind = iota
	facetYear
	facetMonth
	facetPerson
	facetPlace
	facetOrg
	numFacets
)

// facetDefs are the facets every search counts: name in the result, index
// field, and how many values to return.
var facetDefs = [numFacets]struct {
	name, field string
	size        int
}{
	facetSource: {"source", schema.Source, 10},
	facetYear:   {"year", schema.Year, 30},
	facetMonth:  {"month", schema.Month, 24},
	facetPerson: {"person", schema.Person, 10},
	facetPlace:  {"place", schema.Place, 10},
	facetOrg:    {"org", schema.Org, 10},
}

// noValue marks a document without a value in a single-valued column, and
// noDate one without a date.
const (
	noValue = math.MaxUint32
	noDate  = math.MinInt64
)

// facetTable holds the facet fields and the date of every document of one
// opened generation, uninverted once as Lucene's FieldCache does: per
// document number (scorch's global doc number, the big-endian value of an
// IndexInternalID), the ordinals of its values. Counting the facets of a
// match is then a few array reads, where bleve decodes compressed doc
// values per match. Generations are immutable once built, so the table
// never changes while the generation is served.
type facetTable struct {
	docs  int // document numbers covered: 0 to docs-1
	cols  [numFacets]column
	dates []int64 // UnixNano of each document's date, or noDate
	// live are the numbers of the documents not deleted, ascending, and
	// all the facet counts over them: what a search for everything needs.
	live []uint32
	all  *facetCounts
}

// column is one keyword field uninverted. values are its distinct terms in
// byte order; an ordinal indexes them. A field with at most one value per
// document keeps one ordinal per document in ords (noValue when it has
// none); a multi-valued one keeps document d's ordinals in
// ords[start[d]:start[d+1]].
type column struct {
	values []string
	start  []uint32
	ords   []uint32
}

// tableGroups split the table's fields between builders that read their
// doc values concurrently, in shares of about the same work.
var tableGroups = []struct {
	dates bool
	kinds []facetKind
}{
	{true, []facetKind{facetSource, facetYear, facetMonth}},
	{false, []facetKind{facetPerson, facetPlace, facetOrg}},
}

// buildFacetTable uninverts the facet fields and dates of every live
// document r holds: passes over their doc values in document order (which
// reads each compressed chunk once), one per group of fields, at once.
func buildFacetTable(r index.IndexReader) (*facetTable, error) {
	live, err := r.DocCount()
	if err != nil {
		return nil, fmt.Errorf("facet table: %w", err)
	}
	builders := make([]*tableBuilder, len(tableGroups))
	errs := make([]error, len(tableGroups))
	var wg sync.WaitGroup
	for i, g := range tableGroups {
		builders[i] = newTableBuilder(int(live), g.dates, g.kinds)
		wg.Go(func() { errs[i] = builders[i].read(r) })
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("facet table: %w", err)
	}
	return assemble(builders), nil
}

// tableBuilder gathers the (document, value) pairs of some facet fields,
// and perhaps the dates, of every live document.
type tableBuilder struct {
	kinds   []facetKind
	fields  []string                     // of kinds, to read
	ords    [numFacets]map[string]uint32 // value to provisional ordinal
	pairs   [numFacets][]docOrd
	dates   []int64 // nil when not reading dates
	live    []uint32
	doc     uint32
	visitor index.DocValueVisitor
}

type docOrd struct{ doc, ord uint32 }

// newTableBuilder returns a builder of kinds, and of dates when asked, for
// an index of about live documents.
func newTableBuilder(live int, dates bool, kinds []facetKind) *tableBuilder {
	b := &tableBuilder{kinds: kinds, live: make([]uint32, 0, live)}
	if dates {
		b.fields = append(b.fields, schema.Date)
		b.dates = make([]int64, 0, live)
	}
	for _, k := range kinds {
		b.fields = append(b.fields, facetDefs[k].field)
		b.ords[k] = map[string]uint32{}
		b.pairs[k] = make([]docOrd, 0, live)
	}
	b.visitor = b.visit
	return b
}

// read visits the doc values of every live document of r.
func (b *tableBuilder) read(r index.IndexReader) error {
	dv, err := r.DocValueReader(b.fields)
	if err != nil {
		return err
	}
	all, err := r.DocIDReaderAll()
	if err != nil {
		return err
	}
	defer all.Close()
	for {
		id, err := all.Next()
		if err != nil || id == nil {
			return err
		}
		if len(id) != 8 {
			return fmt.Errorf("document %q: not a scorch index", id)
		}
		n := id.Value()
		if n >= math.MaxUint32 {
			return fmt.Errorf("document number %d beyond the table's range", n)
		}
		b.doc = uint32(n)
		b.live = append(b.live, b.doc)
		if b.dates != nil {
			for len(b.dates) <= int(b.doc) {
				b.dates = append(b.dates, noDate)
			}
		}
		if err := dv.VisitDocValues(id, b.visitor); err != nil {
			return fmt.Errorf("document %d: %w", n, err)
		}
	}
}

// visit records one doc value of the current document.
func (b *tableBuilder) visit(field string, term []byte) {
	if field == schema.Date {
		b.visitDate(term)
		return
	}
	for _, k := range b.kinds {
		if facetDefs[k].field != field {
			continue
		}
		ord, ok := b.ords[k][string(term)]
		if !ok {
			ord = uint32(len(b.ords[k]))
			b.ords[k][string(term)] = ord
		}
		b.pairs[k] = append(b.pairs[k], docOrd{b.doc, ord})
		return
	}
}

// visitDate keeps the full-precision term of a date (bleve also indexes
// shifted, coarser terms for range queries).
func (b *tableBuilder) visitDate(term []byte) {
	p := numeric.PrefixCoded(term)
	if shift, err := p.Shift(); err != nil || shift != 0 {
		return
	}
	if v, err := p.Int64(); err == nil {
		b.dates[b.doc] = v
	}
}

// assemble lays out what builders gathered as one table.
func assemble(builders []*tableBuilder) *facetTable {
	live := builders[0].live
	t := &facetTable{live: live}
	if len(live) > 0 {
		t.docs = int(live[len(live)-1]) + 1
	}
	for _, b := range builders {
		for _, k := range b.kinds {
			t.cols[k] = b.column(k, t.docs)
		}
		if b.dates != nil {
			t.dates = b.dates
		}
	}
	for len(t.dates) < t.docs {
		t.dates = append(t.dates, noDate)
	}
	t.all = newFacetCounts(t)
	for _, doc := range t.live {
		t.all.countAll(t, doc)
	}
	return t
}

// column sorts a field's values, renumbers its pairs to match and lays them
// out by document (pairs arrive in document order).
func (b *tableBuilder) column(k facetKind, docs int) column {
	values := make([]string, 0, len(b.ords[k]))
	for v := range b.ords[k] {
		values = append(values, v)
	}
	slices.Sort(values)
	renumber := make([]uint32, len(values))
	for i, v := range values {
		renumber[b.ords[k][v]] = uint32(i)
	}
	pairs := b.pairs[k]
	multi := false
	for i := 1; i < len(pairs) && !multi; i++ {
		multi = pairs[i].doc == pairs[i-1].doc
	}
	c := column{values: values}
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
	i, ok := slices.BinarySearch(c.values, value)
	return uint32(i), ok
}

// date returns document doc's date as UnixNano, or noDate.
func (t *facetTable) date(doc uint32) int64 {
	if int(doc) < len(t.dates) {
		return t.dates[doc]
	}
	return noDate
}

// bytes returns the memory the table holds.
func (t *facetTable) bytes() int {
	n := len(t.dates)*8 + len(t.live)*4
	for k, c := range t.cols {
		n += len(t.all[k]) * 4
		n += (len(c.start) + len(c.ords)) * 4
		for _, v := range c.values {
			n += len(v) + int(unsafe.Sizeof(v))
		}
	}
	return n
}
