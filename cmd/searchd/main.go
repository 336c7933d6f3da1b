// Command searchd serves newsfind: the search page, the JSON search API and
// article look-ups, over an index built by the indexer. It follows the
// indexer's new generations without restarting.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/newsfind/newsfind/internal/index"
	"github.com/newsfind/newsfind/internal/server"
	"github.com/newsfind/newsfind/web"
)

func main() {
	var (
		indexDir = flag.String("index", "data/index", "index folder built by the indexer")
		addr     = flag.String("addr", "127.0.0.1:8080", "address to listen on")
		reload   = flag.Duration("reload", time.Second, "how often to check for a new index generation")
		verbose  = flag.Bool("v", false, "log at debug level")
	)
	flag.Usage = func() {
		fmt.Fprintf(flag.CommandLine.Output(), "Usage: searchd [flags]\n\nServe the search page and API over an index built by the indexer.\n\n")
		flag.PrintDefaults()
	}
	flag.Parse()

	level := slog.LevelInfo
	if *verbose {
		level = slog.LevelDebug
	}
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))
	if err := run(*indexDir, *addr, *reload, log); err != nil {
		log.Error("searchd stopped", "err", err)
		os.Exit(1)
	}
}

func run(indexDir, addr string, reload time.Duration, log *slog.Logger) error {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	idx, err := index.Open(indexDir, log)
	if err != nil {
		return err
	}
	defer idx.Close()
	go idx.Watch(ctx, reload)

	srv := &http.Server{
		Addr:              addr,
		Handler:           server.New(server.Config{Searcher: idx, Assets: web.Assets, Log: log}),
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       2 * time.Minute,
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.ListenAndServe() }()
	n, _ := idx.Count()
	log.Info("searchd listening", "addr", "http://"+addr, "index", indexDir, "generation", idx.Generation(), "articles", n)

	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("shutdown: %w", err)
	}
	return nil
}
