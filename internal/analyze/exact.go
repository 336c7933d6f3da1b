package analyze

import (
	"slices"
	"sync"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/registry"
)

// Exact returns an instance of the newsfind_exact analyzer, for query text.
func Exact() analysis.Analyzer { return exactForms() }

// exactForms is the newsfind_exact analyzer Exact and ExactForms return.
// It is built on first use, once init has registered its filters.
var exactForms = sync.OnceValue(func() analysis.Analyzer {
	a, err := newFusedAnalyzer(registry.NewCache(), exact)
	if err != nil {
		panic(err) // only registered components: cannot fail
	}
	return a
})

// ExactForms analyzes text with stemmed (newsfind_en) and with
// newsfind_exact, which cut the same tokens at the same positions, and maps
// each stemmed term to the exact forms of the words it came from.
func ExactForms(stemmed analysis.Analyzer, text string) map[string][]string {
	forms := map[string][]string{}
	toks := exactForms().Analyze([]byte(text))
	k := 0
	for _, tok := range stemmed.Analyze([]byte(text)) {
		for k < len(toks) && toks[k].Position < tok.Position {
			k++
		}
		if k < len(toks) && toks[k].Position == tok.Position {
			t, f := string(tok.Term), string(toks[k].Term)
			if !slices.Contains(forms[t], f) {
				forms[t] = append(forms[t], f)
			}
		}
	}
	return forms
}
