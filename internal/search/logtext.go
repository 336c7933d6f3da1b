package search

import (
	"fmt"
	"unicode/utf8"
)

// MaxLoggedQuery is how many bytes of a query a log line or an error
// message quotes: enough to recognize a search, never a megabyte of one.
const MaxLoggedQuery = 200

// Abbrev returns text as logs and error messages quote it: whole when it
// is at most MaxLoggedQuery bytes, else its first MaxLoggedQuery bytes (cut
// at a character boundary) and how long it was.
func Abbrev(text string) string {
	if len(text) <= MaxLoggedQuery {
		return text
	}
	cut := MaxLoggedQuery
	for cut > 0 && !utf8.RuneStart(text[cut]) {
		cut--
	}
	return fmt.Sprintf("%s… (%d bytes)", text[:cut], len(text))
}
