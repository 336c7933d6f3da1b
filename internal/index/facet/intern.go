package facet

import (
	"hash/maphash"

	"github.com/newsfind/newsfind/internal/index/sidecar"
)

// interner numbers the distinct values of one column in the order they
// are met, keeping them in one sidecar.StringList: a million story labels
// cost their bytes and a map of 64-bit hashes, not a million strings and
// their headers for the collector to scan.
type interner struct {
	list   sidecar.StringList
	byHash map[uint64]uint32
	// clash holds the values whose hash a different value took first.
	clash map[string]uint32
	hash  func([]byte) uint64
}

// newInterner returns an empty interner with room for about distinct
// values of about size bytes each.
func newInterner(distinct, size int) *interner {
	seed := maphash.MakeSeed()
	return &interner{list: sidecar.NewStringListCap(distinct, distinct*size),
		byHash: make(map[uint64]uint32, distinct),
		hash:   func(b []byte) uint64 { return maphash.Bytes(seed, b) }}
}

// ordinal returns the number of value v, numbering it if it is new. v is
// copied, not kept.
func (in *interner) ordinal(v []byte) uint32 {
	h := in.hash(v)
	o, ok := in.byHash[h]
	if !ok {
		o = in.add(v)
		in.byHash[h] = o
		return o
	}
	if in.list.Matches(int(o), v) {
		return o
	}
	if o, ok := in.clash[string(v)]; ok {
		return o
	}
	if in.clash == nil {
		in.clash = map[string]uint32{}
	}
	o = in.add(v)
	in.clash[string(v)] = o
	return o
}

func (in *interner) add(v []byte) uint32 {
	in.list.Append(v)
	return uint32(in.list.Len() - 1)
}
