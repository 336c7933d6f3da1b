package fts5

import (
	"strings"
	"unicode"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
)

// MatchExpr turns what a person typed into a valid FTS5 MATCH expression:
// each word becomes a quoted string, and the words are ORed, so any may
// match and bm25 ranks documents matching more (and rarer) words higher.
// Words in stop (compared in lower case) are dropped. It returns "" when no
// word is left.
//
// Raw text is not valid FTS5 syntax: quotes, parentheses, colons, hyphens
// and the words AND, OR, NOT and NEAR are operators, and most punctuation is
// an error. Words are split the way the unicode61 tokenizer splits them
// (runs of letters, digits and private-use characters), so a quoted word
// never contains a quote and each one is a single token to FTS5.
func MatchExpr(text string, stop map[string]bool) string {
	var b strings.Builder
	for _, w := range strings.FieldsFunc(text, isSeparator) {
		if stop[strings.ToLower(w)] {
			continue
		}
		if b.Len() > 0 {
			b.WriteString(" OR ")
		}
		b.WriteByte('"')
		b.WriteString(w)
		b.WriteByte('"')
	}
	return b.String()
}

// isSeparator mirrors the default token characters of FTS5's unicode61
// tokenizer: Unicode letters, numbers and private-use characters.
func isSeparator(r rune) bool {
	return !unicode.IsLetter(r) && !unicode.IsNumber(r) && !unicode.Is(unicode.Co, r)
}

// EnglishStopWords returns the Snowball English stop-word list (174 words,
// "a" to "yourselves", including "not" and "no"), the same list newsfind's
// analyzer and bleve's "en" analyzer drop. It returns a new map on each
// call.
func EnglishStopWords() map[string]bool {
	tm := analysis.NewTokenMap()
	if err := tm.LoadBytes(en.EnglishStopWords); err != nil {
		// The list is a constant compiled into bleve; failing to read it
		// is a programming error, not a run-time condition.
		panic("fts5: read bleve's English stop words: " + err.Error())
	}
	stop := make(map[string]bool, len(tm))
	for w := range tm {
		stop[w] = true
	}
	return stop
}
