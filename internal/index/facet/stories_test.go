package facet

import (
	"slices"
	"testing"

	"github.com/newsfind/newsfind/internal/index/schema"
)

func TestStories(t *testing.T) {
	labels := map[uint32]string{0: "a", 1: "b", 2: "a", 3: "c", 5: "a"} // 4 has none; c and b stand alone
	var builders []*Builder
	for _, g := range Groups {
		b := NewBuilder(6, g.Dates, g.Kinds)
		for doc := uint32(0); doc < 6; doc++ {
			b.Doc(doc)
			if l, ok := labels[doc]; ok && slices.Contains(b.Fields(), schema.Story) {
				b.Visit(schema.Story, []byte(l))
			}
		}
		builders = append(builders, b)
	}
	s := Assemble(builders).Stories()
	if s.Len() != 1 {
		t.Fatalf("%d stories of several versions, want 1", s.Len())
	}
	if got := s.Versions(2); !slices.Equal(got, []uint32{0, 2, 5}) {
		t.Errorf("versions of 2 = %v, want [0 2 5]", got)
	}
	if s.Versions(1) != nil || s.Versions(4) != nil {
		t.Error("a document alone in its story has versions")
	}
	if s.Key(0) != s.Key(5) || s.Key(1) == s.Key(3) || s.Key(4) == s.Key(0) {
		t.Errorf("keys %d %d %d %d %d", s.Key(0), s.Key(5), s.Key(1), s.Key(3), s.Key(4))
	}
	seen := s.NewSeen()
	var first []uint32
	for doc := uint32(0); doc < 6; doc++ {
		if seen.First(doc) {
			first = append(first, doc)
		}
	}
	if !slices.Equal(first, []uint32{0, 1, 3, 4}) || seen.Repeats != 2 {
		t.Errorf("first matches %v with %d repeats, want [0 1 3 4] and 2", first, seen.Repeats)
	}
	some := s.NewSeen()
	some.First(5)
	if !some.Matched(5) || some.Matched(0) || some.Matched(4) {
		t.Errorf("matched 5 only: Matched(5) %v, (0) %v, (4) %v", some.Matched(5), some.Matched(0), some.Matched(4))
	}
}
