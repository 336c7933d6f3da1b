// Package eval measures ranking quality: it runs search systems over a test
// collection with relevance judgments (CISI) and scores their rankings with
// the standard metrics (MAP, nDCG@10, P@10, recall@100), along with query
// latency. newsfind is measured through its real reading, indexing and query
// path, next to reference engines (internal/peer) on the same documents and
// queries, so a change to ranking can be judged by numbers.
//
// It is a harness, not a ranking: it changes nothing about how newsfind
// scores, and its figures belong in notes, not in test assertions beyond
// floors that catch a broken pipeline.
package eval

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"
)

// System is a search engine under evaluation. The runner calls Index once
// with every document, then Search for each query, then Close.
type System interface {
	// Name labels the system in reports; it should say its configuration.
	Name() string
	// Index makes every document searchable.
	Index(ctx context.Context, docs []Doc) error
	// Search returns the IDs of at most k documents for the query text as
	// a person would type it, best first.
	Search(ctx context.Context, query string, k int) ([]string, error)
	// Close releases what Index built.
	Close() error
}

// Noter is implemented by systems with something to say about a run that
// the metrics do not show, such as documents their reader skipped.
type Noter interface {
	Notes() []string
}

// ErrUnavailable marks a system that cannot run in this build or on this
// machine (e.g. SQLite without FTS5). The runner reports it as skipped
// instead of failing.
var ErrUnavailable = errors.New("system unavailable")

// Defaults for Config.
const (
	DefaultDepth = 1000
	DefaultRuns  = 3
)

// Config says how deep to rank and how often to time each query.
type Config struct {
	// Depth is how many results each query asks for; DefaultDepth when 0.
	Depth int
	// Runs is how many timed passes over the queries follow one untimed
	// warm-up pass (whose rankings are the ones scored); DefaultRuns when
	// 0, none when negative.
	Runs int
}

// Report is the outcome of evaluating one system.
type Report struct {
	System string `json:"system"`
	// Skipped, when set, says why the system did not run; the metrics are
	// then zero.
	Skipped string `json:"skipped,omitempty"`
	// Queries is how many judged queries were run.
	Queries int `json:"queries"`
	// Metrics are means over Queries.
	MAP    float64 `json:"map"`
	NDCG10 float64 `json:"ndcg10"`
	P10    float64 `json:"p10"`
	R100   float64 `json:"r100"`
	// P50MS and P99MS are query latency percentiles in milliseconds, over
	// every timed search (Queries × Runs); zero with no timed runs.
	P50MS float64 `json:"p50_ms"`
	P99MS float64 `json:"p99_ms"`
	// IndexSeconds is how long Index took.
	IndexSeconds float64 `json:"index_seconds"`
	// Errors counts queries whose search failed; each is scored as an
	// empty ranking and named in Notes.
	Errors   int          `json:"errors"`
	Notes    []string     `json:"notes,omitempty"`
	PerQuery []QueryScore `json:"per_query,omitempty"`
}

// QueryScore is one query's outcome for one system.
type QueryScore struct {
	Query     string  `json:"query"`
	Relevant  int     `json:"relevant"`  // judged relevant documents
	Retrieved int     `json:"retrieved"` // documents returned
	AP        float64 `json:"ap"`
	NDCG10    float64 `json:"ndcg10"`
	P10       float64 `json:"p10"`
	R100      float64 `json:"r100"`
	// MeanMS is the mean latency of the timed runs.
	MeanMS float64 `json:"mean_ms"`
	// Top is the ranking's first ten document IDs, for inspection.
	Top []string `json:"top"`
}

// Evaluate indexes c's documents in sys, runs every judged query, and
// scores the rankings. It does not close sys. A failing search is counted
// and scored as empty; a failing Index is returned as an error, wrapping
// ErrUnavailable when sys cannot run here.
func Evaluate(ctx context.Context, sys System, c *Collection, cfg Config) (Report, error) {
	if cfg.Depth <= 0 {
		cfg.Depth = DefaultDepth
	}
	if cfg.Runs == 0 {
		cfg.Runs = DefaultRuns
	}
	rep := Report{System: sys.Name()}
	start := time.Now()
	if err := sys.Index(ctx, c.Docs); err != nil {
		return rep, fmt.Errorf("%s: index: %w", sys.Name(), err)
	}
	rep.IndexSeconds = time.Since(start).Seconds()

	queries := c.Judged()
	rep.Queries = len(queries)
	for _, q := range queries {
		ranked, err := sys.Search(ctx, q.Text, cfg.Depth)
		if err != nil {
			if ctx.Err() != nil {
				return rep, fmt.Errorf("%s: %w", sys.Name(), ctx.Err())
			}
			rep.Errors++
			rep.Notes = append(rep.Notes, fmt.Sprintf("query %s failed: %v", q.ID, err))
			ranked = nil
		}
		if len(ranked) > cfg.Depth {
			ranked = ranked[:cfg.Depth]
		}
		rel := c.Qrels[q.ID]
		top := dedupe(ranked)
		s := QueryScore{
			Query:     q.ID,
			Relevant:  len(rel),
			Retrieved: len(ranked),
			AP:        AveragePrecision(ranked, rel),
			NDCG10:    NDCG(ranked, rel, 10),
			P10:       PrecisionAt(ranked, rel, 10),
			R100:      RecallAt(ranked, rel, 100),
			Top:       top[:min(10, len(top))],
		}
		rep.PerQuery = append(rep.PerQuery, s)
		rep.MAP += s.AP
		rep.NDCG10 += s.NDCG10
		rep.P10 += s.P10
		rep.R100 += s.R100
	}
	if n := float64(len(queries)); n > 0 {
		rep.MAP /= n
		rep.NDCG10 /= n
		rep.P10 /= n
		rep.R100 /= n
	}

	var all []time.Duration
	for range max(cfg.Runs, 0) {
		for i, q := range queries {
			t := time.Now()
			_, err := sys.Search(ctx, q.Text, cfg.Depth)
			d := time.Since(t)
			if ctx.Err() != nil {
				return rep, fmt.Errorf("%s: %w", sys.Name(), ctx.Err())
			}
			if err == nil {
				all = append(all, d)
				rep.PerQuery[i].MeanMS += ms(d) / float64(cfg.Runs)
			}
		}
	}
	rep.P50MS = ms(Percentile(all, 50))
	rep.P99MS = ms(Percentile(all, 99))
	if n, ok := sys.(Noter); ok {
		rep.Notes = append(rep.Notes, n.Notes()...)
	}
	return rep, nil
}

// EvaluateAll evaluates each system in turn, closing each before the next
// starts. A system that is unavailable here is reported as skipped; any
// other failure stops the run.
func EvaluateAll(ctx context.Context, systems []System, c *Collection, cfg Config) ([]Report, error) {
	var reps []Report
	for _, sys := range systems {
		rep, err := Evaluate(ctx, sys, c, cfg)
		if cerr := sys.Close(); err == nil && cerr != nil {
			err = fmt.Errorf("%s: close: %w", sys.Name(), cerr)
		}
		if errors.Is(err, ErrUnavailable) {
			why := strings.TrimPrefix(err.Error(), sys.Name()+": index: ")
			rep = Report{System: sys.Name(), Skipped: why}
			err = nil
		}
		if err != nil {
			return reps, err
		}
		reps = append(reps, rep)
	}
	return reps, nil
}

// Percentile returns the p-th percentile (0 < p ≤ 100) of ds by the
// nearest-rank method: the smallest value with at least p% of the values at
// or below it. It is 0 for no values.
func Percentile(ds []time.Duration, p float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	rank := int(math.Ceil(p / 100 * float64(len(s))))
	return s[min(max(rank, 1), len(s))-1]
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
