// Package summary cuts the summary a result list shows: the first
// sentences of an article's opening, up to a length, never mid-word.
package summary

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Max is about the longest summary, in bytes: two lines of a result
// list.
const Max = 300

// Of returns the opening sentence of lead, with the next sentence
// (of lead or the paragraphs after it) when both fit in Max bytes. A
// first sentence longer than that is cut at a word and ends in "…".
func Of(lead string, more []string) string {
	lead = strings.TrimSpace(lead)
	if lead == "" {
		return ""
	}
	first, rest := splitSentence(lead)
	if len(first) > Max {
		return cutWords(first, Max)
	}
	if rest == "" && len(more) > 0 {
		rest = more[0]
	}
	if second, _ := splitSentence(rest); second != "" && len(first)+1+len(second) <= Max {
		return first + " " + second
	}
	return first
}

// splitSentence returns the first sentence of s and the text after it. A
// sentence ends at ".", "!" or "?" (and any closing quotes or brackets)
// before a space and a capital letter, digit or opening quote, unless the
// period ends an abbreviation or an initial ("Mr.", "U.S.", "W.").
func splitSentence(s string) (string, string) {
	s = strings.TrimSpace(s)
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '.' && c != '!' && c != '?' {
			continue
		}
		end := i + 1
		for end < len(s) {
			r, size := utf8.DecodeRuneInString(s[end:])
			if !strings.ContainsRune("\"')]”’»", r) {
				break
			}
			end += size
		}
		if end >= len(s) {
			return s, ""
		}
		if s[end] != ' ' {
			continue
		}
		next, _ := utf8.DecodeRuneInString(s[end+1:])
		if !unicode.IsUpper(next) && !unicode.IsDigit(next) && !strings.ContainsRune("\"'“‘(«", next) {
			continue
		}
		if c == '.' && abbreviationBefore(s[:i]) {
			continue
		}
		return s[:end], strings.TrimSpace(s[end:])
	}
	return s, ""
}

// abbreviationBefore reports whether the word ending s is an abbreviation or
// an initial, so that a period after it does not end the sentence.
func abbreviationBefore(s string) bool {
	w := s[strings.LastIndexAny(s, " (\"“")+1:]
	if utf8.RuneCountInString(w) == 1 || strings.Contains(w, ".") {
		return true // "W.", "U.S."
	}
	switch w {
	case "Mr", "Mrs", "Ms", "Dr", "Prof", "St", "Jr", "Sr", "Gen", "Sen", "Rep", "Gov", "Lt", "Col",
		"Capt", "Sgt", "No", "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct",
		"Nov", "Dec", "Inc", "Corp", "Ltd", "Co", "vs", "etc", "approx", "Mt", "Ft":
		return true
	}
	return false
}

// cutWords cuts s at a word boundary to at most n bytes and adds "…".
func cutWords(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := n - len("…")
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	if sp := strings.LastIndexByte(s[:cut], ' '); sp > n/2 {
		cut = sp
	}
	return strings.TrimRight(s[:cut], " ,;:-–—") + "…"
}
