package search

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Query is search text parsed into a small tree. Parse never fails:
// anything a person can type is a valid Query.
//
// A Query is either a sequence of Clauses, combined as plain words are
// (any word may match and more matched rank higher; phrases, field terms
// and +words are required; excluded clauses remove), or, when Parts is
// set, Parts joined by Op. Text without operators is always a sequence.
type Query struct {
	Clauses []Clause
	// Op joins Parts; it is And or Or when Parts is set.
	Op    Op
	Parts []Query
}

// Op is a boolean operator joining the parts of a Query.
type Op uint8

// The operators a person may type, in capitals, between parts of a query.
const (
	And Op = iota + 1 // every part must match
	Or                // any part may match
)

// Clause is one word, phrase, field term or parenthesized group of a
// Query.
type Clause struct {
	// Field is "" for the default fields (title and body) or one of
	// the names in Fields.
	Field string
	// Text is the clause's words as typed; the index analyzes them.
	Text string
	// Phrase asks for the words next to each other, in order.
	Phrase bool
	// Exclude drops articles that match the clause ("-word", "NOT word").
	Exclude bool
	// Required keeps only articles that match the clause ("+word").
	Required bool
	// Prefix asks for any word starting with Text ("word*").
	Prefix bool
	// Partial marks the last word of text that does not end with a space:
	// a word still being typed, which also matches as a prefix, ranked
	// below the whole word.
	Partial bool
	// Group, when set, is a parenthesized query (Text is then empty).
	Group *Query
	// Quoted is set on a word typed in double quotes: a one-word phrase is
	// searched as a word, but as typed (no typo tolerance).
	Quoted bool
}

// Fields are the field names a person may put before a colon, mapped to the
// index field they search. Anything else before a colon is plain text, so
// "a:b:c" or "10:30" search for their words. Names are matched in any case.
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

// maxFieldName is the length of the longest name in Fields.
const maxFieldName = len("organization")

// MaxDepth bounds how deeply parentheses nest: a "(" deeper than this is
// ignored, so no text can make parsing or searching recurse without bound.
const MaxDepth = 16

// MaxPrefixes bounds the "word*" of one query: each reads the index's term
// dictionary, so a query of a thousand "a*" would cost a thousand scans.
// Beyond it, "word*" is the word.
const MaxPrefixes = 8

// Positive reports whether the query selects articles (rather than only
// excluding them from all).
func (q Query) Positive() bool {
	for _, p := range q.Parts {
		if p.Positive() {
			return true
		}
	}
	for _, c := range q.Clauses {
		if !c.Exclude && (c.Group == nil || c.Group.Positive()) {
			return true
		}
	}
	return false
}

// Terms returns how many words, phrases and field terms q holds, those in
// groups and parts included (see MaxQueryTerms).
func (q Query) Terms() int {
	n := 0
	for _, p := range q.Parts {
		n += p.Terms()
	}
	for _, c := range q.Clauses {
		if c.Group != nil {
			n += c.Group.Terms()
		} else {
			n++
		}
	}
	return n
}

// Plain reports whether the query uses no operator: no AND, OR, NOT, +,
// parentheses or word*. Such a query is a sequence of words, phrases,
// field terms and -exclusions, ranked as it always was.
func (q Query) Plain() bool {
	if len(q.Parts) > 0 {
		return false
	}
	for _, c := range q.Clauses {
		if c.Group != nil || c.Required || c.Prefix {
			return false
		}
	}
	return true
}

// Parse reads the search syntax people expect from a search box (that of
// Elasticsearch's simple_query_string, with Lucene's precedence):
//
//	words            articles with any of the words, best matches first
//	"exact phrase"   the words next to each other, in order
//	-word, -"phrase" articles without it (also NOT word)
//	+word            articles with it (the other words only rank)
//	a AND b          articles with both; a OR b: either (capitals only)
//	(a OR b) AND c   parentheses group; NOT binds tightest, then AND, then OR
//	word*            any word starting with word
//	title:word, source:"Xinhua", title:"two words"
//	person:"Wang Yi", place:Beijing, org:SCO (people, places, organizations mentioned)
//
// Plain words next to each other bind tighter than AND and OR:
// "tony blair AND election" is (tony blair) AND election.
// The last word of text that does not end with a space is marked Partial.
//
// Everything else is text: an unclosed quote quotes to the end, an
// unclosed parenthesis groups to the end, a lone "-", an unmatched ")" or
// an operator with nothing to join is ignored, lower-case and/or/not are
// words, and an unknown "field:" is searched as words.
func Parse(text string) Query {
	toks := tokens(text)
	if n := len(toks); n > 0 && toks[n-1].kind == tokClause {
		last := &toks[n-1].clause
		r, _ := utf8.DecodeLastRuneInString(text)
		if !isSpace(r) && r != '"' && r != ')' && !last.Phrase && !last.Prefix && !last.Exclude && last.Field == "" {
			last.Partial = true
		}
	}
	return build(toks)
}

type tokKind uint8

const (
	tokClause tokKind = iota
	tokAnd
	tokOr
	tokNot
	tokOpen
	tokClose
)

// token is one clause or operator of the text; a sign before "(" is on
// the tokOpen.
type token struct {
	kind   tokKind
	clause Clause
}

// tokens splits text into clauses and operators.
func tokens(text string) []token {
	out := make([]token, 0, maxTokens(text))
	p := parser{s: text}
	prefixes := 0
	for {
		p.skipSpace()
		if p.eof() {
			return out
		}
		var c Clause
		if p.peek() == '-' || p.peek() == '+' {
			c.Exclude, c.Required = p.peek() == '-', p.peek() == '+'
			p.pos++
			if p.eof() || isSpace(p.peek()) {
				continue // a lone sign is not a clause
			}
		}
		switch p.peek() {
		case '(':
			p.pos++
			out = append(out, token{kind: tokOpen, clause: c})
			continue
		case ')':
			p.pos++
			out = append(out, token{kind: tokClose})
			continue
		}
		if field, ok := p.fieldPrefix(); ok {
			c.Field = field
		}
		if p.peek() == '"' {
			c.Text, c.Phrase = p.quoted(), true
		} else {
			c.Text = p.word()
			if !c.Exclude && !c.Required && c.Field == "" {
				if op, ok := operators[c.Text]; ok {
					out = append(out, token{kind: op})
					continue
				}
			}
			if t := strings.TrimRight(c.Text, "*"); t != c.Text {
				c.Text = t
				if c.Prefix = prefixes < MaxPrefixes; c.Prefix {
					prefixes++
				}
			}
		}
		c.Text = strings.TrimSpace(c.Text)
		if c.Text == "" {
			continue
		}
		if c.Phrase && !strings.ContainsFunc(c.Text, isSpace) {
			c.Phrase, c.Quoted = false, true // a one-word phrase is a word, as typed
		}
		out = append(out, token{kind: tokClause, clause: c})
	}
}

// maxTokens bounds how many tokens text holds, so that their slice is
// allocated once: each token is a run of bytes other than space, or a
// parenthesis within one. (Spaces beyond ASCII count as word bytes here,
// so text using them may need more room; append then grows the slice.)
func maxTokens(text string) int {
	n, inWord := 0, false
	for i := 0; i < len(text); i++ {
		switch b := text[i]; {
		case b == ' ' || b == '\t' || b == '\n' || b == '\r' || b == '\v' || b == '\f':
			inWord = false
		case b == '(' || b == ')':
			n++
			inWord = false
		case !inWord:
			n++
			inWord = true
		}
	}
	return n
}

// operators are the words that are operators when typed in capitals.
var operators = map[string]tokKind{"AND": tokAnd, "OR": tokOr, "NOT": tokNot}

// frame is one level of parentheses being built: the OR of ANDs of
// sequences of clauses, and the sign of the "(" that opened it.
type frame struct {
	ors, ands []Query
	seq       []Clause
	not       bool // a NOT waits for its clause
	open      Clause
}

// endSeq closes the sequence being read, as a part of the AND.
func (f *frame) endSeq() {
	if len(f.seq) > 0 {
		f.ands = append(f.ands, Query{Clauses: f.seq})
		f.seq = nil
	}
}

// endAnd closes the AND being read, as a part of the OR.
func (f *frame) endAnd() {
	f.endSeq()
	if len(f.ands) > 0 {
		f.ors = append(f.ors, join(And, f.ands))
		f.ands = nil
	}
}

// query returns what the frame holds.
func (f *frame) query() Query {
	f.endAnd()
	return join(Or, f.ors)
}

// join returns parts joined by op: nothing for no part, the part itself
// for one.
func join(op Op, parts []Query) Query {
	switch len(parts) {
	case 0:
		return Query{}
	case 1:
		return parts[0]
	}
	return Query{Op: op, Parts: parts}
}

// add appends clause c to the frame's sequence: a group without operators
// or sign is its clauses, a group of one unsigned clause is that clause.
func (f *frame) add(c Clause) {
	if f.not { // an excluded word is not a prefix being typed
		c.Exclude, c.Required, c.Partial, f.not = true, false, false, false
	}
	if g := c.Group; g != nil {
		switch {
		case len(g.Parts) == 0 && len(g.Clauses) == 0:
			return
		case len(g.Parts) == 0 && !c.Exclude && !c.Required:
			f.seq = append(f.seq, g.Clauses...)
			return
		case len(g.Parts) == 0 && len(g.Clauses) == 1 && g.Clauses[0].Group == nil &&
			!g.Clauses[0].Exclude && !g.Clauses[0].Required:
			inner := g.Clauses[0]
			inner.Exclude, inner.Required = c.Exclude, c.Required
			f.seq = append(f.seq, inner)
			return
		}
	}
	f.seq = append(f.seq, c)
}

// build reads tokens into a Query with an explicit stack of parentheses,
// in one pass.
func build(toks []token) Query {
	// Most text is one sequence of words: room for every clause at once
	// keeps a long query from copying its clauses as the slice grows.
	stack := []*frame{{seq: make([]Clause, 0, len(toks))}}
	dropped := 0 // "(" ignored beyond MaxDepth, whose ")" are ignored too
	for _, t := range toks {
		f := stack[len(stack)-1]
		switch t.kind {
		case tokClause:
			f.add(t.clause)
		case tokAnd:
			f.endSeq()
		case tokOr:
			f.endAnd()
		case tokNot:
			f.not = true
		case tokOpen:
			if len(stack) > MaxDepth {
				dropped++
				continue
			}
			if f.not {
				t.clause.Exclude, t.clause.Required, f.not = true, false, false
			}
			stack = append(stack, &frame{open: t.clause})
		case tokClose:
			switch {
			case dropped > 0:
				dropped--
			case len(stack) > 1:
				closeFrame(&stack)
			}
		}
	}
	for len(stack) > 1 {
		closeFrame(&stack) // an unclosed "(" groups to the end
	}
	q := stack[0].query()
	if len(q.Parts) == 0 && len(q.Clauses) == 1 && q.Clauses[0].Group != nil && !q.Clauses[0].Exclude {
		return *q.Clauses[0].Group // "(a OR b)", "+(a OR b)": the group
	}
	return q
}

// closeFrame ends the innermost group and adds it to the one around it.
func closeFrame(stack *[]*frame) {
	s := *stack
	inner := s[len(s)-1]
	*stack = s[:len(s)-1]
	g := inner.query()
	c := inner.open
	c.Group = &g
	s[len(s)-2].add(c)
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
	// Look for the colon among the next few bytes only: a field name is
	// short, and scanning the rest of the text for every word would make
	// parsing quadratic.
	colon := strings.IndexByte(rest[:min(len(rest), maxFieldName+1)], ':')
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

// word consumes text up to the next space or parenthesis.
func (p *parser) word() string {
	start := p.pos
	for !p.eof() {
		r, n := utf8.DecodeRuneInString(p.s[p.pos:])
		if isSpace(r) || r == '(' || r == ')' {
			break
		}
		p.pos += n
	}
	return p.s[start:p.pos]
}
