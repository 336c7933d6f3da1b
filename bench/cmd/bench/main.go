// Command bench measures newsfind end to end, the way it runs, against a
// peer on the same files in the same run: it times the real indexer binary
// and the peer's (SQLite FTS5, cmd/ftsindex) over each corpus, searches both
// indexes in-process with a fixed set of news-like queries, then starts the
// real searchd on loopback and loads it at several concurrencies, with its
// result cache off (cache=false) and then on (the same searches repeated,
// answered from the cache). Corpora are folders of articles and synthetic
// ones it generates (internal/synth). It prints a table per corpus, then
// newsfind's ratios to the peer, the raw figures and how they grow with
// corpus size, and writes every raw figure as JSON to
// data/bench/<time>.json.
//
// It measures; it never fails because something is slow. It fails when a
// binary, a query or the daemon's shutdown misbehaves.
//
// The peer is searched in this process, so build it with -tags sqlite_fts5
// (make bench does); without the tag the peer is indexed but not searched.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/newsfind/newsfind/bench/internal/synth"
)

func main() {
	var (
		corpora listFlag
		sizes   intsFlag
		clients = intsFlag{1, 8, 32}
		rates   = intsFlag{100, 250}
		phases  = "index,queries,http"
		cfg     = Config{Engine: Engine{Name: "newsfind"}, Peer: Engine{Name: "fts5"}}
	)
	flag.Var(&corpora, "corpus", "corpus folder to benchmark; repeat for more (default: seeds, and $BENCH_CORPUS when set)")
	flag.Var(&sizes, "synth", "sizes of generated corpora to benchmark after the folders, comma-separated, e.g. 10000,100000")
	flag.StringVar(&cfg.Synth.Dir, "synth-dir", "data/bench/corpora", "folder of the generated corpora (one subfolder per size, reused when complete)")
	train := flag.String("train", "seeds,../shared/corpora/bbc", "folders the generator learns from, comma-separated; missing ones are left out")
	flag.Uint64Var(&cfg.Synth.Seed, "seed", synth.DefaultSeed, "seed of the generated corpora")
	flag.StringVar(&cfg.Engine.Indexer, "indexer", "bin/indexer", "indexer binary under test")
	flag.StringVar(&cfg.Engine.Searchd, "searchd", "bin/searchd", "search daemon binary under test")
	flag.StringVar(&cfg.Peer.Indexer, "peer", "bin/ftsindex", `peer indexer binary (SQLite FTS5, built with -tags sqlite_fts5); "" for none`)
	flag.StringVar(&phases, "phases", phases, "what to measure, comma-separated: index, queries (in-process), http (searchd)")
	flag.StringVar(&cfg.Out, "out", "data/bench", "folder for the indexes and the JSON report")
	flag.Var(&clients, "clients", "concurrency levels of the HTTP load, comma-separated; each is run with searchd's result cache off, then on")
	flag.Var(&rates, "rates", "open-loop loads of searchd, in requests per second, comma-separated: requests due at the rate whatever the answers take, timed from when due; result cache off")
	flag.DurationVar(&cfg.Duration, "duration", 5*time.Second, "how long each HTTP concurrency level, and each engine's in-process searching, runs")
	flag.IntVar(&cfg.IndexRuns, "index-runs", 1, "times each corpus is indexed by each engine (the machine is noisy: repeat to compare)")
	flag.BoolVar(&cfg.Keep, "keep", false, "keep the indexes and searchd logs under -out/index")
	flag.BoolVar(&cfg.Reuse, "reuse", false, "search the indexes an earlier -keep run built, when the binaries and corpus are unchanged, instead of indexing (unless -phases has index); implies -keep")
	flag.BoolVar(&cfg.Verbose, "v", false, "list every query's figures, not only the slowest")
	soak := SoakConfig{Interval: time.Minute, Rate: 20, WriteEvery: 5 * time.Second}
	flag.DurationVar(&soak.Duration, "soak", 0, "instead of benchmarking, soak searchd for this long (make soak: 10m) on a copy of the first -corpus: searches at -soak-rate with articles added and deleted and one full rebuild; fails on any error")
	flag.DurationVar(&soak.Interval, "soak-interval", soak.Interval, "a soak's report row: errors, latency and searchd's RSS per this much time")
	flag.IntVar(&soak.Rate, "soak-rate", soak.Rate, "a soak's searches per second (open loop, result cache off)")
	flag.DurationVar(&soak.WriteEvery, "soak-write-every", soak.WriteEvery, "a soak adds an article this often and deletes one every other time")
	flag.Usage = func() {
		fmt.Fprintf(flag.CommandLine.Output(), "Usage: bench [flags]\n\n"+
			"Index each corpus with newsfind's indexer and the SQLite FTS5 peer, search\n"+
			"both in-process, serve newsfind's index with searchd on 127.0.0.1 and\n"+
			"measure indexing throughput, memory, index size and query latency.\n\n")
		flag.PrintDefaults()
	}
	flag.Parse()
	cfg.Corpora = corpora
	cfg.Synth.Sizes = sizes
	if *train != "" {
		cfg.Synth.Training = strings.Split(*train, ",")
	}
	if len(cfg.Corpora) == 0 && len(cfg.Synth.Sizes) == 0 {
		cfg.Corpora = []string{"seeds"}
		if extra := os.Getenv("BENCH_CORPUS"); extra != "" {
			cfg.Corpora = append(cfg.Corpora, extra)
		}
	}
	if cfg.Peer.Indexer == "" {
		cfg.Peer.Name = ""
	}
	cfg.Clients = clients
	cfg.Rates = rates
	var err error
	if cfg.Phases, err = parsePhases(phases); err != nil {
		fmt.Fprintln(os.Stderr, "bench: -phases:", err)
		os.Exit(2)
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if soak.Duration > 0 {
		if len(cfg.Corpora) == 0 {
			fmt.Fprintln(os.Stderr, "bench: -soak needs a -corpus folder")
			os.Exit(2)
		}
		soak.Corpus, soak.Engine, soak.Out = cfg.Corpora[0], cfg.Engine, cfg.Out
		if err := Soak(ctx, soak, os.Stdout, os.Stderr); err != nil {
			fmt.Fprintln(os.Stderr, "bench:", err)
			os.Exit(1)
		}
		return
	}
	if err := Run(ctx, cfg, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}
