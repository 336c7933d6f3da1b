package cursors_test

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/newsfind/newsfind/internal/index/cursors"
)

// list is a cursor over docs.
type list struct {
	docs []uint64
	at   int
}

// TestWalkAsAScan walks random disjunctions as a searcher does: it takes
// out every cursor at the lowest document, moves each past it (or far
// ahead, as a skip does) and puts back those not at their end, rebuilding
// the heap now and then with some left out; each step is checked against
// a scan of every cursor: the same lowest document, the same cursors.
func TestWalkAsAScan(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for range 300 {
		n := 1 + r.IntN(40)
		live := make([]*list, n)
		for i := range live {
			docs := make([]uint64, 1+r.IntN(30))
			for k := range docs {
				docs[k] = uint64(r.IntN(200))
			}
			slices.Sort(docs)
			live[i] = &list{docs: slices.Compact(docs)}
		}
		var q cursors.Heap[*list]
		rebuild := func() {
			q.Reset()
			for _, l := range live {
				q.Add(l, l.docs[l.at])
			}
			q.Init()
		}
		rebuild()
		for q.Len() > 0 {
			doc, _ := q.Top()
			var want, got []*list
			for _, l := range live {
				if l.docs[l.at] < doc {
					t.Fatalf("top at %d, a cursor at %d", doc, l.docs[l.at])
				}
				if l.docs[l.at] == doc {
					want = append(want, l)
				}
			}
			for d, ok := q.Top(); ok && d == doc; d, ok = q.Top() {
				got = append(got, q.Pop())
			}
			if len(got) != len(want) {
				t.Fatalf("at %d: %d cursors from the heap, %d by a scan", doc, len(got), len(want))
			}
			for _, l := range got {
				if !slices.Contains(want, l) || l.docs[l.at] != doc {
					t.Fatalf("at %d: a cursor at %d", doc, l.docs[l.at])
				}
				step := 1
				if r.IntN(5) == 0 {
					step = 1 + r.IntN(10)
				}
				if l.at += step; l.at >= len(l.docs) {
					live = slices.DeleteFunc(live, func(x *list) bool { return x == l })
					continue
				}
				q.Push(l, l.docs[l.at])
			}
			if r.IntN(20) == 0 && len(live) > 1 { // the walk's terms change: some leave
				live = live[:len(live)/2+1]
				rebuild()
			}
		}
		if len(live) != 0 {
			t.Fatalf("%d cursors left with the heap empty", len(live))
		}
	}
}
