package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/newsfind/newsfind/bench/internal/synth"
)

// Config is what one benchmark run measures and how.
type Config struct {
	// Corpora are the folders of articles to benchmark, in order, before
	// the synthetic ones.
	Corpora []string
	// Synth describes the generated corpora benchmarked after Corpora.
	Synth SynthConfig
	// Engine is newsfind: the pair of binaries under test.
	Engine Engine
	// Peer is the engine newsfind is compared with; only its indexer is
	// run (the SQLite FTS5 archive is searched in-process). No peer when
	// Peer.Indexer is "".
	Peer Engine
	// Out is the folder for the indexes, daemon logs and the JSON report
	// (data/bench).
	Out string
	// Phases are the parts measured.
	Phases Phases
	// Clients are the concurrency levels of the HTTP load, and Duration
	// how long each is held; the in-process searches of each engine run
	// for Duration too.
	Clients  []int
	Duration time.Duration
	// Rates are the open-loop loads, in requests per second: each holds
	// for Duration with the result cache off, requests due at the rate
	// whatever the answers take (see openLoads). None when empty.
	Rates []int
	// IndexRuns is how many times each corpus is indexed by each engine
	// (each into a fresh folder, the engines in turn); the last index is
	// the one searched.
	IndexRuns int
	// Queries are the searches sent; DefaultQueries when nil.
	Queries []Query
	// Keep leaves the indexes and daemon logs in Out/index.
	Keep bool
	// Reuse searches indexes kept by an earlier run instead of building
	// them, when they were built by the same binaries from the same
	// corpus (see stamp). It implies Keep.
	Reuse bool
	// Verbose prints every query's figures, not only the slowest.
	Verbose bool
}

// SynthConfig describes the generated corpora.
type SynthConfig struct {
	// Sizes are the numbers of articles, one corpus each.
	Sizes []int
	// Dir holds the corpora, one folder per size (data/bench/corpora).
	Dir string
	// Training are the folders the generator learns from; those that do
	// not exist are left out (the BBC corpus is not in the repository).
	Training []string
	// Seed is the generator's seed; synth.DefaultSeed when 0.
	Seed uint64
}

// Phases are the parts of a run. Indexing happens whenever a later phase
// needs an index and none can be reused.
type Phases struct {
	Index   bool `json:"index"`
	Queries bool `json:"queries"` // in-process searches, both engines
	HTTP    bool `json:"http"`    // searchd under load
}

// Engine is a search engine under test: an indexer and a daemon binary
// taking newsfind's flags (indexer: -q -json -full -articles -index and
// printing newsfind's JSON summary; daemon: -index -addr, answering
// /healthz).
type Engine struct {
	Name    string `json:"name"`
	Indexer string `json:"indexer"`
	Searchd string `json:"searchd,omitempty"`
}

// Report is everything one benchmark run measured, written as JSON.
type Report struct {
	Started    time.Time      `json:"started"`
	Finished   time.Time      `json:"finished"`
	Host       Host           `json:"host"`
	Bench      BenchSettings  `json:"settings"`
	Binaries   []Binary       `json:"binaries"`
	Results    []CorpusResult `json:"results"`
	Comparison []Comparison   `json:"comparison,omitempty"` // newsfind ÷ peer, per corpus
	Growth     []Growth       `json:"growth,omitempty"`     // exponents against corpus size
}

// Host describes the machine, so figures from different runs can be told
// apart. Load averages before and after say how busy the machine was.
type Host struct {
	Hostname     string  `json:"hostname"`
	CPUs         int     `json:"cpus"`
	MemoryGB     float64 `json:"memory_gb"`
	OS           string  `json:"os"`
	Kernel       string  `json:"kernel"`
	LoadBefore   string  `json:"loadavg_before"`
	LoadAfter    string  `json:"loadavg_after"`
	BenchGo      string  `json:"bench_go"`
	BenchVersion string  `json:"bench_version"`
}

// BenchSettings are the knobs of the run.
type BenchSettings struct {
	Engine          string  `json:"engine"`
	Peer            string  `json:"peer,omitempty"`
	Phases          Phases  `json:"phases"`
	Clients         []int   `json:"clients"`
	Rates           []int   `json:"open_loop_rates,omitempty"`
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
	Tags     string `json:"tags,omitempty"`
}

// CorpusResult is what was measured on one corpus. The top-level figures
// are newsfind's; Peer holds the peer's. Error is set when the run stopped
// part-way; the figures up to there are kept.
type CorpusResult struct {
	Corpus   Corpus        `json:"corpus"`
	Engine   string        `json:"engine"`
	Reused   string        `json:"reused_index,omitempty"` // when the indexes of an earlier run were searched: when they were built
	Indexing []IndexRun    `json:"indexing"`
	Search   *InProcess    `json:"in_process,omitempty"`
	Searchd  SearchdResult `json:"searchd"`
	Loads    []Load        `json:"loads"`
	Queries  []QueryResult `json:"queries"`
	Peer     *PeerResult   `json:"peer,omitempty"`
	LoadAvg  string        `json:"loadavg_before"`
	Error    string        `json:"error,omitempty"`
}

// PeerResult is the peer engine's figures on a corpus.
type PeerResult struct {
	Engine   string     `json:"engine"`
	Indexing []IndexRun `json:"indexing"`
	Search   *InProcess `json:"in_process,omitempty"`
	// Note says why a figure is missing.
	Note string `json:"note,omitempty"`
}

// SearchdResult is the daemon's start-up, memory and shutdown.
type SearchdResult struct {
	Port         int     `json:"port"`
	StartupMS    float64 `json:"startup_ms"` // from exec to the first 200 on /healthz
	Articles     uint64  `json:"articles"`   // as /healthz reports
	MemoryIdle   Memory  `json:"memory_idle"`
	MemoryLoaded Memory  `json:"memory_after_load"`
	Stop         Stop    `json:"stop"`
	// ResultCache is what the loads saw of searchd's result cache.
	ResultCache *ResultCache `json:"result_cache,omitempty"`
}

// ResultCache is what the bench saw of searchd's result cache: whether
// searchd took cache=false, and whether the cached loads really were
// answered from the cache.
type ResultCache struct {
	// Unsupported is set when searchd refused cache=false (a 400 naming
	// the cache): a daemon without a result cache, loaded once without the
	// parameter and with no cached loads.
	Unsupported bool `json:"unsupported,omitempty"`
	// CachedInFill counts the answers of the fill pass that were already
	// cached: 0 unless the warm-up or the uncached loads, all sent with
	// cache=false, wrote the cache.
	CachedInFill int `json:"cached_in_fill"`
	// Checked is how many queries were sent once more after the cached
	// loads, and Cached how many of them answered "cached": true. Below
	// Checked, some of the cached loads' searches were not look-ups (a
	// daemon that ignores the parameter answers none cached).
	Checked int `json:"checked"`
	Cached  int `json:"cached"`
}

// Load is a query load at one concurrency.
type Load struct {
	Phase string `json:"phase"` // "warm-up" or "fill" (one pass, one client), "load" (closed loop), "open" (open loop) or "in-process"
	// Cache says how searchd's result cache took part: "off" (every
	// request sent with cache=false), "on" (the default, the searches
	// repeated after a fill pass: answered from the cache), or "" (not
	// over HTTP, or a daemon without the cache).
	Cache      string  `json:"cache,omitempty"`
	Clients    int     `json:"clients"`                // closed loop: clients; open loop: the cap on requests in flight
	Rate       int     `json:"rate_per_sec,omitempty"` // open loop: requests due per second, each timed from when due
	Requests   int     `json:"requests"`
	Failures   int     `json:"failures"`
	Shed       int     `json:"shed"` // failures that were 503s: searchd giving up on a request (its timeout), not breaking
	Seconds    float64 `json:"seconds"`
	PerSec     float64 `json:"requests_per_sec"`
	MeanMS     float64 `json:"mean_ms"`
	P50MS      float64 `json:"p50_ms"`
	P95MS      float64 `json:"p95_ms"`
	P99MS      float64 `json:"p99_ms"`
	MaxMS      float64 `json:"max_ms"`
	ResponseKB float64 `json:"mean_response_kb"`
	SearchdCPU float64 `json:"searchd_cpu_cores"` // daemon CPU seconds ÷ wall seconds
	BenchCPU   float64 `json:"bench_cpu_cores"`   // this process (the clients, or in-process the engine), same
	OtherCPU   float64 `json:"other_cpu_cores"`   // the rest of the machine: other people's work is noise
	// Split is the share of the load's searches (its warm-up too) that
	// searchd ranked on two cores, a core being idle (-split, from its
	// newsfind_search_cores_lent_total); nil when the daemon does not say.
	Split       *float64 `json:"split_share,omitempty"`
	FirstFailed string   `json:"first_failure,omitempty"`
}

// QueryResult describes one query: how much it matches, the engine's own
// time for it, its client-side latency over HTTP cold (first request) and
// warm, both with searchd's result cache off, and its in-process latency in
// both engines.
type QueryResult struct {
	Kind         string  `json:"kind"`
	Query        string  `json:"query"`
	Path         string  `json:"path"`
	Hits         uint64  `json:"hits"`
	ResponseKB   float64 `json:"response_kb"`
	ServerTookMS float64 `json:"server_took_ms"` // took_ms of the first answer: the index search only
	ColdMS       float64 `json:"cold_ms"`        // first request, one client, cache=false
	WarmP50MS    float64 `json:"warm_p50_ms"`    // at the first concurrency level, cache=false
	WarmMaxMS    float64 `json:"warm_max_ms"`
	SearchHits   uint64  `json:"in_process_hits"`
	SearchP50MS  float64 `json:"in_process_p50_ms"`
	PeerHits     uint64  `json:"peer_hits"`
	PeerP50MS    float64 `json:"peer_p50_ms"`
}

// Run benchmarks every corpus (cfg.Corpora, then the generated ones, made
// first when missing) with newsfind and the peer, printing a table per
// corpus to out as it goes and progress to progress, then the comparison
// and growth tables, and writes the raw figures as JSON to cfg.Out/<start
// time>.json. It returns an error when any corpus could not be measured
// completely or any request failed; the report is written either way.
func Run(ctx context.Context, cfg Config, out, progress io.Writer) error {
	if cfg.Queries == nil {
		cfg.Queries = DefaultQueries
	}
	if cfg.Phases == (Phases{}) {
		cfg.Phases = Phases{Index: true, Queries: true, HTTP: true}
	}
	if len(cfg.Corpora)+len(cfg.Synth.Sizes) == 0 || (cfg.Phases.HTTP && len(cfg.Clients) == 0) || cfg.Duration <= 0 {
		return errors.New("bench: need at least one corpus, one concurrency level and a duration")
	}
	cfg.IndexRuns = max(cfg.IndexRuns, 1)
	cfg.Keep = cfg.Keep || cfg.Reuse
	bins := []string{cfg.Engine.Indexer}
	if cfg.Phases.HTTP {
		bins = append(bins, cfg.Engine.Searchd)
	}
	for _, bin := range bins {
		if _, err := os.Stat(bin); err != nil {
			return fmt.Errorf("bench: %w (run make build first)", err)
		}
	}
	if cfg.Peer.Indexer != "" {
		if _, err := os.Stat(cfg.Peer.Indexer); err != nil {
			return fmt.Errorf("bench: peer: %w (build it with make bench-build, or run without a peer)", err)
		}
	}
	if err := os.MkdirAll(cfg.Out, 0o755); err != nil {
		return fmt.Errorf("bench: %w", err)
	}
	rep := Report{
		Started:  time.Now().UTC(),
		Host:     hostInfo(),
		Binaries: []Binary{binaryInfo(cfg.Engine.Indexer)},
		Bench: BenchSettings{
			Engine:          cfg.Engine.Name,
			Peer:            cfg.Peer.Name,
			Phases:          cfg.Phases,
			Clients:         cfg.Clients,
			Rates:           cfg.Rates,
			DurationSeconds: cfg.Duration.Seconds(),
			IndexRuns:       cfg.IndexRuns,
			Queries:         len(cfg.Queries),
		},
	}
	if cfg.Phases.HTTP {
		rep.Binaries = append(rep.Binaries, binaryInfo(cfg.Engine.Searchd))
	}
	if cfg.Peer.Indexer != "" {
		rep.Binaries = append(rep.Binaries, binaryInfo(cfg.Peer.Indexer))
	}
	if exe, err := os.Executable(); err == nil {
		rep.Binaries = append(rep.Binaries, binaryInfo(exe)) // this one searches the peer in-process
	}

	var errs []error
	corpora, err := prepareCorpora(ctx, cfg, progress)
	if err != nil {
		errs = append(errs, err) // the corpora that are ready are still measured
	}
	for _, c := range corpora {
		res, err := runCorpus(ctx, cfg, c, progress)
		if err != nil {
			res.Error = err.Error()
			errs = append(errs, fmt.Errorf("corpus %s: %w", c.Path, err))
		}
		rep.Results = append(rep.Results, res)
		printCorpus(out, res, cfg.Verbose)
		if ctx.Err() != nil {
			break
		}
	}
	rep.Comparison = compare(rep.Results)
	rep.Growth = growth(rep.Results)
	printSummary(out, rep)
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

// runCorpus indexes one corpus with both engines (or finds the indexes of
// an earlier run), searches both in-process, and serves newsfind's index
// with searchd under load.
func runCorpus(ctx context.Context, cfg Config, c corpusSpec, progress io.Writer) (CorpusResult, error) {
	res := CorpusResult{Engine: cfg.Engine.Name, Corpus: Corpus{Path: c.Path, Name: c.Name}, LoadAvg: loadAvg()}
	if cfg.Peer.Indexer != "" {
		res.Peer = &PeerResult{Engine: cfg.Peer.Name}
	}
	res.Queries = make([]QueryResult, len(cfg.Queries))
	for i, q := range cfg.Queries {
		res.Queries[i] = QueryResult{Kind: q.Kind, Query: q.String(), Path: q.Path()}
	}
	corpus, err := readCorpus(c.Path, c.Name)
	if err != nil {
		return res, err
	}
	corpus.Synthetic = c.Marker
	res.Corpus = corpus

	dirs := indexDirs(cfg.Out, c.Name)
	if !cfg.Keep {
		defer func() {
			cleanUp(progress, dirs.root)
			os.Remove(filepath.Dir(dirs.root)) // the index folder, when no other corpus's is left in it
		}()
	}
	idx, err := indexes(ctx, cfg, corpus, dirs, &res, progress)
	if err != nil {
		return res, err
	}

	if cfg.Phases.Queries {
		if err := searchInProcess(ctx, cfg, idx, &res, progress); err != nil {
			return res, err
		}
	}
	if cfg.Phases.HTTP {
		if err := serve(ctx, cfg, idx, dirs, &res, progress); err != nil {
			return res, err
		}
	}
	return res, nil
}

// builtIndexes are where a corpus's indexes are: newsfind's index folder
// and the peer's archive file.
type builtIndexes struct {
	Newsfind string `json:"newsfind"`
	Articles int    `json:"articles"` // as newsfind's indexer counted them
	Peer     string `json:"peer,omitempty"`
}

// indexes builds the corpus's indexes, or reuses those of an earlier run.
func indexes(ctx context.Context, cfg Config, corpus Corpus, dirs indexPaths, res *CorpusResult, progress io.Writer) (builtIndexes, error) {
	st := newStamp(cfg, corpus)
	if cfg.Reuse && !cfg.Phases.Index {
		built, when, err := st.matches(dirs.stamp)
		if err == nil {
			res.Reused = when
			fmt.Fprintf(progress, "bench: %s: searching the indexes built %s\n", corpus.Name, when)
			return built, nil
		}
		fmt.Fprintf(progress, "bench: %s: not reusing the kept indexes (%v)\n", corpus.Name, err)
	}
	os.Remove(dirs.stamp) // it describes what is about to be replaced
	var built builtIndexes
	for run := range cfg.IndexRuns {
		fmt.Fprintf(progress, "bench: %s: %s indexing %d files (%.2f MB), run %d of %d…\n", corpus.Name, cfg.Engine.Name, corpus.Files, corpus.MB, run+1, cfg.IndexRuns)
		r, err := freshIndex(ctx, cfg.Engine.Indexer, corpus, dirs.newsfind)
		if err != nil {
			return built, err
		}
		res.Indexing = append(res.Indexing, r)
		built.Newsfind, built.Articles = dirs.newsfind, r.Articles
		if res.Peer == nil {
			continue
		}
		fmt.Fprintf(progress, "bench: %s: %s indexing, run %d of %d…\n", corpus.Name, cfg.Peer.Name, run+1, cfg.IndexRuns)
		p, err := freshIndex(ctx, cfg.Peer.Indexer, corpus, dirs.peer)
		if err != nil {
			return built, fmt.Errorf("%s: %w", cfg.Peer.Name, err)
		}
		res.Peer.Indexing = append(res.Peer.Indexing, p)
		built.Peer = p.Generation
		if p.Articles != r.Articles {
			return built, fmt.Errorf("%s indexed %d articles, %s %d: not the same work", cfg.Engine.Name, r.Articles, cfg.Peer.Name, p.Articles)
		}
	}
	if cfg.Keep {
		if err := st.write(dirs.stamp, built); err != nil {
			return built, err
		}
	}
	return built, nil
}

// freshIndex runs an indexer into an empty folder dir.
func freshIndex(ctx context.Context, bin string, corpus Corpus, dir string) (IndexRun, error) {
	if err := os.RemoveAll(dir); err != nil {
		return IndexRun{}, fmt.Errorf("index folder: %w", err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return IndexRun{}, fmt.Errorf("index folder: %w", err)
	}
	return runIndexer(ctx, bin, corpus, dir)
}

// serve starts searchd on newsfind's index and loads it with the queries.
func serve(ctx context.Context, cfg Config, idx builtIndexes, dirs indexPaths, res *CorpusResult, progress io.Writer) error {
	fmt.Fprintf(progress, "bench: %s: starting %s…\n", res.Corpus.Name, cfg.Engine.Searchd)
	d, ready, h, err := startDaemon(ctx, cfg.Engine.Searchd, idx.Newsfind, dirs.log)
	if err != nil {
		return err
	}
	defer d.kill()
	res.Searchd.Port = d.Port
	res.Searchd.StartupMS = ms(ready)
	res.Searchd.Articles = h.Articles
	if res.Searchd.MemoryIdle, err = d.memory(); err != nil {
		return err
	}
	if err := queryLoad(ctx, cfg, d, res, progress); err != nil {
		return err
	}
	if res.Searchd.MemoryLoaded, err = d.memory(); err != nil {
		return err
	}
	if res.Searchd.Stop, err = d.stop(); err != nil {
		return err
	}
	if uint64(idx.Articles) != h.Articles {
		return fmt.Errorf("searchd serves %d articles, the indexer indexed %d", h.Articles, idx.Articles)
	}
	for _, l := range res.Loads {
		if l.Failures > l.Shed {
			return fmt.Errorf("%d of %d requests failed at %d clients; first: %s", l.Failures, l.Requests, l.Clients, l.FirstFailed)
		}
	}
	return nil
}

// indexPaths are the files of one corpus under Out/index/<corpus>.
type indexPaths struct {
	root, newsfind, peer, log, stamp string
}

func indexDirs(out, corpus string) indexPaths {
	root := filepath.Join(out, "index", corpus)
	return indexPaths{
		root:     root,
		newsfind: filepath.Join(root, "newsfind"),
		peer:     filepath.Join(root, "peer"),
		log:      filepath.Join(root, "searchd.log"),
		stamp:    filepath.Join(root, "stamp.json"),
	}
}

// corpusSpec is a corpus to benchmark: a folder, its name in tables, and
// for a generated one, its marker.
type corpusSpec struct {
	Path   string
	Name   string
	Marker *synth.Marker
}
