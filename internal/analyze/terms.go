package analyze

import "github.com/blevesearch/bleve/v2/analysis"

// Terms returns the terms a analyzes text into, in order.
func Terms(a analysis.Analyzer, text string) []string {
	terms, _ := TermsAt(a, text)
	return terms
}

// TermsAt returns the terms a analyzes text into and the position of
// each, counted from the first: stop words removed leave gaps, as in the
// articles, so the offsets are those of the text as a phrase.
func TermsAt(a analysis.Analyzer, text string) ([]string, []uint64) {
	toks := a.Analyze([]byte(text))
	terms, offsets := make([]string, len(toks)), make([]uint64, len(toks))
	for i, tok := range toks {
		terms[i] = string(tok.Term)
		offsets[i] = uint64(tok.Position - toks[0].Position)
	}
	return terms, offsets
}

// DropsStopWords reports whether a (which drops stop words) drops any word
// of text that the exact form keeps.
func DropsStopWords(a analysis.Analyzer, text string) bool {
	return len(a.Analyze([]byte(text))) < len(Exact().Analyze([]byte(text)))
}
