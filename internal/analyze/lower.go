package analyze

import (
	"bytes"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis/lang/en"
)

// The functions in this file reproduce, byte for byte, what bleve's stock
// token filters do to one term, so the fused analyzer can apply them to a
// term at a time. They follow bleve v2.6.3:
//   - lowerInPlace: analysis/token/lowercase (toLowerDeferredCopy),
//     Copyright (c) 2014 Couchbase, Inc., Apache License 2.0;
//   - stripPossessive: analysis/lang/en (PossessiveFilter.Filter).
//
// The differential tests compare the fused analyzer against the stock
// filters, so a change in bleve's behaviour shows up there.

// lowerInPlace lower-cases s as bleve's to_lower filter does: rune by rune
// with unicode.ToLower, a final capital sigma becoming 'ς', reusing s's bytes
// unless a lower-case rune is wider than its upper-case form, in which case
// the rest goes through bytes.ToLower into a new slice.
func lowerInPlace(s []byte) []byte {
	j := 0
	for i := 0; i < len(s); {
		wid := 1
		r := rune(s[i])
		if r >= utf8.RuneSelf {
			r, wid = utf8.DecodeRune(s[i:])
		}
		l := unicode.ToLower(r)
		if l == r {
			i += wid
			j += wid
			continue
		}
		if l == 'σ' && i+2 == len(s) {
			l = 'ς'
		}
		lwid := utf8.RuneLen(l)
		if lwid > wid {
			rest := bytes.ToLower(s[i:])
			rv := make([]byte, j+len(rest))
			copy(rv[:j], s[:j])
			copy(rv[j:], rest)
			return rv
		}
		utf8.EncodeRune(s[j:], l)
		i += wid
		j += lwid
	}
	return s[:j]
}

// Apostrophes before a final 's' that bleve's possessive_en filter strips.
const (
	rightSingleQuotationMark = '’'
	apostrophe               = '\''
	fullWidthApostrophe      = '＇'
)

// stripPossessive removes a trailing "'s" (with any of the three apostrophes
// and either case of 's') as bleve's possessive_en filter does.
func stripPossessive(t []byte) []byte {
	last, n := utf8.DecodeLastRune(t)
	if last != 's' && last != 'S' {
		return t
	}
	prev, m := utf8.DecodeLastRune(t[:len(t)-n])
	if prev == rightSingleQuotationMark || prev == apostrophe || prev == fullWidthApostrophe {
		return t[:len(t)-n-m]
	}
	return t
}

// stopTokenMapName is the bleve token map holding English stop words, the
// one bleve's stop_en filter removes.
const stopTokenMapName = en.StopName
