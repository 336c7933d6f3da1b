// Command eval measures newsfind's ranking quality on the CISI test
// collection, next to stock bleve and SQLite FTS5 on the same documents and
// queries, and prints one table: MAP, nDCG@10, P@10, recall@100 and query
// latency per system, over the judged queries.
//
// FTS5 needs the build tag sqlite_fts5 (make eval builds it so; by hand, in
// bench/: go build -tags sqlite_fts5 -o ../bin/ ./cmd/eval); without it the
// FTS5 rows are reported as skipped.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/newsfind/newsfind/bench/internal/eval"
)

// config is what the flags say.
type config struct {
	cisi  string
	json  string
	work  string
	depth int
	runs  int
	sweep bool
}

func main() {
	var cfg config
	flag.StringVar(&cfg.cisi, "cisi", defaultCISI(), "CISI collection folder (CISI.ALL, CISI.QRY, CISI.REL); default $NEWSFIND_CISI or ../shared/corpora/cisi")
	flag.StringVar(&cfg.json, "json", "", "also write the full reports, per-query scores included, as JSON to this file")
	flag.StringVar(&cfg.work, "work", "", "folder for the systems' articles and indexes (default: a temporary folder, removed at the end)")
	flag.IntVar(&cfg.depth, "depth", eval.DefaultDepth, "results ranked per query")
	flag.IntVar(&cfg.runs, "runs", eval.DefaultRuns, "timed passes over the queries, after one untimed pass whose rankings are scored")
	flag.BoolVar(&cfg.sweep, "sweep", false, "evaluate the FTS5 weight and stop-word sweep instead of the standard systems")
	flag.Usage = func() {
		fmt.Fprintf(flag.CommandLine.Output(), "Usage: eval [flags]\n\nScore newsfind and peer engines on the CISI collection.\n\n")
		flag.PrintDefaults()
	}
	flag.Parse()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, cfg, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "eval:", err)
		os.Exit(1)
	}
}

func defaultCISI() string {
	if dir := os.Getenv("NEWSFIND_CISI"); dir != "" {
		return dir
	}
	return "../shared/corpora/cisi"
}

// summary is the JSON output.
type summary struct {
	Collection string        `json:"collection"`
	Judged     int           `json:"judged_queries"`
	Depth      int           `json:"depth"`
	Runs       int           `json:"runs"`
	Reports    []eval.Report `json:"reports"`
}

func run(ctx context.Context, cfg config, out io.Writer) (err error) {
	c, err := eval.LoadCISI(cfg.cisi)
	if err != nil {
		return err
	}
	work := cfg.work
	if work == "" {
		if work, err = os.MkdirTemp("", "newsfind-eval-"); err != nil {
			return fmt.Errorf("create work folder: %w", err)
		}
		defer func() {
			if rerr := os.RemoveAll(work); err == nil && rerr != nil {
				err = fmt.Errorf("remove work folder: %w", rerr)
			}
		}()
	}
	systems := eval.Standard(work)
	if cfg.sweep {
		systems = eval.FTS5Sweep(work)
	}
	reps, err := eval.EvaluateAll(ctx, systems, c, eval.Config{Depth: cfg.depth, Runs: cfg.runs})
	if err != nil {
		return err
	}
	judged := len(c.Judged())
	fmt.Fprintf(out, "CISI: %d documents, %d judged queries of %d; top %d ranked per query\n\n",
		len(c.Docs), judged, len(c.Queries), cfg.depth)
	if err := eval.WriteTable(out, reps); err != nil {
		return err
	}
	if cfg.json == "" {
		return nil
	}
	b, err := json.MarshalIndent(summary{Collection: cfg.cisi, Judged: judged, Depth: cfg.depth, Runs: cfg.runs, Reports: reps}, "", "  ")
	if err != nil {
		return fmt.Errorf("encode reports: %w", err)
	}
	if err := os.WriteFile(cfg.json, append(b, '\n'), 0o644); err != nil {
		return fmt.Errorf("write reports: %w", err)
	}
	return nil
}
