package main

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/newsfind/newsfind/bench/internal/loadgen"
)

// How searchd's result cache takes part in a load (Load.Cache).
const (
	cacheOff = "off" // every request with cache=false
	cacheOn  = "on"  // the default, after a fill pass
)

// queryLoad measures searchd in four steps, each over every query: a
// warm-up pass with the result cache off (recording what each query
// matches and the engine's took_ms), each concurrency level with the cache
// off (cache=false), a fill pass with the cache on, and each level again
// with the cache on — the same searches repeated, answered from the cache.
// A last pass checks that every query still answers "cached": true. A
// daemon that refuses cache=false has no result cache: it gets the warm-up
// and one set of levels, without the parameter.
func queryLoad(ctx context.Context, cfg Config, d *daemon, res *CorpusResult, progress io.Writer) error {
	paths := make([]string, len(cfg.Queries))
	for i, q := range cfg.Queries {
		paths[i] = q.Path()
	}
	rc := &ResultCache{}
	res.Searchd.ResultCache = rc
	fmt.Fprintf(progress, "bench: %s: warm-up, %d queries, result cache off…\n", res.Corpus.Name, len(paths))
	client := loadgen.NewClient(1)
	uncached, mode := withParam(paths, "cache=false"), cacheOff
	answers, warm, err := probe(ctx, client, d.URL, uncached)
	if refusesCache(answers, err) {
		fmt.Fprintf(progress, "bench: %s: searchd refused cache=false (%v): no result cache; warm-up again, one set of loads…\n", res.Corpus.Name, err)
		rc.Unsupported = true
		uncached, mode = paths, ""
		answers, warm, err = probe(ctx, client, d.URL, uncached)
	}
	if err != nil {
		return fmt.Errorf("warm-up: %w", err)
	}
	warm.Phase, warm.Cache = "warm-up", mode
	res.Loads = append(res.Loads, warm)
	for i, a := range answers {
		qr := &res.Queries[i]
		qr.Hits, qr.ServerTookMS = a.total, a.tookMS
		qr.ColdMS = ms(a.latency)
		qr.ResponseKB = float64(a.bytes) / 1e3
	}

	// Each level runs for cfg.Duration, or for minPasses over the queries
	// when one pass (the warm-up's) takes longer than a third of it: every
	// query gets figures, and p99 is not the maximum of a handful.
	lv := levels{duration: cfg.Duration}
	if pass := time.Duration(warm.Seconds * float64(time.Second)); pass*minPasses > cfg.Duration {
		lv = levels{requests: minPasses * len(paths)}
	}
	byPath, err := lv.run(ctx, cfg.Clients, d, uncached, mode, res, progress)
	if err != nil {
		return err
	}
	for j, ps := range byPath {
		res.Queries[j].WarmP50MS = ms(ps.Latency.P50)
		res.Queries[j].WarmMaxMS = ms(ps.Latency.Max)
	}
	if err := openLoads(ctx, cfg, d, uncached, mode, res, progress); err != nil {
		return err
	}
	if rc.Unsupported {
		return nil
	}

	fmt.Fprintf(progress, "bench: %s: filling the result cache, %d queries…\n", res.Corpus.Name, len(paths))
	answers, fill, err := probe(ctx, client, d.URL, paths)
	if err != nil {
		return fmt.Errorf("fill: %w", err)
	}
	fill.Phase, fill.Cache = "fill", cacheOn
	res.Loads = append(res.Loads, fill)
	rc.CachedInFill = countCached(answers)
	if _, err := lv.run(ctx, cfg.Clients, d, paths, cacheOn, res, progress); err != nil {
		return err
	}
	answers, _, err = probe(ctx, client, d.URL, paths)
	if err != nil {
		return fmt.Errorf("cache check: %w", err)
	}
	rc.Checked, rc.Cached = len(answers), countCached(answers)
	if rc.Cached < rc.Checked || rc.CachedInFill > 0 {
		fmt.Fprintf(progress, "bench: %s: warning: after the cached loads %d of %d queries answered cached; %d already were before the fill\n",
			res.Corpus.Name, rc.Cached, rc.Checked, rc.CachedInFill)
	}
	return nil
}

// levels says how long each concurrency level is held: for duration, or
// for a number of requests when that is not 0.
type levels struct {
	duration time.Duration
	requests int
}

// run holds each concurrency level of clients in turn over paths, adding
// a Load per level (with Cache mode) to res.Loads, and returns the
// per-path figures of the first level.
func (lv levels) run(ctx context.Context, clients []int, d *daemon, paths []string, mode string, res *CorpusResult, progress io.Writer) ([]loadgen.PathStats, error) {
	what := fmt.Sprint(lv.duration)
	if lv.requests > 0 {
		what = fmt.Sprintf("%d requests", lv.requests)
	}
	var first []loadgen.PathStats
	for i, c := range clients {
		fmt.Fprintf(progress, "bench: %s: %d client%s, result cache %s, %s…\n", res.Corpus.Name, c, plural(c), cmp.Or(mode, "unsupported"), what)
		l, st, err := measureLoad(ctx, d, "load", mode, loadgen.Config{
			BaseURL:     d.URL,
			Paths:       paths,
			Concurrency: c,
			Duration:    lv.duration,
			Requests:    lv.requests,
			WarmUp:      1, // opens this level's connections before the clock starts (its CPU, under 1 %, is counted)
		})
		if err != nil {
			return nil, fmt.Errorf("load at %d client%s, result cache %s: %w", c, plural(c), cmp.Or(mode, "unsupported"), err)
		}
		res.Loads = append(res.Loads, l)
		if i == 0 {
			first = st.ByPath
		}
	}
	return first, nil
}

// openInFlight caps the requests of an open-loop load in flight at once:
// more than searchd's cores can use, so the cap is not what queues them
// (and when it is, the wait still counts in their latency).
const openInFlight = 64

// openLoads loads searchd open loop at each of cfg.Rates over paths: a
// request is due every 1/rate seconds for cfg.Duration whatever the answers
// take, and is timed from when it was due. The closed-loop levels measure
// capacity but slow down with the server, leaving out the requests a stall
// would have delayed; these say what clients arriving at a stated rate see.
func openLoads(ctx context.Context, cfg Config, d *daemon, paths []string, mode string, res *CorpusResult, progress io.Writer) error {
	for _, rate := range cfg.Rates {
		fmt.Fprintf(progress, "bench: %s: open loop, %d requests/s for %s, result cache %s…\n", res.Corpus.Name, rate, cfg.Duration, cmp.Or(mode, "unsupported"))
		l, _, err := measureLoad(ctx, d, "open", mode, loadgen.Config{
			BaseURL:     d.URL,
			Paths:       paths,
			Rate:        float64(rate),
			Concurrency: openInFlight,
			Duration:    cfg.Duration, // at most rate × Duration requests
			WarmUp:      1,
		})
		if err != nil {
			return fmt.Errorf("open-loop load at %d requests/s: %w", rate, err)
		}
		l.Rate = rate
		res.Loads = append(res.Loads, l)
	}
	return nil
}

// measureLoad runs one load of searchd and returns its figures as a Load of
// phase and cache mode, with the CPU searchd, this process and the rest of
// the machine used meanwhile, and loadgen's own figures.
func measureLoad(ctx context.Context, d *daemon, phase, mode string, lc loadgen.Config) (Load, loadgen.Stats, error) {
	before, err := cpuMeter(d)
	if err != nil {
		return Load{}, loadgen.Stats{}, err
	}
	lent, lentOK := d.coresLent(ctx)
	st, err := loadgen.Run(ctx, lc)
	if err != nil {
		return Load{}, st, err
	}
	after, err := cpuMeter(d)
	if err != nil {
		return Load{}, st, err
	}
	l := loadFrom(phase, st)
	l.Cache = mode
	secs := st.Elapsed.Seconds()
	l.SearchdCPU = (after.daemon - before.daemon) / secs
	l.BenchCPU = (after.self - before.self) / secs
	l.OtherCPU = max(0, (after.machine-before.machine)/secs-l.SearchdCPU-l.BenchCPU)
	if now, ok := d.coresLent(ctx); ok && lentOK && st.Requests+st.WarmUpRequests > 0 {
		share := float64(now-lent) / float64(st.Requests+st.WarmUpRequests)
		l.Split = &share
	}
	if st.WarmUpFailures > 0 && l.Failures == 0 {
		l.Failures, l.FirstFailed = st.WarmUpFailures, "warm-up: "+st.FirstFailure
	}
	return l, st, nil
}

// withParam returns paths with param ("name=value") added to each query
// string.
func withParam(paths []string, param string) []string {
	out := make([]string, len(paths))
	for i, p := range paths {
		sep := "?"
		if strings.Contains(p, "?") {
			sep = "&"
		}
		out[i] = p + sep + param
	}
	return out
}

// refusesCache reports whether a probe failed on its very first request
// with a 400 naming the cache: a daemon that has no cache=false.
func refusesCache(answers []answer, err error) bool {
	se, ok := errors.AsType[*statusError](err)
	return ok && len(answers) == 0 && se.code == http.StatusBadRequest && strings.Contains(strings.ToLower(se.body), "cache")
}

func countCached(answers []answer) int {
	n := 0
	for _, a := range answers {
		if a.cached {
			n++
		}
	}
	return n
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
		Shed:        st.Statuses[http.StatusServiceUnavailable],
	}
	if st.Requests > 0 {
		l.ResponseKB = float64(st.Bytes) / float64(st.Requests) / 1e3
	}
	return l
}

// answer is what one request of a probe saw.
type answer struct {
	total   uint64
	tookMS  float64
	cached  bool
	latency time.Duration
	bytes   int
}

// statusError is an answer other than 200.
type statusError struct {
	path string
	code int
	body string
}

func (e *statusError) Error() string {
	return fmt.Sprintf("GET %s: status %d: %s", e.path, e.code, e.body)
}

// probe sends each path once, in order, from one client, and returns what
// each answer said and the pass's figures as a Load (its Phase left to the
// caller). It stops at the first answer that is not a 200 with a search
// result, returning the answers before it: a broken query must not be
// timed as a fast one.
func probe(ctx context.Context, client *http.Client, baseURL string, paths []string) ([]answer, Load, error) {
	answers := make([]answer, 0, len(paths))
	lat := make([]time.Duration, 0, len(paths))
	var bytes int64
	start := time.Now()
	for _, path := range paths {
		t0 := time.Now()
		body, status, err := get(ctx, client, baseURL+path)
		elapsed := time.Since(t0)
		if err == nil && status != http.StatusOK {
			err = &statusError{path: path, code: status, body: strings.TrimSpace(string(body))}
		}
		var r struct {
			Total  *uint64 `json:"total"`
			TookMS float64 `json:"took_ms"`
			Cached bool    `json:"cached"`
		}
		if err == nil {
			if err = json.Unmarshal(body, &r); err == nil && r.Total == nil {
				err = errors.New("no total in the answer")
			}
			if err != nil {
				err = fmt.Errorf("GET %s: not a search result: %w", path, err)
			}
		}
		if err != nil {
			return answers, Load{}, err
		}
		answers = append(answers, answer{total: *r.Total, tookMS: r.TookMS, cached: r.Cached, latency: elapsed, bytes: len(body)})
		bytes += int64(len(body))
		lat = append(lat, elapsed)
	}
	elapsed := time.Since(start)
	return answers, loadFrom("", loadgen.Stats{
		Concurrency: 1,
		Requests:    len(lat),
		Bytes:       bytes,
		Elapsed:     elapsed,
		Throughput:  float64(len(lat)) / elapsed.Seconds(),
		Latency:     loadgen.Summarize(lat),
	}), nil
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
	r, err := ownAndMachineCPU()
	r.daemon = dc
	return r, err
}
