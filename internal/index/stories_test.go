package index_test

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/newsfind/newsfind/internal/index"
	"github.com/newsfind/newsfind/internal/index/indextest"
	"github.com/newsfind/newsfind/internal/search"
)

const (
	wireStory   = indextest.WireStory
	dollarStory = indextest.DollarStory
)

// storyCorpus is a corpus of two stories filed in several versions and
// three articles of their own, all from a source, with dates.
func storyCorpus(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	refile := func(body, extra string) string {
		return strings.Replace(body, ". ", ", officials said. ", 1) + "\n\n" + extra
	}
	articles := map[string]map[string]string{
		"w1.json": {"title": "TimeWarner profits jump", "date": "2005-01-10", "source": "Reuters", "body": wireStory},
		"w2.json": {"title": "Profits up at Time Warner", "date": "2005-01-11", "source": "AP", "body": refile(wireStory, "Shares closed 1% higher in New York.")},
		"w3.json": {"title": "Media giant reports results", "date": "2005-01-12", "source": "Reuters", "body": wireStory},
		"d1.json": {"title": "Dollar gains on Greenspan speech", "date": "2005-01-09", "source": "AP", "body": dollarStory},
		"d2.json": {"title": "Greenspan lifts the dollar", "date": "2005-01-13", "source": "Reuters", "body": refile(dollarStory, "Dealers said the profits might not last.")},
		"s1.json": {"title": "Libraries to close", "date": "2005-01-08", "source": "AP", "body": "The city council voted on Tuesday to close three libraries and a swimming pool, citing the cost of repairs, after a consultation that drew two thousand replies. Profits from the sale of the sites will fund the rest."},
		"s2.json": {"title": "Rail fares rise", "date": "2005-01-07", "source": "Reuters", "body": "Rail fares rose by an average of 4% on Sunday, the fourth rise above inflation in as many years, and passenger groups said the profits of the train companies should pay for better services instead."},
		"s3.json": {"title": "Snow closes schools", "date": "2005-01-06", "source": "AP", "body": "Heavy snow closed more than two hundred schools across the north of England on Monday, and forecasters said more was on the way for the rest of the week."},
	}
	for name, a := range articles {
		b, err := json.Marshal(a)
		if err != nil {
			t.Fatal(err)
		}
		writeFile(t, filepath.Join(dir, name), string(b))
	}
	return dir
}

func storySearch(t *testing.T, ix *index.Index, req search.Request) search.Result {
	t.Helper()
	req.NoCache = true
	res, err := ix.Search(t.Context(), req)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// shown lists a result's hits with their duplicates: "w2.json[w1.json w3.json]".
func shown(res search.Result) []string {
	var out []string
	for _, h := range res.Hits {
		if len(h.Duplicates) > 0 {
			out = append(out, fmt.Sprintf("%s%v", h.ID, h.Duplicates))
		} else {
			out = append(out, h.ID)
		}
	}
	return out
}

// A search shows each story once: its best-ranked version, with the
// others as duplicates; collapse off lists them all.
func TestOneStoryOnce(t *testing.T) {
	ix, _ := build(t, storyCorpus(t))
	for _, q := range []string{"TimeWarner profits Google", "", "dollar euro Greenspan"} {
		for _, sort := range []search.Sort{search.SortRelevance, search.SortNewest, search.SortOldest} {
			all := storySearch(t, ix, search.Request{Query: q, Sort: sort, Size: 20, NoCollapse: true})
			one := storySearch(t, ix, search.Request{Query: q, Sort: sort, Size: 20})
			// The collapsed list is the full one with every version after
			// its story's first left out.
			var want []string
			story := map[string]string{"w1.json": "w", "w2.json": "w", "w3.json": "w", "d1.json": "d", "d2.json": "d"}
			seen := map[string]bool{}
			for _, h := range all.Hits {
				if s := story[h.ID]; s != "" {
					if seen[s] {
						continue
					}
					seen[s] = true
				}
				want = append(want, h.ID)
			}
			if got := ids(one); !slices.Equal(got, want) {
				t.Errorf("q=%q sort=%s: collapsed hits %q, want %q (from %q)", q, sort, got, want, ids(all))
			}
			for _, h := range one.Hits {
				var others []string
				for id, s := range story {
					if s == story[h.ID] && id != h.ID && slices.Contains(ids(all), id) {
						others = append(others, id)
					}
				}
				slices.Sort(others)
				if story[h.ID] == "" {
					others = nil
				}
				if !slices.Equal(h.Duplicates, others) {
					t.Errorf("q=%q sort=%s: %s has duplicates %q, want %q", q, sort, h.ID, h.Duplicates, others)
				}
			}
			for _, h := range all.Hits {
				if h.Duplicates != nil {
					t.Errorf("collapse=false: %s carries duplicates %q", h.ID, h.Duplicates)
				}
			}
			// Counts: stories collapsed, articles not; each story once in
			// the facets (every article here has a source).
			if one.Total != uint64(len(one.Hits)) || all.Total != uint64(len(all.Hits)) {
				t.Errorf("q=%q: total %d of %d hits collapsed, %d of %d not", q, one.Total, len(one.Hits), all.Total, len(all.Hits))
			}
			for _, r := range []search.Result{one, all} {
				n := 0
				for _, f := range r.Facets["source"] {
					n += f.Count
				}
				if uint64(n) != r.Total {
					t.Errorf("q=%q: source facet counts %d, total %d", q, n, r.Total)
				}
			}
		}
	}
	if got := shown(storySearch(t, ix, search.Request{Query: "Time Warner profits", Sort: search.SortNewest})); !slices.Contains(got, "w3.json[w1.json w2.json]") {
		t.Errorf("newest first: %q, want the newest version w3 standing for w1 and w2", got)
	}
}

// A filter that leaves out some versions leaves them out of duplicates
// too, and the facets of a filtered field (counted without that filter)
// count stories.
func TestOneStoryOnceFiltered(t *testing.T) {
	ix, _ := build(t, storyCorpus(t))
	res := storySearch(t, ix, search.Request{Query: "TimeWarner profits", Filters: search.Filters{Sources: []string{"Reuters"}}})
	got := shown(res)
	if !slices.Contains(got, "w1.json[w3.json]") && !slices.Contains(got, "w3.json[w1.json]") {
		t.Errorf("source=Reuters: %q, want w1 and w3 as one story without w2 (AP)", got)
	}
	n := 0
	for _, f := range res.Facets["source"] {
		n += f.Count
	}
	unfiltered := storySearch(t, ix, search.Request{Query: "TimeWarner profits"})
	if uint64(n) != unfiltered.Total {
		t.Errorf("disjunctive source facet counts %d, the unfiltered search has %d stories", n, unfiltered.Total)
	}
}

// Pages of a collapsed search never repeat a story, and together show
// every matching article once, as a hit or a duplicate.
func TestOneStoryOncePages(t *testing.T) {
	ix, _ := build(t, storyCorpus(t))
	for _, q := range []string{"", "profits dollar"} {
		all := storySearch(t, ix, search.Request{Query: q, Size: 100, NoCollapse: true})
		var got []string
		for page := 1; ; page++ {
			res := storySearch(t, ix, search.Request{Query: q, Page: page, Size: 2})
			if len(res.Hits) == 0 {
				break
			}
			for _, h := range res.Hits {
				got = append(got, h.ID)
				got = append(got, h.Duplicates...)
			}
			if page > 10 {
				t.Fatal("pages do not end")
			}
		}
		want := ids(all)
		slices.Sort(got)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("q=%q: pages of 2 showed %q, want each of %q once", q, got, want)
		}
	}
}

// Done when, on BBC: a search for a story the corpus holds twice word for
// word (politics/123 and 310), or re-filed with its figures updated
// (business/209 and 229), shows it once, with the other version as its
// duplicate.
func TestBBCStoriesOnce(t *testing.T) {
	dir := bbcDir(t)
	ix, _ := build(t, dir)
	for _, tt := range []struct {
		q        string
		versions []string
	}{
		{"MPs issued with Blackberry threat", []string{"politics/123.txt", "politics/310.txt"}},
		{"Man Utd offer Glazer shares", []string{"business/209.txt", "business/229.txt"}},
	} {
		res := storySearch(t, ix, search.Request{Query: tt.q, Size: 20})
		found := 0
		for _, h := range res.Hits {
			if !slices.Contains(tt.versions, h.ID) {
				continue
			}
			found++
			want := slices.DeleteFunc(slices.Clone(tt.versions), func(id string) bool { return id == h.ID })
			for _, id := range want {
				if !slices.Contains(h.Duplicates, id) {
					t.Errorf("%q: %s has duplicates %q, want %s among them", tt.q, h.ID, h.Duplicates, id)
				}
			}
		}
		if found != 1 {
			t.Errorf("%q: %d hits of the story %q, want 1: %q", tt.q, found, tt.versions, shown(res))
		}
	}
	one := storySearch(t, ix, search.Request{})
	all := storySearch(t, ix, search.Request{NoCollapse: true})
	t.Logf("BBC: %d articles, %d stories", all.Total, one.Total)
	if all.Total != 2225 || one.Total >= all.Total || one.Total < all.Total-200 {
		t.Errorf("BBC: %d articles in %d stories, want 2225 articles in fewer stories, by at most 200", all.Total, one.Total)
	}
}
