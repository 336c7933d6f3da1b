package engine

import (
	"context"
	"reflect"
	"regexp"
	"slices"
	"testing"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/mapping"
	bsearch "github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	index "github.com/blevesearch/bleve_index_api"
	"github.com/newsfind/newsfind/internal/analyze"
	"github.com/newsfind/newsfind/internal/index/schema"
	"github.com/newsfind/newsfind/internal/search"
)

// A long question is expanded, and the expansion only re-ranks: the same
// articles match, with the same facets, as without feedback, and only typed
// words are highlighted; the scores change.
func TestFeedbackOnlyRanks(t *testing.T) {
	ix, _, _ := facetIndex(t)
	const question = "what did the minister say in the talks about oil prices and trade"
	req := search.Request{Query: question, Size: search.MaxSize}
	with, err := ix.Search(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	ix.opts.FeedbackMinWords = 1000
	without, err := ix.Search(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	if with.Total != without.Total || with.Total == 0 {
		t.Fatalf("total %d with feedback, %d without", with.Total, without.Total)
	}
	if !reflect.DeepEqual(with.Facets, without.Facets) {
		t.Errorf("facets with feedback %v, want %v", with.Facets, without.Facets)
	}
	if with.Hits[0].Score == without.Hits[0].Score {
		t.Errorf("feedback changed no score: %v", with.Hits[0].Score)
	}
	typed := compile(search.Parse(question), search.Filters{}, ix.analyzer, false, nil).terms
	for _, h := range with.Hits {
		for _, f := range append(h.Fragments["title"], h.Fragments["body"]...) {
			for _, m := range marked.FindAllStringSubmatch(f, -1) {
				if toks := ix.analyzer.Analyze([]byte(m[1])); len(toks) != 1 || !typed[string(toks[0].Term)] {
					t.Errorf("hit %s highlights %q, which was not typed", h.ID, m[1])
				}
			}
		}
	}
}

var marked = regexp.MustCompile(`<mark>(.*?)</mark>`)

// Only long questions ranked by relevance, scored by their words alone,
// are expanded.
func TestExpands(t *testing.T) {
	ix, _, _ := facetIndex(t)
	question := "what did the minister say in the talks about oil prices and trade"
	for _, tt := range []struct {
		query string
		sort  search.Sort
		want  bool
	}{
		{question, search.SortRelevance, true},
		{question, search.SortNewest, false},
		{"oil prices fell", search.SortRelevance, false},
		{question + ` "oil prices"`, search.SortRelevance, false},
	} {
		c := compile(search.Parse(tt.query), search.Filters{Sources: []string{"Alpha Wire"}}, ix.analyzer, false, nil)
		if got := ix.expands(search.Request{Query: tt.query, Sort: tt.sort}, c); got != tt.want {
			t.Errorf("%q sorted by %q: expands %v, want %v", tt.query, tt.sort, got, tt.want)
		}
	}
}

// Pages of an expanded or recency-blended search never overlap, whether
// they fall inside the re-ranked window or after it.
func TestRerankedPagesDoNotOverlap(t *testing.T) {
	ix, _, _ := facetIndex(t)
	ix.opts.RerankWindow = 20
	question := "what did the minister say in the talks about oil prices and trade"
	for _, req := range []search.Request{{Query: question}, {Query: "oil prices", RecencyDays: 30}} {
		req.Size = 60
		all, err := ix.Search(context.Background(), req)
		if err != nil {
			t.Fatal(err)
		}
		var paged []string
		for p := 1; p <= 10; p++ {
			req.Page, req.Size = p, 6
			res, err := ix.Search(context.Background(), req)
			if err != nil {
				t.Fatal(err)
			}
			for _, h := range res.Hits {
				paged = append(paged, h.ID)
			}
		}
		var want []string
		for _, h := range all.Hits {
			want = append(want, h.ID)
		}
		if len(want) != 60 || !slices.Equal(paged, want) {
			t.Errorf("%+v: pages of 6 give %v, one page of 60 %v", req, paged, want)
		}
	}
}

// A required phrase matches exactly the articles bleve's own phrase query
// matches, though only articles holding all its terms are checked, and in
// one-valued fields on the scorer's own positions (stop words leave gaps).
func TestRequiredPhraseAsBleve(t *testing.T) {
	generated, _, _ := facetIndex(t)
	seeded, _ := openBuilt(t, seedsDir)
	// A phrase with a term no article has matches nothing (and closes its
	// searchers once: a reader recycled twice would corrupt later searches).
	for _, q := range []string{`person:"Wang Zzyzx"`, `"Shanghai Zzyzx"`} {
		c := compile(search.Parse(q), search.Filters{}, seeded.analyzer, false, nil)
		g := seeded.Generation
		res, err := g.searchPage(context.Background(), search.Request{Query: q, Page: 1, Size: 10}, c)
		g.putCounts(res.counts)
		if err != nil || res.total.n != 0 {
			t.Errorf("%s: %d matches, err %v; want none", q, res.total.n, err)
		}
	}
	for _, tt := range []struct {
		ix            *testIndex
		field, phrase string
	}{
		{generated, schema.Content, "oil prices"}, {generated, schema.Content, "minister said talks"},
		{generated, schema.Content, "economy grew"},
		{seeded, schema.Content, "Secretary-General of the SCO"}, {seeded, schema.Content, "the Shanghai Spirit"},
		{seeded, schema.Title, "Wang Yi"}, {seeded, schema.Person, "Wang Yi"},
	} {
		typed := `"` + tt.phrase + `"`
		field := tt.field
		if field != schema.Content {
			typed = field + ":" + typed
		}
		if f := entityText[field]; f != "" {
			field = f
		}
		res, err := tt.ix.Search(context.Background(), search.Request{Query: typed})
		if err != nil {
			t.Fatal(err)
		}
		want, err := tt.ix.idx.Search(bleve.NewSearchRequest(phraseQuery(field, analyze.Analyzer, tt.phrase)))
		if err != nil {
			t.Fatal(err)
		}
		if want.Total == 0 {
			t.Fatalf("%s: no article has it; the test needs one", typed)
		}
		if res.Total != want.Total || res.Relaxed {
			t.Errorf("%s: %d matches (relaxed %v), bleve's phrase query %d", typed, res.Total, res.Relaxed, want.Total)
		}
	}
}

// A required phrase with a term no article has closes its phrase searcher
// once, however often the search closes the scorer: bleve recycles a
// closed term reader, and one recycled twice would be handed to two later
// searches.
func TestPhraseSearcherClosedOnce(t *testing.T) {
	ix, _, _ := facetIndex(t)
	g := ix.Generation
	closes := 0
	q := &bm25Query{
		terms:          analyze.Terms(ix.analyzer, "ann zzyzx"),
		fields:         []weightedField{{name: schema.PersonText, boost: 1}},
		phrase:         closeCounter{phraseQuery(schema.PersonText, analyze.Analyzer, "ann zzyzx"), &closes},
		phraseRequired: true,
	}
	s, err := q.Searcher(context.Background(), g.reader, g.idx.Mapping(), bsearch.SearcherOptions{})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	s.Close()
	if closes > 1 {
		t.Errorf("phrase searcher closed %d times", closes)
	}
}

// closeCounter counts how often the searchers of its query are closed.
type closeCounter struct {
	query.Query
	closes *int
}

func (c closeCounter) Searcher(ctx context.Context, r index.IndexReader, m mapping.IndexMapping, o bsearch.SearcherOptions) (bsearch.Searcher, error) {
	s, err := c.Query.Searcher(ctx, r, m, o)
	return countedSearcher{s, c.closes}, err
}

type countedSearcher struct {
	bsearch.Searcher
	closes *int
}

func (s countedSearcher) Close() error {
	*s.closes++
	return s.Searcher.Close()
}
