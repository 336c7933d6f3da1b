// Package maxscore decides which terms of a ranked disjunction a search
// for the best k documents may stop visiting (MaxScore, Turtle and Flood
// 1995, as Lucene and PISA use it). Each term has an upper bound on what
// it can add to a document's score; once the k-th best score so far (the
// threshold) is at least the sum of the bounds of the lowest-bounded
// terms, a document holding only those terms cannot enter the top k, so
// only the documents of the other terms ("essential") need visiting.
//
// It knows nothing of postings or of how scores are computed: the engine
// gives it bounds and asks which terms are essential. It is not the place
// of the ranking itself, and never changes it: a term is left out only when
// no document holding nothing else could score above the threshold.
package maxscore

import (
	"math"
	"slices"
)

// slack is the relative margin kept below the threshold: a score summed in
// another order may differ from its bound in the last bits.
const slack = 1e-9

// Bounds holds the score upper bounds of a disjunction's terms, and a
// bonus that a document gains only when it holds every term needs marks
// (a phrase of those terms).
type Bounds struct {
	ub    []float64
	order []int // terms by bound, lowest first
	bonus float64
	needs []bool
	// oneOf is, per term, its group of alternatives (see OneOf) or -1;
	// nil when there are none. best is per group the highest bound
	// Essential has left out.
	oneOf []int
	best  []float64
	// kept are the terms Keep keeps essential; nil when none.
	kept []bool

	theta float64
	limit float64 // theta less the slack
	rest  float64 // the non-essential terms' bounds, and the bonus
	ess   []bool
	any   bool
	valid bool
}

// New returns the bounds of terms whose upper bounds are ub (a negative
// bound counts as 0), with a bonus for documents holding every term that
// needs marks (nil: none).
func New(ub []float64, bonus float64, needs []bool) *Bounds {
	b := &Bounds{ub: make([]float64, len(ub)), order: make([]int, len(ub)), bonus: max(bonus, 0),
		needs: needs, ess: make([]bool, len(ub))}
	for i, u := range ub {
		b.ub[i], b.order[i] = max(u, 0), i
	}
	slices.SortStableFunc(b.order, func(x, y int) int {
		switch {
		case b.ub[x] < b.ub[y]:
			return -1
		case b.ub[x] > b.ub[y]:
			return 1
		}
		return 0
	})
	if !slices.Contains(needs, true) {
		b.bonus = 0 // a bonus that needs no term is the same for all
	}
	return b
}

// OneOf says that terms of the same group (group[i] ≥ 0) are
// alternatives: a document's score counts at most one of them (as a word
// being typed counts itself or the best of the words it starts), so
// together they add at most the highest of their bounds. It returns b.
func (b *Bounds) OneOf(group []int) *Bounds {
	b.oneOf, b.valid = group, false
	n := 0
	for _, g := range group {
		n = max(n, g+1)
	}
	b.best = make([]float64, n)
	return b
}

// Last says that term t is the last to leave the essential terms,
// whatever its bound: the others leave first, lowest bound first. For a
// term whose documents are few but whose bound is not the highest (a
// phrase's rare pair of common words, which bounds the phrase's bonus),
// it keeps the documents visited to its own once the others' bounds
// together fall below the threshold. It returns b.
func (b *Bounds) Last(t int) *Bounds {
	if i := slices.Index(b.order, t); i >= 0 {
		b.order = append(slices.Delete(b.order, i, i+1), t)
		b.valid = false
	}
	return b
}

// Keep says that term t stays essential as long as any other term is,
// whatever its bound: a term that adds nothing to a score but says where
// a match can be (a required phrase's pair of common words, rarer than
// its words, which a conjunction steps by). It returns b.
func (b *Bounds) Keep(t int) *Bounds {
	if b.kept == nil {
		b.kept = make([]bool, len(b.ub))
	}
	b.kept[t], b.valid = true, false
	return b
}

// Essential returns, for a threshold theta that a document must score
// above to enter the top, which terms are essential: a document holding
// none of them scores at most theta. any is false when no term is (no
// document can score above theta). ess is reused by the next call.
func (b *Bounds) Essential(theta float64) (ess []bool, any bool) {
	if b.valid && theta == b.theta {
		return b.ess, b.any
	}
	b.theta, b.valid = theta, true
	limit := limitOf(theta)
	for i := range b.ess {
		b.ess[i] = true
	}
	sum, needed := 0.0, 0
	total := 0
	for _, n := range b.needs {
		if n {
			total++
		}
	}
	clear(b.best)
	k := 0
	for ; k < len(b.order); k++ {
		t := b.order[k]
		if b.kept != nil && b.kept[t] {
			continue
		}
		add, g := b.ub[t], -1
		if b.oneOf != nil && b.oneOf[t] >= 0 {
			// Bounds ascend: t's is at least its group's so far.
			g = b.oneOf[t]
			add -= b.best[g]
		}
		s := sum + add
		n := needed
		if t < len(b.needs) && b.needs[t] {
			n++
		}
		bound := s
		if total > 0 && n == total {
			bound += b.bonus // a document with only these terms may hold all the bonus needs
		}
		if bound > limit {
			break
		}
		sum, needed = s, n
		if g >= 0 {
			b.best[g] = b.ub[t]
		}
		b.ess[t] = false
	}
	b.any = k < len(b.order) // (it breaks at a term not kept)
	b.limit, b.rest = limit, sum+b.bonus
	return b.ess, b.any
}

// limitOf returns the score a document must exceed to be kept at
// threshold theta: theta, less the slack.
func limitOf(theta float64) float64 { return theta - slack*math.Max(1, math.Abs(theta)) }

// Below reports whether a document scoring at most bound cannot enter the
// top at threshold theta, with the slack Essential keeps: what a block of
// documents whose bounds sum to bound can be skipped by.
func Below(bound, theta float64) bool { return bound <= limitOf(theta) }

// Lacking returns the most a document without term t can score: each
// other term at its bound, one of each group of alternatives (t's without
// t; see OneOf), and the bonus unless it needs t. A document holding only
// t's alternatives cannot enter the top once that is Below the threshold.
func (b *Bounds) Lacking(t int) float64 {
	best := make([]float64, len(b.best))
	sum := 0.0
	for i, u := range b.ub {
		switch {
		case i == t:
		case b.oneOf != nil && b.oneOf[i] >= 0:
			best[b.oneOf[i]] = max(best[b.oneOf[i]], u)
		default:
			sum += u
		}
	}
	for _, u := range best {
		sum += u
	}
	if t >= len(b.needs) || !b.needs[t] {
		sum += b.bonus
	}
	return sum
}

// Skip reports, after Essential, whether a document whose essential terms
// score partial can be passed over without looking at the others: with
// every non-essential term at its bound, and the bonus, it would still
// score at most the threshold (MaxScore's second test). What the document
// is known to lack from its essential terms tightens that bound:
//   - lacks says it lacks an essential term the bonus needs, so it cannot
//     gain the bonus (the phrase of a search's words, where one of them is
//     not in the document);
//   - held are groups of alternatives (see OneOf) whose one counted term
//     its essential terms already hold, in partial (a word being typed
//     that the document holds counts itself, never a word it starts): their
//     non-essential alternatives add nothing to it.
//
// Without held, a common word being typed ("said") was scored in 31,016
// articles at a million for a page of ten, against 134 for the word
// alone: its rare expansions' bound counted for every one.
func (b *Bounds) Skip(partial float64, lacks bool, held ...int) bool {
	rest := b.rest
	if lacks {
		rest -= b.bonus
	}
	for _, g := range held {
		rest -= b.best[g]
	}
	return partial+rest <= b.limit
}
