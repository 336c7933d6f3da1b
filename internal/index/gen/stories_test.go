package gen_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/blevesearch/bleve/v2"
	"github.com/newsfind/newsfind/internal/index/gen"
	"github.com/newsfind/newsfind/internal/index/indextest"
	"github.com/newsfind/newsfind/internal/index/schema"
)

// A wire story and a different one.
const (
	wireBody  = indextest.WireStory
	otherBody = indextest.DollarStory
)

func refiled(body string) string {
	return strings.Replace(body, "TimeWarner said fourth quarter sales rose 2% to $11.1bn from $10.9bn.", "Sales in the fourth quarter were a little higher, the company said.", 1) +
		"\n\nShares in the firm closed 1% higher in New York on Friday."
}

// storyGroups returns the served generation's stories of more than one
// article: each a sorted list of IDs, read from the index's story field.
func storyGroups(t *testing.T, dir string) [][]string {
	t.Helper()
	cur, err := gen.Current(dir)
	if err != nil {
		t.Fatal(err)
	}
	idx, err := bleve.OpenUsing(cur, map[string]any{"read_only": true})
	if err != nil {
		t.Fatal(err)
	}
	defer idx.Close()
	req := bleve.NewSearchRequestOptions(bleve.NewMatchAllQuery(), 0, 0, false)
	req.AddFacet("story", bleve.NewFacetRequest(schema.Story, 1000))
	res, err := idx.Search(req)
	if err != nil {
		t.Fatal(err)
	}
	var groups [][]string
	for _, term := range res.Facets["story"].Terms.Terms() {
		q := bleve.NewTermQuery(term.Term)
		q.SetField(schema.Story)
		r, err := idx.SearchInContext(context.Background(), bleve.NewSearchRequestOptions(q, 100, 0, false))
		if err != nil {
			t.Fatal(err)
		}
		var g []string
		for _, h := range r.Hits {
			g = append(g, h.ID)
		}
		if len(g) > 1 {
			slices.Sort(g)
			groups = append(groups, g)
		}
	}
	slices.SortFunc(groups, func(a, b []string) int { return strings.Compare(a[0], b[0]) })
	return groups
}

func wantGroups(t *testing.T, dir, when string, want ...[]string) {
	t.Helper()
	if got := storyGroups(t, dir); !slices.EqualFunc(got, want, slices.Equal) {
		t.Errorf("%s: stories %q, want %q", when, got, want)
	}
}

// Versions of a story share a label at a full build, and updates keep the
// stories right as versions come and go, re-indexing nothing but the
// files that changed.
// Each step runs with the default batch and with one article a batch, so
// that versions meet across batches: in the index once their batch has
// landed, in the overlay before.
func TestStoriesFullBuildAndUpdates(t *testing.T) {
	for _, batch := range []int{0, 1} {
		t.Run(fmt.Sprintf("batch=%d", batch), func(t *testing.T) { storiesBuildAndUpdates(t, batch) })
	}
}

func storiesBuildAndUpdates(t *testing.T, batch int) {
	articles := t.TempDir()
	write := func(name, text string) { indextest.WriteFile(t, filepath.Join(articles, name), text) }
	write("a.txt", "TimeWarner profits jump\n\n"+wireBody+"\n")
	// Two short articles between the first versions: with one article a
	// batch, b meets a in the index, not in what is still being indexed.
	write("a1.txt", "Brief\n\nMarkets were calm.\n")
	write("a2.txt", "Brief\n\nOil was steady.\n")
	write("b.txt", "Profits up at Time Warner\n\n"+refiled(wireBody)+"\n") // re-filed: another headline, a changed sentence, a new paragraph
	write("c.txt", "Ad sales boost Time Warner profit\n\n"+wireBody+"\n")  // the same words
	write("d.txt", "Dollar gains on Greenspan speech\n\n"+otherBody+"\n")
	write("short.txt", "Brief\n\nTime Warner profits jumped.\n")
	dir := filepath.Join(t.TempDir(), "index")
	cfg := gen.Config{Articles: articles, Index: dir, BatchSize: batch}
	indextest.Update(t, cfg)
	wantGroups(t, dir, "full build", []string{"a.txt", "b.txt", "c.txt"})

	// A version of the other story joins it; nothing else is indexed.
	write("e.txt", "Greenspan lifts dollar\n\n"+refiled(otherBody)+"\n\nDealers said the gains might not last.\n")
	if st := indextest.Update(t, cfg); st.Added != 1 || st.Updated+st.Deleted != 0 {
		t.Errorf("adding a version: %+v, want 1 added and nothing else", st)
	}
	wantGroups(t, dir, "version added", []string{"a.txt", "b.txt", "c.txt"}, []string{"d.txt", "e.txt"})

	// The first version goes: the others stay one story.
	if err := os.Remove(filepath.Join(articles, "a.txt")); err != nil {
		t.Fatal(err)
	}
	if st := indextest.Update(t, cfg); st.Deleted != 1 || st.Added+st.Updated != 0 {
		t.Errorf("deleting a version: %+v, want 1 deleted and nothing else", st)
	}
	wantGroups(t, dir, "first version deleted", []string{"b.txt", "c.txt"}, []string{"d.txt", "e.txt"})

	// A version rewritten into a different story leaves it.
	write("e.txt", "Something else\n\nThe city council voted on Tuesday to close three libraries and a swimming pool, citing the cost of repairs, after a consultation that drew more than two thousand replies from residents.\n")
	indextest.Update(t, cfg)
	wantGroups(t, dir, "version rewritten", []string{"b.txt", "c.txt"})

	// The first version back, under its old name: it joins its story.
	write("a.txt", "TimeWarner profits jump\n\n"+wireBody+"\n")
	indextest.Update(t, cfg)
	wantGroups(t, dir, "version back", []string{"a.txt", "b.txt", "c.txt"})

	// Updates of named files (the watcher's and the ingest API's) too.
	write("f.txt", "Time Warner results\n\n"+refiled(wireBody)+"\n")
	paths := cfg
	paths.Paths = []string{"f.txt"}
	if st := indextest.Update(t, paths); st.Added != 1 || st.Updated+st.Deleted != 0 {
		t.Errorf("adding a named version: %+v, want 1 added and nothing else", st)
	}
	wantGroups(t, dir, "named version added", []string{"a.txt", "b.txt", "c.txt", "f.txt"})
	if err := os.Remove(filepath.Join(articles, "f.txt")); err != nil {
		t.Fatal(err)
	}
	indextest.Update(t, paths)
	wantGroups(t, dir, "named version deleted", []string{"a.txt", "b.txt", "c.txt"})

	// A full rebuild finds the same stories.
	cfg.Full = true
	indextest.Update(t, cfg)
	wantGroups(t, dir, "rebuilt", []string{"a.txt", "b.txt", "c.txt"})
}
