package article

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// invisible are characters with no width that only get in the way of
// matching words: the zero-width space, the word joiner, a stray byte-order
// mark and the soft hyphen. (Zero-width joiners are kept: some scripts need
// them.)
const invisible = "\u200B\u2060\uFEFF\u00AD"

// normalizeSpace removes invisible characters, turns every Unicode space
// (U+00A0, U+2002, U+3000, tabs, ...) into a plain space, collapses runs and
// trims the ends.
func normalizeSpace(s string) string {
	if isNormalASCII(s) {
		return s // the common case, without allocating
	}
	if strings.ContainsAny(s, invisible) {
		s = strings.Map(func(r rune) rune {
			if strings.ContainsRune(invisible, r) {
				return -1
			}
			return r
		}, s)
	}
	return strings.Join(strings.Fields(s), " ")
}

// isNormalASCII reports whether s is ASCII with single spaces between words
// and none at the ends: already what normalizeSpace makes of it.
func isNormalASCII(s string) bool {
	if s == "" {
		return true
	}
	if s[0] == ' ' || s[len(s)-1] == ' ' {
		return false
	}
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= 0x80, c < ' ':
			return false
		case c == ' ' && s[i+1] == ' ':
			return false
		}
	}
	return true
}

// countWords returns len(strings.Fields(s)) without building the slice:
// the number of runs of non-space characters, space as unicode.IsSpace.
func countWords(s string) int {
	n := 0
	inWord := false
	for i := 0; i < len(s); {
		c := s[i]
		var space bool
		if c < utf8.RuneSelf {
			space = asciiSpace[c]
			i++
		} else {
			r, size := utf8.DecodeRuneInString(s[i:])
			space = unicode.IsSpace(r)
			i += size
		}
		if !space && !inWord {
			n++
		}
		inWord = !space
	}
	return n
}

// asciiSpace marks the ASCII characters unicode.IsSpace reports as space.
var asciiSpace = [utf8.RuneSelf]bool{'\t': true, '\n': true, '\v': true, '\f': true, '\r': true, ' ': true}
