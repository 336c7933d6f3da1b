package synth

import (
	"bytes"
	"context"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"unicode"

	"github.com/newsfind/newsfind/internal/article"
)

// seeds trains a generator on the repository's seed articles, which every
// checkout has (the BBC corpus may be absent).
func seeds(t *testing.T, seed uint64) *Generator {
	t.Helper()
	g, err := New(context.Background(), Config{Training: []string{"../../../seeds"}, Seed: seed})
	if err != nil {
		t.Fatal(err)
	}
	return g
}

func TestSameSeedSameBytes(t *testing.T) {
	a, b := seeds(t, 42), seeds(t, 42)
	if a.Fingerprint() != b.Fingerprint() {
		t.Fatalf("fingerprints differ: %s, %s", a.Fingerprint(), b.Fingerprint())
	}
	// Out of order and repeated: an article depends only on its number.
	for _, i := range []int{0, 1, 2, 99, 7, 0, 12345} {
		if x, y := a.Article(i), b.Article(i); !bytes.Equal(x, y) {
			t.Fatalf("article %d differs between two generators with seed 42:\n%s\n---\n%s", i, x, y)
		}
	}
	c := seeds(t, 43)
	same := 0
	for i := range 20 {
		if bytes.Equal(a.Article(i), c.Article(i)) {
			same++
		}
	}
	if same > 0 {
		t.Errorf("%d of 20 articles identical with seeds 42 and 43", same)
	}
	if bytes.Equal(a.Article(0), a.Article(1)) {
		t.Error("articles 0 and 1 are identical")
	}
}

func TestEnsureWritesOnceAndReuses(t *testing.T) {
	g := seeds(t, 0)
	if g.Seed() != DefaultSeed {
		t.Errorf("seed %d, want the default %d", g.Seed(), DefaultSeed)
	}
	root := t.TempDir()
	dir := filepath.Join(root, "1200")
	ctx := context.Background()

	// A leftover of an interrupted run is cleared.
	if err := os.Mkdir(dir+".tmp-123", 0o755); err != nil {
		t.Fatal(err)
	}
	m, wrote, err := Ensure(ctx, g, dir, 1200)
	if err != nil || !wrote {
		t.Fatalf("first Ensure: wrote %v, %v", wrote, err)
	}
	if m.Articles != 1200 || m.Version != Version || m.Fingerprint != g.Fingerprint() || m.Bytes <= 0 || m.TrainingArticles != 5 {
		t.Errorf("marker %+v", m)
	}
	if left, _ := filepath.Glob(dir + ".tmp-*"); len(left) > 0 {
		t.Errorf("temporary folders left: %v", left)
	}
	var files int
	var size int64
	err = filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || d.Name() == MarkerFile {
			return err
		}
		info, err := d.Info()
		files++
		size += info.Size()
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if files != 1200 || size != m.Bytes {
		t.Errorf("%d files of %d bytes, want 1200 of %d", files, size, m.Bytes)
	}
	for _, i := range []int{0, 999, 1000, 1199} {
		b, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(Path(i))))
		if err != nil || !bytes.Equal(b, g.Article(i)) {
			t.Errorf("file of article %d does not hold Article(%d) (%v)", i, i, err)
		}
	}

	// Reused as it is: not rewritten.
	probe := filepath.Join(dir, filepath.FromSlash(Path(5)))
	if err := os.WriteFile(probe, []byte("touched\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	again, wrote, err := Ensure(ctx, g, dir, 1200)
	if err != nil || wrote || !reflect.DeepEqual(again, m) {
		t.Fatalf("second Ensure: wrote %v, %v, marker %+v", wrote, err, again)
	}
	if b, _ := os.ReadFile(probe); string(b) != "touched\n" {
		t.Error("a complete corpus was rewritten")
	}

	// Another size replaces it.
	if _, wrote, err := Ensure(ctx, g, dir, 30); err != nil || !wrote {
		t.Fatalf("Ensure with another size: wrote %v, %v", wrote, err)
	}
	if _, err := os.Stat(filepath.Join(dir, filepath.FromSlash(Path(1199)))); !os.IsNotExist(err) {
		t.Errorf("article 1199 of the old corpus is still there: %v", err)
	}

	// A folder that is not a generated corpus is left alone.
	foreign := filepath.Join(root, "mine")
	if err := os.Mkdir(foreign, 0o755); err != nil {
		t.Fatal(err)
	}
	if _, _, err := Ensure(ctx, g, foreign, 10); err == nil || !strings.Contains(err.Error(), "not a generated corpus") {
		t.Errorf("Ensure over a foreign folder: %v", err)
	}
}

func TestEnsureCanceled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	dir := filepath.Join(t.TempDir(), "c")
	if _, _, err := Ensure(ctx, seeds(t, 1), dir, 5000); err == nil {
		t.Fatal("Ensure with a canceled context succeeded")
	}
	if _, err := ReadMarker(dir); err == nil {
		t.Error("a canceled generation left a marker")
	}
}

// Generated articles read as news: the project's own reader finds their
// title, date and (mostly) source.
func TestArticlesParseAsNews(t *testing.T) {
	g := seeds(t, 7)
	const n = 300
	withSource := 0
	for i := range n {
		text := g.Article(i)
		as, err := article.Parse(Path(i), text)
		if err != nil || len(as) != 1 {
			t.Fatalf("article %d: %d articles, %v\n%s", i, len(as), err, text)
		}
		a := as[0]
		firstLine, _, _ := strings.Cut(string(text), "\n")
		if a.Title != firstLine {
			t.Errorf("article %d: title %q, want the first line %q", i, a.Title, firstLine)
		}
		if y := a.Date.Year(); y < 2004 || y > 2023 {
			t.Errorf("article %d: date %v, want 2004–2023\n%s", i, a.Date, text)
		}
		if a.Source != "" {
			withSource++
		}
		if a.WordCount < 20 {
			t.Errorf("article %d: %d words", i, a.WordCount)
		}
	}
	if share := float64(withSource) / n; share < 0.8 || share > 0.97 {
		t.Errorf("%.0f%% of articles have a source, want about 90%%", share*100)
	}
}

// words lower-cases the letter-and-digit words of text.
func words(text []byte) []string {
	return strings.FieldsFunc(strings.ToLower(string(text)), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
}

// The vocabulary is Zipfian, like news, and keeps growing with the corpus.
func TestStatisticsLookLikeNews(t *testing.T) {
	g := seeds(t, 0)
	counts := map[string]int{}
	distinct := func() int { return len(counts) }
	var total int
	var half int
	const n = 400
	for i := range n {
		for _, w := range words(g.Article(i)) {
			counts[w]++
			total++
		}
		if i == n/2-1 {
			half = distinct()
		}
	}
	if mean := total / n; mean < 150 || mean > 1200 {
		t.Errorf("%d words per article on average; the seeds have about 400", mean)
	}
	if distinct() <= half {
		t.Errorf("vocabulary stopped growing: %d distinct words after %d articles, %d after %d", half, n/2, distinct(), n)
	}
	freq := make([]int, 0, len(counts))
	for _, c := range counts {
		freq = append(freq, c)
	}
	slices.Sort(freq)
	slices.Reverse(freq)
	if counts["the"] != freq[0] {
		t.Errorf("\"the\" occurs %d times, the most frequent word %d: want it first", counts["the"], freq[0])
	}
	// Least-squares slope of log frequency against log rank over the
	// first 200 ranks: Zipf's law gives about -1 for news.
	var sx, sy, sxx, sxy float64
	const ranks = 200
	for r := 1; r <= ranks; r++ {
		x, y := math.Log(float64(r)), math.Log(float64(freq[r-1]))
		sx, sy, sxx, sxy = sx+x, sy+y, sxx+x*x, sxy+x*y
	}
	slope := (ranks*sxy - sx*sy) / (ranks*sxx - sx*sx)
	if slope > -0.7 || slope < -1.5 {
		t.Errorf("rank-frequency slope %.2f, want a Zipfian -0.7 to -1.5", slope)
	}
	t.Logf("%d words, %d distinct, Zipf slope %.2f", total, distinct(), slope)
}

func TestTokenize(t *testing.T) {
	for in, want := range map[string][]string{
		`Mr. Brown said: "Rates rose 2.5%, again."`:  {"Mr.", "Brown", "said", ":", "Rates", "rose", "2.5%", ",", "again", "."},
		"(SCO) member states -- cooperation!?":       {"SCO", "member", "states", "cooperation", "!"},
		"Blair's 'third term' ... the U.S. election": {"Blair's", "third", "term", "the", "U.S.", "election"},
		"  ": nil,
	} {
		if got := tokenize(in); !slices.Equal(got, want) {
			t.Errorf("tokenize(%q) = %q, want %q", in, got, want)
		}
	}
	got := sentences([]string{"A", "b", ".", "C", "?", "D", "e"})
	want := [][]string{{"A", "b", "."}, {"C", "?"}, {"D", "e", "."}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("sentences = %q, want %q", got, want)
	}
}

func TestRedrawKeepsShape(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 0))
	for _, tok := range []string{"76%", "$1.13bn", "464,000", "0.5"} {
		got := redraw(r, tok)
		if len(got) != len(tok) || strings.Map(digitX, got) != strings.Map(digitX, tok) {
			t.Errorf("redraw(%q) = %q: shape changed", tok, got)
		}
		if got[strings.IndexFunc(got, unicode.IsDigit)] == '0' {
			t.Errorf("redraw(%q) = %q: leading zero", tok, got)
		}
	}
	if !isYear("2005") || isYear("3005") || isYear("205") || isYear("20a5") {
		t.Error("isYear wrong")
	}
}

func digitX(r rune) rune {
	if unicode.IsDigit(r) {
		return 'X'
	}
	return r
}

func TestNewErrors(t *testing.T) {
	ctx := context.Background()
	if _, err := New(ctx, Config{}); err == nil {
		t.Error("New without training folders succeeded")
	}
	if _, err := New(ctx, Config{Training: []string{filepath.Join(t.TempDir(), "none")}}); err == nil {
		t.Error("New with a missing folder succeeded")
	}
	if _, err := New(ctx, Config{Training: []string{t.TempDir()}}); err == nil || !strings.Contains(err.Error(), "no articles") {
		t.Errorf("New with an empty folder: %v", err)
	}
}
