package index_test

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/newsfind/newsfind/internal/index/indextest"
	"github.com/newsfind/newsfind/internal/search"
)

// The first folder of an article's path is its section: a facet, a filter,
// and a field of its hits; a folder named for a year is not a section, and
// a JSON article may name its own.
func TestSections(t *testing.T) {
	body := "\n\nThe council met on Tuesday to discuss the harbour.\n"
	dir := indextest.Corpus(t, map[string]string{
		"sport/a.txt":        "Harbour race won" + body,
		"sport/deeper/b.txt": "Harbour regatta held" + body,
		"business/c.txt":     "Harbour sold" + body,
		"2023/d.txt":         "Harbour news of the year" + body,
		"business/e.json":    `{"title": "Harbour fees", "body": "The harbour council met.", "section": "Local"}`,
		"2023/world/f.txt":   "Harbour abroad" + body,
	})
	ix, _ := indextest.Build(t, dir)
	res := indextest.Search(t, ix, search.Request{Query: "harbour"})
	want := []search.Facet{{Value: "sport", Count: 2}, {Value: "Local", Count: 1}, {Value: "business", Count: 1}}
	if !slices.Equal(res.Facets["section"], want) {
		t.Errorf("section facet %v, want %v", res.Facets["section"], want)
	}
	res = indextest.Search(t, ix, search.Request{Query: "harbour", Filters: search.Filters{Sections: []string{"sport"}}})
	if res.Total != 2 {
		t.Errorf("section=sport: %d matches %v, want 2", res.Total, indextest.IDs(res))
	}
	for _, h := range res.Hits {
		if h.Section != "sport" || !strings.HasPrefix(h.ID, "sport/") {
			t.Errorf("section=sport: hit %s has section %q", h.ID, h.Section)
		}
	}
	// The facet of a filtered field still offers the others.
	if got := len(res.Facets["section"]); got != 3 {
		t.Errorf("section=sport: section facet %v, want all three sections", res.Facets["section"])
	}
	a, err := ix.Article(t.Context(), "business/c.txt")
	if err != nil || a.Section != "business" {
		t.Errorf("Article(business/c.txt) = section %q, %v; want business", a.Section, err)
	}
}

// On the BBC corpus, the five folders are the five sections, every article
// in one, and section=sport finds the sport folder's articles.
func TestSectionsBBC(t *testing.T) {
	dir := bbcDir(t)
	ix, _ := indextest.Build(t, dir)
	res := indextest.Search(t, ix, search.Request{NoCollapse: true}) // articles, not stories
	sum, names := 0, []string{}
	for _, f := range res.Facets["section"] {
		sum += f.Count
		names = append(names, f.Value)
	}
	slices.Sort(names)
	if want := []string{"business", "entertainment", "politics", "sport", "tech"}; !slices.Equal(names, want) || sum != 2225 {
		t.Errorf("section facet %v (sum %d), want %v adding up to 2,225", res.Facets["section"], sum, want)
	}
	files, err := filepath.Glob(filepath.Join(dir, "sport", "*.txt"))
	if err != nil {
		t.Fatal(err)
	}
	sport := indextest.Search(t, ix, search.Request{Filters: search.Filters{Sections: []string{"sport"}}, Size: search.MaxSize, NoCollapse: true})
	if sport.Total != uint64(len(files)) {
		t.Errorf("section=sport: %d articles, want the sport folder's %d", sport.Total, len(files))
	}
	for _, h := range sport.Hits {
		if !strings.HasPrefix(h.ID, "sport/") {
			t.Errorf("section=sport: hit %s is not in the sport folder", h.ID)
		}
	}
}
