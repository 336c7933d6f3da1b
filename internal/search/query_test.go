package search

import (
	"reflect"
	"strings"
	"testing"
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
		{"+SCO", []Clause{{Text: "SCO"}}},
		{"title:Norov", []Clause{{Field: "title", Text: "Norov"}}},
		{"TITLE:Norov", []Clause{{Field: "title", Text: "Norov"}}},
		{`source:"People's Daily"`, []Clause{{Field: "source", Text: "People's Daily", Phrase: true}}},
		{"-source:xinhua", []Clause{{Field: "source", Text: "xinhua", Exclude: true}}},
		{"a:b:c", []Clause{{Text: "a:b:c"}}},
		{"10:30", []Clause{{Text: "10:30"}}},
		{"foo:", []Clause{{Text: "foo:"}}},
		{"title:", []Clause{{Text: "title:"}}},
		{"title: Norov", []Clause{{Text: "title:"}, {Text: "Norov"}}},
		{"SCO (Shanghai", []Clause{{Text: "SCO"}, {Text: "(Shanghai"}}},
		{"Ünïcode\u00a0中国", []Clause{{Text: "Ünïcode"}, {Text: "中国"}}},
	}
	for _, tt := range tests {
		if got := Parse(tt.in).Clauses; !reflect.DeepEqual(got, tt.want) {
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
// that are non-empty, valid UTF-8 when the input is, and name known fields.
func FuzzParse(f *testing.F) {
	for _, s := range []string{`"unbalanced`, "foo:", "-", "~", "a:b:c", "10:30", "/", `title:"x y" -z`, "\xff\xfe", `-"`, "source:\""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, c := range Parse(s).Clauses {
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
	})
}
