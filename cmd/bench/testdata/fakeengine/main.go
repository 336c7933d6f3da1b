// Command fakeengine stands in for newsfind's indexer and searchd (told apart
// by their flags) in cmd/bench's tests, so the harness can be tested end to
// end without building the real ones. $BENCH_TEST_FAKE_ENGINE is "ok", or
// "badexit" for a daemon that exits 3 on SIGTERM.
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
	mux.HandleFunc("/api/search", func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("q") == "broken" {
			http.Error(w, `{"error":"bad query"}`, http.StatusBadRequest)
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
