package entity

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// token is a word or a punctuation mark of a text.
type token struct {
	text       string // as written, with curly apostrophes made straight
	base       string // text without a possessive ending ("Alimov's" → "Alimov")
	start, end int    // byte offsets in the segment
	word       bool   // a word rather than a punctuation mark
	cap        bool   // starts with an upper-case letter
	allCaps    bool   // two or more letters, all upper-case ("SCO", "BEIJING")
}

// abbreviations keep their final period: "Mr." does not end a sentence.
var abbreviations = map[string]bool{
	"Mr": true, "Mrs": true, "Ms": true, "Dr": true, "Prof": true, "St": true, "Jr": true,
	"Sr": true, "Gen": true, "Sen": true, "Rep": true, "Gov": true, "Lt": true, "Col": true,
	"Capt": true, "Sgt": true, "Co": true, "Corp": true, "Inc": true, "Ltd": true, "Mt": true,
	"No": true, "vs": true, "Jan": true, "Feb": true, "Aug": true, "Sept": true, "Oct": true,
	"Nov": true, "Dec": true,
}

// tokenize splits s into words and punctuation marks, appending them to
// toks. A word is a run of letters, digits and marks, with hyphens and
// apostrophes inside it ("Secretary-General", "Xi'an", "People's") and the
// periods of abbreviations ("U.S.", "Mr.", "W.").
//
// Text between names is of no interest, so when keep is not nil, lower-case
// words it does not keep, and punctuation other than brackets, commas and
// ampersands, are merged into one gap token (text "", word false) per
// stretch: most of a text is such words, and this makes the rest cheaper.
func tokenize(toks []token, s string, keep func(string) bool) []token {
	if toks == nil {
		toks = make([]token, 0, len(s)/16+4)
	}
	gap := func(start, end int) {
		if n := len(toks); n > 0 && toks[n-1].text == "" {
			toks[n-1].end = end
			return
		}
		toks = append(toks, token{start: start, end: end})
	}
	i := 0
	for i < len(s) {
		r, size := rune(s[i]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(s[i:])
		}
		if r == ' ' || unicode.IsSpace(r) {
			i += size
			continue
		}
		if !isWordRune(r) {
			if keep != nil && !strings.ContainsRune("(),&", r) {
				gap(i, i+size)
			} else {
				toks = append(toks, token{text: s[i : i+size], base: s[i : i+size], start: i, end: i + size})
			}
			i += size
			continue
		}
		start := i
		i += size
		for i < len(s) {
			c := s[i]
			if c < utf8.RuneSelf {
				if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' {
					i++
					continue
				}
				r, size = rune(c), 1
			} else {
				r, size = utf8.DecodeRuneInString(s[i:])
				if isWordRune(r) {
					i += size
					continue
				}
			}
			// A joiner stays inside the word only when a letter or digit follows.
			if r == '-' || r == '\'' || r == '’' || r == '.' {
				next, _ := utf8.DecodeRuneInString(s[i+size:])
				if i+size < len(s) && isWordRune(next) {
					i += size
					continue
				}
			}
			break
		}
		// A final period belongs to an abbreviation: a single letter, a word
		// with periods inside ("U.S."), or a known short form ("Mr.").
		if i < len(s) && s[i] == '.' {
			w := s[start:i]
			if utf8.RuneCountInString(w) == 1 && unicode.IsUpper(firstRune(w)) || strings.Contains(w, ".") || abbreviations[w] {
				i++
			}
		}
		if keep != nil && !unicode.IsUpper(r0(s, start)) {
			// A lower-case word matters only next to a name: after a word
			// kept ("Bosnia and", "of the") or before a capital
			// ("minister Tony").
			n := len(toks)
			if !(n > 0 && toks[n-1].word || upperNext(s, i)) || !keep(s[start:i]) {
				gap(start, i)
				continue
			}
		}
		toks = append(toks, newWord(s, start, i))
	}
	return toks
}

// upperNext reports whether the next word after byte i of s, past spaces,
// starts with a capital letter.
func upperNext(s string, i int) bool {
	for i < len(s) && s[i] == ' ' {
		i++
	}
	return i < len(s) && unicode.IsUpper(r0(s, i))
}

// r0 returns the character at byte i of s.
func r0(s string, i int) rune {
	if c := s[i]; c < utf8.RuneSelf {
		return rune(c)
	}
	r, _ := utf8.DecodeRuneInString(s[i:])
	return r
}

// newWord makes the token for the word s[start:end].
func newWord(s string, start, end int) token {
	text := s[start:end]
	if strings.IndexByte(text, 0xE2) >= 0 && strings.ContainsRune(text, '’') {
		text = strings.ReplaceAll(text, "’", "'")
	}
	t := token{text: text, base: text, start: start, end: end, word: true}
	switch {
	case strings.HasSuffix(text, "'s") || strings.HasSuffix(text, "'S"):
		t.base = text[:len(text)-2]
	case strings.HasSuffix(text, "s'"):
		t.base = text[:len(text)-1]
	}
	first := firstRune(text)
	t.cap = unicode.IsUpper(first)
	if t.cap {
		letters, upper := 0, 0
		for _, r := range t.base {
			if unicode.IsLetter(r) {
				letters++
				if unicode.IsUpper(r) {
					upper++
				}
			}
		}
		t.allCaps = letters >= 2 && upper == letters
	}
	return t
}

func isWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9'
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}

func firstRune(s string) rune {
	r, _ := utf8.DecodeRuneInString(s)
	return r
}
