// Command bench measures newsfind end to end, the way it runs: it times the
// real indexer binary over each corpus, starts the real searchd on loopback
// and loads it with a fixed set of news-like queries at several
// concurrencies. It prints a table per corpus and writes every raw figure as
// JSON to data/bench/<time>.json.
//
// It measures; it never fails because something is slow. It fails when a
// binary, a query or the daemon's shutdown misbehaves.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"
)

func main() {
	var (
		corpora listFlag
		clients = intsFlag{1, 8, 32}
		cfg     = Config{Engine: Engine{Name: "bleve"}}
	)
	flag.Var(&corpora, "corpus", "corpus folder to benchmark; repeat for more (default: seeds, and $BENCH_CORPUS when set)")
	flag.StringVar(&cfg.Engine.Indexer, "indexer", "bin/indexer", "indexer binary under test")
	flag.StringVar(&cfg.Engine.Searchd, "searchd", "bin/searchd", "search daemon binary under test")
	flag.StringVar(&cfg.Out, "out", "data/bench", "folder for temporary indexes and the JSON report")
	flag.Var(&clients, "clients", "concurrency levels of the query load, comma-separated")
	flag.DurationVar(&cfg.Duration, "duration", 5*time.Second, "how long each concurrency level runs")
	flag.IntVar(&cfg.IndexRuns, "index-runs", 1, "times each corpus is indexed (the machine is noisy: repeat to compare)")
	flag.BoolVar(&cfg.Keep, "keep", false, "keep the benchmark indexes and searchd logs under -out")
	flag.BoolVar(&cfg.Verbose, "v", false, "list every query's figures, not only the slowest")
	flag.Usage = func() {
		fmt.Fprintf(flag.CommandLine.Output(), "Usage: bench [flags]\n\n"+
			"Index each corpus with the real indexer, serve it with the real searchd on\n"+
			"127.0.0.1 and measure indexing throughput and query latency.\n\n")
		flag.PrintDefaults()
	}
	flag.Parse()
	cfg.Corpora = corpora
	if len(cfg.Corpora) == 0 {
		cfg.Corpora = []string{"seeds"}
		if extra := os.Getenv("BENCH_CORPUS"); extra != "" {
			cfg.Corpora = append(cfg.Corpora, extra)
		}
	}
	cfg.Clients = clients

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := Run(ctx, cfg, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}
