package lexicon

import (
	"slices"
	"strings"

	"github.com/newsfind/newsfind/internal/index/sidecar"
)

// Automaton reads a term a byte at a time: vellum's Levenshtein automata
// (levenshtein.DFA) are ones.
type Automaton interface {
	Start() int
	Accept(state int, b byte) int
	CanMatch(state int) bool
	IsMatch(state int) bool
}

// Accepted calls fn with each term of field starting with prefix that a
// accepts, and its count, in byte order. It reports false, calling
// nothing, when l does not hold field.
//
// The sorted terms are walked as a trie: the states a term reached after
// each of its bytes are kept for the next term, which shares a prefix
// with it, and once no term with some prefix can be accepted, all of them
// are skipped (a galloping search: most such prefixes start a few
// terms). It is what a fuzzy look-up in each segment's dictionary (an
// automaton run over its FST) does, once for the whole generation.
func (l *Lexicon) Accepted(field, prefix string, a Automaton, fn func(term string, docs uint64)) bool {
	f := slices.Index(l.fields, field)
	if f < 0 {
		return false
	}
	terms, counts := l.terms[f], l.counts[f]
	states := []int{a.Start()} // states[k]: after the first k bytes of prev
	prev := ""
	lo, hi := terms.Prefixed(prefix)
	for i := lo; i < hi; {
		t := terms.View(i)
		k := 0
		for k < len(t) && k < len(prev) && k < len(states)-1 && t[k] == prev[k] {
			k++
		}
		states = states[:k+1]
		dead := false
		for k < len(t) {
			s := a.Accept(states[k], t[k])
			states = append(states, s)
			k++
			if !a.CanMatch(s) {
				dead = true
				break
			}
		}
		prev = t[:k]
		if dead { // no term starting so is accepted
			i = pastPrefix(terms, i, hi, prev)
			continue
		}
		if a.IsMatch(states[k]) {
			fn(terms.At(i), uint64(counts[i]))
		}
		i++
	}
	return true
}

// pastPrefix returns the first term after i (which starts with p) that
// does not start with p, or n: galloping from i, then a binary search.
func pastPrefix(terms sidecar.StringList, i, n int, p string) int {
	lo, step := i, 1 // terms[lo] starts with p
	for lo+step < n && strings.HasPrefix(terms.View(lo+step), p) {
		lo += step
		step *= 2
	}
	hi := min(lo+step, n) // terms[hi] does not start with p, or is the end
	for hi-lo > 1 {
		mid := int(uint(lo+hi) >> 1)
		if strings.HasPrefix(terms.View(mid), p) {
			lo = mid
		} else {
			hi = mid
		}
	}
	return hi
}
