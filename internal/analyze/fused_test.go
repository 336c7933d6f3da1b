package analyze

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/registry"
)

// bbcDir locates the BBC news corpus (business, entertainment, politics,
// sport, tech; one article per .txt file) as the other tests of the
// repository do: $NEWSFIND_BBC, else the shared folder beside the
// repository. ok is false when there is no such folder; tests and
// benchmarks that need it are then skipped.
func bbcDir() (dir string, ok bool) {
	dir = os.Getenv("NEWSFIND_BBC")
	if dir == "" {
		dir = filepath.Join("..", "..", "..", "shared", "corpora", "bbc")
	}
	info, err := os.Stat(dir)
	return dir, err == nil && info.IsDir()
}

// seedDir holds the seed articles shipped with the repository.
const seedDir = "../../seeds"

// newReference returns the stock bleve chain newsfind_en is defined by.
func newReference(tb testing.TB) analysis.Analyzer {
	return newReferenceOf(tb, stemmed)
}

// newReferenceOf returns the reference chain of ch.
func newReferenceOf(tb testing.TB, ch *chain) analysis.Analyzer {
	tb.Helper()
	a, err := newReferenceAnalyzer(registry.NewCache(), ch)
	if err != nil {
		tb.Fatal(err)
	}
	return a
}

// newFused returns the analyzer registered as newsfind_en, as an index
// mapping resolves it.
func newFused(tb testing.TB) *FusedAnalyzer {
	return newFusedOf(tb, Analyzer)
}

// newFusedOf returns the analyzer registered as name.
func newFusedOf(tb testing.TB, name string) *FusedAnalyzer {
	tb.Helper()
	a := mapping.NewIndexMapping().AnalyzerNamed(name)
	f, ok := a.(*FusedAnalyzer)
	if !ok {
		tb.Fatalf("analyzer %q is %T, want *FusedAnalyzer", name, a)
	}
	return f
}

// pair is an analyzer this package registers and its reference chain.
type pair struct {
	name  string
	ref   analysis.Analyzer
	fused *FusedAnalyzer
}

// pairs returns both analyzers with their reference chains.
func pairs(tb testing.TB) []pair {
	return []pair{
		{Analyzer, newReferenceOf(tb, stemmed), newFusedOf(tb, Analyzer)},
		{ExactAnalyzer, newReferenceOf(tb, exact), newFusedOf(tb, ExactAnalyzer)},
		{FormsAnalyzer, newReferenceOf(tb, forms), newFusedOf(tb, FormsAnalyzer)},
	}
}

// readTexts returns the contents of the .txt files under dir, sorted by path.
func readTexts(dir string) (names []string, texts [][]byte, err error) {
	err = filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || !strings.HasSuffix(path, ".txt") {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return fmt.Errorf("read corpus file: %w", err)
		}
		names = append(names, path)
		texts = append(texts, b)
		return nil
	})
	if err != nil {
		return nil, nil, fmt.Errorf("walk %s: %w", dir, err)
	}
	return names, texts, nil
}

// bbcTexts returns the BBC articles, skipping tb when the corpus is absent.
func bbcTexts(tb testing.TB) (names []string, texts [][]byte) {
	tb.Helper()
	dir, ok := bbcDir()
	if !ok {
		tb.Skipf("BBC corpus not found at %s (set NEWSFIND_BBC to its folder); it is needed for this test", dir)
	}
	names, texts, err := readTexts(dir)
	if err != nil {
		tb.Fatal(err)
	}
	if len(texts) == 0 {
		tb.Skipf("no .txt files under %s", dir)
	}
	return names, texts
}

// diffStreams describes the first difference between two token streams, or
// returns "" when they are identical in every field.
func diffStreams(want, got analysis.TokenStream) string {
	for i := 0; i < len(want) && i < len(got); i++ {
		w, g := want[i], got[i]
		if !bytes.Equal(w.Term, g.Term) || w.Start != g.Start || w.End != g.End ||
			w.Position != g.Position || w.Type != g.Type || w.KeyWord != g.KeyWord {
			return fmt.Sprintf("token %d: want %v, got %v", i, w, g)
		}
	}
	if len(want) != len(got) {
		return fmt.Sprintf("want %d tokens, got %d", len(want), len(got))
	}
	return ""
}

// checkSame analyzes text with both analyzers, each on its own copy, and
// fails when the streams differ or the fused analyzer changed its input.
func checkSame(t testing.TB, ref analysis.Analyzer, fused analysis.Analyzer, name string, text []byte) {
	t.Helper()
	want := ref.Analyze(bytes.Clone(text))
	in := bytes.Clone(text)
	got := fused.Analyze(in)
	if d := diffStreams(want, got); d != "" {
		t.Errorf("%s: %s\ninput %q", name, d, truncate(text, 300))
	}
	if !bytes.Equal(in, text) {
		t.Errorf("%s: fused analyzer modified its input", name)
	}
}

func truncate(b []byte, n int) []byte {
	if len(b) > n {
		return b[:n]
	}
	return b
}

// edgeCases are inputs where the ASCII fast path, the cut into runs, or the
// per-token filters could go wrong. They also seed FuzzAnalyzer.
var edgeCases = []string{
	"",
	" ",
	"a",
	"_",
	"___",
	"_a_ __1__ a_1 1_a _1 1_",
	"Hello, World!",
	"don't won't it's Rashid Alimov's John's' James' ABC'S x's 's '",
	"rock 'n' roll, 'quoted' ''double'' a''b a'.b a.'b",
	"1,000.5 1.000,5 1,000,000 3.14 .5 5. 1,,2 1;2 1:2 1'2 1.a a.1 a1.2b 1a.b",
	"U.S. e.g. i.e. U.S.A. a.b.c. 12:30 a:b a::b http://example.com:8080/a_b?x=1&y=2",
	"mail john.smith@example.co.uk, or @handle #tag $5 £5m €3bn ¥100 5%",
	"https://www.bbc.co.uk/news/world-asia-12345678?x=y#frag",
	"naïve café résumé coöperate Zoë façade über Ærøskøbing",
	"Café CAFÉ cafe\u0301 Zürich ZÜRICH Straße Łódź Dvořák Ørsted œuvre Æsop ﬁne Ｃａｆé Beyoncé’s Noël's",
	"Cooperation cooperative Cooper Coopers university universe organ organisation Organised united units",
	"cafe\u0301 e\u0301 \u0301start mid\u0301dle a \u0301b a\u00adb soft\u00adhyphen",
	"\u200bzero\u200bwidth\u200d join\u200c non",
	"北京 东京都 中华人民共和国 カタカナ ひらがな 한국어 日本語テキスト",
	"emoji 😀 👍🏽 👨‍👩‍👧 🇬🇧🇺🇸 flags ✈️ ok",
	"Ⱥ Ⱦ ΑΣ ΟΔΟΣ Σ σ ς İstanbul ǅ ß ẞ Ω K Å",
	"Secretary-General’s ministers’ O’Neill ‘quoted’ ＇s ＳＣＯ＇Ｓ ｆｕｌｌ１２３",
	"שלום עולם צה\"ל ג'ירפה",
	"مرحبا ١٢٣ ۱۲۳ 12٫5",
	"tab\tnew\nline\r\ncrlf\rcr\vvt\fff\u0085nel\u2028ls\u2029ps",
	"\r\n\u0301x \n\u0301y",
	"organisations Organisation ORGANISATIONS civilisation isation isations",
	"the THE The and a an of to in",
	"snake_case_name CamelCase ALLCAPS x86_64 v1.2.3 2004-05-06 9/11 24/7",
	"µ ª º ·middle·dot· a·b 1·2 l·l",
	"\u00a0nbsp\u00a0sep\u3000ideographic space",
	"invalid \xff utf8 \xc3 here",
	"\xed\xa0\x80 surrogate",
	"a\"b 1\"2 \"quoted\"",
	"x.\u0301y 1,\u03012 a'\u0301s",
	strings.Repeat("long", 40) + " " + strings.Repeat("9", 80),
}

func TestFusedMatchesReferenceOnEdgeCases(t *testing.T) {
	for _, p := range pairs(t) {
		for _, text := range edgeCases {
			checkSame(t, p.ref, p.fused, p.name+" edge case", []byte(text))
		}
	}
}

func TestFusedMatchesReferenceOnSeeds(t *testing.T) {
	names, texts, err := readTexts(seedDir)
	if err != nil {
		t.Fatal(err)
	}
	if len(texts) == 0 {
		t.Fatalf("no seed articles under %s", seedDir)
	}
	for _, p := range pairs(t) {
		for i, text := range texts {
			checkSame(t, p.ref, p.fused, p.name+" "+names[i], text)
		}
	}
}

func TestFusedMatchesReferenceOnBBC(t *testing.T) {
	names, texts := bbcTexts(t)
	for _, p := range pairs(t) {
		var tokens int
		for i, text := range texts {
			checkSame(t, p.ref, p.fused, p.name+" "+names[i], text)
			tokens += len(p.fused.Analyze(text))
		}
		t.Logf("%s: %d BBC articles, %d tokens, identical", p.name, len(texts), tokens)
	}
}

// TestFusedConcurrentColdCache analyzes the corpus from several goroutines
// starting from an empty term cache, so that cache fills and promotions
// race with readers (run with -race).
func TestFusedConcurrentColdCache(t *testing.T) {
	_, texts, err := readTexts(seedDir)
	if err != nil {
		t.Fatal(err)
	}
	if dir, ok := bbcDir(); ok {
		_, bbc, err := readTexts(dir)
		if err != nil {
			t.Fatal(err)
		}
		if testing.Short() || raceEnabled {
			bbc = bbc[:min(len(bbc), 300)]
		}
		texts = append(texts, bbc...)
	} else {
		t.Logf("BBC corpus not found at %s (set NEWSFIND_BBC to its folder); seed articles only", dir)
	}
	ref := newReference(t)
	want := make([]analysis.TokenStream, len(texts))
	for i, text := range texts {
		want[i] = ref.Analyze(bytes.Clone(text))
	}
	fused := newFused(t)
	cold := *fused
	cold.cache = newTermCache(maxCachedTerms)
	const workers = 4
	var wg sync.WaitGroup
	errs := make(chan string, workers)
	for w := range workers {
		wg.Go(func() {
			for k := range texts {
				i := (k + w*len(texts)/workers) % len(texts)
				if d := diffStreams(want[i], cold.Analyze(texts[i])); d != "" {
					errs <- fmt.Sprintf("text %d: %s", i, d)
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
	// The whole BBC corpus fills a generation: a turnover late in the run
	// leaves the current snapshot empty, the promoted one in the old.
	if len(cold.cache.snapshot()) == 0 && len(cold.cache.old[0]) == 0 {
		t.Errorf("term cache was never promoted")
	}
}

// TestFusedTokensAreIndependent checks that terms do not alias the cache,
// the input or each other: changing one stream leaves later ones intact.
func TestFusedTokensAreIndependent(t *testing.T) {
	fused := newFused(t)
	text := []byte("Organisations meet organisations; the meeting's organisers")
	first := fused.Analyze(text)
	var want []string
	for _, tok := range first {
		want = append(want, string(tok.Term))
		for i := range tok.Term {
			tok.Term[i] = 'X'
		}
		tok.Term = append(tok.Term, "appended"...)
	}
	for _, tok := range first {
		if !strings.HasPrefix(string(tok.Term), "X") {
			t.Fatalf("appending to one term changed another: %q", tok.Term)
		}
	}
	var got []string
	for _, tok := range fused.Analyze(text) {
		got = append(got, string(tok.Term))
	}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("second analysis = %q, want %q", got, want)
	}
}

// TestASCIIClassesMatchSegmenter checks every two- and three-byte ASCII
// string over the interesting classes, so each rule of the fast path meets
// every neighbour.
func TestASCIIClassesMatchSegmenter(t *testing.T) {
	alphabet := []byte("aZ5_:.,;'\" -@/\t\n\r")
	var b []byte
	for _, p := range pairs(t) {
		for _, x := range alphabet {
			for _, y := range alphabet {
				for _, z := range alphabet {
					for _, w := range []byte("b7_.") {
						b = append(b[:0], x, y, z, w)
						checkSame(t, p.ref, p.fused, p.name+" ascii", b)
						b = append(b[:0], w, x, y, z)
						checkSame(t, p.ref, p.fused, p.name+" ascii", b)
					}
				}
			}
		}
	}
}

// FuzzAnalyzer asserts that the fused analyzer and the reference chain give
// identical token streams (term, offsets, position, type) for any input.
func FuzzAnalyzer(f *testing.F) {
	for _, s := range edgeCases {
		f.Add([]byte(s))
	}
	if _, texts, err := readTexts(seedDir); err == nil {
		for _, text := range texts {
			f.Add(truncate(text, 2000))
		}
	}
	ps := pairs(f)
	f.Fuzz(func(t *testing.T, text []byte) {
		for _, p := range ps {
			checkSame(t, p.ref, p.fused, p.name+" fuzz", text)
			if utf8.Valid(text) {
				// The same text cut at every run boundary must agree too:
				// analyzing words out of context is what queries do.
				fields := strings.Fields(string(text))
				sort.Strings(fields)
				for _, w := range fields[:min(len(fields), 8)] {
					checkSame(t, p.ref, p.fused, p.name+" fuzz field", []byte(w))
				}
			}
		}
	})
}
