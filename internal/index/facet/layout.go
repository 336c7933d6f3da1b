package facet

import (
	"fmt"
	"math"
	"strings"
)

// Segment is one segment of an index snapshot, in the snapshot's order:
// its id, unique within an index and kept by the copies of it an update
// starts from, its document numbers (deleted ones included) and how many
// are live. A snapshot's documents are numbered segment after segment.
type Segment struct {
	ID         uint64
	Docs, Live uint64
}

// Fingerprint names a snapshot by its segments: files derived from the
// snapshot are written for it and refused by any other.
func Fingerprint(segs []Segment) string {
	var b strings.Builder
	for _, s := range segs {
		fmt.Fprintf(&b, "%x:%d:%d;", s.ID, s.Docs, s.Live)
	}
	return b.String()
}

// ParseFingerprint returns the segments Fingerprint named.
func ParseFingerprint(fp string) []Segment {
	var segs []Segment
	for _, f := range strings.Split(fp, ";") {
		var s Segment
		if _, err := fmt.Sscanf(f, "%x:%d:%d", &s.ID, &s.Docs, &s.Live); err == nil {
			segs = append(segs, s)
		}
	}
	return segs
}

// Reuse maps the documents of a snapshot to their rows in the table of
// an earlier snapshot of the same index, for the segments both hold: a
// segment keeps its id and its documents, and only loses live ones, so
// the rows of those documents are right for the new snapshot too.
type Reuse struct {
	Prev   *Table
	ranges []docRange // ascending
}

// docRange maps the document numbers [start, end) to from, from+1, ….
type docRange struct{ start, end, from uint32 }

// PlanReuse returns how a snapshot of segs can reuse prev, the table of
// the snapshot fingerprinted prevFP; nil when they share no segment.
func PlanReuse(segs []Segment, prev *Table, prevFP string) *Reuse {
	type place struct{ base, docs uint64 }
	old := map[uint64]place{}
	var base uint64
	for _, s := range ParseFingerprint(prevFP) {
		old[s.ID] = place{base, s.Docs}
		base += s.Docs
	}
	ru := &Reuse{Prev: prev}
	base = 0
	for _, s := range segs {
		if o, ok := old[s.ID]; ok && o.docs == s.Docs && o.base+s.Docs <= uint64(prev.Docs) && base+s.Docs < math.MaxUint32 {
			ru.ranges = append(ru.ranges, docRange{uint32(base), uint32(base + s.Docs), uint32(o.base)})
		}
		base += s.Docs
	}
	if len(ru.ranges) == 0 {
		return nil
	}
	return ru
}

// reuseWalk walks the document numbers of a snapshot in ascending order,
// telling which ru maps to rows of its table.
type reuseWalk struct {
	ru *Reuse
	i  int // the first range not wholly before the last number asked
}

// row returns the row of document d in ru's table, if its segment is
// shared; d ascends from call to call.
func (c *reuseWalk) row(d uint32) (uint32, bool) {
	r := c.ru.ranges
	for c.i < len(r) && r[c.i].end <= d {
		c.i++
	}
	if c.i < len(r) && r[c.i].start <= d {
		return r[c.i].from + d - r[c.i].start, true
	}
	return 0, false
}

// Unshared returns the documents of live (ascending) that ru does not
// map to a row of its table: those whose doc values must be read.
func (ru *Reuse) Unshared(live []uint32) []uint32 {
	var out []uint32
	c := reuseWalk{ru: ru}
	for _, d := range live {
		if _, ok := c.row(d); !ok {
			out = append(out, d)
		}
	}
	return out
}

// Docs returns how many document numbers ru maps.
func (ru *Reuse) Docs() int {
	n := 0
	if ru != nil {
		for _, r := range ru.ranges {
			n += int(r.end - r.start)
		}
	}
	return n
}
