package facet

import (
	"context"
	"fmt"
	"math"
	"strconv"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/newsfind/newsfind/internal/index/facet/rows"
	"github.com/newsfind/newsfind/internal/search"
)

// Counts are the counts of one search, per facet (and Day) and value
// ordinal, and what each count stands for (see Scale).
//
// They list the values they have counted while those are few beside the
// column's, so that reading the top values, and clearing the counts for
// the next search, cost what was counted, not the table's number of
// values. Past a 256th of them (see track), a pass over all, in order,
// costs less than looking up each listed value again, and listing slowed
// the count: the list is then dropped. At 1,000,000 articles the columns
// of people (158,810 values) and organizations (80,800) pass that share
// with most searches, and are passed over whole as before.
type Counts struct {
	n [numCols][]uint32
	// seen are, per column, the ordinals counted since the last Clear,
	// unless dense: then any may be.
	seen  [numCols][]uint32
	dense [numCols]bool
	scale [numCols]float64
	// together holds the counts of the multi-valued columns one after
	// another, each column's n a part of it, as the table's multi-valued
	// rows index them (see multiRows); nil in counts that are not tallied.
	together []uint32
}

// track returns where column k's newly counted values are to be listed,
// or nil when they are no longer listed: past a 256th of its values.
func (c *Counts) track(k Kind) *[]uint32 {
	if !c.dense[k] && len(c.seen[k]) > len(c.n[k])/256 {
		c.seen[k], c.dense[k] = c.seen[k][:0], true
	}
	if c.dense[k] {
		return nil
	}
	return &c.seen[k]
}

// NewCounts returns zero counts sized for table t.
func NewCounts(t *Table) *Counts { return newCounts(t, true) }

// newCounts returns zero counts sized for table t, those of its
// multi-valued columns together, as its multi-valued rows index them,
// when asked.
func newCounts(t *Table, together bool) *Counts {
	var c Counts
	var r *multiRows
	if together {
		if r = t.laidOut(); r != nil {
			c.together = make([]uint32, r.values)
		}
	}
	for k := range numCols {
		n := t.cols[k].values.Len()
		if c.together != nil && r.held[k] {
			b := int(r.base[k])
			c.n[k] = c.together[b : b+n : b+n]
		} else {
			c.n[k] = make([]uint32, n)
		}
	}
	return &c
}

// CountAll counts every facet, and the day, of document doc; the columns
// counted from the days (see Table.byDay) are complete once fromDays has
// been called.
func (c *Counts) CountAll(t *Table, doc uint32) {
	for k := range numCols {
		if t.byDay[k] == nil {
			c.add(&t.cols[k], k, doc)
		}
	}
}

// fromDays counts the columns that are functions of the day (see
// Table.byDay) from the days' counts: what counting each document's
// value would have given.
func (c *Counts) fromDays(t *Table) {
	days := c.n[Day]
	for k, m := range t.byDay {
		if m == nil {
			continue
		}
		add := func(v, n uint32) {
			if v != noValue && n > 0 {
				if c.n[k][v] == 0 {
					if seen := c.track(Kind(k)); seen != nil {
						*seen = append(*seen, v)
					}
				}
				c.n[k][v] += n
			}
		}
		if !c.dense[Day] {
			for _, d := range c.seen[Day] {
				add(m[d], days[d])
			}
			continue
		}
		// Every day may have been counted: sum each run of days of one
		// value, in order, rather than look up each day's value.
		lo := uint32(0)
		for _, r := range t.dayRuns[k] {
			add(r.v, sum(days[lo:r.end]))
			lo = r.end
		}
	}
}

// sum returns the sum of counts.
func sum(counts []uint32) uint32 {
	var n uint32
	for _, c := range counts {
		n += c
	}
	return n
}

// add counts document doc's values in column col, column k of c.
func (c *Counts) add(col *column, k Kind, doc uint32) {
	if seen := c.track(k); seen != nil {
		col.countListed(doc, c.n[k], seen)
	} else {
		col.count(doc, c.n[k])
	}
}

// Clear sets the counts of the columns kinds (all of them when none is
// given) back to zero, unscaled.
func (c *Counts) Clear(kinds ...Kind) {
	if len(kinds) == 0 {
		for k := range numCols {
			c.Clear(k)
		}
		return
	}
	for _, k := range kinds {
		if c.dense[k] {
			clear(c.n[k])
		} else {
			for _, o := range c.seen[k] {
				c.n[k][o] = 0
			}
		}
		c.seen[k], c.dense[k], c.scale[k] = c.seen[k][:0], false, 0
	}
}

// Set makes c a copy of from, counts of the same table.
func (c *Counts) Set(from *Counts) {
	for k := range numCols {
		copy(c.n[k], from.n[k])
		c.seen[k], c.dense[k], c.scale[k] = c.seen[k][:0], true, from.scale[k]
	}
}

// whole marks every column of c as counted whole, its list of values
// counted dropped: counts of all documents, which few values miss.
func (c *Counts) whole() {
	for k := range numCols {
		c.seen[k], c.dense[k] = nil, true
	}
}

// Count returns the count of the value ordinal o of column k, scaled.
func (c *Counts) Count(k Kind, o int) int {
	return c.scaled(k, c.n[k][o])
}

// scaled returns n matches counted in column k scaled as its counts are
// (see Scale): at least 1 when n is not 0.
func (c *Counts) scaled(k Kind, n uint32) int {
	if f := c.scale[k]; f > 1 && n > 0 {
		return int(max(1, min(math.Round(float64(n)*f), math.MaxUint32)))
	}
	return int(n)
}

// Tally counts the facets of the documents Add is given, a batch at a
// time, into the counts it was made for: column by column rather than
// document by document, so that each column's table and counts stay in
// the cache while a batch is counted (a fifth less time than CountAll in a
// profile of the bench's searches at 100,000 articles). The counts are
// complete once Flush has been called.
type Tally struct {
	t     *Table
	c     *Counts
	docs  []uint32
	multi []Kind // the columns a batch counts together (see batch)
}

// tallyBatch is how many documents a Tally counts at once.
const tallyBatch = 256

// Tally returns a Tally that counts documents of t into c.
func (c *Counts) Tally(t *Table) *Tally {
	return &Tally{t: t, c: c, docs: make([]uint32, 0, tallyBatch)}
}

// Add counts every facet, and the day, of document doc, by the next
// Flush at the latest.
func (b *Tally) Add(doc uint32) {
	if b.docs = append(b.docs, doc); len(b.docs) == tallyBatch {
		b.batch()
	}
}

// Flush counts the documents added since the last Flush, and completes
// the counts: those of the columns counted from the days (see
// Table.byDay) are made from the days'. Documents added after it are
// counted by the next Flush.
func (b *Tally) Flush() {
	b.batch()
	for k, m := range b.t.byDay {
		if m != nil {
			b.c.Clear(Kind(k))
		}
	}
	b.c.fromDays(b.t)
}

// batch counts the documents added since the last batch, but the columns
// counted from the days: the multi-valued ones, and the single-valued
// ones the table's rows hold, together once their values are no longer
// listed (see Table.countMulti), and, scattered documents, in passes
// while they are (see rows.Column.CountScattered). A single-valued
// column no document has a value in (an archive without sections) is
// not read: every match's entry would be a cache line to wait for, for
// nothing to count.
func (b *Tally) batch() {
	apart, laid := rows.Scattered(b.docs), b.t.laidOut()
	multi := b.multi[:0]
	for k := range numCols {
		if b.t.byDay[k] != nil || b.t.cols[k].start == nil && len(b.c.n[k]) == 0 {
			continue
		}
		col, counts, seen := &b.t.cols[k], b.c.n[k], b.c.track(k)
		switch {
		case seen != nil && col.start != nil && apart:
			rows.Column{Start: col.start, Ords: col.ords}.CountScattered(b.docs, counts, seen)
		case seen != nil:
			for _, doc := range b.docs {
				col.countListed(doc, counts, seen)
			}
		case col.start != nil || laid != nil && laid.held[k]:
			multi = append(multi, k)
		default:
			for _, doc := range b.docs {
				col.count(doc, counts)
			}
		}
	}
	if len(multi) > 0 {
		b.t.countMulti(multi, b.docs, apart, b.c)
	}
	b.multi, b.docs = multi, b.docs[:0]
}

// facets returns the counted facets as a search result shows them: the
// values most matches carry first (ties by value), at most each facet's
// size.
func (c *Counts) Facets(t *Table) map[string][]search.Facet {
	out := make(map[string][]search.Facet, NumKinds)
	for k, def := range Defs {
		ords := c.seen[k]
		if c.dense[k] {
			ords = nil
		}
		top := topOrdinals(c.n[k], ords, def.Size)
		list := make([]search.Facet, len(top))
		for i, o := range top {
			list[i] = search.Facet{Value: t.cols[k].values.At(int(o)), Count: c.Count(Kind(k), int(o))}
		}
		out[def.Name] = list
	}
	return out
}

// topOrdinals returns the ordinals of the n highest counts above zero,
// highest first; ties go to the lower ordinal, which is the lower value.
// It looks at the ordinals ords, in any order, or at all when ords is nil.
// (Scaling, which keeps the order of counts, comes after.)
func topOrdinals(counts, ords []uint32, n int) []uint32 {
	if n <= 0 {
		return nil
	}
	top := make([]uint32, 0, n)
	offer := func(o uint32) {
		c := counts[o]
		if len(top) == n {
			if last := counts[top[n-1]]; c < last || c == last && o > top[n-1] {
				return
			}
		}
		i := len(top) // after every kept ordinal with a higher count, or as high and lower
		for i > 0 && (counts[top[i-1]] < c || counts[top[i-1]] == c && top[i-1] > o) {
			i--
		}
		if len(top) < n {
			top = append(top, 0)
		}
		copy(top[i+1:], top[i:len(top)-1])
		top[i] = o
	}
	if ords == nil {
		// Most counts are 0, or not above the n-th's, which a later
		// ordinal's tie does not pass either: one comparison with a
		// local each, a quarter of the time of looking the n-th's up
		// (BenchmarkTopOrdinals).
		var floor uint32
		for o, c := range counts {
			if c > floor {
				if offer(uint32(o)); len(top) == n {
					floor = counts[top[n-1]]
				}
			}
		}
	}
	for _, o := range ords {
		if counts[o] != 0 {
			offer(o)
		}
	}
	return top
}

// Disjunctive counts filtered facets the way search engines show them: a
// facet whose field is filtered counts the matches of every other filter,
// so it still shows the values one could add. A match passing all filters
// counts for each filtered facet; one failing exactly one filter counts for
// that filter's facet only.
type Disjunctive struct {
	kinds  []Kind
	accept [][]bool // per kind: the ordinals its filter accepts
}

// NewDisjunctive returns the filtered facets of f in table t, or nil when f
// filters no facet.
func NewDisjunctive(t *Table, values [NumKinds][]string) *Disjunctive {
	var d Disjunctive
	for k, vs := range values {
		if len(vs) == 0 {
			continue
		}
		set := make([]bool, t.cols[k].values.Len())
		for _, v := range vs {
			if o, ok := t.cols[k].ordinal(v); ok {
				set[o] = true
			}
		}
		d.kinds = append(d.kinds, Kind(k))
		d.accept = append(d.accept, set)
	}
	if len(d.kinds) == 0 {
		return nil
	}
	return &d
}

// Kinds returns the facets d recounts: those a filter narrows.
func (d *Disjunctive) Kinds() []Kind { return d.kinds }

// Count counts document doc into the filtered facets it belongs to.
func (d *Disjunctive) Count(t *Table, c *Counts, doc uint32) {
	failed := -1
	for i, k := range d.kinds {
		if !t.cols[k].anyOf(doc, d.accept[i]) {
			if failed >= 0 {
				return // fails two filters: in no facet's count
			}
			failed = i
		}
	}
	if failed >= 0 {
		k := d.kinds[failed]
		c.add(&t.cols[k], k, doc)
		return
	}
	for _, k := range d.kinds {
		c.add(&t.cols[k], k, doc)
	}
}

// Scale scales the counts of the facets d recounts by f (see
// Counts.Scale).
func (d *Disjunctive) Scale(c *Counts, f float64) {
	for _, k := range d.kinds {
		c.Scale(k, f)
	}
}

// Filters returns the values f filters each facet's field by, as
// NewDisjunctive takes them.
func Filters(f search.Filters) [NumKinds][]string {
	years := make([]string, len(f.Years))
	for i, y := range f.Years {
		years[i] = strconv.Itoa(y)
	}
	var out [NumKinds][]string
	out[Source], out[Year], out[Month] = f.Sources, years, f.Months
	out[Person], out[Place], out[Org] = f.People, f.Places, f.Orgs
	out[Section] = f.Sections
	return out
}

// checkDoneEvery is how many documents Visit handles between looks at its
// context.
const checkDoneEvery = 1024

// sampleRun is how many matches in a row a sample takes at a time: at a
// million articles, matches taken one by one from all over the archive
// read a cache line of each column apiece, and searchd answered 13 %
// fewer first-time searches from 8 clients.
const sampleRun = 64

// DefaultSample is the sample Visit takes when given none: spread over
// the matches and scaled, the facet counts of the bench's common-word
// searches were within 3 % of the exact counts at 100,000 articles and
// 5 % at 1,000,000 (median; 2 % with 10,000 at 100,000), at about the
// cost per search of counting the first 10,000 (docs/PERFORMANCE.md,
// session 13).
const DefaultSample = 5_000

// Visit returns how many documents matches holds, tells seen, when set,
// of each that is a version of a story, and calls visit, when set, with
// the matches that are the first of their story, in document order: all
// of them when they number at most limit (or limit is 0), else a sample of
// about sample matches spread over them (stratified: of every k runs of
// sampleRun matches in a row, one, chosen by a hash of the stratum's
// number, so the same for every search of the same matches), so that counts of the sample stand
// for all matches, not for the oldest. scale is then what the sample's
// counts are multiplied by to estimate those of all matches (see
// Counts.Scale); 1 when every match was visited. A sample of 0 is
// DefaultSample.
func Visit(ctx context.Context, matches *roaring.Bitmap, limit, sample uint64, seen *Seen, visit func(doc uint32)) (n uint64, scale float64, err error) {
	n = matches.GetCardinality()
	if visit == nil {
		if seen != nil {
			seen.FirstOf(matches, 0)
		}
		return n, 1, nil
	}
	every := uint64(1)
	if limit > 0 && n > limit {
		if sample == 0 {
			sample = DefaultSample
		}
		sample = min(sample, limit)
		every = n / sample // about sample matches or more visited
	}
	var versions roaring.IntPeekable
	if seen != nil {
		versions = seen.versions(matches).Iterator()
	}
	var positions uint64
	take := func(doc uint32) error {
		if positions%checkDoneEvery == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		positions++
		if versions == nil || seen.firstUpTo(versions, doc) {
			visit(doc)
		}
		return nil
	}
	if every == 1 {
		var buf [256]uint32
		var at uint64
		for it := matches.ManyIterator(); ; {
			got := it.NextMany(buf[:])
			if got == 0 {
				break
			}
			for _, doc := range buf[:got] {
				if err := take(doc); err != nil {
					return at, 1, err
				}
				at++
			}
		}
	} else {
		// Of each stratum of every runs, the run its hash picks: found by
		// rank, so the matches between are never read.
		runs := (n + sampleRun - 1) / sampleRun
		it := matches.Iterator()
		for stratum := uint64(0); stratum*every < runs; stratum++ {
			run := stratum*every + sampleHash(stratum)%every
			if run >= runs {
				break // the last stratum, short of its pick
			}
			at := run * sampleRun
			first, err := matches.Select(uint32(at))
			if err != nil {
				return n, 1, fmt.Errorf("facet sample: %w", err)
			}
			it.AdvanceIfNeeded(first)
			for ; at < (run+1)*sampleRun && it.HasNext(); at++ {
				if err := take(it.Next()); err != nil {
					return at, 1, err
				}
			}
		}
	}
	if versions != nil {
		seen.firstUpTo(versions, math.MaxUint32)
	}
	if positions == 0 {
		return n, 1, nil
	}
	return n, float64(n) / float64(positions), nil
}

// VisitSome calls visit with about sample of docs, spread over them (every
// k-th), and returns what their counts are multiplied by to estimate the
// counts of all docs (see Counts.Scale). It is for the matches a pass
// counted exactly, in the order it met them, before it stopped at its
// limit: the first 10,000 of a quoted phrase's, scattered over the
// table, whose facets cost more than its pass over them. A sample of 0 is
// DefaultSample.
func VisitSome(docs []uint32, sample uint64, visit func(doc uint32)) (scale float64) {
	if sample == 0 {
		sample = DefaultSample
	}
	every := max(1, (uint64(len(docs))+sample-1)/sample)
	n := 0
	for i := 0; i < len(docs); i += int(every) {
		visit(docs[i])
		n++
	}
	if n == 0 {
		return 1
	}
	return float64(len(docs)) / float64(n)
}

// sampleHash scatters the numbers of a sample's strata (Fibonacci
// hashing): the match a stratum gives is then not at the same place in
// each, as every k-th match is, which any period in the order of the
// documents could fall in step with.
func sampleHash(stratum uint64) uint64 {
	h := stratum * 0x9E3779B97F4A7C15
	return h ^ h>>29
}

// Scale sets what each count of column k stands for: f matches, so that
// Count multiplies it by f, rounded, leaving every value counted at least
// once: the estimate, from a sample's counts, of the counts of all
// matches (see Visit). f ≤ 1 (or unset) leaves them as counted.
func (c *Counts) Scale(k Kind, f float64) {
	c.scale[k] = f
}

// ScaleAll scales every column of c, the facets and Day, by f (see
// Scale); c may be nil.
func (c *Counts) ScaleAll(f float64) {
	if c == nil {
		return
	}
	for k := range numCols {
		c.Scale(k, f)
	}
}
