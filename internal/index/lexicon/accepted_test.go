package lexicon

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// pattern is an Automaton accepting the terms of its length whose bytes
// are its own, '.' standing for any byte.
type pattern string

func (p pattern) Start() int { return 0 }
func (p pattern) Accept(s int, b byte) int {
	if s < 0 || s >= len(p) || p[s] != '.' && p[s] != b {
		return -1
	}
	return s + 1
}
func (p pattern) CanMatch(s int) bool { return s >= 0 }
func (p pattern) IsMatch(s int) bool  { return s == len(p) }

// matches runs p over term whole.
func (p pattern) matches(term string) bool {
	s := p.Start()
	for i := 0; i < len(term) && p.CanMatch(s); i++ {
		s = p.Accept(s, term[i])
	}
	return p.IsMatch(s)
}

// Accepted calls fn with exactly the terms (starting with a prefix, when
// given) the automaton accepts when run over each term whole, with their
// counts, among terms sharing prefixes, prefixes of one another and
// letters of more than one byte.
func TestAccepted(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	letters := []rune("abcdeé")
	word := func() string {
		r := make([]rune, 1+rng.IntN(7))
		for i := range r {
			r[i] = letters[rng.IntN(len(letters))]
		}
		return string(r)
	}
	set := map[string]bool{}
	for range 3000 {
		set[word()] = true
	}
	var terms []string
	for w := range set {
		terms = append(terms, w)
	}
	slices.Sort(terms)
	b := NewBuilder("f")
	for i, w := range terms {
		b.Add("f", w, uint64(i+1))
	}
	l, err := b.Lexicon()
	if err != nil {
		t.Fatal(err)
	}
	found := 0
	for range 500 {
		w := []byte(word())
		for i := range w {
			if rng.IntN(3) == 0 {
				w[i] = '.'
			}
		}
		p := pattern(w)
		var got []string
		prefix := ""
		if len(w) > 0 && w[0] != '.' && rng.IntN(2) == 0 {
			prefix = string(w[:1])
		}
		if !l.Accepted("f", prefix, p, func(term string, docs uint64) {
			if i, _ := slices.BinarySearch(terms, term); docs != uint64(i+1) {
				t.Errorf("%q: %q counted %d, want %d", p, term, docs, i+1)
			}
			got = append(got, term)
		}) {
			t.Fatal("field f not held")
		}
		var want []string
		for _, term := range terms {
			if p.matches(term) && strings.HasPrefix(term, prefix) {
				want = append(want, term)
			}
		}
		if !slices.Equal(got, want) {
			t.Errorf("%q: %q, want %q", p, got, want)
		}
		found += len(got)
	}
	if found == 0 {
		t.Error("no pattern matched: nothing compared")
	}
	if l.Accepted("other", "", pattern("a"), func(string, uint64) {}) {
		t.Error("Accepted reported a field not held")
	}
}
