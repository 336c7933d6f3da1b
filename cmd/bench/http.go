package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/newsfind/newsfind/internal/loadgen"
)

// queryLoad sends every query once (the warm-up, which also records what
// each matches), then holds each concurrency level for cfg.Duration.
func queryLoad(ctx context.Context, cfg Config, d *daemon, res *CorpusResult, progress io.Writer) error {
	paths := make([]string, len(cfg.Queries))
	for i, q := range cfg.Queries {
		paths[i] = q.Path()
	}
	fmt.Fprintf(progress, "bench: %s: warm-up, %d queries…\n", res.Corpus.Name, len(paths))
	client := loadgen.NewClient(1)
	probe := probeQueries(ctx, client, d.URL, cfg.Queries, res.Queries)
	if probe.err != nil {
		return fmt.Errorf("warm-up: %w", probe.err)
	}
	res.Loads = append(res.Loads, probe.load)

	// Each level runs for cfg.Duration, or for minPasses over the queries
	// when one pass (the warm-up's) takes longer than a third of it: every
	// query gets figures, and p99 is not the maximum of a handful.
	duration, requests := cfg.Duration, 0
	if pass := time.Duration(probe.load.Seconds * float64(time.Second)); pass*minPasses > cfg.Duration {
		duration, requests = 0, minPasses*len(paths)
	}
	for i, c := range cfg.Clients {
		what := fmt.Sprint(duration)
		if requests > 0 {
			what = fmt.Sprintf("%d requests", requests)
		}
		fmt.Fprintf(progress, "bench: %s: %d client%s, %s…\n", res.Corpus.Name, c, plural(c), what)
		before, err := cpuMeter(d)
		if err != nil {
			return err
		}
		st, err := loadgen.Run(ctx, loadgen.Config{
			BaseURL:     d.URL,
			Paths:       paths,
			Concurrency: c,
			Duration:    duration,
			Requests:    requests,
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
		Shed:        st.Statuses[http.StatusServiceUnavailable],
	}
	if st.Requests > 0 {
		l.ResponseKB = float64(st.Bytes) / float64(st.Requests) / 1e3
	}
	return l
}

type probeResult struct {
	load Load
	err  error
}

// probeQueries sends each query once, in order, from one client: the
// warm-up pass. It records each query's hits, the engine's own took_ms and
// the client's latency into results (one per query), and fails on the
// first answer that is not a 200 with a search result: a broken query must
// not be timed as a fast one.
func probeQueries(ctx context.Context, client *http.Client, baseURL string, queries []Query, results []QueryResult) probeResult {
	var pr probeResult
	lat := make([]time.Duration, 0, len(queries))
	var bytes int64
	start := time.Now()
	for i := range queries {
		qr := &results[i]
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
	r, err := ownAndMachineCPU()
	r.daemon = dc
	return r, err
}
