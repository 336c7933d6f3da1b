package facet

import (
	"cmp"
	"container/heap"
	"context"
	"slices"

	"github.com/RoaringBitmap/roaring/v2"
)

// Dated returns, in document order, the documents of matches dated among
// their n newest (n oldest, when oldest is set): every match as new as
// the n-th newest or newer, all its ties included. A ranking by date,
// then by anything else, finds its first n among them, whatever the
// other matches score: they are all older. Matches without a date rank
// after every dated one, so Dated returns nil, leaving the ranking to
// look at every match, when fewer than n have a date, or when the n-th
// newest's ties take in every match (nothing is left out).
//
// It reads each match's date twice, from the table's array, where a
// ranking that scores every match decodes each one's postings; matches
// that are many of the table's documents, only in the blocks of documents
// that can hold the n newest (see datedInBlocks).
func (t *Table) Dated(ctx context.Context, matches *roaring.Bitmap, n int, oldest bool) ([]uint32, error) {
	if n <= 0 {
		return nil, nil
	}
	key := func(d int64) int64 { return dateKey(d, oldest) }
	if t.bounds != nil && matches.GetCardinality()*denseMatches >= uint64(len(t.dates)) {
		return t.datedInBlocks(ctx, matches, n, oldest)
	}
	// The n largest keys, as a min-heap whose root is the n-th largest.
	top := make(keyHeap, 0, n)
	var buf [256]uint32
	for it := matches.ManyIterator(); ; {
		got := it.NextMany(buf[:])
		if got == 0 {
			break
		}
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		for _, doc := range buf[:got] {
			d := t.Date(doc)
			if d == NoDate {
				continue
			}
			switch k := key(d); {
			case len(top) < n:
				heap.Push(&top, k)
			case k > top[0]:
				top[0] = k
				heap.Fix(&top, 0)
			}
		}
	}
	if len(top) < n {
		return nil, nil
	}
	floor := top[0]
	var docs []uint32
	for it := matches.ManyIterator(); ; {
		got := it.NextMany(buf[:])
		if got == 0 {
			break
		}
		for _, doc := range buf[:got] {
			if d := t.Date(doc); d != NoDate && key(d) >= floor {
				docs = append(docs, doc)
			}
		}
	}
	if uint64(len(docs)) == matches.GetCardinality() {
		return nil, nil
	}
	return docs, nil
}

// dateKey orders dates so that the ones wanted are the largest: the
// newest, or the oldest when oldest is set. NoDate is never negated: it
// is skipped.
func dateKey(d int64, oldest bool) int64 {
	if oldest {
		return -d
	}
	return d
}

// denseMatches: Dated reads the dates of the blocks that can hold the
// matches it wants only when the matches are at least one in
// denseMatches of the table's documents. Fewer, the n newest of them lie
// in about n*denseMatches blocks or more (as many as the table has, when
// dates and document numbers go their own ways), each read whole: reading
// every match's date costs less.
const denseMatches = 8

// dateBlock is how many documents in a row share a bound in dateBounds:
// 7,813 blocks at a million.
const dateBlock = 128

// dateBounds bound the dates of each block of dateBlock documents in a
// row, so that Dated need not read every match's date: the newest of the
// documents everything matches, the landing page's, lie in a few blocks.
type dateBounds struct {
	// best[o] is the largest key (dateKey, oldest when o is 1) of the
	// dates of each block; NoDate when none of its documents is dated.
	best [2][]int64
	// order[o] are the block numbers by best[o], largest first.
	order [2][]uint32
}

// newDateBounds returns the bounds of dates, the date of each document,
// in one pass over them.
func newDateBounds(dates []int64) *dateBounds {
	blocks := (len(dates) + dateBlock - 1) / dateBlock
	b := &dateBounds{}
	for o := range b.best {
		b.best[o], b.order[o] = make([]int64, blocks), make([]uint32, blocks)
	}
	newest, oldest := b.best[0], b.best[1]
	for i := range blocks {
		newest[i], oldest[i] = NoDate, NoDate
		for _, d := range dates[i*dateBlock : min((i+1)*dateBlock, len(dates))] {
			if d == NoDate {
				continue
			}
			if newest[i] == NoDate || d > newest[i] {
				newest[i] = d
			}
			if oldest[i] == NoDate || -d > oldest[i] {
				oldest[i] = -d // dateKey(d, true)
			}
		}
	}
	for o, best := range b.best {
		order := b.order[o]
		for i := range order {
			order[i] = uint32(i)
		}
		slices.SortStableFunc(order, func(i, j uint32) int { return cmp.Compare(best[j], best[i]) })
	}
	return b
}

// datedInBlocks is Dated for matches that are many of the table's
// documents: it reads the dates of the blocks in turn from the one with
// the largest key (see dateBounds), and stops at the first whose largest
// is below the n-th largest of the matches read so far. Then it reads
// again the blocks it read, in document order, for the matches as new
// as that one.
func (t *Table) datedInBlocks(ctx context.Context, matches *roaring.Bitmap, n int, oldest bool) ([]uint32, error) {
	o := 0
	if oldest {
		o = 1
	}
	best := t.bounds.best[o]
	top := make(keyHeap, 0, n)
	var read []uint32
	for i, b := range t.bounds.order[o] {
		if i%checkDoneEvery == 0 && ctx.Err() != nil {
			return nil, ctx.Err()
		}
		if best[b] == NoDate || len(top) == n && best[b] < top[0] {
			break // (NoDate: no block after it is dated)
		}
		read = append(read, b)
		t.eachIn(matches, b, oldest, func(k int64) bool { return len(top) < n || k > top[0] }, func(_ uint32, k int64) {
			if len(top) < n {
				heap.Push(&top, k)
			} else {
				top[0] = k
				heap.Fix(&top, 0)
			}
		})
	}
	if len(top) < n {
		return nil, nil
	}
	floor := top[0]
	slices.Sort(read)
	var docs []uint32
	for _, b := range read {
		t.eachIn(matches, b, oldest, func(k int64) bool { return k >= floor }, func(doc uint32, _ int64) {
			docs = append(docs, doc)
		})
	}
	if uint64(len(docs)) == matches.GetCardinality() {
		return nil, nil
	}
	return docs, nil
}

// eachIn calls found, in document order, with each match of block b
// whose date's key (see dateKey) wanted accepts, and that key.
func (t *Table) eachIn(matches *roaring.Bitmap, b uint32, oldest bool, wanted func(int64) bool, found func(doc uint32, k int64)) {
	end := min(int(b+1)*dateBlock, len(t.dates))
	for doc := int(b) * dateBlock; doc < end; doc++ {
		d := t.dates[doc]
		if k := dateKey(d, oldest); d != NoDate && wanted(k) && matches.Contains(uint32(doc)) {
			found(uint32(doc), k)
		}
	}
}

// keyHeap is a min-heap of date keys (container/heap).
type keyHeap []int64

func (h keyHeap) Len() int           { return len(h) }
func (h keyHeap) Less(i, j int) bool { return h[i] < h[j] }
func (h keyHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *keyHeap) Push(x any)        { *h = append(*h, x.(int64)) }
func (h *keyHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}
