package index_test

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/newsfind/newsfind/internal/index"
	"github.com/newsfind/newsfind/internal/index/indextest"
	"github.com/newsfind/newsfind/internal/search"
)

// The typed-query suite: what people type into a search box (typos,
// prefixes, names, operators, phrases with stop words, accents), run on
// the seed articles and on the BBC corpus. Every expectation is found the
// way grep would find it, by regular expressions over the article files,
// never by reading newsfind's output: a case states the articles that must
// be among the hits (a strict pattern) and, where the index's stemming
// makes the exact set fuzzy, the articles the hits must stay within (a
// looser pattern).

// files is an article folder read as grep reads it: relative path → text.
type files map[string]string

func readFiles(t testing.TB, dir string) files {
	t.Helper()
	out := files{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".txt") || strings.EqualFold(d.Name(), "README.TXT") {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		out[filepath.ToSlash(rel)] = string(b)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// where returns the files whose text satisfies p.
func (f files) where(p pred) map[string]bool {
	out := map[string]bool{}
	for id, text := range f {
		if p(text) {
			out[id] = true
		}
	}
	return out
}

// pred is a grep-like test of an article file's text.
type pred func(text string) bool

// re holds where the case-insensitive regular expression pattern matches.
func re(pattern string) pred {
	r := regexp.MustCompile("(?i)" + pattern)
	return r.MatchString
}

// word holds where w occurs as a whole word, in any case.
func word(w string) pred { return re(`\b` + regexp.QuoteMeta(w) + `\b`) }

func all(ps ...pred) pred {
	return func(s string) bool {
		for _, p := range ps {
			if !p(s) {
				return false
			}
		}
		return true
	}
}

func any(ps ...pred) pred {
	return func(s string) bool {
		for _, p := range ps {
			if p(s) {
				return true
			}
		}
		return false
	}
}

func not(p pred) pred { return func(s string) bool { return !p(s) } }

// typedCase is one search as typed, and what grep says it must find.
type typedCase struct {
	q string
	// atLeast: every file where it holds is a hit (nil: no bound).
	atLeast pred
	// atMost: every hit is a file where it holds (nil: no bound).
	atMost pred
	// first: the first n hits (n = firstN, 1 when 0) are files where it holds.
	first  pred
	firstN int
	// empty: nothing matches.
	empty bool
}

// seedCases run on the seed articles.
var seedCases = []typedCase{
	{q: "Norov", atLeast: word("norov"), atMost: word("norov")},
	{q: "norov", atLeast: word("norov"), atMost: word("norov")},
	{q: "Qin Gang", first: all(word("qin"), word("gang"))},
	{q: `"Shanghai Spirit"`, atLeast: re(`shanghai\s+spirit`), atMost: re(`shanghai\s+spirit`)},
	{q: "cooperation -Uzbekistan", atLeast: all(re(`\bcooperat`), not(word("uzbekistan"))), atMost: not(word("uzbekistan"))},
	{q: "title:proposals", atLeast: re(`four proposals`), first: re(`four proposals`)},
	{q: `person:"Wang Yi"`, atLeast: word("wang yi"), atMost: word("wang yi")},
	{q: "org:SCO", atLeast: any(word("sco"), re(`shanghai cooperation organi[sz]ation`))},
	{q: "place:Beijing", atMost: word("beijing")},
	{q: "zzyzx", empty: true},
}

// bbcCases run on the BBC corpus.
var bbcCases = []typedCase{
	{q: "election", first: word("election"), firstN: 5},
	{q: "tony blair", first: all(word("tony"), word("blair")), firstN: 5},
	{q: `"prime minister"`, atLeast: re(`prime\s+minister`), atMost: re(`prime\s+minister`)},
	{q: `"gordon brown"`, atLeast: re(`gordon\s+brown`), atMost: re(`gordon\s+brown`)},
	{q: "blair -brown", atMost: not(re(`\bbrown`))},
	{q: "title:oscar", first: re(`oscar`)},
	{q: "mobile phones", first: all(re(`\bmobile`), re(`\bphone`)), firstN: 3},
	{q: "chancellor budget", first: all(word("chancellor"), re(`\bbudget`)), firstN: 3},
	{q: "xqzzyk", empty: true},
}

// openBBC indexes the BBC corpus, or skips the test where it is absent.
func openBBC(t *testing.T) (*index.Index, files) {
	t.Helper()
	dir := bbcDir(t)
	ix, _ := indextest.Build(t, dir)
	return ix, readFiles(t, dir)
}

func TestTypedQueriesSeeds(t *testing.T) {
	dir := indextest.SeedsDir(t)
	ix, _ := indextest.Build(t, dir)
	runTyped(t, ix, readFiles(t, dir), seedCases)
}

func TestTypedQueriesBBC(t *testing.T) {
	ix, f := openBBC(t)
	runTyped(t, ix, f, bbcCases)
}

// runTyped runs each case on ix and checks it against the files.
func runTyped(t *testing.T, ix *index.Index, f files, cases []typedCase) {
	for _, c := range cases {
		t.Run(c.q, func(t *testing.T) {
			hits, res := allHits(t, ix, c.q)
			if c.empty {
				if len(hits) != 0 {
					t.Errorf("%q found %d articles, want none", c.q, len(hits))
				}
				return
			}
			if len(hits) == 0 {
				t.Fatalf("%q found nothing", c.q)
			}
			found := map[string]bool{}
			for _, id := range hits {
				found[id] = true
			}
			if c.atLeast != nil {
				for id := range f.where(c.atLeast) {
					if !found[id] {
						t.Errorf("%q misses %s", c.q, id)
					}
				}
			}
			if c.atMost != nil {
				for _, id := range hits {
					if !c.atMost(f[id]) {
						t.Errorf("%q finds %s, which grep says it should not", c.q, id)
					}
				}
			}
			if c.first != nil {
				n := max(c.firstN, 1)
				for i, id := range hits[:min(n, len(hits))] {
					if !c.first(f[id]) {
						t.Errorf("%q: hit %d is %s, which lacks what the first %d hits need", c.q, i+1, id, n)
					}
				}
			}
			_ = res
		})
	}
}

// allHits pages through every hit of q, best first.
func allHits(t *testing.T, ix *index.Index, q string) ([]string, search.Result) {
	t.Helper()
	var ids []string
	var first search.Result
	for page := 1; ; page++ {
		res, err := ix.Search(context.Background(), search.Request{Query: q, Page: page, Size: search.MaxSize, NoFacets: true})
		if err != nil {
			t.Fatalf("search %q: %v", q, err)
		}
		if page == 1 {
			first = res
		}
		for _, h := range res.Hits {
			ids = append(ids, h.ID)
		}
		if len(res.Hits) < search.MaxSize || uint64(len(ids)) >= res.Total {
			return ids, first
		}
	}
}
