package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeEnv selects how the fake engine (testdata/fakeengine) behaves: "ok",
// or "badexit" for a daemon that exits 3 on SIGTERM.
const fakeEnv = "BENCH_TEST_FAKE_ENGINE"

// fakeBin is the fake engine, built once for all tests: a small program
// starts in milliseconds, where this test binary (with every package's
// initialization, under the race detector) takes seconds.
var fakeBin struct {
	once sync.Once
	dir  string
	path string
	err  error
}

func TestMain(m *testing.M) {
	code := m.Run()
	if fakeBin.dir != "" {
		os.RemoveAll(fakeBin.dir)
	}
	os.Exit(code)
}

// fakeEngine returns the path of the fake engine binary.
func fakeEngine(t *testing.T) string {
	t.Helper()
	fakeBin.once.Do(func() {
		if fakeBin.dir, fakeBin.err = os.MkdirTemp("", "bench-fake-"); fakeBin.err != nil {
			return
		}
		fakeBin.path = filepath.Join(fakeBin.dir, "fakeengine")
		out, err := exec.Command("go", "build", "-o", fakeBin.path, "./testdata/fakeengine").CombinedOutput()
		if err != nil {
			fakeBin.err = fmt.Errorf("go build the fake engine: %w\n%s", err, out)
		}
	})
	if fakeBin.err != nil {
		t.Fatal(fakeBin.err)
	}
	return fakeBin.path
}

// fakeConfig benchmarks a small corpus with the fake engine.
func fakeConfig(t *testing.T, mode string, queries []Query) Config {
	t.Helper()
	t.Setenv(fakeEnv, mode)
	corpus := filepath.Join(t.TempDir(), "news")
	if err := os.MkdirAll(corpus, 0o755); err != nil {
		t.Fatal(err)
	}
	for i := range 4 {
		if err := os.WriteFile(filepath.Join(corpus, fmt.Sprintf("%d.txt", i)), []byte("Title\n\nBody text."), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return Config{
		Corpora:  []string{corpus},
		Engine:   Engine{Name: "fake", Indexer: fakeEngine(t), Searchd: fakeEngine(t)},
		Peer:     Engine{Name: "fakepeer", Indexer: fakeEngine(t)},
		Phases:   Phases{Index: true, HTTP: true}, // the fake's index cannot be opened in-process
		Out:      t.TempDir(),
		Clients:  []int{1, 4},
		Duration: 20 * time.Millisecond,
		Queries:  queries,
	}
}

// readReport returns the one JSON report in dir, failing if there is
// anything else left there.
func readReport(t *testing.T, dir string) Report {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 || !strings.HasSuffix(entries[0].Name(), ".json") {
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Fatalf("out folder holds %v, want only the JSON report (indexes and logs removed)", names)
	}
	b, err := os.ReadFile(filepath.Join(dir, entries[0].Name()))
	if err != nil {
		t.Fatal(err)
	}
	var rep Report
	if err := json.Unmarshal(b, &rep); err != nil {
		t.Fatal(err)
	}
	return rep
}

func TestRunWithFakeEngine(t *testing.T) {
	queries := []Query{{Kind: "word", Q: "economy"}, {Kind: "filter", Q: "", Extra: url.Values{"year": {"2005"}}}}
	cfg := fakeConfig(t, "ok", queries)
	cfg.Synth = SynthConfig{Sizes: []int{20}, Dir: t.TempDir(), Training: []string{"../../../seeds", filepath.Join(t.TempDir(), "no-bbc")}}
	var out, progress bytes.Buffer
	if err := Run(context.Background(), cfg, &out, &progress); err != nil {
		t.Fatalf("Run: %v\n%s", err, progress.String())
	}
	for _, want := range []string{"== news", "== synth-20", "generated (synth v", "fake run 1", "fakepeer run 1", "searchd: healthy", "exit 0", "warm-up",
		"==== fake ÷ fakepeer", "==== raw figures", "==== searchd over loopback HTTP", "raw figures:"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	if !strings.Contains(progress.String(), "no-bbc not found") {
		t.Errorf("progress does not say the missing training folder was left out:\n%s", progress.String())
	}

	rep := readReport(t, cfg.Out)
	if len(rep.Results) != 2 {
		t.Fatalf("%d results, want 2", len(rep.Results))
	}
	if s := rep.Results[1]; s.Corpus.Name != "synth-20" || s.Corpus.Files != 20 || s.Corpus.Synthetic == nil || s.Corpus.Synthetic.Articles != 20 {
		t.Errorf("generated corpus %+v", s.Corpus)
	}
	if len(rep.Comparison) != 2 || rep.Comparison[0].ArticlesPerSec <= 0 || rep.Comparison[0].IndexSize != 1 || rep.Comparison[0].P50 != 0 {
		t.Errorf("comparison %+v: want both corpora, a rate ratio, equal index sizes and no search figures", rep.Comparison)
	}
	r := rep.Results[0]
	if r.Peer == nil || len(r.Peer.Indexing) != 1 || r.Peer.Indexing[0].Articles != 3 {
		t.Errorf("peer %+v: want one measured index run", r.Peer)
	}
	if r.Error != "" {
		t.Errorf("Error = %q", r.Error)
	}
	if r.Corpus.Files != 4 || r.Corpus.Name != "news" {
		t.Errorf("corpus %+v, want 4 files named news", r.Corpus)
	}
	if len(r.Indexing) != 1 {
		t.Fatalf("%d index runs, want 1", len(r.Indexing))
	}
	ix := r.Indexing[0]
	if ix.Articles != 3 || ix.Files != 4 || ix.Skipped != 1 || ix.SkippedReportedLines != 1 || ix.IndexMB != 0.001 || ix.WallSeconds <= 0 {
		t.Errorf("indexing %+v: want the fake's figures and measured wall time", ix)
	}
	if r.Searchd.Articles != 3 || r.Searchd.Stop.ExitCode != 0 || r.Searchd.Port == 0 || r.Searchd.MemoryLoaded.RSSMB <= 0 {
		t.Errorf("searchd %+v", r.Searchd)
	}
	// Warm-up and the levels with the cache off, fill and the levels with it on.
	want := []struct {
		phase, cache string
		clients      int
	}{{"warm-up", "off", 1}, {"load", "off", 1}, {"load", "off", 4}, {"fill", "on", 1}, {"load", "on", 1}, {"load", "on", 4}}
	if len(r.Loads) != len(want) {
		t.Fatalf("%d loads, want %d: %+v", len(r.Loads), len(want), r.Loads)
	}
	for i, l := range r.Loads {
		if l.Requests == 0 || l.Failures != 0 || l.P50MS > l.P99MS || l.P99MS > l.MaxMS ||
			l.Phase != want[i].phase || l.Cache != want[i].cache || l.Clients != want[i].clients {
			t.Errorf("load %d: %+v, want %+v", i, l, want[i])
		}
		// The fake says each search it did not answer from its cache
		// took a second core (a load's figure; not the single passes').
		wantSplit := 1.0
		if l.Cache == "on" {
			wantSplit = 0
		}
		if l.Phase != "load" {
			continue
		}
		if l.Split == nil || *l.Split != wantSplit {
			t.Errorf("load %d (%s, cache %s): split share %v, want %v", i, l.Phase, l.Cache, l.Split, wantSplit)
		}
	}
	if rc := r.Searchd.ResultCache; rc == nil || rc.Unsupported || rc.CachedInFill != 0 || rc.Checked != len(queries) || rc.Cached != len(queries) {
		t.Errorf("result cache %+v: want every query checked and cached, none before the fill", rc)
	}
	for _, want := range []string{"on, 2/2 hit", "result cache off: every request with cache=false", "HTTP uncached p50 ms", "100 %", "split = the share",
		"after the loads 2 of 2 answered \"cached\": true"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	if len(r.Queries) != len(queries) {
		t.Fatalf("%d query results, want %d", len(r.Queries), len(queries))
	}
	for _, q := range r.Queries {
		if q.Hits != 1 || q.ServerTookMS != 0.25 || q.WarmP50MS <= 0 {
			t.Errorf("query %+v: want 1 hit, took 0.25 ms and a warm latency", q)
		}
	}
}

// A daemon that refuses cache=false is loaded once, without it.
func TestRunDaemonWithoutCache(t *testing.T) {
	cfg := fakeConfig(t, "nocache", []Query{{Kind: "word", Q: "economy"}, {Kind: "word", Q: "film"}})
	var out, progress bytes.Buffer
	if err := Run(context.Background(), cfg, &out, &progress); err != nil {
		t.Fatalf("Run: %v\n%s", err, progress.String())
	}
	r := readReport(t, cfg.Out).Results[0]
	if rc := r.Searchd.ResultCache; rc == nil || !rc.Unsupported || rc.Checked != 0 {
		t.Errorf("result cache %+v, want unsupported", rc)
	}
	if len(r.Loads) != 1+len(cfg.Clients) {
		t.Fatalf("%d loads, want warm-up and %d levels: %+v", len(r.Loads), len(cfg.Clients), r.Loads)
	}
	for i, l := range r.Loads {
		if l.Requests == 0 || l.Failures != 0 || l.Cache != "" || l.Split != nil {
			t.Errorf("load %d: %+v; want no split share from a daemon without the metric", i, l)
		}
	}
	for _, q := range r.Queries {
		if q.Hits != 1 || q.WarmP50MS <= 0 || q.ColdMS <= 0 {
			t.Errorf("query %+v", q)
		}
	}
	if !strings.Contains(progress.String(), "refused cache=false") || !strings.Contains(out.String(), "so it has none") {
		t.Errorf("the run does not say searchd has no cache:\n%s\n%s", progress.String(), out.String())
	}
}

func TestRunBrokenQueryFails(t *testing.T) {
	cfg := fakeConfig(t, "ok", []Query{{Kind: "word", Q: "fine"}, {Kind: "word", Q: "broken"}})
	var out bytes.Buffer
	err := Run(context.Background(), cfg, &out, &bytes.Buffer{})
	if err == nil || !strings.Contains(err.Error(), "q=broken") || !strings.Contains(err.Error(), "bad query") {
		t.Fatalf("Run error = %v, want one naming the broken query and the server's message", err)
	}
	rep := readReport(t, cfg.Out)
	if rep.Results[0].Error == "" || rep.Results[0].Searchd.Articles != 3 {
		t.Errorf("result %+v: want the error and the figures up to it", rep.Results[0])
	}
}

func TestRunDaemonExitStatusChecked(t *testing.T) {
	cfg := fakeConfig(t, "badexit", []Query{{Kind: "word", Q: "economy"}})
	err := Run(context.Background(), cfg, &bytes.Buffer{}, &bytes.Buffer{})
	if err == nil || !strings.Contains(err.Error(), "exit status 3") {
		t.Fatalf("Run error = %v, want the daemon's bad exit status", err)
	}
}

func TestRunMissingBinary(t *testing.T) {
	cfg := fakeConfig(t, "ok", nil)
	cfg.Engine.Indexer = filepath.Join(t.TempDir(), "no-such-indexer")
	err := Run(context.Background(), cfg, &bytes.Buffer{}, &bytes.Buffer{})
	if err == nil || !strings.Contains(err.Error(), "make build") {
		t.Fatalf("Run error = %v, want a hint to build", err)
	}
}

func TestParseIndexerSummary(t *testing.T) {
	out := []byte(`{"full":true,"files":2226,"added":2225,"skipped":2,"unsupported":7,"indexed":2225,"bytes":5034382,"elapsed_ns":2450000000,"generation":"data/x/gen-1"}` + "\n")
	r, err := parseIndexerSummary(out)
	if err != nil {
		t.Fatal(err)
	}
	if r.Articles != 2225 || r.BuildSeconds != 2.45 || r.Files != 2226 || r.Skipped != 2 || r.Unsupported != 7 ||
		math.Abs(r.TextMB-5.034382) > 1e-9 || math.Abs(r.BuildArticlesPerSec-2225/2.45) > 1e-9 {
		t.Errorf("parsed %+v", r)
	}
	if _, err := parseIndexerSummary([]byte("something else\n")); err == nil {
		t.Error("no error for output without a summary")
	}
}

func TestParseProcStatus(t *testing.T) {
	status := []byte("Name:\tsearchd\nVmPeak:\t 1300000 kB\nVmHWM:\t   46000 kB\nVmRSS:\t   40000 kB\n" +
		"RssAnon:\t   30000 kB\nRssFile:\t   10000 kB\nThreads:\t9\n")
	m, err := parseProcStatus(status)
	if err != nil {
		t.Fatal(err)
	}
	if m.RSSMB != 40000*1024/1e6 || m.HWMMB != 46000*1024/1e6 || m.AnonMB != 30000*1024/1e6 || m.FileMB != 10000*1024/1e6 {
		t.Errorf("parsed %+v", m)
	}
	if _, err := parseProcStatus([]byte("Name:\tx\n")); err == nil {
		t.Error("no error without VmRSS/VmHWM")
	}
	if _, err := procMemory(os.Getpid()); err != nil {
		t.Errorf("own memory: %v", err)
	}
}

// The peak memory of a process is sampled from /proc (the fake indexers
// exit too soon to be sure of a sample, so this watches the test itself).
func TestWatchPeakRSS(t *testing.T) {
	stop := watchPeakRSS(os.Getpid())
	ballast := make([]byte, 64<<20)
	for i := range ballast {
		ballast[i] = 1 // resident, not just reserved
	}
	peak := stop()
	m, err := procMemory(os.Getpid()) // VmHWM only grows
	if err != nil {
		t.Fatal(err)
	}
	if peak.HWM <= 0 || peak.HWM > m.HWMMB {
		t.Errorf("sampled peak %.1f MB, want at least one sample and at most VmHWM %.1f MB", peak.HWM, m.HWMMB)
	}
	// The ballast is the test's own memory, not a mapped file's.
	if peak.Anon < 64 || peak.Anon > peak.HWM {
		t.Errorf("sampled own (RssAnon) peak %.1f MB, want the 64 MB ballast and at most VmHWM %.1f MB", peak.Anon, peak.HWM)
	}
	if peak.File <= 0 || peak.File > peak.HWM {
		t.Errorf("sampled mapped (RssFile) peak %.1f MB, want the test binary's pages and at most VmHWM %.1f MB", peak.File, peak.HWM)
	}
	if got := watchPeakRSS(1 << 30)(); got != (Peaks{}) { // no such process
		t.Errorf("peak of a missing process = %v, want none", got)
	}
	_ = ballast[len(ballast)-1]
}

func TestParseProcStat(t *testing.T) {
	// The command name may hold spaces and parentheses.
	stat := []byte("4242 (sea rch) d) S 1 4242 4242 0 -1 4194560 1000 0 0 0 250 50 0 0 20 0 9 0 100 1300000000 10000 ...")
	secs, err := parseProcStat(stat)
	if err != nil {
		t.Fatal(err)
	}
	if secs != 3 {
		t.Errorf("cpu seconds = %v, want (250+50)/100 = 3", secs)
	}
	if _, err := procCPUSeconds(os.Getpid()); err != nil {
		t.Errorf("own cpu time: %v", err)
	}
}

func TestParseMachineStat(t *testing.T) {
	stat := []byte("cpu  100 20 30 5000 70 1 2 3 0 0\ncpu0 50 10 15 2500 35 1 1 2 0 0\n")
	secs, err := parseMachineStat(stat)
	if err != nil {
		t.Fatal(err)
	}
	if want := float64(100+20+30+1+2+3) / 100; secs != want {
		t.Errorf("busy seconds = %v, want %v", secs, want)
	}
}

func TestTail(t *testing.T) {
	for in, want := range map[string]string{
		"a\nb\nc\n": "b\nc",
		"a\nb":      "a\nb",
		"":          "",
	} {
		if got := string(tail([]byte(in), 2)); got != want {
			t.Errorf("tail(%q, 2) = %q, want %q", in, got, want)
		}
	}
}

func TestIntsFlag(t *testing.T) {
	var f intsFlag
	if err := f.Set("1, 8,32"); err != nil || f.String() != "1,8,32" {
		t.Errorf("Set: %v, %v", f, err)
	}
	for _, bad := range []string{"", "1,,2", "0", "-3", "x"} {
		if err := f.Set(bad); err == nil {
			t.Errorf("Set(%q) accepted", bad)
		}
	}
}

func TestCorpusName(t *testing.T) {
	corpora := []string{"seeds", "../shared/corpora/bbc/", "other/seeds"}
	for i, want := range []string{"seeds", "bbc", "seeds-2"} {
		if got := corpusName(corpora, i); got != want {
			t.Errorf("corpusName(%d) = %q, want %q", i, got, want)
		}
	}
}

func TestDefaultQueries(t *testing.T) {
	if n := len(DefaultQueries); n < 35 || n > 50 {
		t.Errorf("%d default queries, want about 40", n)
	}
	seen := map[string]bool{}
	kinds := map[string]bool{}
	for _, q := range DefaultQueries {
		p := q.Path()
		if seen[p] {
			t.Errorf("duplicate query %s", p)
		}
		seen[p] = true
		kinds[q.Kind] = true
		u, err := url.Parse(p)
		if err != nil || u.Path != "/api/search" || u.Query().Get("q") != q.Q {
			t.Errorf("%+v: path %q does not carry q", q, p)
		}
	}
	for _, k := range []string{"word", "words", "phrase", "exclude", "rare", "common", "field", "filter"} {
		if !kinds[k] {
			t.Errorf("no %s query", k)
		}
	}
}

// Rates add open-loop loads with the result cache off, after the
// closed-loop levels, in the report and in their own table.
func TestRunOpenLoop(t *testing.T) {
	cfg := fakeConfig(t, "ok", []Query{{Kind: "word", Q: "economy"}, {Kind: "word", Q: "film"}})
	cfg.Clients, cfg.Rates, cfg.Duration = []int{1}, []int{200, 400}, 50*time.Millisecond
	var out, progress bytes.Buffer
	if err := Run(context.Background(), cfg, &out, &progress); err != nil {
		t.Fatalf("Run: %v\n%s", err, progress.String())
	}
	rep := readReport(t, cfg.Out)
	if got := rep.Bench.Rates; !slices.Equal(got, cfg.Rates) {
		t.Errorf("settings: rates %v, want %v", got, cfg.Rates)
	}
	var open []Load
	for _, l := range rep.Results[0].Loads {
		if l.Phase == "open" {
			open = append(open, l)
		}
	}
	if len(open) != len(cfg.Rates) {
		t.Fatalf("%d open-loop loads, want %d: %+v", len(open), len(cfg.Rates), rep.Results[0].Loads)
	}
	for i, l := range open {
		// Requests fall due at 0, 1/rate, … before 50 ms.
		if most := cfg.Rates[i] / 20; l.Rate != cfg.Rates[i] || l.Cache != cacheOff || l.Clients != openInFlight ||
			l.Requests == 0 || l.Requests > most || l.Failures != 0 || l.P50MS <= 0 || l.Split == nil || *l.Split != 1 {
			t.Errorf("open load %d: %+v; want rate %d, cache off, cap %d, 1 to %d requests, none failed, all split", i, l, cfg.Rates[i], openInFlight, most)
		}
	}
	for _, want := range []string{"HTTP open loop", "due req/s", "no coordinated omission", "open loop, 200 requests/s"} {
		if !strings.Contains(out.String()+progress.String(), want) {
			t.Errorf("output lacks %q:\n%s\n%s", want, out.String(), progress.String())
		}
	}
}
