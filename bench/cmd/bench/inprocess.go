package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"syscall"
	"time"

	"github.com/newsfind/newsfind/bench/internal/loadgen"
	"github.com/newsfind/newsfind/bench/internal/peer/fts5"
	"github.com/newsfind/newsfind/internal/index"
	"github.com/newsfind/newsfind/internal/search"
)

// InProcess is one engine's searches run in this process, as a library
// user calls it: top 10 with highlighted fragments and facets, the way
// searchd asks for them, without HTTP.
type InProcess struct {
	Engine string  `json:"engine"`
	OpenMS float64 `json:"open_ms"` // opening the index, before the first search
	// First is one pass over the queries right after opening; Load is the
	// warm searches that follow, one at a time, for the run's duration.
	First   Load                `json:"first_pass"`
	Load    Load                `json:"load"`
	Queries []InProcessQueryRun `json:"queries"`
}

// InProcessQueryRun is one query's figures within an InProcess run.
type InProcessQueryRun struct {
	Hits    uint64  `json:"hits"`
	FirstMS float64 `json:"first_ms"`
	P50MS   float64 `json:"p50_ms"`
	MaxMS   float64 `json:"max_ms"`
}

// minPasses is the fewest passes over the queries an in-process
// measurement makes, however long they take.
const minPasses = 3

// searchFunc is an engine's search.
type searchFunc func(context.Context, search.Request) (search.Result, error)

// opener opens an engine's index for searching and returns its search and
// how to close it.
type opener func(ctx context.Context) (searchFunc, func() error, error)

// searchInProcess searches newsfind's index and the peer's archive in this
// process, one after the other.
func searchInProcess(ctx context.Context, cfg Config, idx builtIndexes, res *CorpusResult, progress io.Writer) error {
	reqs := make([]search.Request, len(cfg.Queries))
	for i, q := range cfg.Queries {
		var err error
		if reqs[i], err = q.Request(); err != nil {
			return err
		}
	}
	fmt.Fprintf(progress, "bench: %s: %s in-process, %v…\n", res.Corpus.Name, cfg.Engine.Name, cfg.Duration)
	r, err := measureSearch(ctx, cfg.Engine.Name, openNewsfind(idx.Newsfind), cfg.Queries, reqs, cfg.Duration)
	if err != nil {
		return fmt.Errorf("%s in-process: %w", cfg.Engine.Name, err)
	}
	res.Search = &r
	for i, q := range r.Queries {
		res.Queries[i].SearchHits, res.Queries[i].SearchP50MS = q.Hits, q.P50MS
	}
	if res.Peer == nil || idx.Peer == "" {
		return nil
	}
	fmt.Fprintf(progress, "bench: %s: %s in-process, %v…\n", res.Corpus.Name, res.Peer.Engine, cfg.Duration)
	p, err := measureSearch(ctx, res.Peer.Engine, openArchive(idx.Peer), cfg.Queries, reqs, cfg.Duration)
	if errors.Is(err, fts5.ErrNoFTS5) {
		res.Peer.Note = "not searched: this bench binary was built without -tags sqlite_fts5"
		fmt.Fprintf(progress, "bench: %s: %s %s\n", res.Corpus.Name, res.Peer.Engine, res.Peer.Note)
		return nil
	}
	if err != nil {
		return fmt.Errorf("%s in-process: %w", res.Peer.Engine, err)
	}
	res.Peer.Search = &p
	for i, q := range p.Queries {
		res.Queries[i].PeerHits, res.Queries[i].PeerP50MS = q.Hits, q.P50MS
	}
	return nil
}

// ownAndMachineCPU reads the CPU time of this process and of the whole
// machine, so an in-process measurement can say how busy the rest of the
// machine was meanwhile.
func ownAndMachineCPU() (cpuReading, error) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return cpuReading{}, fmt.Errorf("own cpu time: %w", err)
	}
	mc, err := machineCPUSeconds()
	if err != nil {
		return cpuReading{}, err
	}
	return cpuReading{self: tvSeconds(ru.Utime) + tvSeconds(ru.Stime), machine: mc}, nil
}

func openNewsfind(dir string) opener {
	return func(context.Context) (searchFunc, func() error, error) {
		ix, err := index.Open(dir, slog.New(slog.DiscardHandler))
		if err != nil {
			return nil, nil, err
		}
		return ix.Search, ix.Close, nil
	}
}

func openArchive(path string) opener {
	return func(ctx context.Context) (searchFunc, func() error, error) {
		a, err := fts5.OpenArchive(ctx, fts5.Config{Path: path})
		if err != nil {
			return nil, nil, err
		}
		return a.Search, a.Close, nil
	}
}

// measureSearch opens an index, searches every query once (failing on the
// first error: a broken query must not be timed as a fast one), then
// searches them in rounds (see loadgen.Config.InOrder), one at a time,
// for d.
func measureSearch(ctx context.Context, engine string, open opener, queries []Query, reqs []search.Request, d time.Duration) (r InProcess, err error) {
	r.Engine = engine
	start := time.Now()
	s, closeIndex, err := open(ctx)
	if err != nil {
		return r, err
	}
	defer func() {
		if cerr := closeIndex(); err == nil && cerr != nil {
			err = fmt.Errorf("close: %w", cerr)
		}
	}()
	r.OpenMS = ms(time.Since(start))

	r.Queries = make([]InProcessQueryRun, len(reqs))
	first := make([]time.Duration, len(reqs))
	passStart := time.Now()
	for i, req := range reqs {
		t0 := time.Now()
		res, err := s(ctx, req)
		first[i] = time.Since(t0)
		if err != nil {
			return r, fmt.Errorf("query %s: %w", queries[i], err)
		}
		r.Queries[i].Hits, r.Queries[i].FirstMS = res.Total, ms(first[i])
	}
	r.First = loadFrom("first pass", loadgen.Stats{
		Concurrency: 1,
		Requests:    len(reqs),
		Elapsed:     time.Since(passStart),
		Throughput:  float64(len(reqs)) / time.Since(passStart).Seconds(),
		Latency:     loadgen.Summarize(first),
	})

	names := make([]string, len(queries))
	for i, q := range queries {
		names[i] = q.String()
	}
	// Searches for d, and at least minPasses over the queries, so that
	// every query has figures and p99 is not the maximum of a handful.
	mc := loadgen.FuncConfig{Names: names, Concurrency: 1, Duration: d}
	if pass := time.Since(passStart); pass*minPasses > d {
		mc.Duration, mc.Requests = 0, minPasses*len(reqs)
	}
	before, berr := ownAndMachineCPU()
	st, err := loadgen.Measure(ctx, mc, func(ctx context.Context, i int) (int64, error) {
		_, err := s(ctx, reqs[i])
		return 0, err
	})
	if err != nil {
		return r, err
	}
	after, aerr := ownAndMachineCPU()
	if st.Failures > 0 {
		return r, fmt.Errorf("%d of %d searches failed; first: %s", st.Failures, st.Requests, st.FirstFailure)
	}
	r.Load = loadFrom("in-process", st)
	if secs := st.Elapsed.Seconds(); berr == nil && aerr == nil && secs > 0 {
		r.Load.BenchCPU = (after.self - before.self) / secs
		r.Load.OtherCPU = max(0, (after.machine-before.machine)/secs-r.Load.BenchCPU)
	}
	for i, ps := range st.ByPath {
		r.Queries[i].P50MS, r.Queries[i].MaxMS = ms(ps.Latency.P50), ms(ps.Latency.Max)
	}
	return r, nil
}
