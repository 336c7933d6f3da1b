package index_test

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/newsfind/newsfind/internal/search"
)

// seedHas returns, per seed file, whether its text matches each pattern:
// the expected sets of the operator tests, found as grep would.
func seedHas(t *testing.T, patterns ...string) map[string]map[string]bool {
	t.Helper()
	entries, err := os.ReadDir(seedsDir)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]map[string]bool{}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(seedsDir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		out[e.Name()] = map[string]bool{}
		for _, p := range patterns {
			out[e.Name()][p] = regexp.MustCompile(`(?i)\b` + p).Match(b)
		}
	}
	return out
}

// Operators select exactly the articles their words say, checked against
// the seed files themselves.
func TestOperatorsSelect(t *testing.T) {
	ix, _ := build(t, seedsDir)
	has := seedHas(t, `norov\b`, `xinhua\b`, `qin\b`, `beijing\b`, `norov\w*`, `shangh\w*`, `statements?\b`)
	// A trailing space: the last word is complete, not a prefix (a query
	// ending in "Qin" also finds "Qingdao").
	tests := []struct {
		query string
		want  func(h map[string]bool) bool
	}{
		{"Norov AND Beijing ", func(h map[string]bool) bool { return h[`norov\b`] && h[`beijing\b`] }},
		{"Norov AND Xinhua ", func(h map[string]bool) bool { return h[`norov\b`] && h[`xinhua\b`] }},
		{"+Norov +Beijing ", func(h map[string]bool) bool { return h[`norov\b`] && h[`beijing\b`] }},
		{"Norov OR Qin ", func(h map[string]bool) bool { return h[`norov\b`] || h[`qin\b`] }},
		{"NOT Norov ", func(h map[string]bool) bool { return !h[`norov\b`] }},
		{"-Norov ", func(h map[string]bool) bool { return !h[`norov\b`] }},
		{"(Norov OR Qin) AND Beijing ", func(h map[string]bool) bool { return (h[`norov\b`] || h[`qin\b`]) && h[`beijing\b`] }},
		{"Beijing AND NOT Qin ", func(h map[string]bool) bool { return h[`beijing\b`] && !h[`qin\b`] }},
		{"Qin OR NOT Beijing ", func(h map[string]bool) bool { return h[`qin\b`] || !h[`beijing\b`] }},
		{"norov* ", func(h map[string]bool) bool { return h[`norov\w*`] }},
		{"Shangh", func(h map[string]bool) bool { return h[`shangh\w*`] }},
		{"statement*", func(h map[string]bool) bool { return h[`statements?\b`] }},
	}
	for _, tt := range tests {
		var want []string
		for id, h := range has {
			if tt.want(h) {
				want = append(want, id)
			}
		}
		slices.Sort(want)
		res := mustSearch(t, ix, search.Request{Query: tt.query, Size: search.MaxSize})
		got := ids(res)
		slices.Sort(got)
		if !slices.Equal(got, want) || res.Total != uint64(len(want)) {
			t.Errorf("%q: %v (total %d), want %v", tt.query, got, res.Total, want)
		}
	}
	// Only exclusions list the other articles newest first, as an empty
	// query does.
	all := ids(mustSearch(t, ix, search.Request{}))
	all = slices.DeleteFunc(all, func(id string) bool { return has[id][`norov\b`] })
	if got := ids(mustSearch(t, ix, search.Request{Query: "NOT Norov"})); !slices.Equal(got, all) {
		t.Errorf("NOT Norov: %v, want newest first %v", got, all)
	}
}

// Field names and entity names are matched in any case.
func TestEntityFieldsAnyCase(t *testing.T) {
	ix, _ := build(t, seedsDir)
	has := seedHas(t, `SCO\b`, `Shanghai Cooperation Organi[sz]ation`)
	var want int
	for _, h := range has {
		if h[`SCO\b`] || h[`Shanghai Cooperation Organi[sz]ation`] {
			want++
		}
	}
	for _, q := range []string{"org:sco", "org:SCO", "ORG:sco", "Org:Sco", `org:"shanghai cooperation organization"`, "organisation:sco"} {
		if res := mustSearch(t, ix, search.Request{Query: q}); res.Total != uint64(want) {
			t.Errorf("%s: %d articles, want %d", q, res.Total, want)
		}
	}
	if got, want := ids(mustSearch(t, ix, search.Request{Query: "Title:Norov"})), []string{seedNorovOut}; !slices.Equal(got, want) {
		t.Errorf("Title:Norov: %v, want %v", got, want)
	}
}

// The word being typed matches as a prefix, below the whole word: an
// article holding the word once in a long text ranks above a short one
// that repeats only a longer word starting with it.
func TestPrefixRanksBelowWholeWord(t *testing.T) {
	long := "Exact\n\nThe parliament met. " + strings.Repeat("Delegates spoke about trade and roads at length. ", 60) + "\n"
	short := "Longer\n\nParliamentary parliamentary parliamentary business.\n"
	ix, _ := build(t, copyCorpus(t, map[string]string{"zz_exact.txt": long, "zz_longer.txt": short}))
	for _, tt := range []struct {
		query string
		want  []string
	}{
		{"parliament", []string{"zz_exact.txt", "zz_longer.txt"}},
		{"parlia", []string{"zz_longer.txt", "zz_exact.txt"}},
		{"parliament ", []string{"zz_exact.txt"}}, // a finished word is not a prefix
		{"parliamentary", []string{"zz_longer.txt"}},
	} {
		got := ids(mustSearch(t, ix, search.Request{Query: tt.query}))
		if !slices.Equal(got, tt.want) {
			t.Errorf("%q: %v, want %v", tt.query, got, tt.want)
		}
	}
	res := mustSearch(t, ix, search.Request{Query: "parliament", NoPrefix: true})
	if got := ids(res); !slices.Equal(got, []string{"zz_exact.txt"}) {
		t.Errorf("parliament without prefixes: %v, want the whole word only", got)
	}
}
