package engine

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	index "github.com/blevesearch/bleve_index_api"

	"github.com/newsfind/newsfind/internal/index/gen"
	"github.com/newsfind/newsfind/internal/index/schema"
	"github.com/newsfind/newsfind/internal/search"
)

// postingsReader reads what scorch's term field reader reads, term by
// term, with and without frequencies, norms and locations, stepping and
// advancing to targets across zap's chunks, on segments with deleted
// articles.
func TestPostingsReaderMatchesScorch(t *testing.T) {
	ix := openUpdatedZipf(t, 6000)
	snap := ix.reader.(*scorch.IndexSnapshot)
	jumpable := 0 // terms read across 3 chunks or more by a jumping reader
	chunked := 0  // such terms read by zapread
	rng := rand.New(rand.NewPCG(8, 3))
	for _, term := range []string{"new", "year", "said", "peopl", "harbour", "quill", "quartz", "cooper", "nosuchterm"} {
		// The fourth: freq, norm, and lazy (entries decoded when asked,
		// for some postings only).
		for _, opts := range [][4]bool{{true, true, true}, {true, true, false}, {false, false, true}, {false, false, false}, {true, true, false, true}} {
			r, err := openPostings(context.Background(), snap, term, schema.Content, opts[0], opts[1], opts[2])
			if err != nil {
				t.Fatal(err)
			}
			lazy := r.(*postingsReader)
			lazy.lazy = opts[3]
			want, err := snap.TermFieldReader(context.Background(), []byte(term), schema.Content, opts[0], opts[1], opts[2])
			if err != nil {
				t.Fatal(err)
			}
			if r.Count() != want.Count() {
				t.Errorf("%s: count %d, scorch's %d", term, r.Count(), want.Count())
			}
			for _, s := range r.(*postingsReader).segs {
				if s.chunk > 0 && s.zap.ActualBM.Maximum()/uint32(s.chunk) >= 2 {
					jumpable++
					if s.chunks != nil {
						chunked++
					}
				}
			}
			// Step and advance alike, to targets near and far.
			var got, exp *index.TermFieldDoc
			for step := 0; ; step++ {
				if step%3 == 0 || exp == nil {
					got, err = r.Next(nil)
					if err == nil {
						exp, err = want.Next(nil)
					}
				} else {
					target := index.NewIndexInternalID(nil, exp.ID.Value()+1+uint64(rng.ExpFloat64()*[]float64{3, 300, 3000}[step%3]))
					got, err = r.Advance(target, nil)
					if err == nil {
						exp, err = want.Advance(target, nil)
					}
				}
				if err != nil {
					t.Fatal(err)
				}
				if got == nil || exp == nil {
					if got != exp {
						t.Fatalf("%s %v step %d: %v, scorch's %v", term, opts, step, got, exp)
					}
					break
				}
				if opts[3] && step%4 == 1 { // (passed over undecoded)
					if !got.ID.Equals(exp.ID) {
						t.Fatalf("%s %v step %d: article %d, scorch's %d", term, opts, step, got.ID.Value(), exp.ID.Value())
					}
					continue
				}
				if err := lazy.entry(got); err != nil {
					t.Fatal(err)
				}
				if !sameTermFieldDoc(got, exp) {
					t.Fatalf("%s %v step %d: %s, scorch's %s", term, opts, step, describe(got), describe(exp))
				}
			}
			_ = want.Close()
		}
	}
	if jumpable == 0 {
		t.Error("no postings list spans 3 chunks: nothing was jumped over")
	}
	if chunked == 0 {
		t.Error("no postings list was read a chunk at a time (zapread)")
	}
}

func describe(d *index.TermFieldDoc) string {
	return fmt.Sprintf("article %d, tf %d, norm %g, %d locations", d.ID.Value(), d.Freq, d.Norm, len(d.Vectors))
}

func sameTermFieldDoc(a, b *index.TermFieldDoc) bool {
	if !a.ID.Equals(b.ID) || a.Freq != b.Freq || a.Norm != b.Norm || len(a.Vectors) != len(b.Vectors) {
		return false
	}
	for i := range a.Vectors {
		if !reflect.DeepEqual(*a.Vectors[i], *b.Vectors[i]) {
			return false
		}
	}
	return true
}

// openUpdatedZipf builds an index of n generated articles (see
// writeZipfCorpus), then changes some of them, so that segments hold
// deleted articles, and opens it.
func openUpdatedZipf(t *testing.T, n int) *testIndex {
	t.Helper()
	articles := t.TempDir()
	corpus := filepath.Join(articles, "news.jsonl")
	writeZipfCorpus(t, corpus, n)
	dir := filepath.Join(t.TempDir(), "index")
	if _, err := gen.Build(context.Background(), gen.Config{Articles: articles, Index: dir}); err != nil {
		t.Fatal(err)
	}
	// scorch's merger may merge the deleted articles away: change others
	// until an opened generation has some (a few rounds at most).
	for round := range 5 {
		data, err := os.ReadFile(corpus)
		if err != nil {
			t.Fatal(err)
		}
		lines := bytes.SplitAfter(data, []byte("\n"))
		for i := 7 + round; i < len(lines); i += 97 {
			lines[i] = bytes.Replace(lines[i], []byte(`"body":"`), []byte(`"body":"harbour quill `), 1)
		}
		if err := os.WriteFile(corpus, bytes.Join(lines, nil), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := gen.Update(context.Background(), gen.Config{Articles: articles, Index: dir}); err != nil {
			t.Fatal(err)
		}
		ix := openIndex(t, dir, Options{})
		for _, s := range ix.reader.(*scorch.IndexSnapshot).Segments() {
			if s.Deleted() != nil && !s.Deleted().IsEmpty() {
				return ix
			}
		}
	}
	t.Fatal("no segment has deleted articles after 5 updates")
	return nil
}

// Words searched with filters of values or a date range keep to the
// articles that pass them: the hits are those of the words alone that
// pass, in the same order with the same scores, and the total is what the
// words' facets count for the value; the filter's articles read from
// bleve's searcher (its date range query, for a range) are those read
// from the postings' bitmaps.
func TestFilteredWordsPassFilters(t *testing.T) {
	ix := openUpdatedZipf(t, 3000)
	ctx := context.Background()
	for _, words := range []string{"new year", "harbour police", "said", "quill", "quartz", "market"} {
		all, err := ix.Search(ctx, search.Request{Query: words, Exact: true, NoCollapse: true, Size: search.MaxSize, Page: 1})
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range []search.Filters{
			{Sources: []string{"Beta News"}},
			{Years: []int{2021}},
			{Sources: []string{"Alpha Wire", "Gamma Daily"}, Years: []int{2020, 2022}},
			{Sources: []string{"Nobody"}},
			{DateFrom: day(2020, 3, 1), DateTo: day(2021, 8, 15)},
			{DateFrom: day(2022, 2, 10)},
			{DateTo: day(2019, 6, 30), Years: []int{2019}},
			{Sources: []string{"Beta News"}, DateFrom: day(2021, 5, 3), DateTo: day(2021, 5, 9)},
		} {
			pass := func(h search.Hit) bool {
				d := h.Date.Truncate(24 * time.Hour) // the corpus's articles are filed at noon UTC
				return (f.Sources == nil || slices.Contains(f.Sources, h.Source)) && (f.Years == nil || slices.Contains(f.Years, h.Date.Year())) &&
					(f.DateFrom.IsZero() || !d.Before(f.DateFrom)) && (f.DateTo.IsZero() || !d.After(f.DateTo))
			}
			var want []search.Hit
			for _, h := range all.Hits {
				if pass(h) && len(want) < 10 {
					want = append(want, h)
				}
			}
			for _, exact := range []bool{true, false} {
				got, err := ix.Search(ctx, search.Request{Query: words, Filters: f, Exact: exact, NoCollapse: true, Size: 10, Page: 1})
				if err != nil {
					t.Fatal(err)
				}
				// (unless the words' first hits hold too few that pass)
				if known := len(want) == 10 || len(all.Hits) < search.MaxSize; known && len(got.Hits) != len(want) {
					t.Errorf("%q %+v: %d hits, want %d", words, f, len(got.Hits), len(want))
				}
				for i := range min(len(got.Hits), len(want)) {
					if g, w := got.Hits[i], want[i]; g.ID != w.ID || g.Score != w.Score {
						t.Errorf("%q %+v: hit %d is %s (%v), want %s (%v)", words, f, i+1, g.ID, g.Score, w.ID, w.Score)
					}
				}
				if !got.TotalExact {
					t.Errorf("%q %+v: total not exact", words, f)
				}
				if (len(f.Sources) == 1 && f.Years == nil || len(f.Years) == 1 && f.Sources == nil) && f.DateFrom.IsZero() && f.DateTo.IsZero() {
					kind, value := "source", strings.Join(f.Sources, "")
					if f.Years != nil {
						kind, value = "year", strconv.Itoa(f.Years[0])
					}
					var want uint64
					for _, fc := range all.Facets[kind] {
						if fc.Value == value {
							want = uint64(fc.Count)
						}
					}
					if got.Total != want {
						t.Errorf("%q %+v: total %d, the words' %s facet counts %d", words, f, got.Total, kind, want)
					}
				}
			}
			for _, g := range filterGroups(f) {
				fromPostings, err := passing(ctx, ix.reader, ix.idx.Mapping(), []filterGroup{g})
				if err != nil {
					t.Fatal(err)
				}
				fromSearcher, err := searcherSet(ctx, ix.reader, ix.idx.Mapping(), g.query())
				if err != nil {
					t.Fatal(err)
				}
				if !fromPostings.Equals(fromSearcher) {
					t.Errorf("%+v: %d articles from the postings, %d from bleve's searcher", g, fromPostings.GetCardinality(), fromSearcher.GetCardinality())
				}
			}
		}
	}
}

// day returns the calendar day y-m-d, as date filters give it.
func day(y, m, d int) time.Time { return time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC) }

// Words with a date range skip what cannot enter the page, as with a
// filter of values: the range's articles come from the Day field's
// postings bitmaps (see schema.DayTerms), so the words' searcher counts its
// matches in range exactly without scoring them, where bleve's conjunction
// with its range searcher scored every one.
func TestDateRangesSkipAsFilters(t *testing.T) {
	_, sc := newScoring(t)
	for _, c := range []struct {
		words    string
		from, to time.Time
	}{
		{"new year", day(2020, 1, 1), day(2022, 6, 30)},
		{"market price", day(2021, 3, 1), time.Time{}},
		{"economy growth", time.Time{}, day(2021, 12, 31)},
	} {
		res := sc.search(t, search.Request{Query: c.words, NoTypo: true, Filters: search.Filters{DateFrom: c.from, DateTo: c.to}})
		if !res.TotalExact || res.Total < 100 {
			t.Errorf("%q from %v to %v: total %d (exact %v); want an exact count of many", c.words, c.from, c.to, res.Total, res.TotalExact)
		}
	}
	sc.fewerThanMatched(t)
}

// The union of postings bitmaps is what reading the postings gives, on a
// generation of several segments with deleted articles (segments start at
// numbers that are not multiples of 64, so each union is shifted across
// words), and a second union, from the pooled words, is the same.
func TestUnionIsThePostingsRead(t *testing.T) {
	ix := openUpdatedZipf(t, 6000)
	snap := ix.reader.(*scorch.IndexSnapshot)
	unaligned := false
	for _, s := range snap.Segments() {
		unaligned = unaligned || s.FullSize()%64 != 0
	}
	if len(snap.Segments()) < 2 || !unaligned {
		t.Fatalf("%d segments, unaligned %v: the union is not shifted across words", len(snap.Segments()), unaligned)
	}
	for _, terms := range [][]string{{"harbour"}, {"new", "year"}, {"quill", "quartz", "harbour"}, {"said"}, {"nosuchterm"}} {
		open := func() []index.TermFieldReader {
			var rs []index.TermFieldReader
			for _, term := range terms {
				r, err := openPostings(context.Background(), snap, term, schema.Content, false, false, false)
				if err != nil {
					t.Fatal(err)
				}
				rs = append(rs, r)
			}
			return rs
		}
		want := roaring.New()
		for _, r := range open() {
			for {
				d, err := r.Next(nil)
				if err != nil {
					t.Fatal(err)
				}
				if d == nil {
					break
				}
				want.Add(uint32(d.ID.Value()))
			}
		}
		for range 2 {
			if got := unionOf(open()); got == nil || !got.Equals(want) {
				t.Fatalf("%v: union of %d articles, %d read", terms, got.GetCardinality(), want.GetCardinality())
			}
		}
	}
}
