package maxscore_test

import (
	"cmp"
	"iter"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/newsfind/newsfind/internal/index/maxscore"
)

// most is the most a document holding the terms in has can score.
func most(ub []float64, bonus float64, needs, has []bool) float64 {
	sum, all := 0.0, true
	for t, u := range ub {
		if has[t] {
			sum += max(u, 0)
		} else if needs != nil && needs[t] {
			all = false
		}
	}
	if all && slices.Contains(needs, true) {
		sum += bonus
	}
	return sum
}

// subsets yields each non-empty subset of the terms ess marks, as the
// terms a document holds, and whether it holds an essential one.
func subsets(ess []bool) iter.Seq2[[]bool, bool] {
	return func(yield func([]bool, bool) bool) {
		n := len(ess)
		for mask := 1; mask < 1<<n; mask++ {
			has := make([]bool, n)
			essential := false
			for i := range has {
				has[i] = mask&(1<<i) != 0
				essential = essential || has[i] && ess[i]
			}
			if !yield(has, essential) {
				return
			}
		}
	}
}

// TestNonEssentialCannotEnter checks the promise on every subset of terms:
// a document holding only non-essential terms scores at most theta, and
// with no essential term left no document can beat it.
func TestNonEssentialCannotEnter(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for range 2000 {
		n := 1 + r.IntN(6)
		ub := make([]float64, n)
		needs := make([]bool, n)
		for i := range ub {
			ub[i] = r.Float64()*3 - 0.2
			needs[i] = r.IntN(2) == 0
		}
		bonus := r.Float64() * 2
		theta := r.Float64() * 8
		b := maxscore.New(ub, bonus, needs)
		ess, any := b.Essential(theta)
		for has, essential := range subsets(ess) {
			if !essential && most(ub, bonus, needs, has) > theta {
				t.Fatalf("ub %v bonus %v needs %v theta %v: terms %v are non-essential but may score %v",
					ub, bonus, needs, theta, has, most(ub, bonus, needs, has))
			}
			if !any && most(ub, bonus, needs, has) > theta {
				t.Fatalf("ub %v theta %v: no term essential, but %v may score %v", ub, theta, has, most(ub, bonus, needs, has))
			}
		}
	}
}

// TestPrunes checks that terms are left out at all: with a threshold above
// the two lowest bounds (and no bonus), those two are non-essential.
func TestPrunes(t *testing.T) {
	b := maxscore.New([]float64{2, 0.5, 3, 0.4}, 0, nil)
	ess, any := b.Essential(1)
	if !any || !slices.Equal(ess, []bool{true, false, true, false}) {
		t.Fatalf("essential at 1 = %v, %v; want [true false true false], true", ess, any)
	}
	if _, any := b.Essential(6); any {
		t.Fatal("at 6, above the sum of every bound (5.9), a term was still essential")
	}
	// A bonus for holding the two rare terms keeps them essential until
	// the threshold passes their bounds and the bonus.
	b = maxscore.New([]float64{0.5, 0.4}, 2, []bool{true, true})
	if ess, _ := b.Essential(1); !ess[0] {
		t.Fatalf("essential at 1 with a bonus of 2 = %v: the term may still reach 2.9", ess)
	}
}

type doc struct {
	id    int
	score float64
}

// TestTopKUnchanged runs a disjunction over random postings both ways, in
// full and skipping the documents of non-essential terms as the engine
// does, and compares the top k, ties broken by document order; skipping
// told which documents lack a term the bonus needs passes over more.
func TestTopKUnchanged(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	skipped, untold := 0, 0
	for round := range 300 {
		n, docs, k := 1+r.IntN(4), 50+r.IntN(2000), 1+r.IntN(20)
		ub := make([]float64, n)
		needs := make([]bool, n)
		// contrib[t][d] is term t's score in document d; 0 when absent.
		contrib := make([][]float64, n)
		for i := range contrib {
			ub[i] = 0.5 + r.Float64()*3
			needs[i] = true
			density := 0.01 + r.Float64()*0.8
			contrib[i] = make([]float64, docs)
			for d := range docs {
				if r.Float64() < density {
					contrib[i][d] = ub[i] * r.Float64()
				}
			}
		}
		bonus := r.Float64()
		score := func(d int) (float64, bool) {
			s, all, any := 0.0, true, false
			for i := range contrib {
				s += contrib[i][d]
				all = all && contrib[i][d] > 0
				any = any || contrib[i][d] > 0
			}
			if all {
				s += bonus
			}
			return s, any
		}
		full := topK(docs, k, score, nil)
		b := maxscore.New(ub, bonus, needs)
		skip := func(tell bool, skipped *int) func(float64, int) bool {
			return func(theta float64, d int) bool {
				ess, any := b.Essential(theta)
				if !any {
					*skipped++
					return true
				}
				partial, holds, lacks := 0.0, false, false
				for i := range contrib {
					switch {
					case !ess[i]:
					case contrib[i][d] > 0:
						partial, holds = partial+contrib[i][d], true
					case needs[i]:
						lacks = tell // the bonus needs every term
					}
				}
				if holds && !b.Skip(partial, lacks) {
					return false
				}
				*skipped++
				return true
			}
		}
		if pruned := topK(docs, k, score, skip(true, &skipped)); !slices.Equal(full, pruned) {
			t.Fatalf("round %d: top %d differs with pruning:\n full   %v\n pruned %v", round, k, full, pruned)
		}
		if pruned := topK(docs, k, score, skip(false, &untold)); !slices.Equal(full, pruned) {
			t.Fatalf("round %d: top %d differs with pruning, not told what documents lack:\n full   %v\n pruned %v", round, k, full, pruned)
		}
	}
	if skipped <= untold {
		t.Fatalf("documents skipped told what they lack of the bonus: %d, not: %d; want more", skipped, untold)
	}
}

// topK keeps the k best documents in document order, skipping (when skip
// says so, given the threshold once k are kept) without scoring.
func topK(docs, k int, score func(int) (float64, bool), skip func(float64, int) bool) []doc {
	var top []doc
	worse := func(a, b doc) int { // best first
		if c := cmp.Compare(b.score, a.score); c != 0 {
			return c
		}
		return cmp.Compare(a.id, b.id)
	}
	for d := range docs {
		if skip != nil && len(top) == k && skip(top[k-1].score, d) {
			continue
		}
		s, ok := score(d)
		if !ok {
			continue
		}
		top = append(top, doc{d, s})
		slices.SortFunc(top, worse)
		if len(top) > k {
			top = top[:k]
		}
	}
	return top
}

// TestOneOfCountsTheBestAlternative checks, on every subset of terms, that
// with groups of alternatives (a document's score counts the best of a
// group only) a document holding only non-essential terms scores at most
// theta, and that alternatives leave out more than their sum would: a
// word being typed and its 50 expansions weigh as one term.
func TestOneOfCountsTheBestAlternative(t *testing.T) {
	// mostOf is most with each group counting its best term only.
	mostOf := func(ub []float64, group []int, has []bool) float64 {
		sum, best := 0.0, map[int]float64{}
		for i, u := range ub {
			switch {
			case !has[i]:
			case group[i] < 0:
				sum += max(u, 0)
			default:
				best[group[i]] = max(best[group[i]], u)
			}
		}
		for _, u := range best {
			sum += u
		}
		return sum
	}
	r := rand.New(rand.NewPCG(3, 4))
	for range 2000 {
		n := 1 + r.IntN(7)
		ub, group := make([]float64, n), make([]int, n)
		for i := range ub {
			ub[i], group[i] = r.Float64()*3-0.2, r.IntN(3)-1
		}
		theta := r.Float64() * 6
		ess, _ := maxscore.New(ub, 0, nil).OneOf(group).Essential(theta)
		for has, essential := range subsets(ess) {
			if !essential && mostOf(ub, group, has) > theta {
				t.Fatalf("ub %v groups %v theta %v: terms %v are non-essential but may score %v", ub, group, theta, has, mostOf(ub, group, has))
			}
		}
	}
	// A word (bound 1) and 50 expansions (0.2 each): past a threshold of
	// 1, all are non-essential as one, none as a sum.
	ub, group := []float64{1}, []int{0}
	for range 50 {
		ub, group = append(ub, 0.2), append(group, 0)
	}
	if _, any := maxscore.New(ub, 0, nil).OneOf(group).Essential(1.5); any {
		t.Error("alternatives bounded by 1 are essential at threshold 1.5")
	}
	if _, any := maxscore.New(ub, 0, nil).Essential(1.5); !any {
		t.Error("without OneOf, terms summing to 11 are not essential at threshold 1.5")
	}
}

// TestHeldWordLeavesOutItsExpansions runs, as TestTopKUnchanged, a
// disjunction of other terms and a word being typed with expansions (one
// group of alternatives, where the word, when a document holds it, is
// the one counted), in full and skipping with Skip told of the documents
// whose essential terms hold the word: the top k must not change, and
// telling it must pass over documents the expansions' bound kept.
func TestHeldWordLeavesOutItsExpansions(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	skipped, unheld := 0, 0
	for round := range 300 {
		others, expansions := r.IntN(3), 1+r.IntN(5)
		n, docs, k := others+1+expansions, 50+r.IntN(2000), 1+r.IntN(20)
		word := others // terms: others, the word, its expansions
		ub, group := make([]float64, n), make([]int, n)
		contrib := make([][]float64, n)
		for i := range contrib {
			ub[i], group[i] = 0.5+r.Float64()*3, -1
			if i >= word {
				group[i] = 0
			}
			if i > word {
				ub[i] *= 0.3 // an expansion weighs less than the word
			}
			density := 0.01 + r.Float64()*0.8
			if i > word {
				density /= 20 // and is rarer
			}
			contrib[i] = make([]float64, docs)
			for d := range docs {
				if r.Float64() < density {
					contrib[i][d] = ub[i] * r.Float64()
				}
			}
		}
		// A document counts the word when it holds it, else its best
		// expansion.
		groupScore := func(d int, only []bool) float64 {
			if (only == nil || only[word]) && contrib[word][d] > 0 {
				return contrib[word][d]
			}
			best := 0.0
			for i := word + 1; i < n; i++ {
				if only == nil || only[i] {
					best = max(best, contrib[i][d])
				}
			}
			return best
		}
		score := func(d int) (float64, bool) {
			s := groupScore(d, nil)
			for i := range others {
				s += contrib[i][d]
			}
			return s, s > 0
		}
		full := topK(docs, k, score, nil)
		b := maxscore.New(ub, 0, nil).OneOf(group)
		skip := func(tell bool, skipped *int) func(float64, int) bool {
			return func(theta float64, d int) bool {
				ess, any := b.Essential(theta)
				if !any {
					*skipped++
					return true
				}
				partial, holds := groupScore(d, ess), false
				for i := range n {
					holds = holds || ess[i] && contrib[i][d] > 0
				}
				for i := range others {
					if ess[i] {
						partial += contrib[i][d]
					}
				}
				var held []int
				if tell && ess[word] && contrib[word][d] > 0 {
					held = []int{0}
				}
				if holds && !b.Skip(partial, false, held...) {
					return false
				}
				*skipped++
				return true
			}
		}
		if pruned := topK(docs, k, score, skip(true, &skipped)); !slices.Equal(full, pruned) {
			t.Fatalf("round %d: top %d differs with pruning:\n full   %v\n pruned %v", round, k, full, pruned)
		}
		topK(docs, k, score, skip(false, &unheld))
	}
	if skipped <= unheld {
		t.Fatalf("documents skipped told of the word held: %d, not: %d; want more", skipped, unheld)
	}
}

// A term put last leaves the essential terms last, and what Essential
// leaves out still cannot enter: two common words bounded by 0.8 and 0.85
// and their rare pair bounding a bonus of 0.75 leave only the pair
// essential past a threshold of 1.65, where by bounds alone the pair
// would leave first and the commonest word stay.
func TestLastLeavesLast(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for range 2000 {
		n := 1 + r.IntN(7)
		ub := make([]float64, n)
		for i := range ub {
			ub[i] = r.Float64()*3 - 0.2
		}
		theta, last := r.Float64()*6, r.IntN(n)
		ess, any := maxscore.New(ub, 0, nil).Last(last).Essential(theta)
		if any && !ess[last] {
			t.Fatalf("ub %v theta %v: term %d put last is not essential, %v are", ub, theta, last, ess)
		}
		for has, essential := range subsets(ess) {
			if !essential && most(ub, 0, nil, has) > theta {
				t.Fatalf("ub %v theta %v last %d: terms %v are non-essential but may score %v", ub, theta, last, has, most(ub, 0, nil, has))
			}
		}
	}
	ub := []float64{0.8, 0.85, 0.75}
	if ess, _ := maxscore.New(ub, 0, nil).Last(2).Essential(1.7); !slices.Equal(ess, []bool{false, false, true}) {
		t.Errorf("with the pair last, essential terms at 1.7: %v, want the pair only", ess)
	}
	if ess, _ := maxscore.New(ub, 0, nil).Essential(1.7); !slices.Equal(ess, []bool{false, true, false}) {
		t.Errorf("by bounds alone, essential terms at 1.7: %v, want the commonest word only", ess)
	}
}

// A kept term stays essential whenever another term is, whatever its
// bound, and keeps no search going on its own: with the others'
// bounds below the threshold, none is essential.
func TestKeptStaysEssential(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	for range 2000 {
		n := 2 + r.IntN(6)
		ub := make([]float64, n)
		for i := range ub {
			ub[i] = r.Float64() * 3
		}
		kept := r.IntN(n)
		ub[kept] = 0 // (a pair: it adds nothing)
		theta := r.Float64() * 6
		ess, any := maxscore.New(ub, 0, nil).Keep(kept).Essential(theta)
		all := make([]bool, n)
		for i := range all {
			all[i] = true
		}
		if any != (most(ub, 0, nil, all) > theta) {
			t.Fatalf("ub %v theta %v kept %d: any %v", ub, theta, kept, any)
		}
		if any && !ess[kept] {
			t.Fatalf("ub %v theta %v: kept term %d is not essential, %v are", ub, theta, kept, ess)
		}
		for has, essential := range subsets(ess) {
			if !essential && most(ub, 0, nil, has) > theta {
				t.Fatalf("ub %v theta %v kept %d: terms %v are non-essential but may score %v", ub, theta, kept, has, most(ub, 0, nil, has))
			}
		}
	}
}

// TestLackingIsTheMostWithoutTheTerm checks Lacking against every subset
// of terms without the one lacked: terms in groups of alternatives (each
// group counting its best), a bonus needing some terms. It is the most
// such a document can score, reached by one of them.
func TestLackingIsTheMostWithoutTheTerm(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	for range 2000 {
		n := 1 + r.IntN(7)
		ub, group, needs := make([]float64, n), make([]int, n), make([]bool, n)
		for i := range ub {
			ub[i], group[i], needs[i] = r.Float64()*3-0.2, r.IntN(3)-1, r.IntN(2) == 0
		}
		bonus := r.Float64() * 2
		b := maxscore.New(ub, bonus, needs).OneOf(group)
		for lacked := range n {
			best := 0.0
			all := make([]bool, n)
			for i := range all {
				all[i] = true
			}
			for has := range subsets(all) {
				if has[lacked] {
					continue
				}
				sum, held, alt := 0.0, true, map[int]float64{}
				for i, u := range ub {
					switch {
					case !has[i]:
						held = held && !needs[i]
					case group[i] < 0:
						sum += max(u, 0)
					default:
						alt[group[i]] = max(alt[group[i]], max(u, 0))
					}
				}
				for _, u := range alt {
					sum += u
				}
				if held && slices.Contains(needs, true) {
					sum += bonus
				}
				best = max(best, sum)
			}
			if got := b.Lacking(lacked); math.Abs(got-best) > 1e-9 {
				t.Fatalf("ub %v groups %v needs %v bonus %v: lacking %d, %v; the most of a document without it %v", ub, group, needs, bonus, lacked, got, best)
			}
		}
	}
}
