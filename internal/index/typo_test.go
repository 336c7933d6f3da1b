package index_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/newsfind/newsfind/internal/index"
	"github.com/newsfind/newsfind/internal/index/gen"
	"github.com/newsfind/newsfind/internal/search"
)

// grepSeeds returns the IDs (file names) of the seed articles whose text
// holds word, compared case-insensitively: what a search should find,
// worked out without the index.
func grepSeeds(t *testing.T, word string) []string {
	t.Helper()
	entries, err := os.ReadDir(seedsDir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(seedsDir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(strings.ToLower(string(b)), strings.ToLower(word)) {
			out = append(out, e.Name())
		}
	}
	if len(out) == 0 {
		t.Fatalf("no seed article holds %q", word)
	}
	return out
}

func typoSearch(t *testing.T, ix *index.Index, req search.Request) search.Result {
	t.Helper()
	if req.Size == 0 {
		req.Size = search.MaxSize
	}
	res, err := ix.Search(context.Background(), req)
	if err != nil {
		t.Fatalf("search %+v: %v", req, err)
	}
	return res
}

// A misspelt name no article holds finds the articles of the name one
// typing error away (a swap of neighbours counts one), says so, and
// typo=false searches it as typed.
func TestTypoFindsTheArchivesSpelling(t *testing.T) {
	ix, _ := build(t, copyCorpus(t, nil))
	for _, tt := range []struct{ typed, right string }{
		{"Norvo", "Norov"},
		{"Shanghia", "Shanghai"},
		{"norvo", "norov"},
	} {
		res := typoSearch(t, ix, search.Request{Query: tt.typed})
		got, want := ids(res), grepSeeds(t, tt.right)
		slices.Sort(got)
		if !slices.Equal(got, want) {
			t.Errorf("%s: hits %v, want the articles with %s %v", tt.typed, got, tt.right, want)
		}
		if res.DidYouMean != tt.right || !res.Corrected {
			t.Errorf("%s: did_you_mean %q, corrected %v; want %q, true", tt.typed, res.DidYouMean, res.Corrected, tt.right)
		}
		if len(res.Hits) > 0 && !strings.Contains(strings.ToLower(fmt.Sprint(res.Hits[0].Fragments)), "<mark>"+strings.ToLower(tt.right)) {
			t.Errorf("%s: the first hit does not mark %s: %v", tt.typed, tt.right, res.Hits[0].Fragments)
		}
		off := typoSearch(t, ix, search.Request{Query: tt.typed, NoTypo: true})
		if off.Total != 0 || off.DidYouMean != "" || off.Corrected {
			t.Errorf("%s with NoTypo: total %d, did_you_mean %q; want nothing", tt.typed, off.Total, off.DidYouMean)
		}
	}
}

// Only plain words are corrected: not inside quotes, not field values, not
// exclusions, not short words; and a word spelt right is left alone.
func TestTypoOnlyPlainWords(t *testing.T) {
	ix, _ := build(t, copyCorpus(t, nil))
	for _, q := range []string{`"Norvo"`, `"Vladimir Norvo"`, "title:Norvo", "person:Norvo", "SCO -Norvo", "Norv", "Norov", "Shanghai"} {
		res := typoSearch(t, ix, search.Request{Query: q})
		if res.DidYouMean != "" || res.Corrected {
			t.Errorf("%s: did_you_mean %q, corrected %v; want no correction", q, res.DidYouMean, res.Corrected)
		}
		for _, h := range res.Hits {
			if strings.Contains(fmt.Sprint(h.Fragments), "<mark>Norov") && strings.Contains(q, "Norvo") {
				t.Errorf("%s: hit %s marks Norov", q, h.ID)
			}
		}
	}
	// The corrected words keep their place, case and company. (A query
	// with operators, such as +Shanghia, is searched as written.)
	res := typoSearch(t, ix, search.Request{Query: `SCO Shanghia "Shanghia" title:Shanghia`})
	if want := `SCO Shanghai "Shanghia" title:Shanghia`; res.DidYouMean != want {
		t.Errorf("did_you_mean %q, want %q", res.DidYouMean, want)
	}
}

// An article with the word as typed always ranks above the articles that
// only hold its correction, which are found too, and suggested.
func TestTypoKeepsExactMatchesFirst(t *testing.T) {
	extra := map[string]string{}
	// The typed spelling, once, deep in a long article; the common one in
	// the titles and bodies of many.
	long := strings.Repeat("The delegates discussed grain, rail links and energy at length. ", 60)
	extra["typo/rare.txt"] = "Delegates meet in Tashkent\n2022-01-05\n\n" + long + "One speaker mentioned a tarif on cotton.\n"
	for i := range 12 {
		extra[fmt.Sprintf("typo/common%02d.txt", i)] = fmt.Sprintf("Tariff talks, round %d\n2022-02-%02d\n\n"+
			"The tariff on steel was raised. Tariff rules and the tariff schedule were discussed.\n", i, i+1)
	}
	ix, _ := build(t, copyCorpus(t, extra))
	// (A word still being typed is not corrected while words start with
	// it, as "tariff" does with "tarif": the word searched is complete.)
	res := typoSearch(t, ix, search.Request{Query: "tarif", NoPrefix: true})
	got := ids(res)
	if len(got) != 13 || got[0] != "typo/rare.txt" {
		t.Fatalf("hits %v, want typo/rare.txt first, then the 12 tariff articles", got)
	}
	if res.DidYouMean != "tariff" || res.Corrected {
		t.Errorf("did_you_mean %q, corrected %v; want a suggestion of tariff", res.DidYouMean, res.Corrected)
	}
	for _, sort := range []search.Sort{search.SortNewest, search.SortOldest} {
		// Sorted by date, corrections would mix with the exact match: they
		// are only suggested.
		// (NoPrefix: as a word being typed, "tarif" would also find
		// "tariff" as a prefix.)
		res := typoSearch(t, ix, search.Request{Query: "tarif", Sort: sort, NoPrefix: true})
		if got := ids(res); len(got) != 1 || res.DidYouMean != "tariff" {
			t.Errorf("sort %s: hits %v, did_you_mean %q; want the exact match only, and the suggestion", sort, got, res.DidYouMean)
		}
	}
	if off := typoSearch(t, ix, search.Request{Query: "tarif", NoTypo: true, NoPrefix: true}); len(ids(off)) != 1 || off.DidYouMean != "" {
		t.Errorf("NoTypo: hits %v, did_you_mean %q; want the exact match only", ids(off), off.DidYouMean)
	}
}

// On the BBC corpus the misspellings people type find the articles with
// the right word, and say how it is spelt.
func TestTypoBBC(t *testing.T) {
	dir := bbcDir(t)
	ix, _ := build(t, dir)
	for _, tt := range []struct{ typed, want string }{
		{"goverment", "government"},
		{"elecion", "election"},
		{"parliment", "parliament"},
		{"Hollywod", "Hollywood"},
		{"Shanghia", "Shanghai"},
		{"goverment spending", "government spending"},
	} {
		res := typoSearch(t, ix, search.Request{Query: tt.typed, Size: 5})
		if res.DidYouMean != tt.want || len(res.Hits) == 0 {
			t.Errorf("%s: did_you_mean %q, %d hits; want %q", tt.typed, res.DidYouMean, len(res.Hits), tt.want)
			continue
		}
		a, err := ix.Article(context.Background(), res.Hits[0].ID)
		if err != nil {
			t.Fatal(err)
		}
		word := strings.ToLower(strings.Fields(tt.want)[0])
		if !strings.Contains(strings.ToLower(a.Title+" "+a.Body), word) {
			t.Errorf("%s: first hit %s (%q) does not hold %q", tt.typed, a.ID, a.Title, word)
		}
	}
	// A rare word spelt right, in the archive, is not corrected.
	if res := typoSearch(t, ix, search.Request{Query: "Markova"}); res.DidYouMean != "" || res.Total == 0 {
		t.Errorf("Markova: did_you_mean %q, total %d; want its own articles", res.DidYouMean, res.Total)
	}
}

// A correction is spelt as the archive writes the word nearest to what was
// typed, whichever articles come first: here the first ten holding the
// word's stem write only "elections", and the one writing "election" is
// added last, in a segment of its own.
func TestTypoSpellingIsTheNearestWritten(t *testing.T) {
	extra := map[string]string{}
	for i := range 10 {
		extra[fmt.Sprintf("early-%02d.txt", i)] = fmt.Sprintf("Campaign diary %d\n\nThe elections in the provinces were held on time, observers said.\n", i)
	}
	articles := copyCorpus(t, extra)
	dir := filepath.Join(t.TempDir(), "index")
	if _, err := gen.Build(context.Background(), gen.Config{Articles: articles, Index: dir, Tables: index.WriteTables}); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(articles, "late.txt"), "A late result\n\nThe election was won by a narrow margin.\n")
	if _, err := gen.Update(context.Background(), gen.Config{Articles: articles, Index: dir, Tables: index.WriteTables}); err != nil {
		t.Fatal(err)
	}
	ix, err := index.Open(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	for typed, want := range map[string]string{"elecion": "election", "electon": "election", "elecsions": "elections"} {
		if res := typoSearch(t, ix, search.Request{Query: typed}); res.DidYouMean != want {
			t.Errorf("%q: did_you_mean %q, want %q", typed, res.DidYouMean, want)
		}
	}
}
