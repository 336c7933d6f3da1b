package analyze

import (
	"fmt"
	"slices"
	"strings"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/registry"
)

// PairsAnalyzer is the type of analyzer of the pairs of neighbouring
// common words, after Lucene's CommonGramsFilter: the stemmed terms of
// text (those of Analyzer, at its positions) that are both common and
// next to each other ("new year", "general election"), each pair one term
// (see Pair). A field analysed so, without positions, holds every
// article's common phrases of two words as terms of their own, with their
// own postings: a phrase search reads them to find the few articles
// holding "new year" instead of reading the positions of the many that
// hold "new" and "year". Stop words leave a gap, so "end of year" pairs
// nothing.
//
// Its instances are defined in an index's mapping with the common stems
// as the "common" option (see PairsConfig), so the index records the list
// it was built with.
const PairsAnalyzer = "newsfind_pairs"

// pairSeparator joins the stems of a pair: the tokenizer never leaves it
// inside a word, and the grams field's pairs of stop words use a space.
const pairSeparator = "+"

// PairsConfig returns the options of a PairsAnalyzer instance pairing
// the common stems given, for mapping.IndexMappingImpl.AddCustomAnalyzer.
func PairsConfig(common []string) map[string]any {
	return map[string]any{"type": PairsAnalyzer, "common": common}
}

// pairAnalyzer is a PairsAnalyzer instance.
type pairAnalyzer struct {
	stemmed analysis.Analyzer
	common  map[string]bool
}

func newPairs(config map[string]any, cache *registry.Cache) (*pairAnalyzer, error) {
	stemmed, err := newFusedAnalyzer(cache, stemmed)
	if err != nil {
		return nil, err
	}
	p := &pairAnalyzer{stemmed: stemmed, common: map[string]bool{}}
	switch list := config["common"].(type) {
	case []string:
		for _, s := range list {
			p.common[s] = true
		}
	case []any: // read back from an index's mapping
		for _, v := range list {
			s, ok := v.(string)
			if !ok {
				return nil, fmt.Errorf("analyzer %s: common: %v is not a string", PairsAnalyzer, v)
			}
			p.common[s] = true
		}
	case nil:
	default:
		return nil, fmt.Errorf("analyzer %s: common: want a list of stems, got %T", PairsAnalyzer, list)
	}
	return p, nil
}

// Analyze implements analysis.Analyzer: each pair is at the position of
// its first word and spans both.
func (p *pairAnalyzer) Analyze(input []byte) analysis.TokenStream {
	return p.pairs(p.stemmed.Analyze(input))
}

// pairs returns the pairs of neighbouring common stems among toks, which
// are in position order.
func (p *pairAnalyzer) pairs(toks analysis.TokenStream) analysis.TokenStream {
	var out analysis.TokenStream
	for i := 1; i < len(toks); i++ {
		prev, tok := toks[i-1], toks[i]
		if tok.Position != prev.Position+1 || !p.common[string(prev.Term)] || !p.common[string(tok.Term)] {
			continue
		}
		term := make([]byte, 0, len(prev.Term)+len(pairSeparator)+len(tok.Term))
		term = append(append(append(term, prev.Term...), pairSeparator...), tok.Term...)
		out = append(out, &analysis.Token{Term: term, Start: prev.Start, End: tok.End,
			Position: prev.Position, Type: analysis.Shingle})
	}
	return out
}

// PairsOf returns what a, a PairsAnalyzer instance, makes of a text from
// that text's stemmed tokens (Analyzer's, with their positions), in any
// order: the same pairs as a.Analyze(text), without analysing the text
// again. Tokens of other than common stems may be left out. It reorders
// toks, and returns nil for another analyzer.
func PairsOf(a analysis.Analyzer, toks analysis.TokenStream) analysis.TokenStream {
	p, ok := a.(*pairAnalyzer)
	if !ok {
		return nil
	}
	slices.SortFunc(toks, func(x, y *analysis.Token) int { return x.Position - y.Position })
	return p.pairs(toks)
}

// IsCommon reports whether a, a PairsAnalyzer instance, pairs the stem.
func IsCommon(a analysis.Analyzer, stem string) bool {
	p, ok := a.(*pairAnalyzer)
	return ok && p.common[stem]
}

// PairStems returns the two stems of term, a term of a PairsAnalyzer
// instance's, and whether it is one.
func PairStems(term string) (first, second string, ok bool) {
	first, second, ok = strings.Cut(term, pairSeparator)
	return first, second, ok && first != "" && second != ""
}

// Pair returns the term that a, when it is a PairsAnalyzer instance,
// indexes for the stemmed terms first and second next to each other, and
// whether it indexes one: both must be among its common stems.
func Pair(a analysis.Analyzer, first, second string) (string, bool) {
	p, ok := a.(*pairAnalyzer)
	if !ok || !p.common[first] || !p.common[second] {
		return "", false
	}
	return first + pairSeparator + second, true
}
