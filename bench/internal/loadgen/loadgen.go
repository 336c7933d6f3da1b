// Package loadgen is a small HTTP load generator for benchmarking a search
// daemon: GET requests for a fixed list of paths, over one keep-alive
// http.Client, for a duration or a number of requests, summarized as
// throughput and latency percentiles. Measure does the same for in-process
// calls, so an engine's library and its daemon are measured alike.
//
// A run is closed loop by default: C clients each wait for an answer before
// sending again, which measures capacity but lets a slow server slow the
// load down, so a stall delays the requests that would have met it and they
// are never timed (coordinated omission). With Config.Rate set it is open
// loop: a request is due every 1/Rate seconds whatever the answers take, and
// its latency is counted from when it was due, so time spent waiting behind
// a stall is in the figures.
//
// It measures; it does not judge. Nothing here asserts a speed, and the
// figures are only as steady as the machine they were taken on.
package loadgen

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// DefaultTimeout bounds one request of a client made by NewClient, so a hung
// server fails a run instead of stalling it.
const DefaultTimeout = 30 * time.Second

// Config describes one load run.
type Config struct {
	// BaseURL is the server's scheme and authority, e.g.
	// "http://127.0.0.1:8080"; each path is appended to it.
	BaseURL string
	// Paths are request paths with their query strings, e.g.
	// "/api/search?q=economy". Requests take them in rounds (see
	// InOrder), so every path is requested about equally often.
	Paths []string
	// InOrder makes request k take path k mod len(Paths). By default each
	// round of len(Paths) requests takes every path once, in an order of
	// its own (shuffled from a fixed seed, so that runs are alike): in
	// list order, the requests in flight together are always neighbours in
	// the list, and the figures depend on how it is ordered. The bench's
	// eight heaviest searches are neighbours in its list; with 8 clients
	// they were in flight together once a round, and at 1,000,000 articles
	// the 8-client p99 was 53.8-64.3 ms in list order against 47.0-47.9
	// in rounds, the same searchd alternated, 4 runs each, at the same
	// throughput (docs/PERFORMANCE.md, session 29).
	InOrder bool
	// Concurrency is the number of clients issuing requests at once; each
	// waits for its response before sending the next. Default 1. With Rate
	// set it caps the requests in flight instead: one due while Concurrency
	// are in flight waits for one to end, and the wait counts in its
	// latency.
	Concurrency int
	// Rate, when above 0, makes the run open loop: request k is due at
	// k/Rate seconds after the start, whatever earlier ones take, and its
	// latency runs from then. The warm-up stays closed loop.
	Rate float64
	// Duration stops the measured phase once it has run this long (requests
	// in flight finish and count). Requests stops it after that many
	// requests. At least one must be set; with both, whichever comes first.
	Duration time.Duration
	Requests int
	// WarmUp is the number of passes over Paths made, at the same
	// concurrency, before measuring: they open the clients' connections and
	// warm the server's caches. Their responses are checked but only counted
	// in Stats.WarmUpRequests and Stats.WarmUpFailures.
	WarmUp int
	// Client sends the requests; nil means NewClient(Concurrency).
	Client *http.Client

	due func(k int) // called as open-loop request k falls due (tests)
}

// Stats summarizes the measured phase of a run.
type Stats struct {
	Concurrency int
	// Rate is the open-loop rate asked for, in requests per second; 0 for
	// a closed-loop run.
	Rate float64
	// Requests completed, successful or not, and how many failed (an error
	// or a status other than 200).
	Requests int
	Failures int
	// Bytes of response bodies read.
	Bytes int64
	// Elapsed is the wall time of the measured phase; Throughput is
	// Requests per second of it.
	Elapsed    time.Duration
	Throughput float64
	// Latency of the successful requests, to having read the whole body
	// from sending the request (closed loop) or from when the request was
	// due (open loop).
	Latency Summary
	// ByPath holds the same figures for each path, in the order of
	// Config.Paths.
	ByPath []PathStats
	// WarmUpRequests and WarmUpFailures count the warm-up phase.
	WarmUpRequests int
	WarmUpFailures int
	// FirstFailure describes the first failed request of either phase, to
	// tell a broken query from a slow one; empty when none failed.
	FirstFailure string
	// Statuses counts the measured phase's failures that were answers,
	// by HTTP status (a 503 is a server shedding load, a 400 a broken
	// request); failures without an answer are not in it.
	Statuses map[int]int
}

// StatusError is a request answered with a status other than 200.
type StatusError struct {
	URL    string
	Status string // e.g. "503 Service Unavailable"
	Code   int
	Body   string // the start of the answer, which usually says why
}

func (e *StatusError) Error() string {
	return fmt.Sprintf("GET %s: status %s: %s", e.URL, e.Status, e.Body)
}

// PathStats are the figures of one path within a run.
type PathStats struct {
	Path     string
	Requests int
	Failures int
	Latency  Summary
}

// Summary describes a set of latencies. Percentiles are nearest-rank: P99 is
// the smallest latency at least 99 % of the set do not exceed.
type Summary struct {
	Count int
	Mean  time.Duration
	P50   time.Duration
	P95   time.Duration
	P99   time.Duration
	Max   time.Duration
}

// Summarize returns the Summary of latencies (in any order; the slice is
// sorted in place).
func Summarize(latencies []time.Duration) Summary {
	n := len(latencies)
	if n == 0 {
		return Summary{}
	}
	slices.Sort(latencies)
	var sum time.Duration
	for _, d := range latencies {
		sum += d
	}
	rank := func(p float64) time.Duration {
		i := int(math.Ceil(float64(n)*p/100)) - 1
		return latencies[min(max(i, 0), n-1)]
	}
	return Summary{
		Count: n,
		Mean:  sum / time.Duration(n),
		P50:   rank(50),
		P95:   rank(95),
		P99:   rank(99),
		Max:   latencies[n-1],
	}
}

// NewClient returns an http.Client for concurrency clients hitting one host:
// keep-alives on and enough idle connections per host that no client has to
// dial again between requests, and a DefaultTimeout per request.
func NewClient(concurrency int) *http.Client {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConnsPerHost = max(concurrency, 1)
	t.MaxIdleConns = max(concurrency, 1) + t.MaxIdleConns
	t.DisableKeepAlives = false
	return &http.Client{Transport: t, Timeout: DefaultTimeout}
}

// sample is one request's outcome.
type sample struct {
	path    int
	latency time.Duration
	bytes   int64
	err     error // nil on a 200 response
}

// Func is one in-process operation for Measure: i says which of
// FuncConfig.Names to do. It returns how many bytes it produced (0 when that
// means nothing) or an error, counted as a failure.
type Func func(ctx context.Context, i int) (int64, error)

// FuncConfig describes an in-process run: Measure calls a Func the way Run
// sends requests, with the same meaning of every field.
type FuncConfig struct {
	// Names label the distinct operations, in the order of Stats.ByPath;
	// Measure calls Func with each index in turn.
	Names       []string
	Concurrency int
	Rate        float64
	Duration    time.Duration
	Requests    int
	WarmUp      int
	InOrder     bool // see Config.InOrder

	due func(k int) // see Config.due
}

// Run warms up, then issues requests from cfg.Concurrency goroutines until
// cfg.Duration has passed or cfg.Requests have been sent, and returns the
// figures of the measured phase. Failed requests are counted, not returned
// as errors: Run fails only on an invalid Config or when ctx is done (with
// the figures gathered so far).
func Run(ctx context.Context, cfg Config) (Stats, error) {
	switch {
	case cfg.BaseURL == "":
		return Stats{}, errors.New("loadgen: no base URL")
	case len(cfg.Paths) == 0:
		return Stats{}, errors.New("loadgen: no paths to request")
	}
	if cfg.Client == nil {
		cfg.Client = NewClient(max(cfg.Concurrency, 1))
	}
	urls := make([]string, len(cfg.Paths))
	for i, p := range cfg.Paths {
		urls[i] = strings.TrimSuffix(cfg.BaseURL, "/") + p
	}
	return Measure(ctx, FuncConfig{
		Names:       cfg.Paths,
		Concurrency: cfg.Concurrency,
		Rate:        cfg.Rate,
		Duration:    cfg.Duration,
		Requests:    cfg.Requests,
		WarmUp:      cfg.WarmUp,
		InOrder:     cfg.InOrder,
		due:         cfg.due,
	}, func(ctx context.Context, i int) (int64, error) {
		return get(ctx, cfg.Client, urls[i])
	})
}

// Measure is Run for in-process work: it warms up with cfg.WarmUp passes
// over cfg.Names, then calls fn from cfg.Concurrency goroutines until
// cfg.Duration has passed or cfg.Requests calls were made, and returns the
// figures of the measured phase (Stats.ByPath[i].Path is Names[i]). Latency
// is fn's duration (open loop: from when the call was due to its end).
// Failed calls are counted, not returned as errors.
func Measure(ctx context.Context, cfg FuncConfig, fn Func) (Stats, error) {
	if cfg.Concurrency <= 0 {
		cfg.Concurrency = 1
	}
	st := Stats{Concurrency: cfg.Concurrency, Rate: cfg.Rate}
	switch {
	case len(cfg.Names) == 0:
		return st, errors.New("loadgen: nothing to measure")
	case cfg.Duration <= 0 && cfg.Requests <= 0:
		return st, errors.New("loadgen: neither a duration nor a request count")
	case cfg.Rate < 0 || math.IsNaN(cfg.Rate) || math.IsInf(cfg.Rate, 0):
		return st, fmt.Errorf("loadgen: rate %v is not a number of requests per second", cfg.Rate)
	}
	ops := &order{n: len(cfg.Names), inOrder: cfg.InOrder, rounds: map[int][]int{}}
	do := func(ctx context.Context, k int, from time.Time) sample {
		i := ops.of(k)
		n, err := fn(ctx, i)
		return sample{path: i, latency: time.Since(from), bytes: n, err: err}
	}
	var firstFailure string
	noteFailure := func(s sample) {
		if s.err != nil && firstFailure == "" {
			firstFailure = s.err.Error()
		}
	}

	if cfg.WarmUp > 0 {
		warm := phase(ctx, do, cfg.Concurrency, 0, cfg.WarmUp*len(cfg.Names))
		for _, s := range warm.samples {
			st.WarmUpRequests++
			if s.err != nil {
				st.WarmUpFailures++
				noteFailure(s)
			}
		}
		if err := ctx.Err(); err != nil {
			st.FirstFailure = firstFailure
			return st, fmt.Errorf("loadgen warm-up: %w", err)
		}
	}

	var ph phaseResult
	if cfg.Rate > 0 {
		ph = openPhase(ctx, do, cfg, cfg.due)
	} else {
		ph = phase(ctx, do, cfg.Concurrency, cfg.Duration, cfg.Requests)
	}
	st.Elapsed = ph.elapsed
	all := make([]time.Duration, 0, len(ph.samples))
	byPath := make([][]time.Duration, len(cfg.Names))
	st.ByPath = make([]PathStats, len(cfg.Names))
	for i, p := range cfg.Names {
		st.ByPath[i].Path = p
	}
	for _, s := range ph.samples {
		st.Requests++
		st.Bytes += s.bytes
		ps := &st.ByPath[s.path]
		ps.Requests++
		if s.err != nil {
			st.Failures++
			ps.Failures++
			noteFailure(s)
			if se, ok := errors.AsType[*StatusError](s.err); ok {
				if st.Statuses == nil {
					st.Statuses = map[int]int{}
				}
				st.Statuses[se.Code]++
			}
			continue
		}
		all = append(all, s.latency)
		byPath[s.path] = append(byPath[s.path], s.latency)
	}
	st.Latency = Summarize(all)
	for i := range st.ByPath {
		st.ByPath[i].Latency = Summarize(byPath[i])
	}
	if secs := st.Elapsed.Seconds(); secs > 0 {
		st.Throughput = float64(st.Requests) / secs
	}
	st.FirstFailure = firstFailure
	if err := ctx.Err(); err != nil {
		return st, fmt.Errorf("loadgen: %w", err)
	}
	return st, nil
}

// order gives call k of a run the operation it makes (see
// Config.InOrder): of n operations, in rounds of n calls, each round all of
// them once, in an order of its own; in list order when inOrder.
type order struct {
	n       int
	inOrder bool
	mu      sync.Mutex
	rounds  map[int][]int // round number to its order
}

// orderSeed seeds the shuffle of every round: the same rounds each run.
const orderSeed = 29

func (o *order) of(k int) int {
	if o.inOrder {
		return k % o.n
	}
	r := k / o.n
	o.mu.Lock()
	defer o.mu.Unlock()
	p, ok := o.rounds[r]
	if !ok {
		p = rand.New(rand.NewPCG(orderSeed, uint64(r))).Perm(o.n)
		o.rounds[r] = p
		// Rounds two back are dropped: a late call of one shuffles it
		// again, the same (the seed and the round make the order).
		delete(o.rounds, r-2)
	}
	return p[k%o.n]
}

type phaseResult struct {
	samples []sample
	elapsed time.Duration
}

// phase runs concurrency workers that take call numbers from one counter
// (so the operations are done in rounds across workers, see order) until
// limit calls have been taken (limit > 0) or duration has passed
// (duration > 0).
func phase(ctx context.Context, do func(context.Context, int, time.Time) sample, concurrency int, duration time.Duration, limit int) phaseResult {
	var (
		next    atomic.Int64
		wg      sync.WaitGroup
		perWork = make([][]sample, concurrency)
	)
	start := time.Now()
	for w := range concurrency {
		wg.Go(func() {
			var out []sample
			for ctx.Err() == nil {
				if duration > 0 && time.Since(start) >= duration {
					break
				}
				k := int(next.Add(1) - 1)
				if limit > 0 && k >= limit {
					break
				}
				out = append(out, do(ctx, k, time.Now()))
			}
			perWork[w] = out
		})
	}
	wg.Wait()
	res := phaseResult{elapsed: time.Since(start)}
	for _, s := range perWork {
		res.samples = append(res.samples, s...)
	}
	return res
}

// openPhase makes calls at cfg.Rate: call k is due at k/Rate after the
// start and is made then, whatever earlier calls take, unless
// cfg.Concurrency are in flight, when it waits for one to end. Its latency
// runs from when it was due, so neither a slow answer nor the cap hides
// the time later calls spend waiting. Calls stop falling due after
// cfg.Requests calls or cfg.Duration (those in flight finish and count),
// or when ctx is done. due, when set, is called as each call falls due.
func openPhase(ctx context.Context, do func(context.Context, int, time.Time) sample, cfg FuncConfig, due func(int)) phaseResult {
	var (
		mu      sync.Mutex
		samples []sample
		wg      sync.WaitGroup
		slots   = make(chan struct{}, cfg.Concurrency)
		timer   = time.NewTimer(time.Hour)
	)
	defer timer.Stop()
	start := time.Now()
	offset := func(k int) time.Duration { return time.Duration(float64(k) * float64(time.Second) / cfg.Rate) }
	k := 0
	for ; cfg.Requests <= 0 || k < cfg.Requests; k++ {
		if cfg.Duration > 0 && offset(k) >= cfg.Duration {
			break
		}
		at := start.Add(offset(k))
		if wait := time.Until(at); wait > 0 {
			timer.Reset(wait)
			select {
			case <-timer.C:
			case <-ctx.Done():
			}
		}
		if ctx.Err() != nil {
			break
		}
		if due != nil {
			due(k)
		}
		i := k // k outlives the loop
		wg.Go(func() {
			select {
			case slots <- struct{}{}:
			case <-ctx.Done():
				return // never sent: not a request
			}
			s := do(ctx, i, at)
			<-slots
			mu.Lock()
			samples = append(samples, s)
			mu.Unlock()
		})
	}
	wg.Wait()
	// k calls span k/Rate however fast the last answer came: throughput
	// is Rate when the answers kept up, less when they did not.
	return phaseResult{samples: samples, elapsed: max(time.Since(start), offset(k))}
}

// get requests url and reads the whole body (so the connection can be
// reused); it returns the body's size, or an error for a failure or a
// status other than 200.
func get(ctx context.Context, client *http.Client, url string) (int64, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return 0, fmt.Errorf("GET %s: %w", url, err)
	}
	resp, err := client.Do(req)
	if err != nil {
		return 0, fmt.Errorf("GET %s: %w", url, err)
	}
	// Keep the start of a failure's body: it says what went wrong.
	var head strings.Builder
	var body io.Reader = resp.Body
	if resp.StatusCode != http.StatusOK {
		body = io.TeeReader(resp.Body, &limitedWriter{w: &head, n: 300})
	}
	n, err := io.Copy(io.Discard, body)
	if cerr := resp.Body.Close(); err == nil {
		err = cerr
	}
	switch {
	case err != nil:
		return n, fmt.Errorf("GET %s: read body: %w", url, err)
	case resp.StatusCode != http.StatusOK:
		return n, &StatusError{URL: url, Status: resp.Status, Code: resp.StatusCode, Body: strings.TrimSpace(head.String())}
	}
	return n, nil
}

// limitedWriter keeps the first n bytes written to it and drops the rest.
type limitedWriter struct {
	w io.Writer
	n int
}

func (l *limitedWriter) Write(p []byte) (int, error) {
	if keep := min(len(p), l.n); keep > 0 {
		l.n -= keep
		if _, err := l.w.Write(p[:keep]); err != nil {
			return 0, err
		}
	}
	return len(p), nil
}
