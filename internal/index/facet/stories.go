package facet

import "github.com/RoaringBitmap/roaring/v2"

// Stories are the stories of one opened generation (schema.Story): for
// each document number, which story of more than one version it belongs
// to, and each such story's versions, so that a search can show one hit
// per story and list the others. A document of a story of its own (or one
// too short to fingerprint) belongs to none.
type Stories struct {
	ord     []uint32 // per document: its story's ordinal, or noValue
	start   []uint32 // versions of story o: docs[start[o]:start[o+1]]
	docs    []uint32 // ascending within each story
	stories int
	all     *roaring.Bitmap // docs, as a set
}

// newStories lays out the stories of column c, the story labels of
// documents numbered below docs. Labels held by one document are dropped:
// a story needs two versions.
func newStories(c *column, docs int) *Stories {
	size := make([]uint32, c.values.Len())
	for d := range docs {
		c.count(uint32(d), size)
	}
	renumber := make([]uint32, len(size))
	s := &Stories{ord: make([]uint32, docs), start: []uint32{0}}
	for o, n := range size {
		renumber[o] = noValue
		if n > 1 {
			renumber[o] = uint32(s.stories)
			s.stories++
			s.start = append(s.start, s.start[len(s.start)-1]+n)
		}
	}
	for i := range s.ord {
		s.ord[i] = noValue
	}
	s.docs = make([]uint32, s.start[len(s.start)-1])
	fill := append([]uint32(nil), s.start[:s.stories]...)
	for d := range docs { // in document order: versions ascend
		for _, o := range c.of(uint32(d)) {
			if o = renumber[o]; o != noValue {
				s.ord[d] = o
				s.docs[fill[o]] = uint32(d)
				fill[o]++
			}
		}
	}
	s.all = roaring.BitmapOf(s.docs...)
	return s
}

// Key returns a number that is the same for the versions of one story and
// different for every other document: what a search collapses by.
func (s *Stories) Key(doc uint32) uint64 {
	if int(doc) < len(s.ord) && s.ord[doc] != noValue {
		return uint64(s.ord[doc])
	}
	return 1<<32 | uint64(doc)
}

// Versions returns the documents of doc's story, doc included, in
// document order; nil when it has no other version.
func (s *Stories) Versions(doc uint32) []uint32 {
	if int(doc) >= len(s.ord) || s.ord[doc] == noValue {
		return nil
	}
	o := s.ord[doc]
	return s.docs[s.start[o]:s.start[o+1]]
}

// Len returns the number of stories with more than one version.
func (s *Stories) Len() int { return s.stories }

// Bytes returns the memory s holds.
func (s *Stories) Bytes() int {
	return 4*(len(s.ord)+len(s.start)+len(s.docs)) + int(s.all.GetSizeInBytes())
}

// Seen tells the first match of each story from its other versions in one
// pass over the matches, which come in document order (search counts a
// story once), and remembers which versions matched (a hit lists them).
type Seen struct {
	s       *Stories
	seen    []bool // by story
	matched []bool // by version, as s.docs holds them
	// Repeats counts the matches that were not their story's first.
	Repeats uint64
}

// NewSeen returns an empty Seen for s.
func (s *Stories) NewSeen() *Seen {
	return &Seen{s: s, seen: make([]bool, s.stories), matched: make([]bool, len(s.docs))}
}

// First reports whether doc, a match, is the first of its story so far,
// and counts it in Repeats when not.
func (v *Seen) First(doc uint32) bool {
	i, ok := v.s.version(doc)
	if !ok {
		return true
	}
	v.matched[i] = true
	o := v.s.ord[doc]
	if v.seen[o] {
		v.Repeats++
		return false
	}
	v.seen[o] = true
	return true
}

// FirstOf tells v of the matches, in document order, from document from
// on: as First told of each, but visiting only those that are versions of
// a story.
func (v *Seen) FirstOf(matches *roaring.Bitmap, from uint32) {
	versions := v.versions(matches)
	versions.RemoveRange(0, uint64(from))
	for it := versions.Iterator(); it.HasNext(); {
		v.First(it.Next())
	}
}

// versions returns the matches that are versions of a story.
func (v *Seen) versions(matches *roaring.Bitmap) *roaring.Bitmap {
	return roaring.And(matches, v.s.all)
}

// firstUpTo tells v, as First, of the versions before doc, taken from
// versions (ascending, as versions returns them), and reports whether doc,
// a match, is the first of its story.
func (v *Seen) firstUpTo(versions roaring.IntPeekable, doc uint32) bool {
	for versions.HasNext() && versions.PeekNext() < doc {
		v.First(versions.Next())
	}
	if versions.HasNext() && versions.PeekNext() == doc {
		versions.Next()
		return v.First(doc)
	}
	return true
}

// Matched reports whether First was given doc, a version of a story.
func (v *Seen) Matched(doc uint32) bool {
	i, ok := v.s.version(doc)
	return ok && v.matched[i]
}

// version returns where s.docs holds doc, a version of a story.
func (s *Stories) version(doc uint32) (int, bool) {
	if int(doc) >= len(s.ord) || s.ord[doc] == noValue {
		return 0, false
	}
	o := s.ord[doc]
	for i := s.start[o]; i < s.start[o+1]; i++ {
		if s.docs[i] == doc {
			return int(i), true
		}
	}
	return 0, false
}
