package search

import (
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

func TestParse(t *testing.T) {
	tests := []struct {
		in   string
		want []Clause
	}{
		{"", nil},
		{"   ", nil},
		{"Norov", []Clause{{Text: "Norov"}}},
		{"what did Wang Yi say?", []Clause{{Text: "what"}, {Text: "did"}, {Text: "Wang"}, {Text: "Yi"}, {Text: "say?"}}},
		{`"Shanghai Spirit" SCO`, []Clause{{Text: "Shanghai Spirit", Phrase: true}, {Text: "SCO"}}},
		{`"unclosed`, []Clause{{Text: "unclosed", Quoted: true}}},
		{`"Norvo" Norvo`, []Clause{{Text: "Norvo", Quoted: true}, {Text: "Norvo"}}},
		{`"unclosed two`, []Clause{{Text: "unclosed two", Phrase: true}}},
		{`""`, nil},
		{"cooperation -Uzbekistan", []Clause{{Text: "cooperation"}, {Text: "Uzbekistan", Exclude: true}}},
		{`-"member states"`, []Clause{{Text: "member states", Phrase: true, Exclude: true}}},
		{"- a", []Clause{{Text: "a"}}},
		{"+SCO", []Clause{{Text: "SCO", Required: true}}},
		{"title:Norov", []Clause{{Field: "title", Text: "Norov"}}},
		{"TITLE:Norov", []Clause{{Field: "title", Text: "Norov"}}},
		{`source:"People's Daily"`, []Clause{{Field: "source", Text: "People's Daily", Phrase: true}}},
		{"-source:xinhua", []Clause{{Field: "source", Text: "xinhua", Exclude: true}}},
		{"a:b:c", []Clause{{Text: "a:b:c"}}},
		{"10:30", []Clause{{Text: "10:30"}}},
		{"foo:", []Clause{{Text: "foo:"}}},
		{"title:", []Clause{{Text: "title:"}}},
		{"title: Norov", []Clause{{Text: "title:"}, {Text: "Norov"}}},
		{"SCO (Shanghai", []Clause{{Text: "SCO"}, {Text: "Shanghai"}}},
		{"Ünïcode\u00a0中国", []Clause{{Text: "Ünïcode"}, {Text: "中国"}}},
	}
	for _, tt := range tests {
		// A trailing space: the last word is complete (see TestPartial).
		if got := Parse(tt.in + " "); !reflect.DeepEqual(got.Clauses, tt.want) || got.Parts != nil {
			t.Errorf("Parse(%q) = %+v, want %+v", tt.in, got, tt.want)
		}
	}
}

func TestPositive(t *testing.T) {
	for in, want := range map[string]bool{"": false, "-a": false, "a": true, "-a b": true, `"x y"`: true} {
		if got := Parse(in).Positive(); got != want {
			t.Errorf("Parse(%q).Positive() = %v, want %v", in, got, want)
		}
	}
}

// FuzzParse checks that any text parses without panicking into clauses
// that are non-empty, valid UTF-8 when the input is, and name known fields,
// in a tree no deeper than MaxDepth whose operators join two parts or more.
func FuzzParse(f *testing.F) {
	for _, s := range []string{`"unbalanced`, "foo:", "-", "~", "a:b:c", "10:30", "/", `title:"x y" -z`, "\xff\xfe", `-"`, "source:\"",
		"a AND b", "a OR b AND NOT c", "((a)", "a)", "AND OR", "***", "-(a OR +b*)", "NOT NOT (", "title:(a OR b)", "+-a", "(((((((((((((((((((a"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		q := Parse(s)
		if d := depth(q); d > 2*MaxDepth+2 {
			t.Errorf("Parse(%q): %d deep", s, d)
		}
		var check func(Query)
		check = func(q Query) {
			if len(q.Parts) > 0 && (len(q.Parts) < 2 || len(q.Clauses) > 0 || (q.Op != And && q.Op != Or)) {
				t.Errorf("Parse(%q): malformed node %+v", s, q)
			}
			for _, p := range q.Parts {
				check(p)
			}
			for _, c := range q.Clauses {
				if c.Group != nil {
					if c.Text != "" {
						t.Errorf("Parse(%q): group with text %+v", s, c)
					}
					check(*c.Group)
					continue
				}
				if strings.TrimSpace(c.Text) == "" {
					t.Errorf("Parse(%q): empty clause %+v", s, c)
				}
				if utf8.ValidString(s) && !utf8.ValidString(c.Text) {
					t.Errorf("Parse(%q): clause text %q is not valid UTF-8", s, c.Text)
				}
				if c.Field != "" && Fields[c.Field] == "" {
					t.Errorf("Parse(%q): unknown field %q", s, c.Field)
				}
			}
		}
		check(q)
	})
}

// w is a plain word clause, for the operator tests.
func w(text string) Clause { return Clause{Text: text} }

func seqOf(cs ...Clause) Query { return Query{Clauses: cs} }

func TestParseOperators(t *testing.T) {
	group := func(q Query, sign string) Clause {
		return Clause{Group: &q, Exclude: sign == "-", Required: sign == "+"}
	}
	tests := []struct {
		in   string
		want Query
	}{
		{"blair AND brown", Query{Op: And, Parts: []Query{seqOf(w("blair")), seqOf(w("brown"))}}},
		{"blair OR brown", Query{Op: Or, Parts: []Query{seqOf(w("blair")), seqOf(w("brown"))}}},
		{"blair and brown or not", seqOf(w("blair"), w("and"), w("brown"), w("or"), w("not"))},
		{"NOT blair", seqOf(Clause{Text: "blair", Exclude: true})},
		{"-blair", seqOf(Clause{Text: "blair", Exclude: true})},
		{"+blair brown", seqOf(Clause{Text: "blair", Required: true}, w("brown"))},
		// NOT binds tightest, then AND, then OR.
		{"a OR b AND c", Query{Op: Or, Parts: []Query{seqOf(w("a")), {Op: And, Parts: []Query{seqOf(w("b")), seqOf(w("c"))}}}}},
		{"a AND b OR c", Query{Op: Or, Parts: []Query{{Op: And, Parts: []Query{seqOf(w("a")), seqOf(w("b"))}}, seqOf(w("c"))}}},
		{"a AND NOT b", Query{Op: And, Parts: []Query{seqOf(w("a")), seqOf(Clause{Text: "b", Exclude: true})}}},
		{"NOT a b", seqOf(Clause{Text: "a", Exclude: true}, w("b"))},
		// Words next to each other bind tighter than AND.
		{"tony blair AND election", Query{Op: And, Parts: []Query{seqOf(w("tony"), w("blair")), seqOf(w("election"))}}},
		{"(blair OR brown) AND election", Query{Op: And, Parts: []Query{
			seqOf(group(Query{Op: Or, Parts: []Query{seqOf(w("blair")), seqOf(w("brown"))}}, "")), seqOf(w("election"))}}},
		{"(blair OR brown)", Query{Op: Or, Parts: []Query{seqOf(w("blair")), seqOf(w("brown"))}}},
		{"-(blair OR brown) x", seqOf(group(Query{Op: Or, Parts: []Query{seqOf(w("blair")), seqOf(w("brown"))}}, "-"), w("x"))},
		{"NOT (a b)", seqOf(group(seqOf(w("a"), w("b")), "-"))},
		{"x (a b)", seqOf(w("x"), w("a"), w("b"))},
		{"((a))", seqOf(w("a"))},
		{"tit* x", seqOf(Clause{Text: "tit", Prefix: true}, w("x"))},
		{"title:parl* x", seqOf(Clause{Field: "title", Text: "parl", Prefix: true}, w("x"))},
		{`"a b" AND -source:xinhua`, Query{Op: And, Parts: []Query{seqOf(Clause{Text: "a b", Phrase: true}), seqOf(Clause{Field: "source", Text: "xinhua", Exclude: true})}}},
		// Leftovers are text or dropped, never errors.
		{"AND", Query{}},
		{"blair AND", seqOf(w("blair"))},
		{"AND blair", seqOf(w("blair"))},
		{"blair AND OR brown", Query{Op: Or, Parts: []Query{seqOf(w("blair")), seqOf(w("brown"))}}},
		{"***", Query{}},
		{"(", Query{}},
		{")", Query{}},
		{"a) (b", seqOf(w("a"), w("b"))},
		{"(a OR b", Query{Op: Or, Parts: []Query{seqOf(w("a")), seqOf(w("b"))}}},
		{"NOT", Query{}},
		{"-AND", seqOf(Clause{Text: "AND", Exclude: true})},
	}
	for _, tt := range tests {
		if got := Parse(tt.in + " "); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Parse(%q) =\n %+v, want\n %+v", tt.in, got, tt.want)
		}
	}
}

// The last word of text without a trailing space is being typed.
func TestPartial(t *testing.T) {
	tests := []struct {
		in      string
		partial string // the clause marked Partial, "" for none
	}{
		{"parlia", "parlia"},
		{"parlia ", ""},
		{"house of comm", "comm"},
		{`"house of comm"`, ""},
		{"title:parl", ""},
		{"-parl", ""},
		{"NOT parl", ""},
		{"parl*", ""},
		{"(a OR parl", "parl"},
		{"(a OR parl)", ""},
		{"blair AND", ""},
	}
	for _, tt := range tests {
		var got string
		var walk func(Query)
		walk = func(q Query) {
			for _, p := range q.Parts {
				walk(p)
			}
			for _, c := range q.Clauses {
				if c.Group != nil {
					walk(*c.Group)
				}
				if c.Partial {
					got += c.Text
				}
			}
		}
		walk(Parse(tt.in))
		if got != tt.partial {
			t.Errorf("Parse(%q): partial %q, want %q", tt.in, got, tt.partial)
		}
	}
}

func TestPlain(t *testing.T) {
	for in, want := range map[string]bool{"a b": true, `"a b" -c title:d`: true, "parlia": true,
		"a AND b": false, "+a": false, "a*": false, "(a OR b) c": false} {
		if got := Parse(in).Plain(); got != want {
			t.Errorf("Parse(%q).Plain() = %v, want %v", in, got, want)
		}
	}
}

// Parsing is linear in the text: 100,000 "(" neither recurse nor take
// quadratic time.
func TestParseDeep(t *testing.T) {
	start := time.Now()
	for _, s := range []string{strings.Repeat("(", 100000) + "a", strings.Repeat("(a OR ", 50000), strings.Repeat(")", 100000),
		strings.Repeat("NOT ", 100000) + "a", strings.Repeat("a AND ", 50000)} {
		q := Parse(s)
		// Each parenthesis is a clause's group and the query in it.
		if d := depth(q); d > 2*MaxDepth+2 {
			t.Errorf("Parse(%.20q…) nests %d deep, want at most %d", s, d, 2*MaxDepth+2)
		}
	}
	t.Logf("5 texts of 400 kB parsed in %v", time.Since(start))
}

func depth(q Query) int {
	d := 0
	for _, p := range q.Parts {
		d = max(d, depth(p))
	}
	for _, c := range q.Clauses {
		if c.Group != nil {
			d = max(d, depth(*c.Group))
		}
	}
	return d + 1
}

// A query's "word*" beyond MaxPrefixes are searched as their words: each
// prefix reads the term dictionary.
func TestParseBoundsPrefixes(t *testing.T) {
	q := Parse(strings.Repeat("ab* ", 3*MaxPrefixes))
	prefixes, words := 0, 0
	for _, c := range q.Clauses {
		words++
		if c.Prefix {
			prefixes++
		}
		if c.Text != "ab" {
			t.Errorf("clause text %q, want ab", c.Text)
		}
	}
	if prefixes != MaxPrefixes || words != 3*MaxPrefixes {
		t.Errorf("%d prefixes of %d words, want %d of %d", prefixes, words, MaxPrefixes, 3*MaxPrefixes)
	}
}
