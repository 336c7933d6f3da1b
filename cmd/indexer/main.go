// Command indexer builds newsfind's search index from a folder of article
// files. Each run writes a complete new index generation and switches to it
// atomically, so a running searchd keeps serving throughout.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/newsfind/newsfind/internal/index"
)

func main() {
	var (
		articles = flag.String("articles", "seeds", "folder of article files to index")
		indexDir = flag.String("index", "data/index", "index folder (generations and CURRENT)")
		batch    = flag.Int("batch", index.DefaultBatchSize, "articles per index batch")
		quiet    = flag.Bool("q", false, "print only the summary and errors")
	)
	flag.Usage = func() {
		fmt.Fprintf(flag.CommandLine.Output(), "Usage: indexer [flags]\n\nIndex every article under -articles into -index.\n\n")
		flag.PrintDefaults()
	}
	flag.Parse()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, *articles, *indexDir, *batch, *quiet, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "indexer:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, articles, indexDir string, batch int, quiet bool, out, errOut io.Writer) error {
	lastProgress := time.Now()
	st, err := index.Build(ctx, index.BuildConfig{
		Articles:  articles,
		Index:     indexDir,
		BatchSize: batch,
		Skipped: func(path string, err error) {
			fmt.Fprintf(errOut, "skipped %s: %v\n", path, err)
		},
		Progress: func(st index.Stats) {
			if quiet || time.Since(lastProgress) < time.Second {
				return
			}
			lastProgress = time.Now()
			fmt.Fprintf(errOut, "indexed %d articles (%.0f/s)…\n", st.Indexed, rate(st.Indexed, st.Elapsed))
		},
	})
	if err != nil {
		return err
	}
	secs := st.Elapsed.Seconds()
	fmt.Fprintf(out, "indexed %d articles from %s into %s in %.2fs (%.0f articles/s, %.2f MB/s)\n",
		st.Indexed, articles, st.Generation, secs, rate(st.Indexed, st.Elapsed), float64(st.Bytes)/1e6/max(secs, 1e-9))
	fmt.Fprintf(out, "files: %d seen, %d skipped with errors, %d not articles (unsupported extension)\n",
		st.Files, st.Skipped, st.Unsupported)
	return nil
}

func rate(n int, d time.Duration) float64 {
	return float64(n) / max(d.Seconds(), 1e-9)
}
