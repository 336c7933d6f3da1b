package main

import (
	"context"
	"debug/buildinfo"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/newsfind/newsfind/internal/loadgen"
)

// Config is what one benchmark run measures and how.
type Config struct {
	// Corpora are the folders of articles to benchmark, in order.
	Corpora []string
	// Engine is the pair of binaries under test.
	Engine Engine
	// Out is the folder for the temporary indexes, daemon logs and the JSON
	// report (data/bench).
	Out string
	// Clients are the concurrency levels of the query load, and Duration
	// how long each is held.
	Clients  []int
	Duration time.Duration
	// IndexRuns is how many times each corpus is indexed (each into a fresh
	// folder); the last index is the one searched.
	IndexRuns int
	// Queries are the searches sent; DefaultQueries when nil.
	Queries []Query
	// Keep leaves the indexes and daemon logs in Out.
	Keep bool
	// Verbose prints every query's figures, not only the slowest.
	Verbose bool
}

// Engine is a search engine under test: an indexer and a daemon binary
// taking newsfind's flags (indexer: -q -articles -index; daemon: -index
// -addr) and printing newsfind's summary and /healthz. A second engine (for
// example SQLite FTS5 behind the same flags) is one more Engine.
type Engine struct {
	Name    string `json:"name"`
	Indexer string `json:"indexer"`
	Searchd string `json:"searchd"`
}

// Report is everything one benchmark run measured, written as JSON.
type Report struct {
	Started  time.Time      `json:"started"`
	Finished time.Time      `json:"finished"`
	Host     Host           `json:"host"`
	Bench    BenchSettings  `json:"settings"`
	Binaries []Binary       `json:"binaries"`
	Results  []CorpusResult `json:"results"`
}

// Host describes the machine, so figures from different runs can be told
// apart. Load averages before and after say how busy the machine was.
type Host struct {
	Hostname     string `json:"hostname"`
	CPUs         int    `json:"cpus"`
	OS           string `json:"os"`
	Kernel       string `json:"kernel"`
	LoadBefore   string `json:"loadavg_before"`
	LoadAfter    string `json:"loadavg_after"`
	BenchGo      string `json:"bench_go"`
	BenchVersion string `json:"bench_version"`
}

// BenchSettings are the knobs of the run.
type BenchSettings struct {
	Clients         []int   `json:"clients"`
	DurationSeconds float64 `json:"duration_seconds"`
	IndexRuns       int     `json:"index_runs"`
	Queries         int     `json:"queries"`
}

// Binary identifies a binary under test by the build information Go stamps
// into it (revision and whether the checkout had local changes).
type Binary struct {
	Path     string `json:"path"`
	Go       string `json:"go,omitempty"`
	Revision string `json:"revision,omitempty"`
	Modified bool   `json:"modified,omitempty"`
	Time     string `json:"time,omitempty"`
}

// CorpusResult is what was measured on one corpus with one engine. Error is
// set when the run stopped part-way; the figures up to there are kept.
type CorpusResult struct {
	Corpus   Corpus        `json:"corpus"`
	Engine   string        `json:"engine"`
	Indexing []IndexRun    `json:"indexing"`
	Searchd  SearchdResult `json:"searchd"`
	Loads    []Load        `json:"loads"`
	Queries  []QueryResult `json:"queries"`
	LoadAvg  string        `json:"loadavg_before"`
	Error    string        `json:"error,omitempty"`
}

// SearchdResult is the daemon's start-up, memory and shutdown.
type SearchdResult struct {
	Port         int     `json:"port"`
	StartupMS    float64 `json:"startup_ms"` // from exec to the first 200 on /healthz
	Articles     uint64  `json:"articles"`   // as /healthz reports
	MemoryIdle   Memory  `json:"memory_idle"`
	MemoryLoaded Memory  `json:"memory_after_load"`
	Stop         Stop    `json:"stop"`
}

// Load is the query load at one concurrency.
type Load struct {
	Phase       string  `json:"phase"` // "warm-up" (one pass, one client) or "load"
	Clients     int     `json:"clients"`
	Requests    int     `json:"requests"`
	Failures    int     `json:"failures"`
	Seconds     float64 `json:"seconds"`
	PerSec      float64 `json:"requests_per_sec"`
	MeanMS      float64 `json:"mean_ms"`
	P50MS       float64 `json:"p50_ms"`
	P95MS       float64 `json:"p95_ms"`
	P99MS       float64 `json:"p99_ms"`
	MaxMS       float64 `json:"max_ms"`
	ResponseKB  float64 `json:"mean_response_kb"`
	SearchdCPU  float64 `json:"searchd_cpu_cores"` // daemon CPU seconds ÷ wall seconds
	BenchCPU    float64 `json:"bench_cpu_cores"`   // this process (the clients), same
	OtherCPU    float64 `json:"other_cpu_cores"`   // the rest of the machine: other people's work is noise
	FirstFailed string  `json:"first_failure,omitempty"`
}

// QueryResult describes one query: how much it matches, the engine's own
// time for it, and its client-side latency cold (first request) and warm.
type QueryResult struct {
	Kind         string  `json:"kind"`
	Query        string  `json:"query"`
	Path         string  `json:"path"`
	Hits         uint64  `json:"hits"`
	ResponseKB   float64 `json:"response_kb"`
	ServerTookMS float64 `json:"server_took_ms"` // took_ms of the first answer: the index search only
	ColdMS       float64 `json:"cold_ms"`        // first request, one client
	WarmP50MS    float64 `json:"warm_p50_ms"`    // at the lowest concurrency measured
	WarmMaxMS    float64 `json:"warm_max_ms"`
}

// Run benchmarks every corpus in cfg.Corpora with cfg.Engine, printing a
// table per corpus to out as it goes and progress to progress, then writes
// the raw figures as JSON to cfg.Out/<start time>.json. It returns an error
// when any corpus could not be measured completely or any request failed;
// the report is written either way.
func Run(ctx context.Context, cfg Config, out, progress io.Writer) error {
	if cfg.Queries == nil {
		cfg.Queries = DefaultQueries
	}
	if len(cfg.Corpora) == 0 || len(cfg.Clients) == 0 || cfg.Duration <= 0 {
		return errors.New("bench: need at least one corpus, one concurrency level and a duration")
	}
	cfg.IndexRuns = max(cfg.IndexRuns, 1)
	for _, bin := range []string{cfg.Engine.Indexer, cfg.Engine.Searchd} {
		if _, err := os.Stat(bin); err != nil {
			return fmt.Errorf("bench: %w (run make build first)", err)
		}
	}
	if err := os.MkdirAll(cfg.Out, 0o755); err != nil {
		return fmt.Errorf("bench: %w", err)
	}
	rep := Report{
		Started:  time.Now().UTC(),
		Host:     hostInfo(),
		Binaries: []Binary{binaryInfo(cfg.Engine.Indexer), binaryInfo(cfg.Engine.Searchd)},
		Bench: BenchSettings{
			Clients:         cfg.Clients,
			DurationSeconds: cfg.Duration.Seconds(),
			IndexRuns:       cfg.IndexRuns,
			Queries:         len(cfg.Queries),
		},
	}
	var errs []error
	for i, path := range cfg.Corpora {
		name := corpusName(cfg.Corpora, i)
		res, err := runCorpus(ctx, cfg, path, name, progress)
		if err != nil {
			res.Error = err.Error()
			errs = append(errs, fmt.Errorf("corpus %s: %w", path, err))
		}
		rep.Results = append(rep.Results, res)
		printCorpus(out, res, cfg.Verbose)
		if ctx.Err() != nil {
			break
		}
	}
	rep.Finished = time.Now().UTC()
	rep.Host.LoadAfter = loadAvg()
	file := filepath.Join(cfg.Out, rep.Started.Format("20060102T150405Z")+".json")
	if err := writeJSON(file, rep); err != nil {
		errs = append(errs, err)
	} else {
		fmt.Fprintf(out, "raw figures: %s\n", file)
	}
	return errors.Join(errs...)
}

// runCorpus indexes one corpus, serves it and loads it with queries.
func runCorpus(ctx context.Context, cfg Config, path, name string, progress io.Writer) (CorpusResult, error) {
	res := CorpusResult{Engine: cfg.Engine.Name, Corpus: Corpus{Path: path, Name: name}, LoadAvg: loadAvg()}
	corpus, err := readCorpus(path, name)
	if err != nil {
		return res, err
	}
	res.Corpus = corpus

	// Each run indexes into a fresh folder; only the last one is served.
	var indexDir string
	done := func(dir string) {
		if !cfg.Keep && dir != "" {
			cleanUp(progress, dir)
		}
	}
	for run := range cfg.IndexRuns {
		done(indexDir)
		fmt.Fprintf(progress, "bench: %s: indexing %d files (%.2f MB), run %d of %d…\n", name, corpus.Files, corpus.MB, run+1, cfg.IndexRuns)
		if indexDir, err = os.MkdirTemp(cfg.Out, "index-"+name+"-"); err != nil {
			return res, fmt.Errorf("index folder: %w", err)
		}
		r, err := runIndexer(ctx, cfg.Engine.Indexer, corpus, indexDir)
		if err != nil {
			done(indexDir)
			return res, err
		}
		res.Indexing = append(res.Indexing, r)
	}
	defer done(indexDir)

	fmt.Fprintf(progress, "bench: %s: starting %s…\n", name, cfg.Engine.Searchd)
	logPath := indexDir + ".searchd.log"
	if !cfg.Keep {
		defer cleanUp(progress, logPath)
	}
	d, ready, h, err := startDaemon(ctx, cfg.Engine.Searchd, indexDir, logPath)
	if err != nil {
		return res, err
	}
	defer d.kill()
	res.Searchd.Port = d.Port
	res.Searchd.StartupMS = ms(ready)
	res.Searchd.Articles = h.Articles
	if res.Searchd.MemoryIdle, err = d.memory(); err != nil {
		return res, err
	}

	if err := queryLoad(ctx, cfg, d, &res, progress); err != nil {
		return res, err
	}

	if res.Searchd.MemoryLoaded, err = d.memory(); err != nil {
		return res, err
	}
	if res.Searchd.Stop, err = d.stop(); err != nil {
		return res, err
	}
	if n := res.Indexing[len(res.Indexing)-1].Articles; uint64(n) != h.Articles {
		return res, fmt.Errorf("searchd serves %d articles, the indexer indexed %d", h.Articles, n)
	}
	for _, l := range res.Loads {
		if l.Failures > 0 {
			return res, fmt.Errorf("%d of %d requests failed at %d clients; first: %s", l.Failures, l.Requests, l.Clients, l.FirstFailed)
		}
	}
	return res, nil
}

// queryLoad sends every query once (the warm-up, which also records what
// each matches), then holds each concurrency level for cfg.Duration.
func queryLoad(ctx context.Context, cfg Config, d *daemon, res *CorpusResult, progress io.Writer) error {
	paths := make([]string, len(cfg.Queries))
	for i, q := range cfg.Queries {
		paths[i] = q.Path()
	}
	fmt.Fprintf(progress, "bench: %s: warm-up, %d queries…\n", res.Corpus.Name, len(paths))
	client := loadgen.NewClient(1)
	probe := probeQueries(ctx, client, d.URL, cfg.Queries)
	res.Queries = probe.queries
	if probe.err != nil {
		return fmt.Errorf("warm-up: %w", probe.err)
	}
	res.Loads = append(res.Loads, probe.load)

	for i, c := range cfg.Clients {
		fmt.Fprintf(progress, "bench: %s: %d client%s for %v…\n", res.Corpus.Name, c, plural(c), cfg.Duration)
		before, err := cpuMeter(d)
		if err != nil {
			return err
		}
		st, err := loadgen.Run(ctx, loadgen.Config{
			BaseURL:     d.URL,
			Paths:       paths,
			Concurrency: c,
			Duration:    cfg.Duration,
			WarmUp:      1, // opens this level's connections before the clock starts (its CPU, under 1 %, is counted)
		})
		if err != nil {
			return fmt.Errorf("load at %d client%s: %w", c, plural(c), err)
		}
		after, err := cpuMeter(d)
		if err != nil {
			return err
		}
		l := loadFrom("load", st)
		secs := st.Elapsed.Seconds()
		l.SearchdCPU = (after.daemon - before.daemon) / secs
		l.BenchCPU = (after.self - before.self) / secs
		l.OtherCPU = max(0, (after.machine-before.machine)/secs-l.SearchdCPU-l.BenchCPU)
		if st.WarmUpFailures > 0 && l.Failures == 0 {
			l.Failures, l.FirstFailed = st.WarmUpFailures, "warm-up: "+st.FirstFailure
		}
		res.Loads = append(res.Loads, l)
		if i == 0 {
			for j, ps := range st.ByPath {
				res.Queries[j].WarmP50MS = ms(ps.Latency.P50)
				res.Queries[j].WarmMaxMS = ms(ps.Latency.Max)
			}
		}
	}
	return nil
}

// loadFrom converts loadgen's figures to the report's.
func loadFrom(phase string, st loadgen.Stats) Load {
	l := Load{
		Phase:       phase,
		Clients:     st.Concurrency,
		Requests:    st.Requests,
		Failures:    st.Failures,
		Seconds:     st.Elapsed.Seconds(),
		PerSec:      st.Throughput,
		MeanMS:      ms(st.Latency.Mean),
		P50MS:       ms(st.Latency.P50),
		P95MS:       ms(st.Latency.P95),
		P99MS:       ms(st.Latency.P99),
		MaxMS:       ms(st.Latency.Max),
		FirstFailed: st.FirstFailure,
	}
	if st.Requests > 0 {
		l.ResponseKB = float64(st.Bytes) / float64(st.Requests) / 1e3
	}
	return l
}

type probeResult struct {
	queries []QueryResult
	load    Load
	err     error
}

// probeQueries sends each query once, in order, from one client: the
// warm-up pass. It records each query's hits, the engine's own took_ms and
// the client's latency, and fails on the first answer that is not a 200
// with a search result: a broken query must not be timed as a fast one.
func probeQueries(ctx context.Context, client *http.Client, baseURL string, queries []Query) probeResult {
	var pr probeResult
	lat := make([]time.Duration, 0, len(queries))
	var bytes int64
	start := time.Now()
	for _, q := range queries {
		qr := QueryResult{Kind: q.Kind, Query: q.String(), Path: q.Path()}
		t0 := time.Now()
		body, status, err := get(ctx, client, baseURL+qr.Path)
		elapsed := time.Since(t0)
		if err == nil && status != http.StatusOK {
			err = fmt.Errorf("GET %s: status %d: %s", qr.Path, status, strings.TrimSpace(string(body)))
		}
		var r struct {
			Total  *uint64 `json:"total"`
			TookMS float64 `json:"took_ms"`
		}
		if err == nil {
			if err = json.Unmarshal(body, &r); err == nil && r.Total == nil {
				err = errors.New("no total in the answer")
			}
			if err != nil {
				err = fmt.Errorf("GET %s: not a search result: %w", qr.Path, err)
			}
		}
		if err != nil {
			pr.err = err
			return pr
		}
		qr.Hits, qr.ServerTookMS = *r.Total, r.TookMS
		qr.ColdMS = ms(elapsed)
		qr.ResponseKB = float64(len(body)) / 1e3
		bytes += int64(len(body))
		lat = append(lat, elapsed)
		pr.queries = append(pr.queries, qr)
	}
	pr.load = loadFrom("warm-up", loadgen.Stats{
		Concurrency: 1,
		Requests:    len(lat),
		Bytes:       bytes,
		Elapsed:     time.Since(start),
		Throughput:  float64(len(lat)) / time.Since(start).Seconds(),
		Latency:     loadgen.Summarize(lat),
	})
	return pr
}

// get fetches url and returns its body and status.
func get(ctx context.Context, client *http.Client, url string) ([]byte, int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, 0, fmt.Errorf("GET %s: %w", url, err)
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, 0, fmt.Errorf("GET %s: %w", url, err)
	}
	defer resp.Body.Close() // read fully below; nothing to lose
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, resp.StatusCode, fmt.Errorf("GET %s: read body: %w", url, err)
	}
	return body, resp.StatusCode, nil
}

// cpuReading is the CPU time used so far by the daemon, by this process and
// by the whole machine, in seconds.
type cpuReading struct{ daemon, self, machine float64 }

func cpuMeter(d *daemon) (cpuReading, error) {
	dc, err := d.cpuSeconds()
	if err != nil {
		return cpuReading{}, err
	}
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return cpuReading{}, fmt.Errorf("own cpu time: %w", err)
	}
	mc, err := machineCPUSeconds()
	if err != nil {
		return cpuReading{}, err
	}
	return cpuReading{daemon: dc, self: tvSeconds(ru.Utime) + tvSeconds(ru.Stime), machine: mc}, nil
}

// cleanUp removes a temporary index or log, saying so when it cannot: a
// leftover fills data/bench but does not spoil the figures.
func cleanUp(progress io.Writer, path string) {
	if err := os.RemoveAll(path); err != nil {
		fmt.Fprintf(progress, "bench: warning: %v\n", err)
	}
}

// corpusName names corpus i by its folder's base name, numbered when two
// corpora share one.
func corpusName(corpora []string, i int) string {
	base := func(p string) string { return filepath.Base(filepath.Clean(p)) }
	name := base(corpora[i])
	same := 0
	for _, p := range corpora[:i] {
		if base(p) == name {
			same++
		}
	}
	if same > 0 {
		name = fmt.Sprintf("%s-%d", name, same+1)
	}
	return name
}

func hostInfo() Host {
	h := Host{
		CPUs:       runtime.NumCPU(),
		OS:         runtime.GOOS + "/" + runtime.GOARCH,
		LoadBefore: loadAvg(),
		BenchGo:    runtime.Version(),
	}
	h.Hostname, _ = os.Hostname() // informational only
	if b, err := os.ReadFile("/proc/sys/kernel/osrelease"); err == nil {
		h.Kernel = strings.TrimSpace(string(b))
	}
	if bi, ok := debug.ReadBuildInfo(); ok {
		h.BenchVersion = bi.Main.Version
	}
	return h
}

// loadAvg returns the 1, 5 and 15 minute load averages, or "" off Linux.
func loadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return ""
	}
	f := strings.Fields(string(b))
	return strings.Join(f[:min(3, len(f))], " ")
}

// machineCPUSeconds returns the CPU time the whole machine has spent busy
// since boot, from the first line of /proc/stat.
func machineCPUSeconds() (float64, error) {
	b, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 0, fmt.Errorf("machine cpu time: %w", err)
	}
	return parseMachineStat(b)
}

// parseMachineStat reads the busy time of all CPUs from the text of
// /proc/stat: user, nice, system, irq, softirq and steal (guest time is
// already inside user), in seconds.
func parseMachineStat(b []byte) (float64, error) {
	line, _, _ := strings.Cut(string(b), "\n")
	f := strings.Fields(line)
	if len(f) < 9 || f[0] != "cpu" {
		return 0, fmt.Errorf("/proc/stat: unexpected first line %q", line)
	}
	var busy uint64
	for _, i := range []int{1, 2, 3, 6, 7, 8} { // user nice system [idle iowait] irq softirq steal
		n, err := strconv.ParseUint(f[i], 10, 64)
		if err != nil {
			return 0, fmt.Errorf("/proc/stat: %w", err)
		}
		busy += n
	}
	return float64(busy) / clockTicks, nil
}

func binaryInfo(path string) Binary {
	b := Binary{Path: path}
	bi, err := buildinfo.ReadFile(path)
	if err != nil {
		return b
	}
	b.Go = bi.GoVersion
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			b.Revision = s.Value
		case "vcs.modified":
			b.Modified = s.Value == "true"
		case "vcs.time":
			b.Time = s.Value
		}
	}
	return b
}

func writeJSON(file string, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return fmt.Errorf("report: %w", err)
	}
	if err := os.WriteFile(file, append(b, '\n'), 0o644); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	return nil
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// sortedByWarmP50 returns the queries, slowest first.
func sortedByWarmP50(qs []QueryResult) []QueryResult {
	s := slices.Clone(qs)
	slices.SortStableFunc(s, func(a, b QueryResult) int {
		switch {
		case a.WarmP50MS > b.WarmP50MS:
			return -1
		case a.WarmP50MS < b.WarmP50MS:
			return 1
		}
		return 0
	})
	return s
}
