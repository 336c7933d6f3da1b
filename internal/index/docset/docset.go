// Package docset joins sets of documents numbered within the segments of
// a generation into one set numbered across it, as the generation lays
// its segments side by side: a search's matches, counted and sampled for
// their facets from their postings' bitmaps.
package docset

import (
	"sync"

	"github.com/RoaringBitmap/roaring/v2"
)

// Join returns the union of parts, each numbered from 0 in its segment,
// with the numbers of parts[k] moved up by bases[k]. The parts are laid
// out in one dense bitmap, a word of 64 documents at a time, and the
// union is made of that: shifted by roaring (AddOffset64) and joined,
// they were a third of the bytes a search allocated at 1,000,000
// articles. The dense bitmap's words are kept for the joins after.
func Join(parts []*roaring.Bitmap, bases []uint64) *roaring.Bitmap {
	words := 0
	for k, p := range parts {
		words = max(words, int(bases[k]/64+p.DenseSize())+1)
	}
	all, part := pooled(words), pooled(0)
	defer pool.Put(all)
	defer pool.Put(part)
	for k, p := range parts {
		if n := int(p.DenseSize()); cap(*part) < n {
			*part = make([]uint64, n)
		} else {
			*part = (*part)[:n]
			clear(*part)
		}
		p.WriteDenseTo(*part)
		q, r := bases[k]/64, bases[k]%64
		for i, w := range *part {
			(*all)[q+uint64(i)] |= w << r
			if r > 0 {
				(*all)[q+uint64(i)+1] |= w >> (64 - r)
			}
		}
	}
	return roaring.FromDense(*all, true)
}

// pool holds dense bitmaps for the joins to come.
var pool sync.Pool

// pooled returns n zeroed words from pool, or new ones.
func pooled(n int) *[]uint64 {
	p, _ := pool.Get().(*[]uint64)
	if p == nil || cap(*p) < n {
		w := make([]uint64, n)
		return &w
	}
	*p = (*p)[:n]
	clear(*p)
	return p
}
