package analyze

import (
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/char/asciifolding"
)

// asciiFolder is bleve's port of Lucene's ASCIIFoldingFilter, used here on
// one term at a time (as a character filter before the tokenizer it would
// shift the byte offsets highlighting relies on).
var asciiFolder = asciifolding.New()

// Fold folds accented Latin letters and other characters with an ASCII
// equivalent to it, as Lucene's ASCIIFoldingFilter does ("café" → "cafe",
// "zürich" → "zurich", "ß" → "ss", curly apostrophes → '\”), and drops
// combining diacritical marks (U+0300–U+036F: "cafe\u0301" → "cafe").
// Letters of other scripts are kept. ASCII terms are returned as they are;
// others may be returned in a new slice.
func Fold(term []byte) []byte {
	ascii := true
	for _, b := range term {
		if b >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		return term
	}
	folded := asciiFolder.Filter(term)
	out := folded[:0]
	for i := 0; i < len(folded); {
		r, n := utf8.DecodeRune(folded[i:])
		if r < 0x300 || r > 0x36f {
			out = append(out, folded[i:i+n]...)
		}
		i += n
	}
	return out
}

// foldFilter is the token filter registered as FoldFilter: Fold on every
// token.
type foldFilter struct{}

// Filter folds every token in place.
func (foldFilter) Filter(input analysis.TokenStream) analysis.TokenStream {
	for _, tok := range input {
		tok.Term = Fold(tok.Term)
	}
	return input
}
