package index_test

import (
	"testing"

	"github.com/newsfind/newsfind/internal/search"
)

// Golden rankings on the seeds: what a reader would expect first.
func TestGoldenRankings(t *testing.T) {
	ix, _ := build(t, seedsDir)
	tests := []struct {
		query, first string
	}{
		{"Norov", seedNorovOut},          // Norov in the title beats Norov in the body
		{"four proposals", seedDushanbe}, // the article that puts forward four proposals
		{"Alimov", seedAlimov},
		{"Qin Gang Zhang Ming", seedQinZhang},
		{"what did Wang Yi say about Norov?", seedNorovOut},
	}
	for _, tt := range tests {
		if got := ids(mustSearch(t, ix, search.Request{Query: tt.query})); len(got) == 0 || got[0] != tt.first {
			t.Errorf("%q ranks %v, want %s first", tt.query, got, tt.first)
		}
	}
}

// Articles with the typed words as a phrase rank above those with only one
// of the words: in the seeds, four have "Shanghai Spirit" and one only
// "Shanghai" (in "Shanghai Cooperation Organization").
func TestPhraseRanksAboveOneWord(t *testing.T) {
	ix, _ := build(t, seedsDir)
	got := ids(mustSearch(t, ix, search.Request{Query: "Shanghai Spirit"}))
	if len(got) != 5 || got[4] != seedQinZhang {
		t.Errorf("Shanghai Spirit ranks %v, want %s (no Spirit) last", got, seedQinZhang)
	}
}

// A required phrase that nothing contains does not empty the page: the
// words are searched instead, and the result says so.
func TestRelaxesAPhraseNothingHas(t *testing.T) {
	ix, _ := build(t, seedsDir)
	res := mustSearch(t, ix, search.Request{Query: `"Norov banana" Dushanbe`})
	if !res.Relaxed || res.Total == 0 {
		t.Fatalf("relaxed %v, total %d: want the words' matches, marked relaxed", res.Relaxed, res.Total)
	}
	if res := mustSearch(t, ix, search.Request{Query: `"four proposals"`}); res.Relaxed || res.Total != 1 {
		t.Errorf("an existing phrase: relaxed %v, total %d", res.Relaxed, res.Total)
	}
	if res := mustSearch(t, ix, search.Request{Query: `title:zzzqqq`}); res.Relaxed || res.Total != 0 {
		t.Errorf("nothing at all: relaxed %v, total %d", res.Relaxed, res.Total)
	}
}
