package search

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Query is search text parsed into clauses. Parse never fails: anything a
// person can type is a valid Query.
type Query struct {
	Clauses []Clause
}

// Clause is one word, phrase or field term of a Query.
type Clause struct {
	// Field is "" for the default fields (title and body) or one of
	// the names in Fields.
	Field string
	// Text is the clause's words as typed; the index analyzes them.
	Text string
	// Phrase asks for the words next to each other, in order.
	Phrase bool
	// Exclude drops articles that match the clause.
	Exclude bool
	// Quoted is set on a word typed in double quotes: a one-word phrase is
	// searched as a word, but as typed (no typo tolerance).
	Quoted bool
}

// Fields are the field names a person may put before a colon, mapped to the
// index field they search. Anything else before a colon is plain text, so
// "a:b:c" or "10:30" search for their words.
var Fields = map[string]string{
	"title":        "title",
	"body":         "body",
	"source":       "source",
	"person":       "person",
	"people":       "person",
	"place":        "place",
	"places":       "place",
	"org":          "org",
	"organization": "org",
	"organisation": "org",
}

// Positive reports whether the query has a clause that selects articles
// (rather than only excluding them).
func (q Query) Positive() bool {
	for _, c := range q.Clauses {
		if !c.Exclude {
			return true
		}
	}
	return false
}

// Parse reads the search syntax people expect from a search box:
//
//	words            articles with any of the words, best matches first
//	"exact phrase"   the words next to each other, in order
//	-word, -"phrase" articles without it
//	title:word, source:"Xinhua", title:"two words"
//	person:"Wang Yi", place:Beijing, org:SCO (people, places, organizations mentioned)
//
// Everything else is text: an unclosed quote quotes to the end, a lone "-"
// or an unknown "field:" is ignored or searched as words.
func Parse(text string) Query {
	var q Query
	p := parser{s: text}
	for {
		p.skipSpace()
		if p.eof() {
			return q
		}
		var c Clause
		if p.peek() == '-' || p.peek() == '+' {
			c.Exclude = p.peek() == '-'
			p.pos++
			if p.eof() || isSpace(p.peek()) {
				continue // a lone sign is not a clause
			}
		}
		if field, ok := p.fieldPrefix(); ok {
			c.Field = field
		}
		if p.peek() == '"' {
			c.Text, c.Phrase = p.quoted(), true
		} else {
			c.Text = p.word()
		}
		c.Text = strings.TrimSpace(c.Text)
		if c.Text == "" {
			continue
		}
		if c.Phrase && !strings.ContainsFunc(c.Text, isSpace) {
			c.Phrase, c.Quoted = false, true // a one-word phrase is a word, as typed
		}
		q.Clauses = append(q.Clauses, c)
	}
}

type parser struct {
	s   string
	pos int
}

func (p *parser) eof() bool { return p.pos >= len(p.s) }

func (p *parser) peek() rune {
	r, _ := utf8.DecodeRuneInString(p.s[p.pos:])
	return r
}

func isSpace(r rune) bool { return unicode.IsSpace(r) }

func (p *parser) skipSpace() {
	for !p.eof() {
		r, n := utf8.DecodeRuneInString(p.s[p.pos:])
		if !isSpace(r) {
			return
		}
		p.pos += n
	}
}

// fieldPrefix consumes "name:" when name is a known field and something
// other than space follows the colon.
func (p *parser) fieldPrefix() (string, bool) {
	rest := p.s[p.pos:]
	colon := strings.IndexByte(rest, ':')
	if colon <= 0 {
		return "", false
	}
	field, ok := Fields[strings.ToLower(rest[:colon])]
	if !ok {
		return "", false
	}
	after := rest[colon+1:]
	if after == "" {
		return "", false
	}
	if r, _ := utf8.DecodeRuneInString(after); isSpace(r) {
		return "", false
	}
	p.pos += colon + 1
	return field, true
}

// quoted consumes a double-quoted phrase; an unclosed quote runs to the end.
func (p *parser) quoted() string {
	p.pos++ // opening quote
	rest := p.s[p.pos:]
	end := strings.IndexByte(rest, '"')
	if end < 0 {
		p.pos = len(p.s)
		return rest
	}
	p.pos += end + 1
	return rest[:end]
}

// word consumes text up to the next space.
func (p *parser) word() string {
	start := p.pos
	for !p.eof() {
		r, n := utf8.DecodeRuneInString(p.s[p.pos:])
		if isSpace(r) {
			break
		}
		p.pos += n
	}
	return p.s[start:p.pos]
}
