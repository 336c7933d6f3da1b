package facet

import (
	"slices"
	"testing"
)

func TestTopOrdinals(t *testing.T) {
	counts := []uint32{0, 3, 5, 3, 1, 5, 0, 2}
	for n, want := range map[int][]uint32{0: nil, 1: {2}, 3: {2, 5, 1}, 5: {2, 5, 1, 3, 7}, 9: {2, 5, 1, 3, 7, 4}} {
		if got := topOrdinals(counts, n); !slices.Equal(got, want) {
			t.Errorf("topOrdinals(%v, %d) = %v, want %v", counts, n, got, want)
		}
	}
}
