package analyze

import (
	"sync"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/registry"
)

// GramsAnalyzer is the analyzer of the stop words of English text, after
// Lucene's CommonGramsFilter: each stop word on its own, and each pair of
// neighbouring stop words joined by a space ("the who", "to be", "be or"),
// in their exact form (see ExactAnalyzer). A field analysed so, without
// positions, finds what the stemmed field, which drops stop words, cannot:
// a search made only of stop words, and the stop words of a quoted phrase
// (an article holds "to be or not to be" only if it holds all five pairs,
// which almost never meet otherwise). Pairs of a stop word and another
// word, as Lucene also keeps, would pin the stop words at a phrase's ends
// too, but on the BBC corpus they cost 10 MB (a 2.6× index) against
// 1.2 MB for these; see docs/RELEVANCE.md.
const GramsAnalyzer = "newsfind_grams"

// gramSeparator joins the two words of a pair; the tokenizer never leaves
// one inside a word.
const gramSeparator = " "

// grams is the newsfind_grams analyzer: it filters the exact forms.
type grams struct {
	exact analysis.Analyzer
	stop  analysis.TokenMap
}

// Grams returns an instance of the newsfind_grams analyzer, for query text.
func Grams() analysis.Analyzer { return gramsInstance() }

var gramsInstance = sync.OnceValue(func() analysis.Analyzer {
	a, err := newGrams(registry.NewCache())
	if err != nil {
		panic(err) // only registered components: cannot fail
	}
	return a
})

func newGrams(cache *registry.Cache) (*grams, error) {
	stop, err := cache.TokenMapNamed(stopTokenMapName)
	if err != nil {
		return nil, err
	}
	return &grams{exact: exactForms(), stop: stop}, nil
}

// IsStopWord reports whether the lower-cased word is one of the English
// stop words the stemmed analyzer drops.
func IsStopWord(word string) bool {
	_, ok := gramsInstance().(*grams).stop[word]
	return ok
}

// Analyze implements analysis.Analyzer. Each term is at the position of its
// first word, and a pair spans both words.
func (g *grams) Analyze(input []byte) analysis.TokenStream {
	toks := g.exact.Analyze(input)
	out := make(analysis.TokenStream, 0, len(toks)/2)
	var prev *analysis.Token
	prevStop := false
	for _, tok := range toks {
		_, stop := g.stop[string(tok.Term)]
		if stop && prevStop && tok.Position == prev.Position+1 {
			term := make([]byte, 0, len(prev.Term)+len(gramSeparator)+len(tok.Term))
			term = append(append(append(term, prev.Term...), gramSeparator...), tok.Term...)
			out = append(out, &analysis.Token{Term: term, Start: prev.Start, End: tok.End,
				Position: prev.Position, Type: analysis.Shingle})
		}
		if stop {
			out = append(out, tok)
		}
		prev, prevStop = tok, stop
	}
	return out
}
