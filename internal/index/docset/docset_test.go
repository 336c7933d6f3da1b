package docset

import (
	"math/rand/v2"
	"testing"

	"github.com/RoaringBitmap/roaring/v2"
)

// Join gives what shifting each part by roaring and joining them gives,
// for parts dense and sparse, empty, and at bases on and off the words'
// boundaries, each join after the first from the words the one before
// left in the pool.
func TestJoinAsShiftedUnion(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 9))
	for round := range 300 {
		n := 1 + rng.IntN(6)
		parts, bases := make([]*roaring.Bitmap, n), make([]uint64, n)
		want := roaring.New()
		var base uint64
		for k := range parts {
			size := 1 + rng.IntN(200_000)
			if round%4 == 0 {
				size = 64 * (1 + rng.IntN(3000)) // bases on a word's boundary
			}
			p := roaring.New()
			density := []float64{0, 0.0005, 0.02, 0.3, 0.9}[rng.IntN(5)]
			for range int(float64(size) * density) {
				p.Add(uint32(rng.IntN(size)))
			}
			if rng.IntN(3) == 0 {
				p.AddRange(uint64(rng.IntN(size)), uint64(size)) // a run to the part's end
			}
			parts[k], bases[k] = p, base
			want.Or(roaring.AddOffset64(p, int64(base)))
			base += uint64(size)
		}
		if got := Join(parts, bases); !got.Equals(want) {
			t.Fatalf("round %d: %d documents joined, %d shifted and joined", round, got.GetCardinality(), want.GetCardinality())
		}
	}
}

// Words given back dirty come back zeroed, of the length asked for, and
// two held at once are never the same.
func TestWordsComeBackZeroed(t *testing.T) {
	for _, n := range []uint64{0, 1, 3, 64, 1000, 1 << 14} {
		a := Words(n)
		for i := range *a {
			(*a)[i] = ^uint64(0)
		}
		Free(a)
		b, c := Words(n), Words(n)
		if uint64(len(*b)) != n || uint64(len(*c)) != n {
			t.Fatalf("%d words asked for, %d and %d given", n, len(*b), len(*c))
		}
		if n > 0 && &(*b)[0] == &(*c)[0] {
			t.Fatalf("%d words: two held at once share their room", n)
		}
		for _, w := range *b {
			if w != 0 {
				t.Fatalf("%d words: given back dirty, not cleared", n)
			}
		}
		Free(b)
		Free(c)
	}
}
