package engine

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/newsfind/newsfind/internal/index/gen"
	"github.com/newsfind/newsfind/internal/search"
)

// pruneCount is the exact count of the pruning tests' indexes: small, so
// their common words pass it and the searches skip.
const pruneCount = 25

// writeZipfCorpus writes n generated articles as JSON lines: words drawn
// from a Zipf distribution over a vocabulary where "new" and "year" are
// among the commonest and often stand together, with dates and sources.
// "harbour" is in every fifth article: in the title and often in the
// first 200, once in the body after them, so that blocks of later articles
// cannot hold a match as good as the first ones' (block maxima skip them).
func writeZipfCorpus(t *testing.T, path string, n int) {
	t.Helper()
	vocab := strings.Fields(`new year said people government minister world market economy election
		film music company report police court party price bank trade oil growth city football team
		cup final season player club match league prime campaign vote council health school energy
		climate water technology phone mobile internet software games album band festival award star
		budget tax rates interest inflation shares profit sales cooperation security border talks peace`)
	rng := rand.New(rand.NewPCG(19, 1))
	zipf := rand.NewZipf(rng, 1.1, 2, uint64(len(vocab)-1))
	words := func(k int) string {
		out := make([]string, k)
		for i := range out {
			if out[i] = vocab[zipf.Uint64()]; out[i] == "new" && rng.IntN(2) == 0 {
				out[i] = "new year"
			}
		}
		return strings.Join(out, " ")
	}
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	enc := json.NewEncoder(f)
	for i := range n {
		rare := "" // two rare words, for searches within the exact count
		if i%100 == 50 {
			rare = " quill"
		}
		if i%500 == 3 {
			rare += " quartz quartz"
		}
		title, tail := fmt.Sprintf(" %d", i), ""
		switch {
		case i%5 != 0:
		case i < 200:
			title, tail = " harbour"+title, strings.Repeat(" harbour", 1+i%4)
		default:
			tail = " harbour"
		}
		a := map[string]any{
			"title":  words(3+rng.IntN(5)) + title + rare,
			"body":   words(20+rng.IntN(150)) + ". " + words(10+rng.IntN(60)) + tail + ".",
			"source": []string{"Alpha Wire", "Beta News", "Gamma Daily"}[rng.IntN(3)],
			"date":   time.Date(2019+rng.IntN(5), time.Month(1+rng.IntN(12)), 1+rng.IntN(28), 12, 0, 0, 0, time.UTC).Format(time.RFC3339),
		}
		if err := enc.Encode(a); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

// openPruning builds an index of the articles in folder articles, with its
// block maxima, and opens it with the pruning tests' exact count; blocks
// counts the blocks its searches skip.
func openPruning(t *testing.T, articles string) (ix *testIndex, blocks *atomic.Int64) {
	t.Helper()
	blocks = &atomic.Int64{}
	return openIndex(t, buildPruning(t, articles), Options{ExactCount: pruneCount, SkippedBlocks: func(n int) { blocks.Add(int64(n)) }}), blocks
}

// buildPruning builds an index of the articles in folder articles, with
// its block maxima, and returns its folder.
func buildPruning(t *testing.T, articles string) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "index")
	if _, err := gen.Build(context.Background(), gen.Config{Articles: articles, Index: dir, Tables: writeImpacts}); err != nil {
		t.Fatal(err)
	}
	return dir
}

// writeImpacts writes the block maxima of the generation at path, copied
// from from's where they can be, as index.WriteTables does.
func writeImpacts(_ context.Context, path, from string) error {
	g, err := Open(path, Options{})
	if err != nil {
		return err
	}
	_, err = writeImpactsWalking(g, from)
	return errors.Join(err, g.Close())
}

// samePages searches each request with the exact count and pruning, and
// with neither (exact=true on the same index opened with NoPruning: with
// exact=true alone, a search whose counts come from its matches' bitmap
// still prunes its ranking pass), and fails on any difference in the hits
// (IDs and scores, in order). It returns how many match more articles
// than the exact count, which the searches with it may skip.
func samePages(t *testing.T, ix *testIndex, reqs []search.Request) (past int) {
	t.Helper()
	ctx := context.Background()
	opts := ix.opts
	opts.NoPruning, opts.SkippedBlocks, opts.Scored, opts.Dropped, opts.Heaped = true, nil, nil, nil, nil
	full := openIndex(t, ix.dir, opts)
	for _, req := range reqs {
		exact := req
		exact.Exact = true
		want, err := full.Search(ctx, exact)
		if err != nil {
			t.Fatalf("%q exact: %v", req.Query, err)
		}
		got, err := ix.Search(ctx, req)
		if err != nil {
			t.Fatalf("%q: %v", req.Query, err)
		}
		if !want.TotalExact {
			t.Errorf("%q with exact=true: total_exact false", req.Query)
		}
		if len(got.Hits) != len(want.Hits) {
			t.Errorf("%q: %d hits pruned, %d exact", req.Query, len(got.Hits), len(want.Hits))
			continue
		}
		for i := range want.Hits {
			if g, w := got.Hits[i], want.Hits[i]; g.ID != w.ID || g.Score != w.Score {
				t.Errorf("%q (page %d, sort %s): hit %d is %s (%v) pruned, %s (%v) exact",
					req.Query, req.Page, req.Sort, i+1, g.ID, g.Score, w.ID, w.Score)
			}
		}
		if want.Total > pruneCount {
			past++
		}
		switch {
		case got.TotalEstimated:
			// An estimate, only of a phrase surely past the exact count
			// (how close: TestQuotedPhraseEstimatedFromASpreadSample; of
			// 25, the sample here is a run of 64 and a first check of 64
			// or more, so off by a third at times).
			if got.TotalExact || want.Total <= pruneCount || got.Total <= pruneCount {
				t.Errorf("%q: total %d (an estimate), %d exact; want one past %d", req.Query, got.Total, want.Total, pruneCount)
			}
		case !got.TotalExact:
			// A lower bound: the exact count's worth of articles, or, when
			// versions of a story collapse, the stories among them.
			if got.Total > pruneCount || got.Total > want.Total || got.Total < pruneCount && req.NoCollapse {
				t.Errorf("%q: total %d (inexact), %d exact; want a lower bound, %d without collapsing", req.Query, got.Total, want.Total, pruneCount)
			}
		case got.Total != want.Total:
			t.Errorf("%q: total %d said to be exact, %d with exact=true", req.Query, got.Total, want.Total)
		}
		switch {
		case want.FacetsApproximate:
			t.Errorf("%q with exact=true: facets_approximate", req.Query)
		case got.FacetsApproximate && want.Total <= pruneCount && len(req.Filters.Sources)+len(req.Filters.Years) == 0:
			// (a filtered facet is counted over the matches without its
			// filter, which may be many more)
			t.Errorf("%q: %d matches, within %d, but facets_approximate", req.Query, want.Total, pruneCount)
		case !got.FacetsApproximate && !reflect.DeepEqual(got.Facets, want.Facets):
			t.Errorf("%q: facets said to be exact differ from exact=true's:\n%v\n%v", req.Query, got.Facets, want.Facets)
		}
	}
	t.Logf("%d of %d searches match more than the exact count of %d", past, len(reqs), pruneCount)
	return past
}

// zipfRequests are searches of writeZipfCorpus's articles: common words,
// a phrase bonus, words being typed, a misspelling, a long question,
// excluded and required words, then a later page, a larger one, recency,
// a date sort, no facets, filters, and rare words; with collapsed, each
// words' search also without collapsing stories.
func zipfRequests(collapsed bool) []search.Request {
	var reqs []search.Request
	for _, q := range []string{
		"new year", "new year ", "said people ", "economy growth ", "world cup final ", "harbour", "harbour police ", "harbours",
		"prime minister ", "minister", "elction ", "cooperation security ", `"new year" `,
		"football team season player club match ", "what did the government say about the budget and tax rates ",
		"new -year ", "new OR year ", "+new year ", "titl",
		// A short word being typed: tens of clauses of common words,
		// most of them left for the pass to gather at each article.
		"new p", "market s", "court c",
	} {
		reqs = append(reqs, search.Request{Query: q})
		if collapsed {
			reqs = append(reqs, search.Request{Query: q, NoCollapse: true})
		}
	}
	return append(reqs,
		search.Request{Query: "new year ", Page: 3},
		search.Request{Query: "new year ", Size: 50},
		search.Request{Query: "new year ", RecencyDays: 30},
		search.Request{Query: "new year ", Sort: search.SortNewest},
		search.Request{Query: "new year ", NoFacets: true},
		search.Request{Query: "new year ", Filters: search.Filters{Sources: []string{"Beta News"}}},
		search.Request{Query: "market price ", Filters: search.Filters{Years: []int{2020}}},
		// Within the exact count, a search that could skip does not.
		search.Request{Query: "quill quartz ", Size: 2},
		search.Request{Query: "quill quartz ", Size: 1, Page: 2},
	)
}

// Pruning never changes a page: on generated news, common words, a
// phrase bonus, a word being typed (prefix), a misspelling (typo
// correction), a long question (RM3 feedback), recency, filters, a second
// page and a date sort give the same hits with the exact count passed
// as with every match counted, and the common words do skip.
func TestPruningKeepsPagesGenerated(t *testing.T) {
	articles := t.TempDir()
	writeZipfCorpus(t, filepath.Join(articles, "news.jsonl"), 1500)
	ix, blocks := openPruning(t, articles)
	reqs := zipfRequests(false)
	for i := range reqs {
		if err := reqs[i].Validate(); err != nil {
			t.Fatal(err)
		}
	}
	if n := samePages(t, ix, reqs); n < len(reqs)/2 {
		t.Errorf("only %d of %d searches match more than the exact count: the test hardly compares pruning", n, len(reqs))
	}
	if blocks.Load() == 0 {
		t.Error("no search skipped a block by its block maxima")
	}
	t.Logf("%d blocks skipped", blocks.Load())
}

// fillerArticles writes 900 articles, "Article i" with the body body
// returns for i, into a new folder it returns; words gives n common words
// drawn from rng (seeded by src).
func fillerArticles(t *testing.T, src rand.Source, body func(i int, words func(n int) string, rng *rand.Rand) string) string {
	t.Helper()
	articles := t.TempDir()
	f, err := os.Create(filepath.Join(articles, "news.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(src)
	filler := strings.Fields("said people government minister world market economy film music company report police court party")
	words := func(n int) string {
		out := make([]string, n)
		for i := range out {
			out[i] = filler[rng.IntN(len(filler))]
		}
		return strings.Join(out, " ")
	}
	enc := json.NewEncoder(f)
	for i := range 900 {
		if err := enc.Encode(map[string]any{"title": fmt.Sprint("Article ", i), "body": body(i, words, rng)}); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return articles
}

// A word being typed that an article holds counts itself and none of the
// words it starts, so an article holding it is passed over without its
// expansions' bound; one without it, found by another word, may still
// enter the top hits by an expansion. Long articles hold "harbour" once,
// others "port"; the last few (the build's second batch, reached once the
// short "port" articles have set the threshold) "harbour" and "portal"
// ("port" being typed starts it): "harbour" alone scores them below the
// threshold, with "portal" they enter the top ten. Taking every word
// being typed as held passes them over.
func TestTypedWordPassesOverItsExpansions(t *testing.T) {
	articles := fillerArticles(t, rand.NewPCG(23, 5), func(i int, words func(int) string, rng *rand.Rand) string {
		body := words(20 + rng.IntN(30))
		switch {
		case i >= 895:
			body = "harbour portal portal portal " + words(40)
		case i%3 == 0:
			body = words(150) + " harbour " + words(150)
		case i%3 == 1:
			body += " port"
		}
		return body
	})
	ix, _ := openPruning(t, articles)
	req := search.Request{Query: "harbour port", NoCollapse: true}
	if err := req.Validate(); err != nil {
		t.Fatal(err)
	}
	if samePages(t, ix, []search.Request{req}) == 0 {
		t.Fatal("the search matches within the exact count: nothing is pruned")
	}
	res := ix.must(t, req)
	portal := 0
	for _, h := range res.Hits {
		if n, _ := strconv.Atoi(strings.TrimPrefix(h.Title, "Article ")); n >= 895 {
			portal++
		}
	}
	if portal == 0 {
		t.Errorf("no article holding harbour and portal among the top hits %v: the test compares nothing", res.Hits)
	}
}

// A quoted phrase, with filters, excluded words and other words or not,
// keeps its pages past the exact count, and stops checking its positions
// in articles that could not enter them: its total is then a lower bound
// (without the pairs field, which counts a phrase of one common pair
// exactly: see TestPairsKeepPages). A phrase within the exact count
// checks every article and counts exactly. The phrases expected to stop are in many
// more articles than the exact count (43 to 696 for its 25): which of
// them come after the first 25 changes from build to build (scorch
// numbers a batch's articles in the order of a map), and a phrase in 27
// (`"world cup"` from Beta News) was checked to the end in about one
// build in fifty: neither of its last two was left out.
func TestQuotedPhrasesPrune(t *testing.T) {
	articles := t.TempDir()
	writeZipfCorpus(t, filepath.Join(articles, "news.jsonl"), 1500)
	ix := openIndex(t, buildPruning(t, articles), Options{ExactCount: pruneCount, NoPairs: true})
	var reqs []search.Request
	for _, q := range []string{`"prime minister" `, `"world cup" `, `"new year" `, `"market price" `, `"football team" `,
		`"prime minister" election `, `"quill" `, `title:"football team" `} {
		reqs = append(reqs, search.Request{Query: q}, search.Request{Query: q, Page: 2, Size: 5}, search.Request{Query: q, NoCollapse: true})
	}
	beta := search.Filters{Sources: []string{"Beta News"}}
	since := search.Filters{DateFrom: day(2021, 1, 1)}
	reqs = append(reqs, search.Request{Query: `"world cup" `, Filters: beta}, search.Request{Query: `"prime minister" `, Filters: since},
		search.Request{Query: `"new year" -harbour `, Filters: beta}, search.Request{Query: `-quill "football team" `, Page: 3, Size: 5},
		search.Request{Query: `"world cup" final `, Filters: beta}, search.Request{Query: `"prime minister" election -harbour `, Filters: since},
		search.Request{Query: `+prime minister `, Filters: beta}, search.Request{Query: `+prime +minister party `, Filters: since},
		search.Request{Query: `market OR price `, Filters: beta}, search.Request{Query: `(new OR year) -harbour `, Filters: since})
	if n := samePages(t, ix, reqs); n < len(reqs)/2 {
		t.Errorf("only %d of %d searches match more than the exact count", n, len(reqs))
	}
	for _, c := range []struct {
		q     string
		exact bool
		f     search.Filters
	}{{`"prime minister" `, false, search.Filters{}}, {`"world cup" `, false, search.Filters{}}, {`"prime minister" election `, false, search.Filters{}},
		{`"quill" `, true, search.Filters{}}, {`"world cup" `, false, since}, {`"new year" -harbour `, false, since}} {
		res := ix.must(t, search.Request{Query: c.q, NoCollapse: true, Filters: c.f})
		if res.TotalExact != c.exact || !c.exact && res.Total < pruneCount {
			t.Errorf("%q: total %d, exact %v; want exact %v", c.q, res.Total, res.TotalExact, c.exact)
		}
	}
}

// Pruning never changes a page of the bench's searches on the BBC corpus
// (the queries of bench/cmd/bench, read from its source), nor does
// splitting their ranking passes over a spare core (see split.go), on the
// same index.
func TestPruningKeepsPagesBBC(t *testing.T) {
	if _, err := os.Stat(bbcCorpus); err != nil {
		t.Skipf("BBC corpus not found at %s (set NEWSFIND_BBC): %v", bbcCorpus, err)
	}
	reqs := benchQueries(t)
	ix, blocks := openPruning(t, bbcCorpus)
	if n := samePages(t, ix, reqs); n == 0 {
		t.Error("no search matches more than the exact count")
	}
	t.Logf("%d blocks skipped", blocks.Load())
	split, whole, cores := openSplit(t, ix.dir, 1)
	sameSplitPages(t, split, whole, reqs)
	if cores.Lent() < uint64(len(reqs)) {
		t.Errorf("%d passes split of %d searches, twice each", cores.Lent(), len(reqs))
	}
}

// benchQueries reads the searches of bench/cmd/bench (DefaultQueries in
// queries.go) as requests, with their year, source, page and sort.
func benchQueries(t *testing.T) []search.Request {
	t.Helper()
	src := filepath.Join("..", "..", "..", "bench", "cmd", "bench", "queries.go")
	f, err := parser.ParseFile(token.NewFileSet(), src, nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	str := func(e ast.Expr) string {
		s, err := strconv.Unquote(e.(*ast.BasicLit).Value)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	var reqs []search.Request
	ast.Inspect(f, func(n ast.Node) bool {
		v, ok := n.(*ast.ValueSpec)
		if !ok || v.Names[0].Name != "DefaultQueries" {
			return true
		}
		for _, e := range v.Values[0].(*ast.CompositeLit).Elts {
			var req search.Request
			for _, kv := range e.(*ast.CompositeLit).Elts {
				kv := kv.(*ast.KeyValueExpr)
				switch kv.Key.(*ast.Ident).Name {
				case "Q":
					req.Query = str(kv.Value)
				case "Extra":
					for _, p := range kv.Value.(*ast.CompositeLit).Elts {
						p := p.(*ast.KeyValueExpr)
						val := str(p.Value.(*ast.CompositeLit).Elts[0])
						switch n, _ := strconv.Atoi(val); str(p.Key) {
						case "year":
							req.Filters.Years = append(req.Filters.Years, n)
						case "source":
							req.Filters.Sources = append(req.Filters.Sources, val)
						case "page":
							req.Page = n
						case "sort":
							req.Sort = search.Sort(val)
						default:
							t.Fatalf("bench query parameter %s: not known here", str(p.Key))
						}
					}
				}
			}
			if err := req.Validate(); err != nil {
				t.Fatal(err)
			}
			reqs = append(reqs, req)
		}
		return false
	})
	if len(reqs) < 40 {
		t.Fatalf("read %d bench queries from %s; want the 45 of DefaultQueries", len(reqs), src)
	}
	return reqs
}

// cisiCorpus is the CISI test collection make eval ranks, from
// NEWSFIND_CISI or beside the repository.
var cisiCorpus = func() string {
	if p := os.Getenv("NEWSFIND_CISI"); p != "" {
		return p
	}
	return filepath.Join("..", "..", "..", "..", "shared", "corpora", "cisi")
}()

// Pruning never changes a page of make eval's questions: CISI's 112, long
// enough to be expanded by RM3, on its 1,460 abstracts written as
// articles (title, blank line, abstract, as bench/internal/eval does).
func TestPruningKeepsPagesCISI(t *testing.T) {
	docs, err := readSMART(filepath.Join(cisiCorpus, "CISI.ALL"))
	if err != nil {
		t.Skipf("CISI not found at %s (set NEWSFIND_CISI): %v", cisiCorpus, err)
	}
	questions, err := readSMART(filepath.Join(cisiCorpus, "CISI.QRY"))
	if err != nil {
		t.Fatal(err)
	}
	articles := t.TempDir()
	for _, d := range docs {
		text := d['T'] + "\n\n" + d['W'] + "\n"
		if err := os.WriteFile(filepath.Join(articles, d['I']+".txt"), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	ix, blocks := openPruning(t, articles)
	var reqs []search.Request
	for _, q := range questions {
		reqs = append(reqs, search.Request{Query: q['W'], Page: 1, Size: 10, Sort: search.SortRelevance})
	}
	if n := samePages(t, ix, reqs); n == 0 {
		t.Error("no search matches more than the exact count")
	}
	t.Logf("%d blocks skipped", blocks.Load())
}

// readSMART reads a file of the SMART format (CISI.ALL, CISI.QRY): records
// starting ".I id", fields starting ".X" for a letter X; a record maps 'I'
// to its id and each letter to its text, lines joined by spaces.
func readSMART(path string) ([]map[byte]string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var out []map[byte]string
	var field byte
	for _, line := range strings.Split(string(b), "\n") {
		switch {
		case strings.HasPrefix(line, ".I "):
			out = append(out, map[byte]string{'I': strings.TrimSpace(line[3:])})
		case len(line) >= 2 && line[0] == '.' && len(strings.TrimSpace(line)) == 2:
			field = line[1]
		case len(out) > 0 && field != 0:
			out[len(out)-1][field] = strings.TrimSpace(out[len(out)-1][field] + " " + line)
		}
	}
	return out, nil
}

// Past the exact count, a quoted phrase walks the articles of its words
// that could lift a score over the top hits' threshold (MaxScore over a
// conjunction): an article whose score from those, with the other words
// at their bounds, could not enter the top hits is passed over without
// reading the others' postings there, so fewer articles are scored than
// hold all the words. The pages stay those of the exact count
// (TestQuotedPhrasesPrune).
func TestQuotedPhraseWalksItsEssentialWords(t *testing.T) {
	articles := t.TempDir()
	writeZipfCorpus(t, filepath.Join(articles, "news.jsonl"), 1500)
	var scored atomic.Int64
	ix := openIndex(t, buildPruning(t, articles), Options{ExactCount: pruneCount, Scored: func(n int) { scored.Add(int64(n)) }})
	for _, words := range [][]string{{"prime", "minister"}, {"world", "cup"}, {"new", "year"}} {
		all := ix.must(t, search.Request{Query: "+" + strings.Join(words, " +"), NoCollapse: true, Exact: true})
		scored.Store(0)
		phrase := ix.must(t, search.Request{Query: `"` + strings.Join(words, " ") + `"`, NoCollapse: true})
		t.Logf("%v: %d articles hold them all, %d scored for the phrase (total %d)", words, all.Total, scored.Load(), phrase.Total)
		if n := scored.Load(); n == 0 || uint64(n) >= all.Total {
			t.Errorf("%v: %d articles scored for the phrase, %d hold all its words: nothing passed over", words, n, all.Total)
		}
	}
}

// A quoted phrase that passes the exact count, when its holders are
// counted (NoEstimate here: without, the phrases of this test are near
// the bound of being estimated, see
// TestQuotedPhraseEstimatedFromASpreadSample), takes its facets from a
// sample of the matches it counted, scaled: with a sample of one, one
// source stands for all of them; within the exact count, every match is
// counted. The phrases are of three words: one of two common words
// ("prime minister" since the pairs field pairs 700 stems) is one pair,
// counted exactly from the pair's postings.
func TestQuotedPhraseFacetsFromASample(t *testing.T) {
	articles := t.TempDir()
	writeZipfCorpus(t, filepath.Join(articles, "news.jsonl"), 1500)
	dir := buildPruning(t, articles)
	one := openIndex(t, dir, Options{ExactCount: pruneCount, FacetSample: 1, NoEstimate: true})
	all := openIndex(t, dir, Options{ExactCount: pruneCount, NoEstimate: true})
	for _, q := range []string{`"new year said"`, `"said new year"`} {
		req := search.Request{Query: q, NoCollapse: true}
		got, want := one.must(t, req), all.must(t, req)
		if got.TotalExact || !got.FacetsApproximate {
			t.Fatalf("%s: total %d exact %v, facets approximate %v: the phrase is within the exact count", q, got.Total, got.TotalExact, got.FacetsApproximate)
		}
		if src := got.Facets["source"]; len(src) != 1 || src[0].Count != pruneCount {
			t.Errorf("%s, a sample of one: sources %v, want one standing for the %d counted", q, src, pruneCount)
		}
		if len(want.Facets["source"]) < 2 {
			t.Errorf("%s: sources %v: the test compares nothing", q, want.Facets["source"])
		}
	}
	exact := one.must(t, search.Request{Query: `"quill"`, NoCollapse: true})
	sum := 0
	for _, f := range exact.Facets["source"] {
		sum += f.Count
	}
	if !exact.TotalExact || exact.FacetsApproximate || uint64(sum) != exact.Total {
		t.Errorf(`"quill": total %d (exact %v), sources %v (approximate %v): want every match counted`, exact.Total, exact.TotalExact, exact.Facets["source"], exact.FacetsApproximate)
	}
}

// A word being typed that the best articles hold stops reading the words
// it starts once no article without it could enter the top hits: every
// third article holds "port" in a short body, the others "portal",
// "porter", "portrait" or "portion" (more of them, each rarer than
// "port", at the expansions' lower weight). The pages are those of every
// match counted, and the pass says it left the expansions out; without
// that, it reads their postings at each article it scores.
func TestTypedWordDropsItsExpansions(t *testing.T) {
	starts := strings.Fields("portal porter portrait portion")
	articles := fillerArticles(t, rand.NewPCG(29, 7), func(i int, words func(int) string, rng *rand.Rand) string {
		if i%3 == 0 {
			return "port " + words(10+rng.IntN(20))
		}
		return words(40+rng.IntN(80)) + " " + starts[rng.IntN(len(starts))]
	})
	var dropped atomic.Int64
	ix := openIndex(t, buildPruning(t, articles), Options{ExactCount: pruneCount, Dropped: func(n int) { dropped.Add(int64(n)) }})
	reqs := []search.Request{{Query: "port", NoCollapse: true}, {Query: "port", NoCollapse: true, Page: 2}, {Query: "court port", NoCollapse: true}}
	for i := range reqs {
		if err := reqs[i].Validate(); err != nil {
			t.Fatal(err)
		}
	}
	if samePages(t, ix, reqs) != len(reqs) {
		t.Fatal("a search matches within the exact count: nothing is pruned")
	}
	if dropped.Load() == 0 {
		t.Error("no pass left out the expansions of the word being typed")
	}
	res := ix.must(t, reqs[0])
	for _, h := range res.Hits {
		if !strings.Contains(h.Fragments["body"][0], "<mark>port</mark>") {
			t.Errorf("hit %s without port among the top: %v", h.ID, h.Fragments["body"])
		}
	}
}

// A word being typed that starts 40 words, each read in the content and
// the title, is a disjunction of ~80 clauses, which a pass walks through a
// heap: its pages (hits and scores, in order), totals and facets are
// those of the clauses looked at one by one (Options.NoHeap), ranked,
// sorted by date, with other words, excluded ones and a later page, and
// the passes say they set the heap up.
func TestManyClausesWalkedByHeap(t *testing.T) {
	var starts []string
	for i := range 40 {
		starts = append(starts, fmt.Sprintf("sc%c%calp", 'a'+i/6, 'a'+i%6))
	}
	articles := fillerArticles(t, rand.NewPCG(31, 9), func(i int, words func(int) string, rng *rand.Rand) string {
		body := words(20 + rng.IntN(60))
		for range 1 + rng.IntN(3) {
			body += " " + starts[rng.IntN(len(starts))]
		}
		if i%7 == 0 {
			body = "court court " + body
		}
		return body
	})
	dir := buildPruning(t, articles)
	var heaped atomic.Int64
	heap := openIndex(t, dir, Options{ExactCount: pruneCount, Heaped: func(n int) { heaped.Add(int64(n)) }})
	scan := openIndex(t, dir, Options{ExactCount: pruneCount, NoHeap: true})
	for _, req := range []search.Request{
		{Query: "sc"}, {Query: "sc", Page: 3}, {Query: "court sc"}, {Query: "sc", Exact: true},
		{Query: "sc", Sort: search.SortNewest}, {Query: "-court sc"}, {Query: "scab"},
	} {
		req.NoCollapse = true
		if err := req.Validate(); err != nil {
			t.Fatal(err)
		}
		got, want := heap.must(t, req), scan.must(t, req)
		if got.Total != want.Total || got.TotalExact != want.TotalExact || !reflect.DeepEqual(got.Facets, want.Facets) {
			t.Errorf("%q: total %d (exact %v) by heap, %d (%v) one by one; facets equal: %v", req.Query,
				got.Total, got.TotalExact, want.Total, want.TotalExact, reflect.DeepEqual(got.Facets, want.Facets))
		}
		if len(got.Hits) != len(want.Hits) || len(got.Hits) == 0 {
			t.Fatalf("%q: %d hits by heap, %d one by one", req.Query, len(got.Hits), len(want.Hits))
		}
		for i := range want.Hits {
			if g, w := got.Hits[i], want.Hits[i]; g.ID != w.ID || g.Score != w.Score || !reflect.DeepEqual(g.Fragments, w.Fragments) {
				t.Errorf("%q page %d: hit %d is %s (%v) by heap, %s (%v) one by one", req.Query, req.Page, i+1, g.ID, g.Score, w.ID, w.Score)
			}
		}
	}
	if heaped.Load() == 0 {
		t.Error("no pass set a heap of its clauses up")
	}
}
