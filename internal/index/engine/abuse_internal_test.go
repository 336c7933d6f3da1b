package engine

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/blevesearch/bleve/v2"
	bsearch "github.com/blevesearch/bleve/v2/search"
	"github.com/newsfind/newsfind/internal/analyze"
	"github.com/newsfind/newsfind/internal/index/schema"
	"github.com/newsfind/newsfind/internal/search"
)

// The engine's part of the abuse suite (issue 17): every search stops at
// its deadline. Contexts here are cancelled at a chosen point of the search
// (a hook on the collector's matches, or before a searcher's first step),
// never by time, and each test says how far the search went past it.

// abuseArticles is how many articles abuseIndex holds: enough for two
// context checks of a pass (checkDoneEvery apart).
const abuseArticles = 2*checkDoneEvery + 100

// abuseIndex indexes abuseArticles articles that each hold "alpha beta
// gamma", in that order, and nothing else in common.
func abuseIndex(t *testing.T) *testIndex {
	t.Helper()
	dir := t.TempDir()
	var b strings.Builder
	for i := range abuseArticles {
		fmt.Fprintf(&b, `{"title":"Item %d","body":"alpha beta gamma."}`+"\n", i)
	}
	if err := os.WriteFile(filepath.Join(dir, "items.jsonl"), []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	ix, _ := openBuilt(t, dir)
	return ix
}

// compiledFor compiles text as a search compiles it.
func (ix *testIndex) compiledFor(text string) compiled {
	return compile(search.Parse(text+" "), search.Filters{}, ix.analyzer, false, nil)
}

// A pass stops within checkDoneEvery matches of its deadline, whichever
// searcher it runs: newsfind's BM25 searcher, one of bleve's, or the walk
// over every article.
func TestAbuseCollectorStopsAtDeadline(t *testing.T) {
	ix := abuseIndex(t)
	term := bleve.NewTermQuery("alpha")
	term.SetField(schema.Content)
	for name, p := range map[string]pass{
		"bm25":       {query: ix.compiledFor("alpha").query, score: true},
		"bleve":      {query: term, score: true},
		"everything": {query: bleve.NewMatchAllQuery(), everything: true},
	} {
		ctx, cancel := context.WithCancel(context.Background())
		seen := 0
		p.top = &topHits{k: 10, table: ix.table}
		p.visit = func(uint32) {
			if seen++; seen == 10 {
				cancel() // the deadline passes at the 10th match
			}
		}
		got, err := ix.run(ctx, p)
		if total := got.n; !errors.Is(err, context.Canceled) || total < 10 || total > checkDoneEvery {
			t.Errorf("%s: a pass cancelled at match 10 = %d matches, %v; want at most %d, context.Canceled",
				name, got.n, err, checkDoneEvery)
		}
		cancel()
	}
}

// One step of a search for a required phrase passes over every article
// holding its words but not the phrase, without returning to the
// collector: the searcher checks the deadline itself.
func TestAbuseRequiredPhraseStopsAtDeadline(t *testing.T) {
	ix := abuseIndex(t)
	q := ix.compiledFor(`"gamma alpha"`).query // every article has the words, none the phrase
	// next builds the searcher with ctx, calls then (the deadline may pass
	// there) and takes the searcher's first step.
	next := func(ctx context.Context, then func()) (*bsearch.DocumentMatch, error) {
		s, err := q.Searcher(ix.scoringContext(ctx), ix.reader, ix.idx.Mapping(), bsearch.SearcherOptions{})
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		then()
		return s.Next(&bsearch.SearchContext{
			DocumentMatchPool: bsearch.NewDocumentMatchPool(s.DocumentMatchPoolSize()+1, 0), IndexReader: ix.reader})
	}
	if d, err := next(context.Background(), func() {}); d != nil || err != nil {
		t.Fatalf("Next = %v, %v; want no match: the test needs a phrase no article holds", d, err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	if d, err := next(ctx, cancel); !errors.Is(err, context.Canceled) {
		t.Errorf("Next after the deadline = %v, %v; want context.Canceled", d, err)
	}
}

func TestAbuseSearcherStopsAtDeadline(t *testing.T) {
	ix := abuseIndex(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	words := strings.Repeat("alpha beta gamma item ", 100)
	_, err := ix.compiledFor(words).query.Searcher(ix.scoringContext(ctx), ix.reader, ix.idx.Mapping(), bsearch.SearcherOptions{})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("a searcher built after the deadline: %v, want context.Canceled", err)
	}
}

// A search cut at its deadline says which search it was, with the query
// cut to search.MaxLoggedQuery bytes: the message is logged (issue 17 row
// 13 found a 150 KB query logged in full).
func TestAbuseErrorQuotesTheQueryCut(t *testing.T) {
	ix := abuseIndex(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	q := strings.Repeat("alphabetical ", 300) // 3,900 bytes
	_, err := ix.Search(ctx, search.Request{Query: q})
	if !errors.Is(err, context.Canceled) || len(err.Error()) > search.MaxLoggedQuery+100 || !strings.Contains(err.Error(), "alphabetical alphabetical") {
		t.Errorf("search after its deadline: %d-byte error %.300q, want context.Canceled quoting the query cut", len(fmt.Sprint(err)), err)
	}
}

// A phrase probe opens a reader per term of its phrase: after the deadline
// it opens none.
func TestAbusePhraseProbeStopsAtDeadline(t *testing.T) {
	ix := abuseIndex(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	phrase := phraseQuery(schema.Content, analyze.Analyzer, "alpha beta gamma")
	if _, _, err := newPhraseProbe(ctx, ix.reader, ix.idx.Mapping(), phrase); !errors.Is(err, context.Canceled) {
		t.Errorf("a phrase probe built after the deadline: %v, want context.Canceled", err)
	}
}
