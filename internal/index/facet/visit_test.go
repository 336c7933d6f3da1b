package facet

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/RoaringBitmap/roaring/v2"

	"github.com/newsfind/newsfind/internal/index/schema"
)

// storyTable returns a table of docs documents in which every tenth
// document from 4 on is a version of one of three stories.
func storyTable(docs int) *Table {
	var builders []*Builder
	for _, g := range Groups {
		b := NewBuilder(docs, g.Dates, g.Kinds)
		for doc := range uint32(docs) {
			b.Doc(doc)
			if doc%10 == 4 && slices.Contains(b.Fields(), schema.Story) {
				b.Visit(schema.Story, []byte(fmt.Sprint("story", doc%3)))
			}
		}
		builders = append(builders, b)
	}
	return Assemble(builders)
}

// Past limit, Visit visits a sample spread evenly over all the matches,
// not the first ones, and says how its counts scale to all; it still
// tells Seen of every match, so stories count as when every match is
// visited.
func TestVisitSpreadsItsSample(t *testing.T) {
	const docs = 200_000
	tbl := storyTable(docs)
	matches := roaring.New()
	for doc := uint32(0); doc < docs; doc += 2 {
		matches.Add(doc)
	}
	n := matches.GetCardinality() // 100,000
	allSeen := tbl.Stories().NewSeen()
	var all []uint32
	if _, _, err := Visit(context.Background(), matches, 0, 0, allSeen, func(doc uint32) { all = append(all, doc) }); err != nil {
		t.Fatal(err)
	}
	firsts := map[uint32]bool{} // each story's first match
	for _, doc := range all {
		firsts[doc] = true
	}
	for _, sample := range []uint64{1000, 5000, 20_000} {
		seen := tbl.Stories().NewSeen()
		var got []uint32
		total, scale, err := Visit(context.Background(), matches, 20_000, sample, seen, func(doc uint32) { got = append(got, doc) })
		if err != nil || total != n {
			t.Fatalf("sample %d: %d matches, %v; want %d", sample, total, err, n)
		}
		every := n / sample
		if positions := float64(n) / scale; positions < 0.9*float64(sample) || positions > float64(2*sample+sampleRun) {
			t.Errorf("sample %d: scale %v, %v matches sampled", sample, scale, positions)
		} else if len(got) < int(positions)*7/10 {
			t.Errorf("sample %d: visited %d of %v sampled", sample, len(got), positions)
		}
		// Matches are every other document: a stratum of every runs of
		// sampleRun matches spans 2·every·sampleRun documents.
		if span := 2 * 2 * uint32(every) * sampleRun; got[0] >= span || got[len(got)-1] < docs-span {
			t.Errorf("sample %d: visited %d … %d, want from the first %d documents to the last %d", sample, got[0], got[len(got)-1], span, span)
		}
		for _, doc := range got {
			if !firsts[doc] {
				t.Fatalf("sample %d: visited %d, a repeat of its story", sample, doc)
			}
		}
		if seen.Repeats != allSeen.Repeats || allSeen.Repeats == 0 {
			t.Errorf("sample %d: %d repeats, want %d as when every match is visited", sample, seen.Repeats, allSeen.Repeats)
		}
	}
	// At most limit matches: every one, unscaled.
	var got []uint32
	if _, scale, _ := Visit(context.Background(), matches, 200_000, 100, nil, func(doc uint32) { got = append(got, doc) }); len(got) != int(n) || scale != 1 {
		t.Errorf("under the limit: visited %d of %d, scale %v", len(got), n, scale)
	}
}

// Scale makes counts stand for more matches: Count multiplies them,
// rounded, keeps a counted value counted and leaves counts alone for a
// factor of 1 or less; Clear makes them one match each again.
func TestCountsScale(t *testing.T) {
	c := &Counts{}
	c.n[Source] = []uint32{0, 1, 3, 10}
	c.n[Year] = []uint32{2, 4}
	counts := func(k Kind) []int {
		var out []int
		for o := range c.n[k] {
			out = append(out, c.Count(k, o))
		}
		return out
	}
	c.Scale(Source, 2.5)
	if want := []int{0, 3, 8, 25}; !slices.Equal(counts(Source), want) {
		t.Errorf("scaled by 2.5: %v, want %v", counts(Source), want)
	}
	c.Scale(Year, 0)
	c.Scale(Year, 1)
	if want := []int{2, 4}; !slices.Equal(counts(Year), want) {
		t.Errorf("scaled by 0 and 1: %v, want %v", counts(Year), want)
	}
	c.n[Source] = []uint32{1}
	c.Scale(Source, 1.2)
	if got := c.Count(Source, 0); got != 1 {
		t.Errorf("1 scaled by 1.2 = %d, want 1", got)
	}
	c.dense[Source] = true
	c.Clear(Source)
	if c.n[Source][0] != 0 || c.scale[Source] != 0 {
		t.Errorf("cleared: %v scaled by %v", c.n[Source], c.scale[Source])
	}
}

// VisitSome visits about the sample asked for, spread from the first doc
// to the last, each once, and scales by what it left out; all of them,
// unscaled, when they are no more than the sample.
func TestVisitSomeSpreadsItsSample(t *testing.T) {
	for _, c := range []struct{ docs, sample, visited int }{
		{10_000, 5_000, 5_000}, {9_999, 5_000, 5_000}, {7_000, 5_000, 3_500}, {25, 10, 9}, {25, 1, 1}, {40, 100, 40}, {0, 5, 0},
	} {
		docs := make([]uint32, c.docs)
		for i := range docs {
			docs[i] = uint32(3 * i)
		}
		var got []uint32
		scale := VisitSome(docs, uint64(c.sample), func(doc uint32) { got = append(got, doc) })
		every := (c.docs + c.visited - 1) / max(c.visited, 1) // what the last visited may leave at the end
		if len(got) != c.visited || c.visited > 0 && (got[0] != 0 || int(got[len(got)-1]/3) < c.docs-every) {
			t.Errorf("%d docs, sample %d: visited %d from %v to %v, want %d spread over all", c.docs, c.sample, len(got), first(got), last(got), c.visited)
		}
		if want := float64(c.docs) / float64(max(c.visited, 1)); c.visited > 0 && scale != want || c.visited == 0 && scale != 1 {
			t.Errorf("%d docs, sample %d: scale %v, want %v", c.docs, c.sample, scale, want)
		}
		if !slices.IsSorted(got) || len(slices.Compact(slices.Clone(got))) != len(got) {
			t.Errorf("%d docs, sample %d: visited %v, each once in order", c.docs, c.sample, got)
		}
	}
}

func first(s []uint32) any {
	if len(s) == 0 {
		return nil
	}
	return s[0]
}

func last(s []uint32) any {
	if len(s) == 0 {
		return nil
	}
	return s[len(s)-1]
}
