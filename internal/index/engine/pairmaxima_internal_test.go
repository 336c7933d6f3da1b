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

	bsearch "github.com/blevesearch/bleve/v2/search"

	"github.com/newsfind/newsfind/internal/index/bm25"
	"github.com/newsfind/newsfind/internal/index/schema"
	"github.com/newsfind/newsfind/internal/search"
)

// writePairCorpus writes n articles of which two in five hold "new", two
// in five "year", and as many "said" and "people", each a few times; one
// in thirty-two holds "new year" too, and those are longer and hold the
// words less often than the others, so the articles the words score best
// in are seldom those holding the pair; "people said" stands together in
// one in six.
func writePairCorpus(t *testing.T, path string, n int) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	enc := json.NewEncoder(f)
	rng := rand.New(rand.NewPCG(7, 11))
	fill := strings.Fields("market government world report police court party price bank trade city team")
	for i := range n {
		paired := i%32 == 3
		var words []string
		most, fills := 12, 40
		if paired {
			most, fills = 2, 150
		}
		for _, w := range []string{"new", "year", "said", "people"} {
			if rng.IntN(5) < 2 {
				for range 1 + rng.IntN(most) {
					words = append(words, w)
				}
			}
		}
		for range fills + rng.IntN(120) {
			words = append(words, fill[rng.IntN(len(fill))])
		}
		rng.Shuffle(len(words), func(a, b int) { words[a], words[b] = words[b], words[a] })
		for k := 1; k < len(words); k++ { // no pair by chance
			if words[k-1] == "new" && words[k] == "year" || words[k-1] == "people" && words[k] == "said" {
				words[k-1], words[0] = words[0], words[k-1]
			}
		}
		body := "Report. " + strings.Join(words, " ") + "."
		if paired {
			body += " A new year."
		}
		if i%6 == 1 {
			body += " People said so."
		}
		a := map[string]any{
			"title":  fmt.Sprintf("Report %d", i),
			"body":   body,
			"source": []string{"Alpha Wire", "Beta News"}[i%2],
		}
		if err := enc.Encode(a); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

// A pair of common words as common as the stems with block maxima has
// maxima of its own, its words' over the articles holding it, and every
// such article scores each word at most what they bound, which is less
// than the word's own in some blocks. (TestBlockMaximaAfterUpdate checks
// them after an update too.)
func TestPairMaximaBoundEveryScore(t *testing.T) {
	articles := t.TempDir()
	writePairCorpus(t, filepath.Join(articles, "news.jsonl"), 3000)
	ix := openIndex(t, buildPruning(t, articles), Options{ExactCount: pruneCount})
	for _, pair := range [][2]string{{"new", "year"}, {"peopl", "said"}} {
		checked, lower := pairBoundsHold(t, ix, pair)
		if checked < 90 || lower == 0 {
			t.Errorf("%s+%s: %d scores checked; the pair's maxima below the word's own in %d blocks", pair[0], pair[1], checked, lower)
		}
	}
}

// pairBoundsHold checks that every article holding pair on ix scores
// each of its words at most what the pair's maxima bound in its block. It
// returns how many scores it checked, and in how many blocks the pair's
// maxima are below the word's own.
func pairBoundsHold(t *testing.T, ix *testIndex, pair [2]string) (checked, lower int) {
	t.Helper()
	ctx := ix.scoringContext(context.Background())
	term := pair[0] + "+" + pair[1]
	holds := map[uint64]bool{}
	tr, err := openPostings(ctx, ix.reader, term, schema.Pairs, false, false, false)
	if err != nil {
		t.Fatal(err)
	}
	for {
		d, err := tr.Next(nil)
		if err != nil {
			t.Fatal(err)
		}
		if d == nil {
			break
		}
		holds[d.ID.Value()] = true
	}
	tr.Close()
	for _, stem := range pair {
		// A word as typed counts its title and exact forms; in a quoted
		// phrase, its content occurrences alone.
		for _, content := range []bool{false, true} {
			row := ix.impacts.Row(rowKey(stem, term, content))
			if row == nil {
				t.Fatalf("no maxima of %s over the articles holding %s (content alone: %v)", stem, term, content)
			}
			q := wordsQuery(ix.analyzer, stem, false)
			if content {
				q = fieldQuery(ix.analyzer, schema.Content, stem, false)
			}
			s, err := q.Searcher(ctx, ix.reader, ix.idx.Mapping(), bsearch.SearcherOptions{})
			if err != nil {
				t.Fatal(err)
			}
			bs := s.(*bm25Searcher)
			w, own := bs.weights[0], bs.rows[0]
			eachMatch(t, s, func(d *bsearch.DocumentMatch) {
				doc := d.IndexInternalID.Value()
				j, _ := ix.impacts.Block(doc)
				if holds[doc] {
					if bound := bm25.Bound(w) * float64(row[j]) / 255; d.Score > bound {
						t.Errorf("%s: article %d scores %v for %s (content alone: %v), above the pair's bound %v in its block", term, doc, d.Score, stem, content, bound)
					}
					checked++
				}
				if row[j] < own[j] {
					lower++
				}
			})
		}
	}
	return checked, lower
}

// Searches of a common pair, as typed (its phrase a bonus) and quoted,
// give the same pages with the pair's maxima as with the words' alone and
// as counting every match, and skip more blocks of articles: of 3,000,
// two in five hold each word, 94 hold "new year". A search as typed
// scores fewer articles too; a quoted one passed over those it skips
// without them (see passOver), but read the words' postings there.
func TestPairMaximaSkipBlocks(t *testing.T) {
	articles := t.TempDir()
	writePairCorpus(t, filepath.Join(articles, "news.jsonl"), 3000)
	dir := buildPruning(t, articles)
	var scored, skipped [2]atomic.Int64 // with, without the pair's maxima
	with := openIndex(t, dir, Options{ExactCount: pruneCount,
		Scored: func(n int) { scored[0].Add(int64(n)) }, SkippedBlocks: func(n int) { skipped[0].Add(int64(n)) }})
	without := openIndex(t, dir, Options{ExactCount: pruneCount, NoPairMaxima: true,
		Scored: func(n int) { scored[1].Add(int64(n)) }, SkippedBlocks: func(n int) { skipped[1].Add(int64(n)) }})
	var reqs []search.Request
	for _, q := range []string{"new year ", "new year", `"new year" `, "people said ", `"people said" `, "new year people said ", "new yea", "year new "} {
		reqs = append(reqs, search.Request{Query: q}, search.Request{Query: q, Page: 3},
			search.Request{Query: q, Filters: search.Filters{Sources: []string{"Beta News"}}})
	}
	with.sameAs(t, without, "without pair maxima", reqs)
	samePages(t, with, reqs)
	for _, q := range []string{"new year ", `"new year" `, "people said "} {
		for k := range 2 {
			scored[k].Store(0)
			skipped[k].Store(0)
		}
		with.must(t, search.Request{Query: q})
		without.must(t, search.Request{Query: q})
		t.Logf("%q: with the pair's maxima %d articles scored, %d blocks skipped; without %d and %d",
			q, scored[0].Load(), skipped[0].Load(), scored[1].Load(), skipped[1].Load())
		if skipped[0].Load() < 2*skipped[1].Load()+10 {
			t.Errorf("%q: %d blocks skipped with the pair's maxima, %d without: they bound little", q, skipped[0].Load(), skipped[1].Load())
		}
		if !strings.HasPrefix(q, `"`) && scored[0].Load()*5 > scored[1].Load()*4 {
			t.Errorf("%q: %d articles scored with the pair's maxima, %d without: they bound little", q, scored[0].Load(), scored[1].Load())
		}
	}
}
