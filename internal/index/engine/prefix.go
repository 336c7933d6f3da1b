package engine

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	index "github.com/blevesearch/bleve_index_api"
)

// Prefix matching: "word*" anywhere, and the last word of text still being
// typed (search.Clause.Partial). A prefix matches the index terms that
// start with it, read from the term dictionary. The terms are snowball
// stems, shorter than some words ("parliamentary" is "parliamentari"), so
// both the lower-cased prefix as typed and its analyzed form are looked up.
//
// Costs are bounded: a prefix shorter than minPrefixLen letters does not
// expand (it matches its whole word only), at most maxPrefixScan
// dictionary entries are read per form, and the maxPrefixTerms terms most
// articles hold are kept.
//
// Ranking: a term a prefix expands to counts prefixWeight times its BM25
// score, and only in articles that do not hold the typed word itself
// (whose scores are then as without the prefix), where only its best
// expansion counts. So an article with the whole word ranks above one
// that only matches its prefix, other words equal, and a completed word
// ranks the articles that hold it as before.
const (
	minPrefixLen   = 2
	maxPrefixScan  = 20000
	maxPrefixTerms = 50
	prefixWeight   = 0.25
)

// prefixWord is a word to match as a prefix: as typed, lower-cased, and
// analyzed (the term the word itself is, if any).
type prefixWord struct {
	lower, term string
}

// newPrefixWord returns text as a prefix, analyzed by a; ok is false when
// text is not a prefix to expand: shorter than minPrefixLen, or holding
// other than letters and digits ("U.S", "10:3").
func newPrefixWord(a analysis.Analyzer, text string) (p prefixWord, ok bool) {
	p.lower = strings.ToLower(text)
	if utf8.RuneCountInString(p.lower) < minPrefixLen ||
		strings.ContainsFunc(p.lower, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		return p, false
	}
	if toks := a.Analyze([]byte(text)); len(toks) == 1 {
		p.term = string(toks[0].Term)
	}
	return p, true
}

// expandPrefix returns the terms of field that start with p, the ones most
// articles hold first, at most maxPrefixTerms, leaving out skip.
func expandPrefix(r index.IndexReader, field string, p prefixWord, skip []string) ([]string, error) {
	counts := map[string]uint64{}
	for _, form := range []string{p.lower, p.term} {
		if len([]rune(form)) < minPrefixLen {
			continue
		}
		d, err := r.FieldDictPrefix(field, []byte(form))
		if err != nil {
			return nil, fmt.Errorf("terms of %s starting with %q: %w", field, form, err)
		}
		for i := 0; i < maxPrefixScan; i++ {
			e, err := d.Next()
			if err != nil {
				_ = d.Close()
				return nil, fmt.Errorf("terms of %s starting with %q: %w", field, form, err)
			}
			if e == nil {
				break
			}
			if !slices.Contains(skip, e.Term) {
				counts[e.Term] = e.Count
			}
		}
		if err := d.Close(); err != nil {
			return nil, fmt.Errorf("terms of %s starting with %q: %w", field, form, err)
		}
	}
	terms := make([]string, 0, len(counts))
	for t := range counts {
		terms = append(terms, t)
	}
	slices.SortFunc(terms, func(a, b string) int {
		return cmp.Or(cmp.Compare(counts[b], counts[a]), cmp.Compare(a, b))
	})
	return terms[:min(len(terms), maxPrefixTerms)], nil
}
