// Command fakeengine stands in for newsfind's indexer and searchd (told apart
// by their flags) in cmd/bench's tests, so the harness can be tested end to
// end without building the real ones. $BENCH_TEST_FAKE_ENGINE is "ok",
// "badexit" for a daemon that exits 3 on SIGTERM, or "nocache" for a daemon
// without a result cache that refuses the cache parameter.
//
// Its searchd keeps a result cache as newsfind's does: a search repeated
// without cache=false answers "cached": true once one with the cache on
// has answered it. It says in /metrics that every search it did not
// answer from the cache took a second core (not in "nocache" mode).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"sync"
	"syscall"
)

func main() {
	os.Exit(fakeEngine(os.Getenv("BENCH_TEST_FAKE_ENGINE"), os.Args[1:]))
}

func fakeEngine(mode string, args []string) int {
	fs := flag.NewFlagSet("fake", flag.ContinueOnError)
	articles := fs.String("articles", "", "")
	index := fs.String("index", "", "")
	addr := fs.String("addr", "", "")
	fs.Bool("q", false, "")
	fs.Bool("json", false, "")
	fs.Bool("full", false, "")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *articles != "" { // indexer
		if err := os.WriteFile(filepath.Join(*index, "CURRENT"), make([]byte, 1000), 0o644); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		fmt.Printf(`{"full":true,"files":4,"added":3,"skipped":1,"indexed":3,"bytes":5000,"elapsed_ns":10000000,"generation":"%s"}`+"\n", *index)
		fmt.Fprintln(os.Stderr, "skipped bad.txt: no title found")
		return 0
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `{"status":"ok","articles":3}`)
	})
	var (
		mu     sync.Mutex
		cached = map[string]bool{}
		lent   int // searches "ranked on two cores": every one not cached
	)
	if mode != "nocache" {
		mux.HandleFunc("/metrics", func(w http.ResponseWriter, r *http.Request) {
			mu.Lock()
			defer mu.Unlock()
			fmt.Fprintf(w, "# TYPE newsfind_search_cores_lent_total counter\nnewsfind_search_cores_lent_total %d\n", lent)
		})
	}
	mux.HandleFunc("/api/search", func(w http.ResponseWriter, r *http.Request) {
		v := r.URL.Query()
		if v.Get("q") == "broken" {
			http.Error(w, `{"error":"bad query"}`, http.StatusBadRequest)
			return
		}
		useCache := true
		switch c, ok := v["cache"]; {
		case ok && mode == "nocache":
			http.Error(w, `{"error":"unknown parameter cache"}`, http.StatusBadRequest)
			return
		case !ok || c[0] == "true" || c[0] == "1" || c[0] == "":
		case c[0] == "false" || c[0] == "0":
			useCache = false
		default:
			http.Error(w, `{"error":"cache must be true or false"}`, http.StatusBadRequest)
			return
		}
		v.Del("cache")
		key := v.Encode()
		mu.Lock()
		hit := useCache && cached[key]
		if useCache {
			cached[key] = true
		}
		if !hit {
			lent++
		}
		mu.Unlock()
		if hit {
			fmt.Fprint(w, `{"total":1,"took_ms":0.01,"hits":[],"cached":true}`)
			return
		}
		fmt.Fprint(w, `{"total":1,"took_ms":0.25,"hits":[]}`)
	})
	srv := &http.Server{Addr: *addr, Handler: mux}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM)
	defer stop()
	go func() {
		<-ctx.Done()
		srv.Shutdown(context.Background())
	}()
	if err := srv.ListenAndServe(); !errors.Is(err, http.ErrServerClosed) {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	if mode == "badexit" {
		return 3
	}
	return 0
}
