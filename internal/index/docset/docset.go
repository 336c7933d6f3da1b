// Package docset holds sets of documents as dense bitmaps of 64-bit
// words, kept for reuse (Words, Free), and joins the sets numbered
// within the segments of a generation into one set numbered across it,
// as the generation lays its segments side by side (Join): a search's
// matches, counted and sampled for their facets from their postings'
// bitmaps.
package docset

import (
	"math/bits"
	"sync"

	"github.com/RoaringBitmap/roaring/v2"
)

// Join returns the union of parts, each numbered from 0 in its segment,
// with the numbers of parts[k] moved up by bases[k]. The parts are laid
// out in one dense bitmap (Words), a word of 64 documents at a time, and
// the union is made of that: shifted by roaring (AddOffset64) and joined,
// they took a quarter of the bytes the bench's searches allocated at
// 1,000,000 articles (913 MB over 20 rounds of them, 697 without).
func Join(parts []*roaring.Bitmap, bases []uint64) *roaring.Bitmap {
	var words uint64
	for k, p := range parts {
		words = max(words, bases[k]/64+p.DenseSize()+1)
	}
	all := Words(words)
	defer Free(all)
	for k, p := range parts {
		part := Words(p.DenseSize())
		p.WriteDenseTo(*part)
		q, r := bases[k]/64, bases[k]%64
		for i, w := range *part {
			(*all)[q+uint64(i)] |= w << r
			if r > 0 {
				(*all)[q+uint64(i)+1] |= w >> (64 - r)
			}
		}
		Free(part)
	}
	return roaring.FromDense(*all, true)
}

// pools hold the words Free was given back, by size: those of 2^k words
// in pools[k]. Laid out anew each time, a postings list's words were a
// third of the bytes the bench's searches allocated at 1,000,000
// articles.
var pools [40]sync.Pool

// Words returns n zeroed words, room for documents 0 to 64n-1 as bits
// (bit d%64 of word d/64), from those Free was given back, or new ones.
func Words(n uint64) *[]uint64 {
	k := bits.Len64(n - 1)
	if n == 0 || k >= len(pools) {
		w := make([]uint64, n)
		return &w
	}
	p, ok := pools[k].Get().(*[]uint64)
	if !ok {
		w := make([]uint64, 1<<k)
		p = &w
	}
	*p = (*p)[:n]
	clear(*p)
	return p
}

// Free gives words back for the calls to Words after; they must not be
// used after. nil, or words of no size Words keeps, are dropped.
func Free(p *[]uint64) {
	if p == nil {
		return
	}
	if k := bits.Len64(uint64(cap(*p)) - 1); cap(*p) == 1<<k && k < len(pools) {
		pools[k].Put(p)
	}
}
