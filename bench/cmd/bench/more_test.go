package main

import (
	"bytes"
	"context"
	"errors"
	"math"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/newsfind/newsfind/bench/internal/peer"
	"github.com/newsfind/newsfind/bench/internal/peer/fts5"
	"github.com/newsfind/newsfind/internal/index"
	"github.com/newsfind/newsfind/internal/index/gen"
	"github.com/newsfind/newsfind/internal/search"
)

func TestQueryRequest(t *testing.T) {
	q := Query{Q: "SCO", Extra: url.Values{"year": {"2021", "2022"}, "source": {"Xinhua"}, "page": {"2"}, "sort": {"-date"}}}
	r, err := q.Request()
	if err != nil {
		t.Fatal(err)
	}
	want := search.Request{Query: "SCO", Filters: search.Filters{Years: []int{2021, 2022}, Sources: []string{"Xinhua"}}, Page: 2, Size: search.DefaultSize, Sort: search.SortNewest}
	if !slices.Equal(r.Filters.Years, want.Filters.Years) || !slices.Equal(r.Filters.Sources, want.Filters.Sources) ||
		r.Query != want.Query || r.Page != want.Page || r.Size != want.Size || r.Sort != want.Sort {
		t.Errorf("Request() = %+v, want %+v", r, want)
	}
	for _, bad := range []url.Values{{"year": {"x"}}, {"colour": {"red"}}, {"page": {"-1"}}, {"sort": {"size"}}} {
		if _, err := (Query{Q: "a", Extra: bad}).Request(); err == nil {
			t.Errorf("Request with %v succeeded", bad)
		}
	}
	for _, q := range DefaultQueries {
		if _, err := q.Request(); err != nil {
			t.Errorf("default query %s: %v", q, err)
		}
	}
}

func TestParsePhases(t *testing.T) {
	p, err := parsePhases("index, http")
	if err != nil || p != (Phases{Index: true, HTTP: true}) {
		t.Errorf("parsePhases = %+v, %v", p, err)
	}
	for _, bad := range []string{"", ",", "index,speed"} {
		if _, err := parsePhases(bad); err == nil {
			t.Errorf("parsePhases(%q) accepted", bad)
		}
	}
}

func TestSynthName(t *testing.T) {
	for n, want := range map[int]string{10000: "synth-10k", 100000: "synth-100k", 1000000: "synth-1M", 1500: "synth-1500", 20: "synth-20"} {
		if got := synthName(n); got != want {
			t.Errorf("synthName(%d) = %s, want %s", n, got, want)
		}
	}
}

// result makes a CorpusResult with figures that grow with n as given.
func result(name string, n int, secs, peerSecs, p99, peerP99 float64) CorpusResult {
	run := func(s float64) []IndexRun {
		return []IndexRun{{Articles: n, WallSeconds: s, WallArticlesPerSec: float64(n) / s, WallTextMBPerSec: float64(n) / s / 1000, PeakRSSMB: 100, IndexMB: float64(n) / 100}}
	}
	return CorpusResult{
		Corpus:   Corpus{Name: name},
		Engine:   "newsfind",
		Indexing: run(secs),
		Search:   &InProcess{Load: Load{P50MS: p99 / 2, P99MS: p99}},
		Loads: []Load{{Phase: "warm-up", Cache: "off", Clients: 1, P99MS: 1}, {Phase: "load", Cache: "off", Clients: 8, P99MS: p99 * 2},
			{Phase: "fill", Cache: "on", Clients: 1, P99MS: 1}, {Phase: "load", Cache: "on", Clients: 8, P99MS: 0.1}},
		Peer: &PeerResult{Engine: "fts5", Indexing: run(peerSecs), Search: &InProcess{Load: Load{P50MS: peerP99 / 2, P99MS: peerP99}}},
	}
}

func TestCompareAndGrowth(t *testing.T) {
	results := []CorpusResult{
		result("seeds", 5, 0.1, 0.1, 1, 1), // too small to say anything about growth
		result("synth-100k", 100000, 100, 20, 4, 40),
		result("bbc", 1000, 1, 0.2, 1, 1),
		result("synth-10k", 10000, 10, 2, 2, 10),
	}
	results[0].Error = ""
	cmp := compare(results)
	if len(cmp) != 4 {
		t.Fatalf("%d comparisons, want 4", len(cmp))
	}
	c := cmp[1] // synth-100k
	if c.Corpus != "synth-100k" || c.Articles != 100000 || math.Abs(c.ArticlesPerSec-0.2) > 1e-9 || math.Abs(c.TextMBPerSec-0.2) > 1e-9 ||
		c.PeakRSS != 1 || c.IndexSize != 1 || c.P50 != 0.1 || c.P99 != 0.1 {
		t.Errorf("comparison %+v", c)
	}

	g := growth(results)
	if len(g) != 3 {
		t.Fatalf("%d growth rows, want bbc→10k, 10k→100k and the fit: %+v", len(g), g)
	}
	near := func(name string, got *float64, want float64) {
		t.Helper()
		if got == nil || math.Abs(*got-want) > 1e-9 {
			t.Errorf("%s = %v, want %v", name, got, want)
		}
	}
	a, b, fit := g[0], g[1], g[2]
	if a.From != "bbc" || a.To != "synth-10k" || b.From != "synth-10k" || b.To != "synth-100k" || fit.From != "fit: bbc" || fit.To != "synth-100k" {
		t.Errorf("rows %s→%s, %s→%s, %s→%s", a.From, a.To, b.From, b.To, fit.From, fit.To)
	}
	near("index time", a.IndexSeconds, 1)
	near("peer index time", b.PeerIndexSeconds, 1)
	near("peak RSS", a.PeakRSS, 0)
	near("index size", fit.IndexMB, 1)
	near("p99 bbc→10k", a.P99, math.Log(2)/math.Log(10))
	near("peer p99 10k→100k", b.PeerP99, math.Log(4)/math.Log(10))
	if k := a.HTTPP99[8]; math.Abs(k-math.Log(2)/math.Log(10)) > 1e-9 {
		t.Errorf("HTTP p99 @8 = %v", k)
	}
	results[2].Peer.Search = nil
	if g := growth(results); g[0].PeerP99 != nil || g[0].P99 == nil {
		t.Errorf("bbc without peer search figures: peer p99 exponent %v, own %v; want nil and a figure", g[0].PeerP99, g[0].P99)
	}
	if len(a.HTTPP99) != 1 {
		t.Errorf("HTTP exponents %v, want only the uncached load level", a.HTTPP99)
	}
	var out bytes.Buffer
	printSummary(&out, Report{Bench: BenchSettings{Engine: "newsfind", Peer: "fts5"}, Results: results, Comparison: cmp, Growth: g})
	for _, want := range []string{"==== newsfind ÷ fts5", "synth-100k", "0.20", "==== growth", "fit: bbc", "HTTP p99 @8"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("summary lacks %q:\n%s", want, out.String())
		}
	}
}

func TestRunReusesKeptIndexes(t *testing.T) {
	cfg := fakeConfig(t, "ok", []Query{{Kind: "word", Q: "economy"}})
	cfg.Keep = true
	if err := Run(context.Background(), cfg, &bytes.Buffer{}, &bytes.Buffer{}); err != nil {
		t.Fatal(err)
	}
	stampFile := indexDirs(cfg.Out, "news").stamp
	if _, err := os.Stat(stampFile); err != nil {
		t.Fatalf("kept indexes without a stamp: %v", err)
	}

	cfg.Keep, cfg.Reuse, cfg.Phases = false, true, Phases{HTTP: true}
	var out bytes.Buffer
	if err := Run(context.Background(), cfg, &out, &bytes.Buffer{}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "indexes reused from the run of") {
		t.Errorf("output does not say the indexes were reused:\n%s", out.String())
	}
	// A changed corpus is indexed again.
	if err := os.WriteFile(filepath.Join(cfg.Corpora[0], "new.txt"), []byte("New\n\nText."), 0o644); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	var progress bytes.Buffer
	if err := Run(context.Background(), cfg, &out, &progress); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(out.String(), "reused") || !strings.Contains(out.String(), "fake run 1") {
		t.Errorf("a changed corpus was not indexed again:\n%s", out.String())
	}
	if !strings.Contains(progress.String(), "not reusing the kept indexes") || !strings.Contains(progress.String(), "the corpus changed") {
		t.Errorf("the progress does not say why the indexes were not reused:\n%s", progress.String())
	}
}

// seedIndexes builds newsfind's index and the FTS5 archive of the seeds in
// a temporary folder; the archive is "" when this binary has no FTS5.
func seedIndexes(t *testing.T) builtIndexes {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	st, err := gen.Build(ctx, gen.Config{Articles: "../../../seeds", Index: filepath.Join(dir, "newsfind")})
	if err != nil {
		t.Fatal(err)
	}
	built := builtIndexes{Newsfind: filepath.Join(dir, "newsfind"), Articles: st.Indexed}
	path := filepath.Join(dir, "fts5.db")
	a, err := fts5.CreateArchive(ctx, fts5.Config{Path: path})
	if errors.Is(err, fts5.ErrNoFTS5) {
		return built
	}
	if err != nil {
		t.Fatal(err)
	}
	ix, err := index.Open(built.Newsfind, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	var docs []peer.Doc
	res, err := ix.Search(ctx, search.Request{Size: search.MaxSize})
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range res.Hits {
		art, err := ix.Article(ctx, h.ID)
		if err != nil {
			t.Fatal(err)
		}
		docs = append(docs, peer.Doc{ID: art.ID, Title: art.Title, Body: art.Body, Date: art.Date, Source: art.Source})
	}
	if err := a.Add(ctx, docs); err != nil {
		t.Fatal(err)
	}
	if err := a.Close(); err != nil {
		t.Fatal(err)
	}
	built.Peer = path
	return built
}

func TestSearchInProcess(t *testing.T) {
	idx := seedIndexes(t)
	cfg := Config{Engine: Engine{Name: "newsfind"}, Queries: DefaultQueries, Duration: 30 * time.Millisecond}
	res := CorpusResult{Corpus: Corpus{Name: "seeds"}, Peer: &PeerResult{Engine: "fts5"}, Queries: make([]QueryResult, len(DefaultQueries))}
	var progress bytes.Buffer
	if err := searchInProcess(context.Background(), cfg, idx, &res, &progress); err != nil {
		t.Fatalf("%v\n%s", err, progress.String())
	}
	check := func(x *InProcess) {
		t.Helper()
		if x == nil {
			t.Fatal("no figures")
		}
		l := x.Load
		if x.OpenMS <= 0 || l.Requests < len(DefaultQueries) || l.Failures != 0 || !(0 < l.P50MS && l.P50MS <= l.P99MS && l.P99MS <= l.MaxMS) ||
			x.First.Requests != len(DefaultQueries) || len(x.Queries) != len(DefaultQueries) {
			t.Errorf("%s: %+v", x.Engine, x)
		}
	}
	check(res.Search)
	byQuery := map[string]QueryResult{}
	for i, q := range DefaultQueries {
		byQuery[q.String()] = res.Queries[i]
	}
	for q, want := range map[string]uint64{"Alimov": 1, "source:xinhua": 1, "zzyzx": 0, "‹› &year=2005": 0} {
		if got := byQuery[q].SearchHits; got != want {
			t.Errorf("newsfind: %s has %d hits, want %d", q, got, want)
		}
	}
	if idx.Peer == "" {
		t.Log("built without -tags sqlite_fts5: the peer is not searched")
		return
	}
	check(res.Peer.Search)
	for _, q := range []string{"Alimov", "Uzbekistan", "source:xinhua", "zzyzx", `‹"Shanghai Spirit"›`, "‹SCO -Norov›", "SCO &source=Xinhua"} {
		if a, b := byQuery[q].SearchHits, byQuery[q].PeerHits; a != b {
			t.Errorf("%s: newsfind %d hits, fts5 %d", q, a, b)
		}
	}
}

// TestSmokeSeeds runs the harness end to end on the seeds with the real
// binaries, built from this checkout: the benchmark itself must keep
// working. It says nothing about speed.
// product is the product module, from this package's folder.
const product = "../../.."

// binaries returns a function that builds pkg in the module at dir into a
// temporary folder and returns the binary's path: newsfind's commands in
// the product module, with its go.mod, as make build does, and the peer's
// in this one.
func binaries(t *testing.T) func(dir, pkg string, args ...string) string {
	bin := t.TempDir()
	return func(dir, pkg string, args ...string) string {
		t.Helper()
		out := filepath.Join(bin, filepath.Base(pkg))
		cmd := exec.Command("go", append(append([]string{"build"}, args...), "-o", out, pkg)...)
		cmd.Dir = dir
		if b, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("go build %s in %s: %v\n%s", pkg, dir, err, b)
		}
		return out
	}
}

func TestSmokeSeeds(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binaries")
	}
	build := binaries(t)
	cfg := Config{
		Corpora:  []string{"../../../seeds"},
		Engine:   Engine{Name: "newsfind", Indexer: build(product, "./cmd/indexer"), Searchd: build(product, "./cmd/searchd")},
		Out:      t.TempDir(),
		Clients:  []int{1, 2},
		Duration: 50 * time.Millisecond,
	}
	if _, err := fts5.CreateArchive(context.Background(), fts5.Config{Path: filepath.Join(t.TempDir(), "probe.db")}); err == nil {
		cfg.Peer = Engine{Name: "fts5", Indexer: build(".", "../ftsindex", "-tags", "sqlite_fts5")}
	}
	var out, progress bytes.Buffer
	if err := Run(context.Background(), cfg, &out, &progress); err != nil {
		t.Fatalf("%v\n%s\n%s", err, progress.String(), out.String())
	}
	rep := readReport(t, cfg.Out)
	r := rep.Results[0]
	// Warm-up, 2 levels with the cache off, fill, 2 with it on.
	if r.Error != "" || len(r.Indexing) != 1 || r.Indexing[0].Articles != 5 || r.Search == nil || r.Searchd.Articles != 5 || len(r.Loads) != 6 {
		t.Errorf("result %+v", r)
	}
	// searchd's result cache is on by default, kept out by cache=false.
	if rc := r.Searchd.ResultCache; rc == nil || rc.Unsupported || rc.CachedInFill != 0 || rc.Checked != len(DefaultQueries) || rc.Cached != rc.Checked {
		t.Errorf("result cache %+v: want every query cached after the cached loads, none before the fill", rc)
	}
	if cfg.Peer.Indexer != "" && (r.Peer.Search == nil || len(rep.Comparison) != 1 || rep.Comparison[0].P50 == 0) {
		t.Errorf("peer %+v, comparison %+v", r.Peer, rep.Comparison)
	}
	t.Logf("\n%s", out.String())
}

// The per-corpus and summary tables tell the loads with the result cache
// on from those with it off, and the per-query table takes the uncached
// first level.
func TestPrintCacheFigures(t *testing.T) {
	queries := []QueryResult{{Kind: "word", Query: "economy", Hits: 7, WarmP50MS: 1.25, ColdMS: 3, ServerTookMS: 0.5}}
	r := CorpusResult{
		Corpus: Corpus{Name: "bbc"},
		Engine: "newsfind",
		Searchd: SearchdResult{StartupMS: 12, MemoryIdle: Memory{RSSMB: 10}, MemoryLoaded: Memory{RSSMB: 20},
			ResultCache: &ResultCache{Checked: 45, Cached: 44}},
		Loads: []Load{
			{Phase: "warm-up", Cache: "off", Clients: 1, PerSec: 50},
			{Phase: "load", Cache: "off", Clients: 2, PerSec: 111, P50MS: 1.5, P99MS: 9.5},
			{Phase: "load", Cache: "off", Clients: 8, PerSec: 333, P50MS: 2.5, P99MS: 19.5},
			{Phase: "fill", Cache: "on", Clients: 1, PerSec: 60},
			{Phase: "load", Cache: "on", Clients: 2, PerSec: 4444, P50MS: 0.15, P99MS: 0.95},
			{Phase: "load", Cache: "on", Clients: 8, PerSec: 8888, P50MS: 0.25, P99MS: 1.95},
		},
		Queries: queries,
	}
	old := CorpusResult{ // a daemon without the cache
		Corpus:  Corpus{Name: "seeds"},
		Searchd: SearchdResult{StartupMS: 5, ResultCache: &ResultCache{Unsupported: true}},
		Loads:   []Load{{Phase: "warm-up", Clients: 1}, {Phase: "load", Clients: 8, PerSec: 77, P50MS: 3.5, P99MS: 7.5}},
		Queries: queries,
	}
	var out bytes.Buffer
	printCorpus(&out, r, false)
	printCorpus(&out, old, false)
	printSearchdSummary(&out, Report{Bench: BenchSettings{Engine: "newsfind"}, Results: []CorpusResult{r, old}})
	t.Logf("\n%s", out.String())
	lines := strings.Split(out.String(), "\n")
	has := func(fields ...string) {
		t.Helper()
		for _, l := range lines {
			if slices.Equal(strings.Fields(l)[:min(len(fields), len(strings.Fields(l)))], fields) {
				return
			}
		}
		t.Errorf("no line starting %q", fields)
	}
	has("warm-up", "off", "1")
	has("load", "off", "2")
	has("fill", "on", "1")
	has("load", "on", "8")
	has("load", "-", "8") // the daemon without the cache
	has("bbc", "12", "10.0", "20.0", "off", "111", "1.50", "9.50", "333", "2.50", "19.50")
	has("bbc", "on,", "44/45", "hit", "4444", "0.15", "0.95", "8888", "0.25", "1.95")
	has("seeds", "5", "0.0", "0.0", "none", "-", "-", "-", "77", "3.50", "7.50")
	has("word", "economy", "7", "0", "0.000", "0.000", "1.25", "3.00", "0.50", "0.0")
	for _, want := range []string{"HTTP uncached p50 ms", "result cache off: p50 at 2 clients", "after the loads 44 of 45 answered",
		"same 1 searches repeated after a fill pass", "searchd refused cache=false"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q", want)
		}
	}
	_, summary, _ := strings.Cut(out.String(), "==== searchd")
	rows := 0
	for l := range strings.Lines(summary) {
		if f := strings.Fields(l); len(f) > 0 && f[0] == "seeds" {
			rows++
		}
	}
	if rows != 1 {
		t.Errorf("the daemon without the cache has %d rows in the summary, want 1 (no cached row)", rows)
	}
}

func TestWithParamAndRefusal(t *testing.T) {
	got := withParam([]string{"/api/search?q=a", "/healthz"}, "cache=false")
	if !slices.Equal(got, []string{"/api/search?q=a&cache=false", "/healthz?cache=false"}) {
		t.Errorf("withParam = %q", got)
	}
	refused := &statusError{path: "/api/search?q=a&cache=false", code: 400, body: `{"error":"unknown parameter cache"}`}
	if !refusesCache(nil, refused) {
		t.Error("a 400 naming the cache on the first request is not a refusal")
	}
	for _, c := range []struct {
		answers []answer
		err     error
	}{
		{nil, nil},
		{[]answer{{}}, refused}, // not the first request: a broken query
		{nil, &statusError{code: 400, body: "bad query"}},
		{nil, &statusError{code: 500, body: "cache broke"}},
		{nil, errors.New("cache: connection refused")},
	} {
		if refusesCache(c.answers, c.err) {
			t.Errorf("refusesCache(%d answers, %v) = true", len(c.answers), c.err)
		}
	}
}
