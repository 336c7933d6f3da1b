package facet

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/blevesearch/bleve/v2/numeric"

	"github.com/newsfind/newsfind/internal/index/schema"
)

// docValues are one document's doc values, by field.
type docValues map[string][]string

// randomDoc returns the values of a document drawn by rng from small
// dictionaries, so that values are shared, and from a few only some
// documents hold (new people, new story labels, a new day).
func randomDoc(rng *rand.Rand, id int) docValues {
	pick := func(prefix string, n, most int) []string {
		var out []string
		for range rng.IntN(most + 1) {
			v := fmt.Sprint(prefix, rng.IntN(n))
			if !contains(out, v) {
				out = append(out, v)
			}
		}
		return out
	}
	v := docValues{
		schema.Source: pick("src", 4, 1),
		schema.Year:   pick("20", 3, 1),
		schema.Person: pick("person", 30+id/8, 3),
		schema.Place:  pick("place", 6, 2),
		schema.Org:    pick("org", 5, 1), // single-valued but for a few
		schema.Story:  {fmt.Sprint("story", rng.IntN(id+1))},
	}
	if rng.IntN(20) == 0 {
		v[schema.Org] = append(v[schema.Org], "org-extra")
	}
	if rng.IntN(8) > 0 {
		date := int64(1_104_537_600e9) + rng.Int64N(3*365*24*3600e9)
		v[schema.Date] = []string{string(numeric.MustNewPrefixCodedInt64(date, 0))}
		v[schema.Offset] = []string{[]string{"+08:00", "-05:00", "+00:00"}[rng.IntN(3)]}
	}
	return v
}

func contains(list []string, v string) bool {
	for _, s := range list {
		if s == v {
			return true
		}
	}
	return false
}

// tableFrom assembles the table of the documents docs (ascending) whose
// values values gives, as the engine does from doc values.
func tableFrom(docs []uint32, values func(uint32) docValues) *Table {
	var builders []*Builder
	for _, g := range Groups {
		b := NewBuilder(len(docs), g.Dates, g.Kinds)
		for _, d := range docs {
			b.Doc(d)
			v := values(d)
			for _, f := range b.Fields() {
				for _, s := range v[f] {
					b.Visit(f, []byte(s))
				}
			}
		}
		builders = append(builders, b)
	}
	return Assemble(builders)
}

// A table derived from its predecessor's and a table of the documents it
// does not share with it is the table built from every document: after
// segments kept, moved, emptied and added, documents deleted from kept
// ones, values only new or only deleted documents hold, and a column that
// stops being multi-valued.
func TestDeriveIsTheBuiltTable(t *testing.T) {
	for seed := range uint64(30) {
		rng := rand.New(rand.NewPCG(seed, 3))
		// The previous snapshot's segments, then the new one's: some kept
		// (in another place when one before them went), one or two added.
		type seg struct {
			id   uint64
			docs int
		}
		var prev []seg
		for i := range 2 + rng.IntN(4) {
			prev = append(prev, seg{uint64(i + 1), 1 + rng.IntN(60)})
		}
		var next []seg
		for _, s := range prev {
			if rng.IntN(4) > 0 {
				next = append(next, s)
			}
		}
		for i := range 1 + rng.IntN(2) {
			next = append(next, seg{uint64(100 + i), 1 + rng.IntN(40)})
		}
		// Each segment's documents and which of them are deleted, in each
		// snapshot: a kept segment loses documents, never gains them.
		values, gone := map[[2]uint64]docValues{}, map[[2]uint64]bool{}
		for _, s := range append(append([]seg{}, prev...), next...) {
			for i := range s.docs {
				k := [2]uint64{s.id, uint64(i)}
				if values[k] == nil {
					values[k] = randomDoc(rng, len(values))
				}
			}
		}
		layout := func(segs []seg, deleted func(k [2]uint64) bool) (live []uint32, key map[uint32][2]uint64, fp []Segment) {
			key = map[uint32][2]uint64{}
			base := uint32(0)
			for _, s := range segs {
				n := 0
				for i := range s.docs {
					k := [2]uint64{s.id, uint64(i)}
					key[base+uint32(i)] = k
					if !deleted(k) {
						live = append(live, base+uint32(i))
						n++
					}
				}
				fp = append(fp, Segment{ID: s.id, Docs: uint64(s.docs), Live: uint64(n)})
				base += uint32(s.docs)
			}
			return live, key, fp
		}
		for k := range values {
			gone[k] = rng.IntN(8) == 0
		}
		prevLive, prevKey, prevFP := layout(prev, func(k [2]uint64) bool { return gone[k] })
		prevTable := tableFrom(prevLive, func(d uint32) docValues { return values[prevKey[d]] })
		nextLive, nextKey, nextFP := layout(next, func(k [2]uint64) bool { return gone[k] || k[1]%5 == seed%5 })
		nextValues := func(d uint32) docValues { return values[nextKey[d]] }
		ru := PlanReuse(nextFP, prevTable, Fingerprint(prevFP))
		if ru == nil {
			continue // nothing kept: the table is built, not derived
		}
		fresh := tableFrom(ru.Unshared(nextLive), nextValues)
		derived, err := Derive(ru, fresh, nextLive)
		if err != nil {
			t.Fatalf("seed %d: %v", seed, err)
		}
		if built := tableFrom(nextLive, nextValues); !reflect.DeepEqual(derived, built) {
			t.Errorf("seed %d: the derived table differs from the built one", seed)
		}
	}
}

// A fresh table that does not hold the documents the reuse leaves to it
// is refused.
func TestDeriveRefusesAFreshTableOfOtherDocuments(t *testing.T) {
	values := func(d uint32) docValues { return docValues{schema.Source: {fmt.Sprint("src", d%3)}} }
	prev := tableFrom([]uint32{0, 1, 2, 3}, values)
	ru := PlanReuse([]Segment{{1, 4, 4}, {2, 3, 3}}, prev, Fingerprint([]Segment{{1, 4, 4}}))
	live := []uint32{0, 1, 2, 3, 4, 5, 6}
	for _, docs := range [][]uint32{{4, 5}, {4, 5, 6, 7}, {3, 4, 5, 6}} {
		if _, err := Derive(ru, tableFrom(docs, values), live); err == nil {
			t.Errorf("a fresh table of %v derived for new documents 4-6", docs)
		}
	}
	if _, err := Derive(ru, tableFrom([]uint32{4, 5, 6}, values), live); err != nil {
		t.Error(err)
	}
}
