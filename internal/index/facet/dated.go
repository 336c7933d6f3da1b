package facet

import (
	"container/heap"
	"context"

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
// ranking that scores every match decodes each one's postings.
func (t *Table) Dated(ctx context.Context, matches *roaring.Bitmap, n int, oldest bool) ([]uint32, error) {
	if n <= 0 {
		return nil, nil
	}
	// key orders dates so that the ones wanted are the largest.
	key := func(d int64) int64 {
		if oldest {
			return -d // NoDate is never negated: it is skipped
		}
		return d
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
