// Command searchd serves newsfind: the search page, the JSON search API and
// article look-ups, over an index built by the indexer. It follows the
// indexer's new generations without restarting; with -articles it also
// accepts articles through its API, and with -watch it indexes files as
// they arrive in the folder.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"os"
	"os/signal"
	"runtime"
	"syscall"
	"time"

	"github.com/newsfind/newsfind/internal/corpus"
	"github.com/newsfind/newsfind/internal/index"
	"github.com/newsfind/newsfind/internal/index/gen"
	"github.com/newsfind/newsfind/internal/memlimit"
	"github.com/newsfind/newsfind/internal/server"
	"github.com/newsfind/newsfind/web"
)

type config struct {
	index, articles, addr, token, pprofAddr string
	reload                                  time.Duration
	watch, split, yield                     bool
	cacheMB                                 uint64
	maxIngestMB                             float64
	cores, maxSearches, rateLimit           int
	rateLimitLoopback                       bool
}

// defaultMemoryLimit is searchd's soft memory limit unless GOMEMLIMIT sets
// one. Its live heap is small (the served generation's facet table is
// mapped, not on the heap; searches hold a page of hits and facet counts
// each); the limit keeps the garbage of many concurrent searches from
// doubling it.
//
// An update through the write API derives the new generation's tables on
// the heap, about 140 MB live at 1,000,000 articles: under 200 MiB the
// collector ran without pause and took a quarter of the CPU, and adding
// one article took 8.3–9.0 s against 5.2–6.3 s with the limit raised by
// updateBytesPerArticle for each article served (docs/SCALING.md).
const (
	defaultMemoryLimit    = 200 << 20 // bytes
	updateBytesPerArticle = 300
)

// defaultGCPercent is searchd's GOGC unless the environment sets one. With
// a live heap of a few tens of MB, Go's 100 collected every few dozen
// searches; under the limit above, a heap of 5× the live one answered 12 %
// more first-time searches at 100,000 articles (8 clients: 587 → 658 req/s,
// three rounds interleaved with 100, 200 and 800) for 18 MB more RSS
// (docs/PERFORMANCE.md, session 13).
const defaultGCPercent = 400

func main() {
	var cfg config
	var verbose bool
	flag.StringVar(&cfg.index, "index", "data/index", "index folder built by the indexer")
	flag.StringVar(&cfg.addr, "addr", "127.0.0.1:8080", "address to listen on")
	flag.Uint64Var(&cfg.cacheMB, "cache-mb", 16, "MB of search results kept per index generation to answer repeated searches; 0 disables")
	flag.StringVar(&cfg.articles, "articles", "", "articles folder: enables the write API and -watch")
	flag.BoolVar(&cfg.watch, "watch", false, "index files as they arrive in, change in or leave -articles")
	flag.StringVar(&cfg.token, "admin-token", os.Getenv("SEARCHD_ADMIN_TOKEN"), "bearer token for the write and admin API (default $SEARCHD_ADMIN_TOKEN; empty disables it)")
	flag.DurationVar(&cfg.reload, "reload", 250*time.Millisecond, "how often to look for a new index generation")
	flag.StringVar(&cfg.pprofAddr, "pprof", "", "serve /debug/pprof on this address (e.g. 127.0.0.1:6060); off by default")
	flag.Float64Var(&cfg.maxIngestMB, "max-ingest-mb", float64(server.DefaultMaxIngestBytes)/(1<<20), "MiB an ingest request's body may hold; larger ones are answered 413")
	flag.IntVar(&cfg.cores, "cores", runtime.GOMAXPROCS(0), "cores searches may take at once (default: those this process may use); Go runs on as many")
	flag.IntVar(&cfg.maxSearches, "max-searches", 0, "searches in flight at most (default: one per core, -cores); more wait their turn up to 1s, then get 503 with Retry-After; -1 lifts the cap")
	flag.IntVar(&cfg.rateLimit, "rate-limit", 20, "search, suggest and article requests per second per client address; more get 429 with Retry-After; 0 turns the limit off")
	flag.BoolVar(&cfg.rateLimitLoopback, "rate-limit-loopback", false, "apply -rate-limit to loopback clients too (exempt by default: local tools, or a reverse proxy whose clients would share one budget)")
	flag.BoolVar(&cfg.split, "split", true, "rank a search's matches on two cores while a core is idle, as Lucene searches segments concurrently; off: one core a search")
	flag.BoolVar(&cfg.yield, "yield", true, "give up a search's core once its answer is sent, so that the thread it wakes (a client or proxy on this machine, the reader of the next request) runs before the next search")
	flag.BoolVar(&verbose, "v", false, "log at debug level")
	flag.Usage = func() {
		fmt.Fprintf(flag.CommandLine.Output(), "Usage: searchd [flags]\n\nServe the search page and API over an index built by the indexer.\n\n")
		flag.PrintDefaults()
	}
	flag.Parse()
	memlimit.Default(defaultGCPercent, defaultMemoryLimit)

	level := slog.LevelInfo
	if verbose {
		level = slog.LevelDebug
	}
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))
	if err := run(cfg, log); err != nil {
		log.Error("searchd stopped", "err", err)
		os.Exit(1)
	}
}

func run(cfg config, log *slog.Logger) error {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if cfg.watch && cfg.articles == "" {
		return errors.New("-watch needs -articles")
	}
	if cfg.cores < 1 {
		return errors.New("-cores must be at least 1")
	}
	if cfg.maxSearches == 0 {
		cfg.maxSearches = cfg.cores
	}
	// A P a core. Go reads the network only from an idle P, or every 10 ms
	// from its monitor (golang/go#51651), so while searches kept every P
	// busy a request waited unread; searchd gives a search's slot back
	// through the network poller, so the requests that arrived during a
	// search are read when it ends (see server.admission). Sessions 25-39
	// ran Go on a P more instead: its thread woke, spun and slept for
	// every request, ~10 % more CPU a request, and the cores idled 6 % of
	// the time under load (docs/PERFORMANCE.md, session 40).
	runtime.GOMAXPROCS(cfg.cores)

	// What run starts it stops, in the reverse order, through the defers
	// below: the HTTP servers first (in-flight requests finish), then the
	// corpus (its rebuild and watch are cancelled and waited for), then the
	// index's reloading, and the index last, once nothing uses it.
	opts := []index.Option{index.WithResultCache(cfg.cacheMB << 20)}
	if cfg.split {
		opts = append(opts, index.WithSpareCores(cfg.cores))
	}
	idx, err := index.Open(cfg.index, log, opts...)
	if errors.Is(err, gen.ErrNoIndex) && cfg.articles != "" {
		// A new deployment with articles but no index yet: build one.
		log.Info("no index yet: building it", "articles", cfg.articles)
		if _, err = gen.Build(ctx, gen.Config{Articles: cfg.articles, Index: cfg.index, Tables: index.WriteTables}); err == nil {
			idx, err = index.Open(cfg.index, log, opts...)
		}
	}
	if err != nil {
		return err
	}
	defer idx.Close()
	if n, err := idx.Count(); err == nil {
		memlimit.AtLeast(defaultMemoryLimit + int64(n)*updateBytesPerArticle)
	}
	stopReloading := goUntilStopped(func(ctx context.Context) { idx.Watch(ctx, cfg.reload) })
	defer stopReloading()

	if cfg.maxIngestMB <= 0 || cfg.maxSearches < -1 || cfg.rateLimit < 0 {
		return errors.New("-max-ingest-mb must be positive, -max-searches positive or -1, -rate-limit at least 0")
	}
	handlerCfg := server.Config{Searcher: idx, Suggester: idx, Explorer: idx, Assets: web.Assets, Log: log, AdminToken: cfg.token,
		MaxIngestBytes: int64(cfg.maxIngestMB * (1 << 20)), MaxSearches: cfg.maxSearches,
		RateLimit: cfg.rateLimit, RateLimitLoopback: cfg.rateLimitLoopback}
	if load := idx.Load(); load != nil {
		handlerCfg.Load = load
	}
	if !cfg.yield {
		handlerCfg.Yield = func() {}
	}
	var store *corpus.Corpus
	if cfg.articles != "" {
		store = corpus.New(corpus.Config{Articles: cfg.articles, Index: cfg.index, Log: log, Tables: index.WriteTables,
			Published: func() error { _, err := idx.Reload(); return err }})
		defer store.Close()
		handlerCfg.Store = store
		if cfg.watch {
			// The watch runs until store.Close, which waits for it; it
			// catches up with the folder first.
			go func() {
				if err := store.Watch(context.Background()); err != nil && !errors.Is(err, corpus.ErrClosed) {
					log.Error("watching stopped", "err", err)
				}
			}()
		} else if err := store.CatchUp(); err != nil {
			// Files saved but never indexed (a crash during an ingest)
			// are indexed now, not at the next ingest.
			return err
		}
	}

	if cfg.pprofAddr != "" {
		stopPprof, err := servePprof(cfg.pprofAddr, log)
		if err != nil {
			return err
		}
		defer stopPprof()
	}
	ln, err := net.Listen("tcp", cfg.addr)
	if err != nil {
		return err
	}
	srv := &http.Server{
		Handler:           server.New(handlerCfg),
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      2 * time.Minute,
		IdleTimeout:       2 * time.Minute,
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	n, _ := idx.Count()
	log.Info("searchd listening", "addr", "http://"+ln.Addr().String(), "index", cfg.index,
		"generation", idx.Generation(), "articles", n, "write_api", cfg.token != "" && store != nil, "watch", cfg.watch)

	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down")
	if err := shutdown(srv); err != nil {
		return err
	}
	<-errc // Serve has returned
	return nil
}

// shutdownTimeout bounds how long requests in flight may take to finish at
// shutdown.
const shutdownTimeout = 10 * time.Second

// shutdown stops srv, letting requests in flight finish for a while.
func shutdown(srv *http.Server) error {
	ctx, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(ctx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("shutdown: %w", err)
	}
	return nil
}

// goUntilStopped runs f in a goroutine and returns what cancels f's
// context and waits for f to return.
func goUntilStopped(f func(ctx context.Context)) (stop func()) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		f(ctx)
	}()
	return func() {
		cancel()
		<-done
	}
}

// servePprof serves the profiler on its own address, so it is never exposed
// by accident on the public one, and returns what shuts it down.
func servePprof(addr string, log *slog.Logger) (stop func(), err error) {
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("pprof: %w", err)
	}
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
			log.Error("pprof stopped", "err", err)
		}
	}()
	log.Info("pprof listening", "addr", "http://"+ln.Addr().String()+"/debug/pprof/")
	return func() {
		if err := shutdown(srv); err != nil {
			log.Warn("pprof", "err", err)
		}
		<-done
	}, nil
}
