// Command ftsindex is the SQLite FTS5 peer of newsfind's indexer, for
// benchmarks: it reads a folder of article files with the same reader
// (internal/article) and stores them in an FTS5 archive
// (internal/peer/fts5.Archive) in transactions of 1,000 articles. It takes
// the indexer's flags and prints the same summary, so cmd/bench measures both
// the same way, each in its own process.
//
// FTS5 is compiled in only with the build tag sqlite_fts5; make bench-build
// builds it into the repository's bin/ as
//
//	cd bench && go build -tags sqlite_fts5 -o ../bin/ ./cmd/ftsindex
//
// It always builds from scratch; it is not an incremental indexer.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/newsfind/newsfind/bench/internal/peer/fts5"
)

func main() {
	var cfg Config
	flag.StringVar(&cfg.Articles, "articles", "seeds", "folder of article files to index")
	flag.StringVar(&cfg.Index, "index", "data/fts5", "index folder; the archive is "+DBName+" in it, replaced on each run")
	flag.IntVar(&cfg.BatchSize, "batch", fts5.DefaultBatchSize, "articles per transaction")
	flag.BoolVar(&cfg.Quiet, "q", false, "print only the summary and errors")
	flag.BoolVar(&cfg.JSON, "json", false, "print the summary as one JSON object, as the indexer does")
	flag.Bool("full", true, "accepted for the indexer's sake: every run rebuilds")
	flag.Usage = func() {
		fmt.Fprintf(flag.CommandLine.Output(), "Usage: ftsindex [flags]\n\n"+
			"Store the articles in -articles in a new SQLite FTS5 archive in -index,\n"+
			"the peer newsfind's indexer is benchmarked against.\n\n")
		flag.PrintDefaults()
	}
	flag.Parse()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := Run(ctx, cfg, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "ftsindex:", err)
		os.Exit(1)
	}
}
