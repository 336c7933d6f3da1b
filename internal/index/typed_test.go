package index_test

import (
	"context"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/kljensen/snowball"

	"github.com/newsfind/newsfind/internal/analyze"
	"github.com/newsfind/newsfind/internal/index"
	"github.com/newsfind/newsfind/internal/index/indextest"
	"github.com/newsfind/newsfind/internal/index/spell"
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

// sp matches the space between words, no-break spaces included (Go's \s
// is ASCII only).
const sp = `[\s\x{00a0}]+`

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
	// didYouMean, when set, is the correction the result must offer.
	didYouMean string
	// suggest, when set, is the first suggestion /api/suggest must give
	// for q.
	suggest string
	// req adjusts the request (e.g. prefix matching off for a whole word).
	req func(*search.Request)
}

// complete searches q as a complete text: its last word is not a prefix.
func complete(r *search.Request) { r.NoPrefix = true }

// seedCases run on the seed articles.
var seedCases = []typedCase{
	{q: "Norov", atLeast: word("norov"), atMost: word("norov")},
	{q: "norov", atLeast: word("norov"), atMost: word("norov")},
	{q: "Qin Gang", first: all(word("qin"), word("gang"))},
	{q: `"Shanghai Spirit"`, atLeast: re(`shanghai` + sp + `spirit`), atMost: re(`shanghai` + sp + `spirit`)},
	{q: "cooperation -Uzbekistan", atLeast: all(re(`\bcooperat`), not(word("uzbekistan"))), atMost: not(word("uzbekistan"))},
	{q: "title:proposals", atLeast: re(`four proposals`), first: re(`four proposals`)},
	{q: `person:"Wang Yi"`, atLeast: word("wang yi"), atMost: word("wang yi")},
	{q: "org:SCO", atLeast: any(word("sco"), re(`shanghai cooperation organi[sz]ation`))},
	{q: "place:Beijing", atMost: word("beijing")},
	{q: "zzyzx", empty: true},
	// Typos: corrected from the archive's own words.
	{q: "Norvo", atLeast: word("norov"), atMost: word("norov"), didYouMean: "Norov"},
	{q: "Shanghia", first: word("shanghai"), didYouMean: "Shanghai"},
	{q: "Uzbekistn", atLeast: word("uzbekistan"), didYouMean: "Uzbekistan"},
	{q: "secretery general", first: word("secretary"), didYouMean: "secretary general"},
	{q: "Alimv", req: complete, first: word("alimov"), didYouMean: "Alimov"},
	// Prefixes: the word being typed, and word*.
	{q: "Shangh", atLeast: word("shanghai")},
	{q: "Noro", atLeast: word("norov")},
	{q: "diplom*", atLeast: re(`\bdiplom`), atMost: re(`\bdiplom`)},
	{q: "Wang Yi Uzbek", first: word("uzbekistan")},
	// Operators.
	{q: "Norov AND Uzbekistan", atLeast: all(word("norov"), word("uzbekistan")), atMost: all(word("norov"), word("uzbekistan"))},
	{q: "Norov OR Qin ", atLeast: any(word("norov"), word("qin")), atMost: any(word("norov"), word("qin"))},
	{q: "NOT Norov", atLeast: not(word("norov")), atMost: not(word("norov"))},
	{q: "-Norov ", atLeast: not(word("norov")), atMost: not(word("norov"))},
	{q: "(Norov OR Qin) AND Beijing", atLeast: all(any(word("norov"), word("qin")), word("beijing")), atMost: all(any(word("norov"), word("qin")), word("beijing"))},
	{q: "+Beijing Norov ", atLeast: word("beijing"), atMost: word("beijing")},
	{q: "Norov and Uzbekistan ", atLeast: any(word("norov"), word("uzbekistan"))},
	{q: "Norov AND", atLeast: word("norov")},
	{q: "((Norov", atLeast: word("norov")},
	// Field names and entity values in any case.
	{q: "org:sco", atLeast: any(word("sco"), re(`shanghai cooperation organi[sz]ation`))},
	{q: "ORG:SCO", atLeast: any(word("sco"), re(`shanghai cooperation organi[sz]ation`))},
	{q: `org:"shanghai cooperation organization"`, atLeast: any(word("sco"), re(`shanghai cooperation organi[sz]ation`))},
	{q: "Title:Norov", first: word("norov")},
	// Stop words in phrases, and alone.
	{q: `"the Shanghai Cooperation Organization"`, atLeast: re(`the` + sp + `shanghai` + sp + `cooperation` + sp + `organi[sz]ation`), atMost: re(`the` + sp + `shanghai` + sp + `cooperation` + sp + `organi[sz]ation`)},
	{q: `"of the SCO"`, atLeast: re(`of` + sp + `the` + sp + `sco\b`), atMost: re(`of` + sp + `the` + sp + `sco\b`)},
	{q: "the ", atMost: word("the")},
	// Names are not stems: the exact form first.
	{q: "cooperation ", first: word("cooperation"), firstN: 5},
	// Suggestions.
	{q: "Shangh", suggest: "shanghai"},
	{q: "wang y", suggest: "Wang Yi"},
}

// bbcCases run on the BBC corpus.
var bbcCases = []typedCase{
	{q: "election", first: word("election"), firstN: 5},
	{q: "tony blair", first: all(word("tony"), word("blair")), firstN: 5},
	{q: `"prime minister"`, atLeast: re(`prime` + sp + `minister`), atMost: re(`prime` + sp + `minister`)},
	{q: `"gordon brown"`, atLeast: re(`gordon` + sp + `brown`), atMost: re(`gordon` + sp + `brown`)},
	{q: "blair -brown", atMost: not(re(`\bbrown`))},
	{q: "title:oscar", first: re(`oscar`)},
	{q: "mobile phones", first: all(re(`\bmobile`), re(`\bphone`)), firstN: 3},
	{q: "chancellor budget", first: all(word("chancellor"), re(`\bbudget`)), firstN: 3},
	{q: "xqzzyk", empty: true},
	// Typos.
	{q: "goverment", first: word("government"), firstN: 3, didYouMean: "government"},
	{q: "elecion", first: word("election"), firstN: 3, didYouMean: "election"},
	{q: "parliment", first: word("parliament"), firstN: 3, didYouMean: "parliament"},
	{q: "Hollywod", first: word("hollywood"), firstN: 3, didYouMean: "Hollywood"},
	{q: "chancelor", first: word("chancellor"), firstN: 3, didYouMean: "chancellor"},
	{q: "footbal", req: complete, first: word("football"), firstN: 3}, // the stem of football
	{q: "goverment spending", first: all(word("government"), word("spending")), didYouMean: "government spending"},
	// Prefixes.
	{q: "parlia", first: re(`\bparlia`), firstN: 5},
	{q: "telev", first: re(`\btelev`), firstN: 5},
	{q: "micro*", atMost: re(`\bmicro`)},
	// Names are not stems.
	{q: "cooperation ", first: re(`\bco-?operation`), firstN: 5},
	// Operators.
	{q: "blair AND brown", atLeast: all(word("blair"), word("brown")), atMost: all(re(`\bblair`), re(`\bbrown`))},
	{q: "blair OR brown", atLeast: any(word("blair"), word("brown")), atMost: any(re(`\bblair`), re(`\bbrown`))},
	{q: "NOT blair", atMost: not(word("blair"))},
	{q: "(blair OR howard) AND election", atMost: all(any(re(`\bblair`), re(`\bhoward`)), re(`\belect`))},
	// Typos inside operators are corrected as outside them.
	{q: "goverment AND brown", atLeast: all(word("government"), word("brown")), atMost: all(re(`\bgovern`), re(`\bbrown`)), didYouMean: "government AND brown"},
	{q: "(elecion OR vote) AND blair", first: all(word("election"), word("blair")), atMost: all(any(re(`\belect`), re(`\bvot`)), re(`\bblair`)), didYouMean: "(election OR vote) AND blair"},
	// Stop words where they matter.
	{q: `"The Who"`, atLeast: re(`\bthe` + sp + `who\b`), atMost: re(`\bthe` + sp + `who\b`)},
	{q: `"house of commons"`, atLeast: re(`house` + sp + `of` + sp + `commons`), atMost: re(`house` + sp + `of` + sp + `commons`)},
	{q: "the who ", first: all(word("the"), word("who")), firstN: 5, atMost: any(word("the"), word("who"))},
	{q: `"chancellor of the exchequer"`, atLeast: re(`chancellor` + sp + `of` + sp + `the` + sp + `exchequer`), atMost: re(`chancellor` + sp + `of` + sp + `the` + sp + `exchequer`)},
	{q: `"secretary of state"`, atLeast: re(`\bsecretary` + sp + `of` + sp + `state\b`), atMost: re(`\bsecretary` + sp + `of` + sp + `state\b`)},
	{q: `"one of the"`, atLeast: re(`\bone` + sp + `of` + sp + `the\b`)},
	// Names are not stems, when the name is its own stem: Major, not
	// majority; a plural is a form, not the word.
	{q: "major ", first: word("major"), firstN: 5},
	{q: "parliament ", first: word("parliament"), firstN: 5},
	// Suggestions.
	{q: "parlia", suggest: "parliament"},
	{q: "minis", suggest: "minister"},
	{q: "compan", suggest: "company"},
	{q: "electi", suggest: "election"},
	{q: "tony bla", suggest: "Tony Blair"},
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
	checkTitleSuggestions(t, ix, f, []string{"blair rej", "oscar nomin", "camera pho", "tory tax "})
	checkWordsOutrankCompletions(t, ix, f)
	checkPrefixesMatchTheirWords(t, ix, f)
}

// checkPrefixesMatchTheirWords checks, for words many articles hold, that
// the word as typed (the last word, so a prefix), and the word short of
// its last two letters, match the articles holding a word that starts
// with it ("governm": "government", whose stem "govern" does not start
// with "governm"), and only articles holding a word that starts with it
// or shares the stem of one that does ("governed"): not those holding
// only a word that starts with its stem ("election" is "elect", but
// "electronics" does not start with "election").
func checkPrefixesMatchTheirWords(t *testing.T, ix *index.Index, f files) {
	t.Helper()
	possessive := regexp.MustCompile(`['’]s$`)
	stem := func(w string) string { return snowballStem(t, w) }
	words := map[string]map[string]bool{} // per article, its words
	df := map[string]int{}
	for id, text := range f {
		words[id] = map[string]bool{}
		for _, w := range letterWords.FindAllString(strings.ToLower(text), -1) {
			w = possessive.ReplaceAllString(w, "")
			if !words[id][w] {
				words[id][w] = true
				df[w]++
			}
		}
	}
	var common []string
	for w, n := range df {
		if n >= 40 && len(w) >= 8 && !analyze.IsStopWord(w) {
			common = append(common, w)
		}
	}
	slices.Sort(common)
	if len(common) < 40 {
		t.Fatalf("only %d common words: %v", len(common), common)
	}
	checked := 0
	for i := 0; i < len(common); i += len(common) / 20 { // 20 of them, spread
		for _, p := range []string{common[i], common[i][:len(common[i])-2]} {
			stems := map[string]bool{} // of the words starting with p
			for w := range df {
				if strings.HasPrefix(w, p) {
					stems[stem(w)] = true
				}
			}
			if len(stems) > spell.MaxPrefixTerms/2 {
				continue // (the most held are kept)
			}
			hits, _ := allHits(t, ix, p, nil)
			found := map[string]bool{}
			for _, id := range hits {
				found[id] = true
			}
			for id, ws := range words {
				starts, related := false, false
				for w := range ws {
					starts = starts || strings.HasPrefix(w, p)
					related = related || stems[stem(w)]
				}
				if starts && !found[id] {
					t.Errorf("%q: %s holds a word starting with it but is not a hit", p, id)
					break
				}
				if found[id] && !starts && !related {
					t.Errorf("%q: hit %s holds no word starting with it, nor one sharing the stem of one that does (%v)", p, id, slices.Sorted(maps.Keys(stems)))
					break
				}
			}
			checked++
		}
	}
	t.Logf("%d prefixes of common words checked", checked)
}

// letterWords finds an article's words as grep would: letters, with
// apostrophes inside.
var letterWords = regexp.MustCompile(`\pL+(?:['’]\pL+)*`)

// snowballStem is w's snowball English stem, as the tests compute it
// apart from the index's analyzers.
func snowballStem(t *testing.T, w string) string {
	s, err := snowball.Stem(w, "english", false)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// checkWordsOutrankCompletions checks, for the words many articles hold
// that also start words only a few hold ("film": "filmography"), that a
// search for the word as typed (the last word, so also a prefix) fills
// its first page with articles holding the word in some form (the same
// snowball stem), not with those holding only a rare completion of it.
// (A stop word is not searched for itself: only its completions are.)
func checkWordsOutrankCompletions(t *testing.T, ix *index.Index, f files) {
	t.Helper()
	stem := func(w string) string { return snowballStem(t, w) }
	df := map[string]int{}
	stems := map[string]map[string]bool{} // per article, its words' stems
	for id, text := range f {
		seen := map[string]bool{}
		stems[id] = map[string]bool{}
		for _, w := range letterWords.FindAllString(strings.ToLower(text), -1) {
			stems[id][stem(w)] = true
			if !seen[w] {
				seen[w] = true
				df[w]++
			}
		}
	}
	var words []string
	for w, n := range df {
		if n < 30 || len(w) < 4 || analyze.IsStopWord(w) {
			continue
		}
		for c, m := range df {
			if m <= 3 && len(c) > len(w) && strings.HasPrefix(c, w) && stem(c) != stem(w) {
				words = append(words, w)
				break
			}
		}
	}
	slices.Sort(words)
	if len(words) < 20 {
		t.Fatalf("only %d words with rare completions: %v", len(words), words)
	}
	bad := 0
	for _, w := range words {
		res := indextest.Search(t, ix, search.Request{Query: w})
		st := stem(w)
		for i, h := range res.Hits {
			if !stems[h.ID][st] {
				bad++
				t.Errorf("%q: hit %d %s holds no word stemmed %q (%d articles do)", w, i+1, h.ID, st, df[w])
				break
			}
		}
	}
	t.Logf("%d words with rare completions, %d with a hit lacking the word", len(words), bad)
}

// checkTitleSuggestions checks that each query is completed by at least
// one title, and that every title offered is the first line of an article
// whose title holds the words typed (the last as a prefix while typed).
func checkTitleSuggestions(t *testing.T, ix *index.Index, f files, queries []string) {
	t.Helper()
	titles := map[string]bool{}
	for _, text := range f {
		titles[strings.TrimSpace(strings.SplitN(text, "\n", 2)[0])] = true
	}
	for _, q := range queries {
		got, err := ix.Suggest(context.Background(), search.SuggestRequest{Query: q})
		if err != nil {
			t.Fatal(err)
		}
		words := strings.Fields(q)
		n := 0
		for _, s := range got.Suggestions {
			if s.Kind != search.SuggestTitle {
				continue
			}
			n++
			if !titles[s.Text] {
				t.Errorf("%q: title %q is no article's title", q, s.Text)
			}
			for i, w := range words {
				p := `(?i)\b` + regexp.QuoteMeta(w)
				if i < len(words)-1 || strings.HasSuffix(q, " ") {
					p = `(?i)\b` + regexp.QuoteMeta(w[:len(w)-1]) // stemmed: tax, taxes
				}
				if !regexp.MustCompile(p).MatchString(s.Text) {
					t.Errorf("%q: title %q lacks %q", q, s.Text, w)
				}
			}
		}
		if n == 0 {
			t.Errorf("%q: no title among %+v", q, got.Suggestions)
		}
	}
}

// runTyped runs each case on ix and checks it against the files.
func runTyped(t *testing.T, ix *index.Index, f files, cases []typedCase) {
	for _, c := range cases {
		t.Run(c.q, func(t *testing.T) {
			if c.suggest != "" {
				got, err := ix.Suggest(context.Background(), search.SuggestRequest{Query: c.q})
				if err != nil {
					t.Fatal(err)
				}
				if len(got.Suggestions) == 0 || got.Suggestions[0].Text != c.suggest {
					t.Errorf("suggestions for %q: %+v, want %q first", c.q, got.Suggestions, c.suggest)
				}
				return
			}
			hits, res := allHits(t, ix, c.q, c.req)
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
			if res.DidYouMean != c.didYouMean {
				t.Errorf("%q: did_you_mean %q, want %q", c.q, res.DidYouMean, c.didYouMean)
			}
		})
	}
}

// allHits pages through every hit of q, best first.
func allHits(t *testing.T, ix *index.Index, q string, adjust func(*search.Request)) ([]string, search.Result) {
	t.Helper()
	var ids []string
	var first search.Result
	for page := 1; ; page++ {
		req := search.Request{Query: q, Page: page, Size: search.MaxSize, NoFacets: true, NoCollapse: true} // articles, not stories
		if adjust != nil {
			adjust(&req)
		}
		res, err := ix.Search(context.Background(), req)
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

// Accents fold, in the index and in queries, and highlights keep the
// article's own spelling.
func TestTypedQueriesAccents(t *testing.T) {
	extra := map[string]string{
		"accents/cafe.txt":   "A café in Zürich\n\nThe café near the lake in Zürich serves Müller's coffee.\n",
		"accents/plain.txt":  "A cafe in Zurich\n\nThe cafe by the station in Zurich serves tea.\n",
		"accents/other.txt":  "Nothing here\n\nAn article about trains and timetables.\n",
		"accents/naive.txt":  "A naïve plan\n\nThe naïve plan failed.\n",
		"accents/resume.txt": "Résumé advice\n\nWrite a short résumé.\n",
	}
	dir := indextest.Corpus(t, extra)
	ix, _ := indextest.Build(t, dir)
	f := readFiles(t, dir)
	runTyped(t, ix, f, []typedCase{
		{q: "cafe ", atLeast: re(`caf[eé]`), atMost: re(`caf[eé]`)},
		{q: "café ", atLeast: re(`caf[eé]`), atMost: re(`caf[eé]`)},
		{q: "zurich ", atLeast: re(`z[uü]rich`), atMost: re(`z[uü]rich`)},
		{q: "Zürich ", atLeast: re(`z[uü]rich`), atMost: re(`z[uü]rich`)},
		{q: "naive ", atLeast: re(`na[iï]ve`), atMost: re(`na[iï]ve`)},
		{q: "resume ", atLeast: re(`r[eé]sum[eé]`), atMost: re(`r[eé]sum[eé]`)},
	})
	res := indextest.Search(t, ix, search.Request{Query: "cafe zurich "})
	marked := false
	for _, h := range res.Hits {
		if h.ID == "accents/cafe.txt" {
			marked = strings.Contains(strings.Join(h.Fragments["title"], ""), "<mark>café</mark>")
			if !marked {
				t.Errorf("title fragments %q, want café marked as the article spells it", h.Fragments["title"])
			}
		}
	}
	if !marked {
		t.Errorf("cafe zurich: hits %v, want accents/cafe.txt with café marked", indextest.IDs(res))
	}
}
