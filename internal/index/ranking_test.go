package index_test

import (
	"slices"
	"testing"

	"github.com/newsfind/newsfind/internal/index/indextest"
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

// The phrase bonus keeps the typed stop words' places: "house of commons"
// is house, any word, commons, not "house commons".
func TestPhraseWithAStopWordRanksAboveScatteredWords(t *testing.T) {
	ix, _ := indextest.Build(t, indextest.Corpus(t, map[string]string{
		// The same words, as many times, in articles as long: only the
		// phrase tells them apart (and the tie-break alone would put the
		// phrase last).
		"x/b-scattered.txt": "Vote report\n\nVoters saw the commons of house vote today.\n",
		"x/z-phrase.txt":    "Vote report\n\nVoters saw the house of commons vote today.\n",
	}))
	got := ids(mustSearch(t, ix, search.Request{Query: "house of commons"}))
	if len(got) < 2 || got[0] != "x/z-phrase.txt" {
		t.Errorf("house of commons ranks %v, want x/z-phrase.txt first", got)
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

// recency blends in how new an article is; without it relevance is pure.
func TestRecencyBlend(t *testing.T) {
	ix, _ := build(t, seedsDir)
	const q = "development"
	plain := ids(mustSearch(t, ix, search.Request{Query: q}))
	blended := mustSearch(t, ix, search.Request{Query: q, RecencyDays: 30})
	got := ids(blended)
	pos := func(list []string, id string) int { return slices.Index(list, id) }
	if len(got) != len(plain) || pos(got, seedQinZhang) >= pos(plain, seedQinZhang) {
		t.Errorf("with recency=30: %v; plain: %v; want the newest (%s) to move up", got, plain, seedQinZhang)
	}
	// The blend at most doubles a score: a match more than twice as good
	// keeps its place ("Shanghai Spirit": the newest seed has only
	// "Shanghai").
	const phrase = "Shanghai Spirit"
	if far, near := ids(mustSearch(t, ix, search.Request{Query: phrase})), ids(mustSearch(t, ix, search.Request{Query: phrase, RecencyDays: 30})); !slices.Equal(far, near) {
		t.Errorf("far better matches lost their places to recency: %v vs %v", near, far)
	}
	for i := 1; i < len(blended.Hits); i++ {
		if blended.Hits[i].Score > blended.Hits[i-1].Score {
			t.Errorf("blended scores out of order: %v", blended.Hits)
		}
	}
	if h := blended.Hits[0]; len(h.Fragments["body"]) == 0 || h.Title == "" {
		t.Errorf("re-ranked hit lacks fields or fragments: %+v", h)
	}
	// Paging through the blend gives each article once.
	var paged []string
	for p := 1; p <= 3; p++ {
		paged = append(paged, ids(mustSearch(t, ix, search.Request{Query: q, RecencyDays: 30, Page: p, Size: 2}))...)
	}
	if !slices.Equal(paged, got) {
		t.Errorf("pages of 2: %v, want %v", paged, got)
	}
}

// An article holding the typed word itself ranks above one holding only
// other forms of its stem, more often: both when the typed form differs
// from its stem (in the exact field) and when it is its own stem (the
// stem's occurrences less the other forms').
func TestExactFormRanksAboveOtherForms(t *testing.T) {
	ix, _ := indextest.Build(t, indextest.Corpus(t, map[string]string{
		"x/a-forms.txt": "Vote report\n\nThe majority of the majority voted with the majority, on chairs, chairs and chairs; elections and elections.\n",
		"x/z-word.txt":  "Vote report\n\nThe Major spoke once from the chair about the election.\n",
		"x/m-none.txt":  "Vote report\n\nNothing here matches at all, not one word of the search.\n",
	}))
	for _, q := range []string{"major", "chair", "elections", "Major"} {
		want := "x/z-word.txt"
		if q == "elections" {
			want = "x/a-forms.txt"
		}
		if got := ids(mustSearch(t, ix, search.Request{Query: q + " "})); len(got) < 2 || got[0] != want {
			t.Errorf("%q ranks %v, want %s first", q, got, want)
		}
	}
}
