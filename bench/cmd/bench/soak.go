package main

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"time"

	"github.com/newsfind/newsfind/bench/internal/loadgen"
)

// soakToken is the admin token the soaked searchd is started with.
const soakToken = "soak"

// SoakConfig describes a soak (make soak): searchd serving a copy of Corpus
// for Duration, searched open loop at Rate while articles are added and
// deleted through its write API and the index is rebuilt once half-way,
// with errors, latency and searchd's memory taken every Interval. It is
// bounded (Duration) and leaves nothing running.
type SoakConfig struct {
	Corpus string // copied to Out/soak-work/articles, which searchd writes to
	Engine Engine
	Out    string // the JSON report goes here; the work folder is removed
	// Duration is the whole run, Interval one row of the report.
	Duration time.Duration
	Interval time.Duration
	// Rate is searches per second (result cache off, DefaultQueries in
	// rounds, see loadgen.Config.InOrder).
	Rate int
	// WriteEvery is how often an article is added; every other time the
	// oldest added one is deleted, so the archive grows by one a 2×WriteEvery.
	WriteEvery time.Duration
}

// SoakReport is what a soak measured, written as JSON.
type SoakReport struct {
	Started   time.Time      `json:"started"`
	Finished  time.Time      `json:"finished"`
	Host      Host           `json:"host"`
	Binaries  []Binary       `json:"binaries"`
	Corpus    string         `json:"corpus"`
	Articles  uint64         `json:"articles_at_start"`
	Rate      int            `json:"searches_per_sec"`
	Intervals []SoakInterval `json:"intervals"`
	// Totals over the run; Errors is every failed search or write.
	Searches    int     `json:"searches"`
	Writes      int     `json:"writes"`
	Errors      int     `json:"errors"`
	FirstError  string  `json:"first_error,omitempty"`
	ReindexAt   string  `json:"reindex_at"` // when the full rebuild was asked for, from the start
	Stop        Stop    `json:"searchd_stop"`
	RSSGrowthMB float64 `json:"rss_growth_second_half_mb"` // searchd's RSS, last interval minus the middle one
}

// SoakInterval is one row of a soak: what happened in it and searchd's
// memory at its end.
type SoakInterval struct {
	End          string  `json:"end"` // from the start
	Searches     int     `json:"searches"`
	SearchErrors int     `json:"search_errors"`
	DonePerSec   float64 `json:"searches_per_sec"`
	P50MS        float64 `json:"p50_ms"`
	P99MS        float64 `json:"p99_ms"`
	MaxMS        float64 `json:"max_ms"`
	Added        int     `json:"added"`
	Deleted      int     `json:"deleted"`
	WriteErrors  int     `json:"write_errors"`
	Memory       Memory  `json:"searchd_memory"`
}

// writes tallies the write API's calls per interval.
type writes struct {
	mu                     sync.Mutex
	added, deleted, failed int
	first                  string
}

func (w *writes) take() (added, deleted, failed int) {
	w.mu.Lock()
	defer w.mu.Unlock()
	added, deleted, failed = w.added, w.deleted, w.failed
	w.added, w.deleted, w.failed = 0, 0, 0
	return added, deleted, failed
}

func (w *writes) fail(err error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.failed++
	if w.first == "" {
		w.first = err.Error()
	}
}

// Soak runs cfg, prints a row per interval to out and the report's path,
// writes the report to cfg.Out, and fails when any search or write failed.
func Soak(ctx context.Context, cfg SoakConfig, out, progress io.Writer) error {
	if cfg.Duration <= 0 || cfg.Interval <= 0 || cfg.Rate <= 0 || cfg.WriteEvery <= 0 {
		return errors.New("soak: duration, interval, rate and write interval must be positive")
	}
	work := filepath.Join(cfg.Out, "soak-work")
	if err := os.RemoveAll(work); err != nil {
		return fmt.Errorf("soak: %w", err)
	}
	defer os.RemoveAll(work)
	articles, indexDir := filepath.Join(work, "articles"), filepath.Join(work, "index")
	if err := os.CopyFS(articles, os.DirFS(cfg.Corpus)); err != nil {
		return fmt.Errorf("soak: copy %s: %w", cfg.Corpus, err)
	}
	fmt.Fprintf(progress, "soak: indexing a copy of %s…\n", cfg.Corpus)
	if _, err := runIndexer(ctx, cfg.Engine.Indexer, Corpus{Path: articles}, indexDir); err != nil {
		return fmt.Errorf("soak: %w", err)
	}
	d, _, h, err := startDaemon(ctx, cfg.Engine.Searchd, indexDir, filepath.Join(work, "searchd.log"),
		"-articles", articles, "-admin-token", soakToken)
	if err != nil {
		return fmt.Errorf("soak: %w", err)
	}
	defer d.kill()
	rep := SoakReport{Started: time.Now().UTC(), Host: hostInfo(), Corpus: cfg.Corpus, Articles: h.Articles, Rate: cfg.Rate,
		Binaries: []Binary{binaryInfo(cfg.Engine.Indexer), binaryInfo(cfg.Engine.Searchd)}}
	paths := make([]string, len(DefaultQueries))
	for i, q := range DefaultQueries {
		paths[i] = q.Path()
	}
	paths = withParam(paths, "cache=false")

	start := time.Now()
	wctx, stopWriting := context.WithCancel(ctx)
	var w writes
	writerDone := make(chan struct{})
	go func() {
		defer close(writerDone)
		rep.ReindexAt = writeLoad(wctx, d.URL, cfg, &w, start)
	}()
	fmt.Fprintf(progress, "soak: %s, %d searches/s, an article added every %s, one deleted every %s, a full rebuild at %s…\n",
		cfg.Duration, cfg.Rate, cfg.WriteEvery, 2*cfg.WriteEvery, cfg.Duration/2)
	// Fixed widths: a row is printed as its interval ends.
	const row = "%7s %9v %7v %7v %8v %8v %8v %6v %8v %14v %7v %8v %8v\n"
	fmt.Fprintf(out, row, "at", "searches", "failed", "done/s", "p50 ms", "p99 ms", "max ms", "added", "deleted", "writes failed", "RSS MB", "anon MB", "file MB")
	client := loadgen.NewClient(64)
	var firstSearchErr string
	for end := cfg.Interval; end <= cfg.Duration && ctx.Err() == nil; end += cfg.Interval {
		st, err := loadgen.Run(ctx, loadgen.Config{BaseURL: d.URL, Paths: paths, Rate: float64(cfg.Rate),
			Concurrency: 64, Duration: cfg.Interval, Client: client})
		if err != nil {
			break // ctx is done
		}
		mem, err := d.memory()
		if err != nil {
			stopWriting()
			return fmt.Errorf("soak: %w", err)
		}
		added, deleted, failed := w.take()
		iv := SoakInterval{End: time.Since(start).Round(time.Second).String(), Searches: st.Requests, SearchErrors: st.Failures, DonePerSec: st.Throughput,
			P50MS: ms(st.Latency.P50), P99MS: ms(st.Latency.P99), MaxMS: ms(st.Latency.Max),
			Added: added, Deleted: deleted, WriteErrors: failed, Memory: mem}
		if st.FirstFailure != "" && firstSearchErr == "" {
			firstSearchErr = st.FirstFailure
		}
		rep.Intervals = append(rep.Intervals, iv)
		rep.Searches += st.Requests
		rep.Writes += added + deleted + failed
		rep.Errors += st.Failures + failed
		f1, f2 := func(x float64) string { return fmt.Sprintf("%.1f", x) }, func(x float64) string { return fmt.Sprintf("%.2f", x) }
		fmt.Fprintf(out, row, iv.End, iv.Searches, iv.SearchErrors, f1(iv.DonePerSec), f2(iv.P50MS), f2(iv.P99MS), f2(iv.MaxMS),
			iv.Added, iv.Deleted, iv.WriteErrors, f1(mem.RSSMB), f1(mem.AnonMB), f1(mem.FileMB))
	}
	stopWriting()
	<-writerDone
	rep.FirstError = firstSearchErr
	if rep.FirstError == "" {
		rep.FirstError = w.first
	}
	if n := len(rep.Intervals); n >= 2 {
		rep.RSSGrowthMB = rep.Intervals[n-1].Memory.RSSMB - rep.Intervals[n/2].Memory.RSSMB
	}
	if rep.Stop, err = d.stop(); err != nil {
		rep.FirstError = cmp.Or(rep.FirstError, err.Error())
		rep.Errors++
	}
	rep.Finished = time.Now().UTC()
	fmt.Fprintf(out, "(searches open loop at %d/s with cache=false, timed from when due; a full rebuild asked for at %s; %d searches and %d writes, %d failed%s;"+
		" searchd's RSS grew %.1f MB over the second half)\n", cfg.Rate, rep.ReindexAt, rep.Searches, rep.Writes, rep.Errors,
		firstOf(rep.FirstError), rep.RSSGrowthMB)
	file := filepath.Join(cfg.Out, "soak-"+rep.Started.Format("20060102T150405Z")+".json")
	if err := writeJSON(file, rep); err != nil {
		return err
	}
	fmt.Fprintf(out, "raw figures: %s\n", file)
	if ctx.Err() != nil {
		return fmt.Errorf("soak: %w", ctx.Err())
	}
	if rep.Errors > 0 {
		return fmt.Errorf("soak: %d errors; first: %s", rep.Errors, rep.FirstError)
	}
	return nil
}

func firstOf(s string) string {
	if s == "" {
		return ""
	}
	return "; first: " + s
}

// writeLoad adds an article every cfg.WriteEvery and deletes the oldest it
// added every other time, and asks for a full rebuild once, half-way
// through cfg.Duration, until ctx is done. It returns when the rebuild was
// asked for, from start.
func writeLoad(ctx context.Context, baseURL string, cfg SoakConfig, w *writes, start time.Time) string {
	client := &http.Client{Timeout: loadgen.DefaultTimeout}
	tick := time.NewTicker(cfg.WriteEvery)
	defer tick.Stop()
	rebuild := time.NewTimer(cfg.Duration / 2)
	defer rebuild.Stop()
	var added []string
	reindexAt := "never"
	for n := 0; ; n++ {
		select {
		case <-ctx.Done():
			return reindexAt
		case <-rebuild.C:
			reindexAt = time.Since(start).Round(time.Second).String()
			if _, err := call(ctx, client, http.MethodPost, baseURL+"/api/admin/reindex", nil, http.StatusAccepted); err != nil && ctx.Err() == nil {
				w.fail(err)
			}
			continue
		case <-tick.C:
		}
		if n%2 == 1 && len(added) > 0 {
			_, err := call(ctx, client, http.MethodDelete, baseURL+"/api/articles/"+added[0], nil, http.StatusOK)
			switch {
			case ctx.Err() != nil:
				return reindexAt // cut short by the end of the run
			case err != nil:
				w.fail(err)
			default:
				added = added[1:]
				w.mu.Lock()
				w.deleted++
				w.mu.Unlock()
			}
			continue
		}
		body, _ := json.Marshal(map[string]string{ // strings only: cannot fail
			"title":  fmt.Sprintf("Soak article %d on trade talks", n),
			"date":   start.Format(time.DateOnly),
			"source": "Soak",
			"body":   fmt.Sprintf("Article %d of the soak. Ministers met for trade talks on market growth and security cooperation.", n),
		})
		// 202: saved while another update (the rebuild) held the index.
		b, err := call(ctx, client, http.MethodPost, baseURL+"/api/articles", body, http.StatusCreated, http.StatusAccepted)
		if ctx.Err() != nil {
			return reindexAt
		}
		var r struct{ ID string }
		if err == nil {
			if json.Unmarshal(b, &r) != nil || r.ID == "" {
				err = fmt.Errorf("add article %d: no id in the answer %s", n, b)
			}
		}
		if err != nil {
			w.fail(err)
			continue
		}
		added = append(added, r.ID)
		w.mu.Lock()
		w.added++
		w.mu.Unlock()
	}
}

// call sends one write API request with the soak's token and returns the
// answer's body, or an error when its status is none of want. The caller
// tells a call cut short by ctx (the end of the run) from searchd's errors.
func call(ctx context.Context, client *http.Client, method, url string, body []byte, want ...int) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, method, url, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "Bearer "+soakToken)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", method, url, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	switch {
	case err != nil:
		return b, fmt.Errorf("%s %s: read: %w", method, url, err)
	case !slices.Contains(want, resp.StatusCode):
		return b, fmt.Errorf("%s %s: status %d, want %v: %s", method, url, resp.StatusCode, want, bytes.TrimSpace(b))
	}
	return b, nil
}
