// Package blockmax holds a generation's block maxima (block-max MaxScore,
// as Lucene's impacts and PISA's block-max indexes): for each stem common
// enough to be worth it, and each block of 1<<Shift document numbers, the
// largest score factor an article of the block can get for the stem,
// rounded up to a 255th (0: no article of the block holds it). Past the
// exact count, a search for the best k articles skips every block in which
// no article can score above the k-th best so far.
//
// It knows the blocks' layout and the file the maxima are kept in, not how
// they are computed or used: the engine reads the postings, computes each
// block's maximum as its scorer sums the stem's group, and skips.
//
// Blocks are numbered within each segment, so that an update can copy the
// maxima of the segments its generation shares with the one it was copied
// from (see Shared) and compute only the others': it pays for what
// changed.
package blockmax

import (
	"errors"
	"fmt"
	"math"
	"slices"

	"github.com/newsfind/newsfind/internal/index/sidecar"
)

// Shift gives the blocks' size: 1<<Shift document numbers, 32. Lucene's
// are 128; on the bench's 1,000,000 articles, blocks of 32 took the
// searches of three common words from 9–13 ms to 6–7 ms, the maxima of
// their few articles in a block being nearer what each scores, and a
// search skips a long stretch of blocks a few at a time (see
// engine.bm25Searcher.skipBlock), so those of one word lose nothing.
const Shift = 5

// File is the name of a generation's block maxima file, in its folder.
const File = "impacts.table"

// The layout Write writes.
const (
	kind    = "block maxima"
	version = 1
)

// Layout numbers the blocks of a snapshot's segments, segment after
// segment: a block never spans two.
type Layout struct {
	IDs, Docs []int64  // each segment's id and document numbers
	Base      []uint64 // each segment's first document number
	start     []int    // each segment's first block
	Blocks    int      // the number of blocks
}

// NewLayout returns the layout of segments with the given ids and numbers
// of documents, in order.
func NewLayout(ids, docs []int64) Layout {
	l := Layout{IDs: ids, Docs: docs}
	var base uint64
	for _, n := range docs {
		l.Base = append(l.Base, base)
		l.start = append(l.start, l.Blocks)
		base += uint64(n)
		l.Blocks += int((n + 1<<Shift - 1) >> Shift)
	}
	return l
}

// Segment returns the segment of document doc.
func (l *Layout) Segment(doc uint64) int {
	k, _ := slices.BinarySearch(l.Base, doc+1)
	return k - 1
}

// Block returns the block of document doc and the first document number
// past it.
func (l *Layout) Block(doc uint64) (int, uint64) {
	k := l.Segment(doc)
	local := (doc - l.Base[k]) >> Shift
	end := min(l.Base[k]+(local+1)<<Shift, l.Base[k]+uint64(l.Docs[k]))
	return l.start[k] + int(local), end
}

// BlockEnd returns the first document number past block j.
func (l *Layout) BlockEnd(j int) uint64 {
	k, _ := slices.BinarySearch(l.start, j+1)
	k-- // the last segment starting at or before j: an empty one never does
	local := uint64(j - l.start[k])
	return min(l.Base[k]+(local+1)<<Shift, l.Base[k]+uint64(l.Docs[k]))
}

// End returns the number of documents l covers.
func (l *Layout) End() uint64 {
	if len(l.Base) == 0 {
		return 0
	}
	return l.Base[len(l.Base)-1] + uint64(l.Docs[len(l.Docs)-1])
}

// SegmentBlocks returns the blocks of segment k: from lo to hi, excluded.
func (l *Layout) SegmentBlocks(k int) (lo, hi int) {
	return l.start[k], l.start[k] + int((l.Docs[k]+1<<Shift-1)>>Shift)
}

// Table is the block maxima of one generation, read from its file.
type Table struct {
	Layout
	Avg   float64 // the average length the maxima were computed with
	stems sidecar.StringList
	rows  []byte
	file  *sidecar.File
}

// Row returns the block maxima of key s (a stem, or what the engine keys
// other rows by), by block, or nil when it has none (or t is nil).
func (t *Table) Row(s string) []byte {
	if t == nil {
		return nil
	}
	i, ok := t.stems.Search(s)
	if !ok {
		return nil
	}
	return t.rows[i*t.Blocks : (i+1)*t.Blocks]
}

// Close releases the file t was read from.
func (t *Table) Close() error {
	if t == nil {
		return nil
	}
	return t.file.Close()
}

// Shared returns which segments of lay (by index) t covers, mapped to
// their index in t's layout: those with the same id and number of
// documents.
func (t *Table) Shared(lay Layout) map[int]int {
	at := map[int64]int{}
	for pk, id := range t.IDs {
		at[id] = pk
	}
	shared := map[int]int{}
	for k, id := range lay.IDs {
		if pk, ok := at[id]; ok && t.Docs[pk] == lay.Docs[k] {
			shared[k] = pk
		}
	}
	return shared
}

// Write writes the block maxima rows of keys (sorted), computed with
// average length avg, for the snapshot with the given fingerprint, to the
// file path: row writes key i's row (lay.Blocks bytes, zeroed) into into,
// for each key in order, so that the rows are never all in memory (70 MB
// at a million articles). An error from row is Write's, and leaves no
// file.
func Write(path, fingerprint string, lay Layout, avg float64, keys []string, row func(i int, into []byte) error) error {
	if !slices.IsSorted(keys) {
		return errors.New("block maxima: keys not sorted")
	}
	return sidecar.Write(path, kind, version, fingerprint, func(e *sidecar.Encoder) {
		e.Uint64(Shift)
		e.Uint64(math.Float64bits(avg))
		e.Int64s(lay.IDs)
		e.Int64s(lay.Docs)
		e.StringList(sidecar.NewStringList(keys))
		e.Rows(len(keys), lay.Blocks, row)
	})
}

// Read reads the block maxima in the file path, and the fingerprint of the
// snapshot they were written for. Maxima written for other blocks are
// sidecar.ErrStale.
func Read(path string) (*Table, string, error) {
	t := &Table{}
	var fp string
	f, err := sidecar.ReadAny(path, kind, version, func(fingerprint string, d *sidecar.Decoder) error {
		fp = fingerprint
		shift, bits := d.Uint64(), d.Uint64()
		ids, docs := d.Int64s(), d.Int64s()
		t.stems, t.rows = d.StringList(), d.Bytes()
		if err := d.Err(); err != nil {
			return err
		}
		if shift != Shift {
			return sidecar.ErrStale
		}
		if len(ids) != len(docs) || slices.ContainsFunc(docs, func(n int64) bool { return n < 0 }) {
			return errors.New("block maxima: bad segments")
		}
		t.Layout, t.Avg = NewLayout(ids, docs), math.Float64frombits(bits)
		if len(t.rows) != t.stems.Len()*t.Blocks {
			return fmt.Errorf("block maxima: %d bytes for %d stems of %d blocks", len(t.rows), t.stems.Len(), t.Blocks)
		}
		return nil
	})
	if err != nil {
		return nil, "", err
	}
	t.file = f
	return t, fp, nil
}
