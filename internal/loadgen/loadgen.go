// Package loadgen is a small HTTP load generator for benchmarking a search
// daemon: C clients share one keep-alive http.Client and issue GET requests
// for a fixed list of paths, for a duration or a number of requests, and the
// run is summarized as throughput and latency percentiles.
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
	// "/api/search?q=economy". Clients take them in turn, so every path is
	// requested about equally often.
	Paths []string
	// Concurrency is the number of clients issuing requests at once; each
	// waits for its response before sending the next. Default 1.
	Concurrency int
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
}

// Stats summarizes the measured phase of a run.
type Stats struct {
	Concurrency int
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
	// Latency of the successful requests, from sending the request to
	// having read the whole body.
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

// Run warms up, then issues requests from cfg.Concurrency goroutines until
// cfg.Duration has passed or cfg.Requests have been sent, and returns the
// figures of the measured phase. Failed requests are counted, not returned
// as errors: Run fails only on an invalid Config or when ctx is done (with
// the figures gathered so far).
func Run(ctx context.Context, cfg Config) (Stats, error) {
	if cfg.Concurrency <= 0 {
		cfg.Concurrency = 1
	}
	st := Stats{Concurrency: cfg.Concurrency}
	switch {
	case cfg.BaseURL == "":
		return st, errors.New("loadgen: no base URL")
	case len(cfg.Paths) == 0:
		return st, errors.New("loadgen: no paths to request")
	case cfg.Duration <= 0 && cfg.Requests <= 0:
		return st, errors.New("loadgen: neither a duration nor a request count")
	}
	if cfg.Client == nil {
		cfg.Client = NewClient(cfg.Concurrency)
	}
	urls := make([]string, len(cfg.Paths))
	for i, p := range cfg.Paths {
		urls[i] = strings.TrimSuffix(cfg.BaseURL, "/") + p
	}
	var firstFailure string
	noteFailure := func(s sample) {
		if s.err != nil && firstFailure == "" {
			firstFailure = s.err.Error()
		}
	}

	if cfg.WarmUp > 0 {
		warm := phase(ctx, cfg.Client, urls, cfg.Concurrency, 0, cfg.WarmUp*len(urls))
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

	ph := phase(ctx, cfg.Client, urls, cfg.Concurrency, cfg.Duration, cfg.Requests)
	st.Elapsed = ph.elapsed
	all := make([]time.Duration, 0, len(ph.samples))
	byPath := make([][]time.Duration, len(urls))
	st.ByPath = make([]PathStats, len(urls))
	for i, p := range cfg.Paths {
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

type phaseResult struct {
	samples []sample
	elapsed time.Duration
}

// phase runs concurrency workers that take request numbers from one counter
// (so paths are requested in turn across workers) until limit requests have
// been taken (limit > 0) or duration has passed (duration > 0).
func phase(ctx context.Context, client *http.Client, urls []string, concurrency int, duration time.Duration, limit int) phaseResult {
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
				n := int(next.Add(1) - 1)
				if limit > 0 && n >= limit {
					break
				}
				out = append(out, get(ctx, client, urls, n%len(urls)))
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

// get requests urls[i], reads the whole body (so the connection can be
// reused) and times it.
func get(ctx context.Context, client *http.Client, urls []string, i int) sample {
	s := sample{path: i}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, urls[i], nil)
	if err != nil {
		s.err = fmt.Errorf("GET %s: %w", urls[i], err)
		return s
	}
	start := time.Now()
	resp, err := client.Do(req)
	if err != nil {
		s.latency = time.Since(start)
		s.err = fmt.Errorf("GET %s: %w", urls[i], err)
		return s
	}
	// Keep the start of a failure's body: it says what went wrong.
	var head strings.Builder
	var body io.Reader = resp.Body
	if resp.StatusCode != http.StatusOK {
		body = io.TeeReader(resp.Body, &limitedWriter{w: &head, n: 300})
	}
	s.bytes, err = io.Copy(io.Discard, body)
	if cerr := resp.Body.Close(); err == nil {
		err = cerr
	}
	s.latency = time.Since(start)
	switch {
	case err != nil:
		s.err = fmt.Errorf("GET %s: read body: %w", urls[i], err)
	case resp.StatusCode != http.StatusOK:
		s.err = fmt.Errorf("GET %s: status %s: %s", urls[i], resp.Status, strings.TrimSpace(head.String()))
	}
	return s
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
