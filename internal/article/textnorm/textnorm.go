// Package textnorm makes lines of text uniform for reading: control
// characters, invisible characters and every kind of Unicode space become
// one plain space, runs collapse and ends are trimmed; and it counts words.
// It knows nothing of formats or articles.
package textnorm

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

// Space removes invisible characters, turns every Unicode space
// (U+00A0, U+2002, U+3000, tabs, ...) into a plain space, collapses runs and
// trims the ends.
func Space(s string) string {
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
// and none at the ends: already what Space makes of it.
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

// CountWords returns len(strings.Fields(s)) without building the slice:
// the number of runs of non-space characters, space as unicode.IsSpace.
func CountWords(s string) int {
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

// Line makes s one normalized line: control characters and runs of
// spaces become one space.
func Line(s string) string {
	if strings.IndexFunc(s, isControl) >= 0 {
		s = strings.Map(func(r rune) rune {
			if isControl(r) {
				return ' '
			}
			return r
		}, s)
	}
	return Space(s)
}

// isControl reports whether r is a C0 or C1 control character or DEL.
func isControl(r rune) bool { return r < 0x20 || r == 0x7f || r >= 0x80 && r < 0xa0 }

// Head returns at most the first n bytes of s, cut at a character
// boundary.
func Head(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
