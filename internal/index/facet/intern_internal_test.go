package facet

import (
	"strconv"
	"testing"
)

// Values are numbered in the order met, each once, and kept as met;
// values whose hashes clash (every hash clashes here) are still told
// apart.
func TestInterner(t *testing.T) {
	for name, in := range map[string]*interner{
		"maphash":          newInterner(0, 0),
		"every hash clash": func() *interner { in := newInterner(0, 0); in.hash = func([]byte) uint64 { return 7 }; return in }(),
	} {
		var values []string
		for i := range 1000 {
			values = append(values, strconv.Itoa(i*7919%1000))
		}
		for round := range 2 {
			for i, v := range values {
				if got := in.ordinal([]byte(v)); got != uint32(i) {
					t.Fatalf("%s: round %d: ordinal(%q) = %d, want %d", name, round, v, got, i)
				}
			}
		}
		if in.list.Len() != len(values) {
			t.Errorf("%s: %d values kept, want %d", name, in.list.Len(), len(values))
		}
		for i, v := range values {
			if got := in.list.At(i); got != v {
				t.Errorf("%s: value %d = %q, want %q", name, i, got, v)
			}
		}
	}
}
