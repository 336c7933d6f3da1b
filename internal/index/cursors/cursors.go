// Package cursors keeps the cursors of a disjunction in order of the
// document each is at: a binary min-heap, as Lucene's DisiPriorityQueue,
// so that a walk over many posting lists finds its next document, and
// every cursor there, in time that grows with the logarithm of their
// number rather than with it. A word being typed that expands to 50 words,
// each read in two fields, is a disjunction of ~100 lists.
//
// It knows nothing of postings: a cursor is held with the document it is
// at, and taken out to be moved.
package cursors

// Heap holds cursors by document, the lowest on top. The zero value is
// empty.
type Heap[C any] struct {
	h []entry[C]
}

type entry[C any] struct {
	doc uint64
	c   C
}

// Reset empties the heap.
func (q *Heap[C]) Reset() {
	clear(q.h)
	q.h = q.h[:0]
}

// Add puts c, at document doc, in the heap, unordered until Init.
func (q *Heap[C]) Add(c C, doc uint64) { q.h = append(q.h, entry[C]{doc, c}) }

// Init orders the cursors Add put in, in time linear in their number.
func (q *Heap[C]) Init() {
	for i := len(q.h)/2 - 1; i >= 0; i-- {
		q.down(i)
	}
}

// Push puts c, at document doc, in the heap.
func (q *Heap[C]) Push(c C, doc uint64) {
	q.h = append(q.h, entry[C]{doc, c})
	q.up(len(q.h) - 1)
}

// Len is how many cursors it holds.
func (q *Heap[C]) Len() int { return len(q.h) }

// Top returns the lowest document a cursor is at; ok is false when the
// heap is empty.
func (q *Heap[C]) Top() (doc uint64, ok bool) {
	if len(q.h) == 0 {
		return 0, false
	}
	return q.h[0].doc, true
}

// Pop takes out and returns the cursor at the lowest document.
func (q *Heap[C]) Pop() C {
	c, last := q.h[0].c, len(q.h)-1
	q.h[0] = q.h[last]
	var zero entry[C]
	q.h[last] = zero
	q.h = q.h[:last]
	q.down(0)
	return c
}

func (q *Heap[C]) down(i int) {
	h := q.h
	for {
		l := 2*i + 1
		if l >= len(h) {
			return
		}
		m := l
		if r := l + 1; r < len(h) && h[r].doc < h[l].doc {
			m = r
		}
		if h[m].doc >= h[i].doc {
			return
		}
		h[i], h[m] = h[m], h[i]
		i = m
	}
}

func (q *Heap[C]) up(i int) {
	h := q.h
	for i > 0 {
		p := (i - 1) / 2
		if h[p].doc <= h[i].doc {
			return
		}
		h[i], h[p] = h[p], h[i]
		i = p
	}
}
