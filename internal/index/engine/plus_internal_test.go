package engine

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"
	"github.com/newsfind/newsfind/internal/search"
)

// asBoolean returns what compile made of a quoted phrase with words before
// the words were given to the phrase's searcher: bleve's boolean of the
// phrase (required) and the words (optional), which adds their scores.
func asBoolean(t *testing.T, text string, c compiled) query.Query {
	t.Helper()
	q, ok := c.query.(*bm25Query)
	if !ok || q.plus == nil && q.also == nil {
		t.Fatalf("%s compiled to %T, not a required clause with words", text, c.query)
	}
	phrase := *q
	phrase.plus, phrase.also, phrase.sole, phrase.filters = nil, nil, false, nil
	b := bleve.NewBooleanQuery()
	b.AddMust(&phrase)
	if q.also != nil {
		b.AddMust(q.also)
	}
	if q.plus != nil {
		b.AddShould(q.plus)
	}
	if q.filters != nil {
		b.AddMustNot(q.filters.exclude...)
	}
	return b
}

// allMatches returns every match of q on g, best first, as "id score".
func allMatches(t *testing.T, g *Generation, q query.Query) []string {
	t.Helper()
	top := &topHits{k: len(g.table.Live) + 1, order: byScore, table: g.table}
	if _, err := g.run(context.Background(), pass{query: q, score: true, top: top}); err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, d := range top.sorted() {
		out = append(out, fmt.Sprintf("%d %v", d.IndexInternalID.Value(), d.Score))
	}
	return out
}

// A quoted phrase with words matches the phrase's articles, scored as
// bleve's boolean of the phrase and the words scores them (the phrase's
// score plus the words'), whether words are in the title, typed as a
// prefix, misspelt, one of the phrase's own, or several (with their own
// phrase bonus), and with excluded words.
func TestPhraseWithWordsScoresAsBoolean(t *testing.T) {
	articles := t.TempDir()
	writeZipfCorpus(t, filepath.Join(articles, "news.jsonl"), 1500)
	dir := buildPruning(t, articles)
	for _, opts := range []Options{{}, {NoPairs: true}} {
		ix := openIndex(t, dir, opts)
		for _, text := range []string{`"prime minister" election`, `"new year" party`, `"world cup" final season`,
			`"prime minister" minister`, `title:"football team" club`, `"new year" elction`, `"market price" ban`,
			`"new year" harbour -oil`, `"new year" quill`, `+prime minister`, `+harbour new year`, `title:football club`,
			`source:beta market price`, `title:harbour -oil police`, `+harbour police -oil`,
			`title:football +club`, `title:football +club final`, `+harbour title:cup`,
			`+prime +minister election`, `title:harbour +cup final -oil`, `+police +harbour`} {
			parsed, _, searched, err := ix.parse(context.Background(), search.Request{Query: text})
			if err != nil {
				t.Fatal(err)
			}
			c := compile(parsed, search.Filters{}, ix.analyzer, false, searched)
			want := allMatches(t, ix.Generation, asBoolean(t, text, c))
			got := allMatches(t, ix.Generation, c.query)
			if len(want) == 0 {
				t.Fatalf("%s: no match; the test compares nothing", text)
			}
			if strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Errorf("%s (pairs %v): %d matches, %d as bleve's boolean; first %v, boolean's %v",
					text, !opts.NoPairs, len(got), len(want), got[:min(3, len(got))], want[:min(3, len(want))])
			}
		}
	}
}

// writePlusCorpus writes n articles as JSON lines, two in three holding
// "river delta" and one in ten "flood", some in its title.
func writePlusCorpus(t *testing.T, path string, n int) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(31, 7))
	filler := strings.Fields("said people government minister world market economy film music company report police court party river water")
	words := func(k int) string {
		out := make([]string, k)
		for i := range out {
			out[i] = filler[rng.IntN(len(filler))]
		}
		return strings.Join(out, " ")
	}
	enc := json.NewEncoder(f)
	for i := range n {
		title, body := fmt.Sprint("Report ", i), words(30+rng.IntN(120))
		if i%3 != 0 {
			body += " the river delta " + words(10)
		}
		if i%10 == 7 {
			body += strings.Repeat(" flood", 1+rng.IntN(3))
			if i%20 == 7 {
				title += " flood"
			}
		}
		if err := enc.Encode(map[string]any{"title": title, "body": body}); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

// Past the exact count, a quoted phrase (or a +word) with a word ranks
// its pages as with every match counted, and once the threshold is past
// the phrase's own best score it scores only the articles that also hold
// the word: "river delta" is in 2,000 articles of 3,000, "flood" in 300.
func TestPhraseWithWordsSkipsToTheWords(t *testing.T) {
	articles := t.TempDir()
	writePlusCorpus(t, filepath.Join(articles, "news.jsonl"), 3000)
	dir := buildPruning(t, articles)
	var scored atomic.Int64
	ix := openIndex(t, dir, Options{ExactCount: pruneCount, Scored: func(n int) { scored.Add(int64(n)) }})
	var reqs []search.Request
	for _, q := range []string{`"river delta" flood`, `"river delta" flood water`, `"river delta" -flood market`, `+delta flood`, `+delta flood water`,
		`+delta +river flood`, `+water +delta`, `+water +delta flood`} {
		reqs = append(reqs, search.Request{Query: q, NoCollapse: true}, search.Request{Query: q, Page: 3, Size: 5, NoCollapse: true},
			search.Request{Query: q, Sort: search.SortNewest, NoCollapse: true})
	}
	for i := range reqs {
		if err := reqs[i].Validate(); err != nil {
			t.Fatal(err)
		}
	}
	if n := samePages(t, ix, reqs); n < len(reqs) {
		t.Errorf("%d of %d searches match more than the exact count", n, len(reqs))
	}
	scored.Store(0)
	res := ix.must(t, search.Request{Query: `"river delta" flood`, NoCollapse: true})
	if res.Total < 1000 || res.TotalExact {
		t.Errorf("total %d (exact %v); want about 2,000 estimated", res.Total, res.TotalExact)
	}
	if n := scored.Load(); n == 0 || n > 600 {
		t.Errorf("%d articles scored for a page of %d: want at most 600 (the word's 300 and those before the threshold passes the phrase's bound)", n, len(res.Hits))
	}
	t.Logf("%d articles scored", scored.Load())
	// Of two required words, the rarer leads: "water" is in most
	// articles, "flood" in 300.
	scored.Store(0)
	if res := ix.must(t, search.Request{Query: `+water +flood`, NoCollapse: true}); !res.TotalExact || res.Total == 0 {
		t.Errorf("+water +flood: total %d, exact %v; want an exact count", res.Total, res.TotalExact)
	}
	if n := scored.Load(); n > 300 {
		t.Errorf("+water +flood: %d articles scored; want at most the 300 with flood", n)
	}
	scored.Store(0)
	res = ix.must(t, search.Request{Query: `"river delta" flood`, NoCollapse: true})
	flooded := 0
	for _, h := range res.Hits {
		if strings.Contains(strings.Join(h.Fragments["body"], " "), "<mark>flood</mark>") {
			flooded++
		}
	}
	if flooded != len(res.Hits) || flooded == 0 {
		t.Errorf("%d of %d hits show the word highlighted", flooded, len(res.Hits))
	}
}

// Two alternatives (`a OR b`) match and score as bleve's disjunction of
// the two: the sum of the scores of those that match, times the share
// matched; whether they are words, phrases, field terms, groups of words
// or a word no article has, with excluded words or filters.
func TestOrScoresAsDisjunction(t *testing.T) {
	articles := t.TempDir()
	writeZipfCorpus(t, filepath.Join(articles, "news.jsonl"), 1500)
	ix := openIndex(t, buildPruning(t, articles), Options{})
	beta := search.Filters{Sources: []string{"Beta News"}}
	for _, c := range []struct {
		text string
		f    search.Filters
	}{{`market OR price`, search.Filters{}}, {`harbour OR quill`, search.Filters{}}, {`"new year" OR "prime minister"`, search.Filters{}},
		{`title:football OR club`, search.Filters{}}, {`market OR zzzzqqq`, search.Filters{}}, {`(market OR price) -oil`, search.Filters{}},
		{`(prime minister) OR harbour`, search.Filters{}}, {`market OR price`, beta}, {`(harbour OR "world cup") -quill`, beta}} {
		parsed, _, searched, err := ix.parse(context.Background(), search.Request{Query: c.text + " "})
		if err != nil {
			t.Fatal(err)
		}
		comp := compile(parsed, c.f, ix.analyzer, false, searched)
		or, ok := comp.query.(*orQuery)
		if !ok {
			t.Fatalf("%s compiled to %T, not two alternatives", c.text, comp.query)
		}
		a, b := *or.parts[0], *or.parts[1]
		b2 := bleve.NewBooleanQuery()
		b2.AddMust(bleve.NewDisjunctionQuery(&a, &b))
		if or.filters != nil {
			for _, g := range or.filters.groups {
				b2.AddMust(unscored{g.query()})
			}
			b2.AddMustNot(or.filters.exclude...)
		}
		want := allMatches(t, ix.Generation, b2)
		got := allMatches(t, ix.Generation, comp.query)
		if len(want) == 0 {
			t.Fatalf("%s: no match; the test compares nothing", c.text)
		}
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("%s (%v): %d matches, %d as bleve's disjunction; first %v, bleve's %v",
				c.text, c.f.Sources, len(got), len(want), got[:min(3, len(got))], want[:min(3, len(want))])
		}
	}
}

// Past the exact count, two alternatives keep their pages, by relevance
// and by date, filtered or not, and once an article with one of them
// cannot enter the page, only those with both are scored.
func TestOrKeepsPages(t *testing.T) {
	articles := t.TempDir()
	writePlusCorpus(t, filepath.Join(articles, "news.jsonl"), 3000)
	var scored atomic.Int64
	ix := openIndex(t, buildPruning(t, articles), Options{ExactCount: pruneCount, Scored: func(n int) { scored.Add(int64(n)) }})
	var reqs []search.Request
	for _, q := range []string{`delta OR flood`, `(delta OR flood) -market`, `"river delta" OR flood`, `flood OR title:flood`, `delta OR zzzzqqq`} {
		reqs = append(reqs, search.Request{Query: q + " ", NoCollapse: true}, search.Request{Query: q + " ", Page: 3, Size: 5, NoCollapse: true},
			search.Request{Query: q + " ", Sort: search.SortNewest, NoCollapse: true})
	}
	for i := range reqs {
		if err := reqs[i].Validate(); err != nil {
			t.Fatal(err)
		}
	}
	if n := samePages(t, ix, reqs); n < len(reqs)-3 {
		t.Errorf("%d of %d searches match more than the exact count", n, len(reqs))
	}
	scored.Store(0)
	res := ix.must(t, search.Request{Query: `delta OR flood `, NoCollapse: true})
	if !res.TotalExact || res.Total < 2000 {
		t.Errorf("delta OR flood: total %d, exact %v; want the 2,000 and more counted exactly", res.Total, res.TotalExact)
	}
	// "flood" is in 300 articles, "delta" in 2,000: those with both
	// are at most 300.
	if n := scored.Load(); n > 600 {
		t.Errorf("delta OR flood: %d articles scored for a page of 10; want at most 600", n)
	}
	t.Logf("%d articles scored", scored.Load())
}
