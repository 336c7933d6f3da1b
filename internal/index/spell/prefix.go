package spell

import (
	"cmp"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
)

// Prefix matching: "word*" anywhere, and the last word of text still being
// typed (search.Clause.Partial). A prefix matches the index terms that
// start with it, read from the term dictionary. The terms are snowball
// stems, shorter than some words ("parliamentary" is "parliamentari"), so
// both the lower-cased prefix as typed and its analyzed form are looked up.
//
// Costs are bounded: a prefix shorter than MinPrefixLen letters does not
// expand (it matches its whole word only), and the MaxPrefixTerms terms
// most articles hold are kept.
const (
	MinPrefixLen   = 2
	MaxPrefixTerms = 50
)

// Prefix is a word to match as a prefix: as typed, lower-cased, and
// analyzed (the term the word itself is, if any).
type Prefix struct {
	Lower, Term string
}

// NewPrefix returns text as a prefix, analyzed by a; ok is false when text
// is not a prefix to expand: shorter than MinPrefixLen, or holding other
// than letters and digits ("U.S", "10:3").
func NewPrefix(a analysis.Analyzer, text string) (p Prefix, ok bool) {
	p.Lower = strings.ToLower(text)
	if utf8.RuneCountInString(p.Lower) < MinPrefixLen ||
		strings.ContainsFunc(p.Lower, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		return p, false
	}
	if toks := a.Analyze([]byte(text)); len(toks) == 1 {
		p.Term = string(toks[0].Term)
	}
	return p, true
}

// Dictionary returns the terms of an index field that start with prefix,
// with the number of articles holding each.
type Dictionary func(prefix string) (map[string]uint64, error)

// Expansions are the terms the prefix words of one query expand to. A
// search creates its query's searchers several times (the pass over the
// matches, the term locations of the hits shown, feedback), all on one
// generation: the dictionary is read once, on the first Get.
type Expansions struct {
	once  sync.Once
	terms [][]string
	err   error
}

// Get returns the terms each of ps expands to in dict: those starting with
// the prefix as typed or with its term, leaving out skip, the
// MaxPrefixTerms most held, most held first. Later calls return the same.
func (e *Expansions) Get(dict Dictionary, ps []Prefix, skip []string) ([][]string, error) {
	e.once.Do(func() {
		e.terms = make([][]string, len(ps))
		for k, p := range ps {
			counts := map[string]uint64{}
			for i, form := range []string{p.Lower, p.Term} {
				if utf8.RuneCountInString(form) < MinPrefixLen || i == 1 && form == p.Lower { // a word that is its own term is read once
					continue
				}
				found, err := dict(form)
				if err != nil {
					e.err = err
					return
				}
				for t, n := range found {
					if !slices.Contains(skip, t) {
						counts[t] = n
					}
				}
			}
			e.terms[k] = topPrefixTerms(counts)
		}
	})
	return e.terms, e.err
}

// topPrefixTerms returns the terms a prefix expands to, given the number
// of articles each is in: the MaxPrefixTerms most held, most held first.
func topPrefixTerms(counts map[string]uint64) []string {
	terms := make([]string, 0, len(counts))
	for t := range counts {
		terms = append(terms, t)
	}
	slices.SortFunc(terms, func(a, b string) int {
		return cmp.Or(cmp.Compare(counts[b], counts[a]), cmp.Compare(a, b))
	})
	return terms[:min(len(terms), MaxPrefixTerms)]
}
