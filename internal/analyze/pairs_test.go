package analyze

import (
	"slices"
	"strings"
	"testing"

	"github.com/blevesearch/bleve/v2/mapping"
)

// The pairs analyzer pairs neighbouring common stems only: not across a
// stop word's gap, not with a rare word, in the stems the stemmed field
// holds ("New Year's" is new+year), across punctuation as a phrase is
// found, and reads its list from its options as an index mapping gives
// them back (a list of any).
func TestPairs(t *testing.T) {
	m := mapping.NewIndexMapping()
	if err := m.AddCustomAnalyzer("pairs", map[string]any{"type": PairsAnalyzer, "common": []any{"new", "year", "minist", "prime"}}); err != nil {
		t.Fatal(err)
	}
	a := m.AnalyzerNamed("pairs")
	if a == nil {
		t.Fatal("no pairs analyzer")
	}
	for text, want := range map[string][]string{
		"A happy New Year's Eve":               {"new+year"},
		"the new year; years of new ministers": {"new+year", "year+year", "new+minist"},
		"end of the year. New of year":         {"year+new"},
		"end of the year":                      nil,
		"Prime Minister's new zebra year":      {"prime+minist", "minist+new"},
		"year new year new":                    {"year+new", "new+year", "year+new"},
		"Ministers: prime, prime, prime.":      {"minist+prime", "prime+prime", "prime+prime"},
	} {
		var got []string
		for _, tok := range a.Analyze([]byte(text)) {
			got = append(got, string(tok.Term))
		}
		if !slices.Equal(got, want) {
			t.Errorf("%q: pairs %q, want %q", text, got, want)
		}
	}
	if term, ok := Pair(a, "new", "year"); !ok || term != "new+year" {
		t.Errorf(`Pair(new, year) = %q, %v`, term, ok)
	}
	if first, second, ok := PairStems("new+year"); !ok || first != "new" || second != "year" {
		t.Errorf("PairStems(new+year) = %q, %q, %v", first, second, ok)
	}
	for _, term := range []string{"new", "+year", "new+", "new year"} {
		if _, _, ok := PairStems(term); ok {
			t.Errorf("PairStems(%q): a pair", term)
		}
	}
	if _, ok := Pair(a, "new", "zebra"); ok {
		t.Error("Pair(new, zebra): a rare word paired")
	}
	if _, ok := Pair(Grams(), "new", "year"); ok {
		t.Error("another analyzer pairs")
	}
	if err := m.AddCustomAnalyzer("bad", map[string]any{"type": PairsAnalyzer, "common": "new"}); err == nil && m.AnalyzerNamed("bad") != nil {
		t.Error("a list that is not a list accepted")
	}
}

// The default common stems are sorted, distinct, lower-case terms that a
// pair's separator cannot be confused in.
func TestCommonStems(t *testing.T) {
	stems := CommonStems()
	if len(stems) < 200 || !slices.IsSorted(stems) || len(slices.Compact(slices.Clone(stems))) != len(stems) {
		t.Fatalf("%d common stems, sorted %v", len(stems), slices.IsSorted(stems))
	}
	for _, s := range stems {
		if s == "" || strings.ToLower(s) != s || strings.ContainsAny(s, pairSeparator+gramSeparator) {
			t.Errorf("common stem %q", s)
		}
	}
}
