// Package decode turns the bytes of an article file into text: UTF-8 with
// "\n" line ends (UTF-16 and stray Windows-1252 bytes read, binary data
// refused), whitespace normalized, words counted. It knows nothing of
// formats or articles.
package decode

import (
	"bytes"
	"encoding/binary"
	"errors"
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

// ErrBinary means the data is binary rather than text.
var ErrBinary = errors.New("binary data, not text")

// Text turns a file's bytes into valid UTF-8 with "\n" line ends and
// no control characters other than "\n".
//
// UTF-8 is the norm. A UTF-16 byte-order mark selects UTF-16. Any byte that
// is not part of a valid UTF-8 sequence is read as Windows-1252, the usual
// encoding of older English text (one BBC file has a Latin-1 "£"); this
// decodes a whole Latin-1/Windows-1252 file correctly and also a UTF-8 file
// with a stray legacy byte. Data with NUL bytes or many control characters is
// binary and rejected with ErrBinary.
func Text(data []byte) (string, error) {
	var s string
	switch {
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}):
		s = decodeUTF16(data[2:], binary.LittleEndian)
	case bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		s = decodeUTF16(data[2:], binary.BigEndian)
	default:
		s = decodeUTF8OrWindows1252(bytes.TrimPrefix(data, []byte("\uFEFF")))
	}
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")

	var runes, controls int
	for _, r := range s {
		runes++
		switch {
		case r == 0:
			return "", ErrBinary
		case r == '\n' || r == '\t' || r == '\f' || r == '\v':
		case unicode.IsControl(r):
			controls++
		}
	}
	if controls*50 > runes { // more than 2%: not something a person wrote
		return "", ErrBinary
	}
	if controls > 0 {
		s = strings.Map(func(r rune) rune {
			if r != '\n' && unicode.IsControl(r) {
				return ' '
			}
			return r
		}, s)
	}
	return s, nil
}

// decodeUTF16 decodes UTF-16 text in the given byte order; an odd trailing
// byte is dropped and unpaired surrogates become U+FFFD.
func decodeUTF16(data []byte, order binary.ByteOrder) string {
	units := make([]uint16, len(data)/2)
	for i := range units {
		units[i] = order.Uint16(data[2*i:])
	}
	return string(utf16.Decode(units))
}

// decodeUTF8OrWindows1252 keeps valid UTF-8 sequences and reads every other
// byte as Windows-1252.
func decodeUTF8OrWindows1252(data []byte) string {
	if utf8.Valid(data) {
		return string(data)
	}
	var b strings.Builder
	b.Grow(len(data) + len(data)/8)
	for len(data) > 0 {
		r, size := utf8.DecodeRune(data)
		if r == utf8.RuneError && size == 1 {
			r = windows1252(data[0])
		}
		b.WriteRune(r)
		data = data[size:]
	}
	return b.String()
}

// cp1252High holds the characters Windows-1252 puts at 0x80–0x9F, where
// Latin-1 has control codes; 0 marks the five unassigned bytes.
var cp1252High = [32]rune{
	0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
	0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
	0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
	0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178,
}

// windows1252 returns the character for byte c in Windows-1252, U+FFFD for
// the unassigned ones. Bytes 0xA0–0xFF are the Latin-1 code points.
func windows1252(c byte) rune {
	if c >= 0x80 && c < 0xA0 {
		if r := cp1252High[c-0x80]; r != 0 {
			return r
		}
		return utf8.RuneError
	}
	return rune(c)
}

// invisible are characters with no width that only get in the way of
// matching words: the zero-width space, the word joiner, a stray byte-order
// mark and the soft hyphen. (Zero-width joiners are kept: some scripts need
// them.)
const invisible = "\u200B\u2060\uFEFF\u00AD"

// NormalizeSpace removes invisible characters, turns every Unicode space
// (U+00A0, U+2002, U+3000, tabs, ...) into a plain space, collapses runs and
// trims the ends.
func NormalizeSpace(s string) string {
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
// and none at the ends: already what NormalizeSpace makes of it.
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
