package server

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/newsfind/newsfind/internal/index/indextest"
	"github.com/newsfind/newsfind/internal/search"
	"github.com/newsfind/newsfind/internal/search/searchtest"
	"github.com/newsfind/newsfind/web"
)

// These tests drive the HTTP layer's failure paths with a fake Searcher:
// what the index does is chosen per test, and what the client sees and
// what is logged is checked.

// logRecorder collects the server's log records; it is safe for the
// server's goroutines to write while a test reads.
type logRecorder struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *logRecorder) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *logRecorder) logger() *slog.Logger {
	return slog.New(slog.NewJSONHandler(l, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

// records returns the records logged so far.
func (l *logRecorder) records(t *testing.T) []map[string]any {
	t.Helper()
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []map[string]any
	dec := json.NewDecoder(bytes.NewReader(l.buf.Bytes()))
	for dec.More() {
		var r map[string]any
		if err := dec.Decode(&r); err != nil {
			t.Fatalf("log record: %v", err)
		}
		out = append(out, r)
	}
	return out
}

// requestLine returns the request log line for path, once there is one.
func (l *logRecorder) requestLine(t *testing.T, path string) map[string]any {
	t.Helper()
	var line map[string]any
	indextest.WaitFor(t, 5*time.Second, "the request log line of "+path, func() bool {
		for _, r := range l.records(t) {
			if r["msg"] == "request" && r["path"] == path {
				line = r
				return true
			}
		}
		return false
	})
	return line
}

// newFakeServer serves the real handler over fake, with cfg's other settings.
func newFakeServer(t *testing.T, fake *searchtest.Searcher, cfg Config) *httptest.Server {
	t.Helper()
	cfg.Searcher, cfg.Assets = fake, web.Assets
	ts := httptest.NewServer(New(cfg))
	t.Cleanup(ts.Close)
	return ts
}

// getJSON fetches path and returns the status and the body as one JSON
// object, failing when the body is anything else.
func getJSON(t *testing.T, ts *httptest.Server, path string) (int, map[string]any) {
	t.Helper()
	var body map[string]any
	resp := get(t, ts, path, &body)
	return resp.StatusCode, body
}

// waitDone waits for ctx to end, or fails the test after a generous bound
// so that a broken server fails the test instead of hanging it.
func waitDone(ctx context.Context) error {
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-time.After(10 * time.Second):
		return errors.New("the context was never done")
	}
}

func TestIndexUnavailableIs503(t *testing.T) {
	unavailable := fmt.Errorf("open generation: %w", search.ErrUnavailable)
	ts := newFakeServer(t, &searchtest.Searcher{
		SearchFn: func(context.Context, search.Request) (search.Result, error) {
			return search.Result{}, unavailable
		},
		ArticleFn: func(context.Context, string) (search.Article, error) {
			return search.Article{}, unavailable
		},
	}, Config{})
	for _, path := range []string{"/api/search?q=sco", "/api/articles/a.txt"} {
		code, body := getJSON(t, ts, path)
		if msg, _ := body["error"].(string); code != http.StatusServiceUnavailable || !strings.Contains(msg, "not available") {
			t.Errorf("GET %s = %d %v, want 503 saying the index is not available", path, code, body)
		}
	}
}

func TestSearchOverTheRequestTimeout(t *testing.T) {
	var logs logRecorder
	seen := make(chan error, 1)
	ts := newFakeServer(t, &searchtest.Searcher{
		SearchFn: func(ctx context.Context, req search.Request) (search.Result, error) {
			if _, ok := ctx.Deadline(); !ok {
				seen <- errors.New("the search's context has no deadline")
				return search.Result{}, nil
			}
			err := waitDone(ctx)
			seen <- err
			return search.Result{}, fmt.Errorf("search %q: %w", req.Query, err)
		},
	}, Config{RequestTimeout: 50 * time.Millisecond, Log: logs.logger()})

	code, body := getJSON(t, ts, "/api/search?q=slow")
	if err := <-seen; !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("the search saw %v, want its context's deadline exceeded", err)
	}
	if msg, _ := body["error"].(string); code != http.StatusServiceUnavailable || !strings.Contains(msg, "took longer than 50ms") {
		t.Errorf("slow search = %d %v, want 503 saying it took longer than 50ms", code, body)
	}
	if line := logs.requestLine(t, "/api/search"); line["status"] != float64(http.StatusServiceUnavailable) {
		t.Errorf("request logged as %v, want status 503", line)
	}
}

// statusRecorder records every status a handler writes, where the request
// log's wrapper would keep only the first.
type statusRecorder struct {
	*httptest.ResponseRecorder
	statuses []int
}

func (w *statusRecorder) WriteHeader(code int) {
	w.statuses = append(w.statuses, code)
	w.ResponseRecorder.WriteHeader(code)
}

func (w *statusRecorder) Write(b []byte) (int, error) {
	if len(w.statuses) == 0 {
		w.statuses = append(w.statuses, http.StatusOK)
	}
	return w.ResponseRecorder.Write(b)
}

// One place owns the request deadline: a request over it is answered once,
// with one status and one JSON body, by the handler's error mapping.
func TestRequestTimeoutWritesOneStatus(t *testing.T) {
	s := newServer(Config{RequestTimeout: 20 * time.Millisecond, Assets: web.Assets, Searcher: &searchtest.Searcher{
		SearchFn: func(ctx context.Context, req search.Request) (search.Result, error) {
			return search.Result{}, waitDone(ctx)
		},
		ArticleFn: func(ctx context.Context, id string) (search.Article, error) {
			return search.Article{}, waitDone(ctx)
		},
	}})
	h := s.routes()
	for _, path := range []string{"/api/search?q=slow", "/api/articles/slow.txt"} {
		w := &statusRecorder{ResponseRecorder: httptest.NewRecorder()}
		h.ServeHTTP(w, httptest.NewRequest("GET", path, nil))
		if len(w.statuses) != 1 || w.statuses[0] != http.StatusServiceUnavailable {
			t.Errorf("GET %s wrote statuses %v, want one: 503", path, w.statuses)
		}
		dec := json.NewDecoder(w.Body)
		var body map[string]string
		if err := dec.Decode(&body); err != nil || body["error"] == "" || dec.More() {
			t.Errorf("GET %s: body %q, want one JSON error object", path, w.Body.String())
		}
	}
}

func TestClientGoneCancelsTheSearch(t *testing.T) {
	var logs logRecorder
	started := make(chan struct{})
	seen := make(chan error, 1)
	ts := newFakeServer(t, &searchtest.Searcher{
		SearchFn: func(ctx context.Context, req search.Request) (search.Result, error) {
			if req.Query != "hang" {
				return search.Result{Query: req.Query, Page: 1, Size: req.Size}, nil
			}
			close(started)
			err := waitDone(ctx)
			seen <- err
			return search.Result{}, fmt.Errorf("search: %w", err)
		},
	}, Config{Log: logs.logger()})

	ctx, cancel := context.WithCancel(context.Background())
	req, err := http.NewRequestWithContext(ctx, "GET", ts.URL+"/api/search?q=hang", nil)
	if err != nil {
		t.Fatal(err)
	}
	client := make(chan error, 1)
	go func() {
		resp, err := ts.Client().Do(req)
		if err == nil {
			resp.Body.Close()
		}
		client <- err
	}()
	<-started
	cancel()
	if err := <-client; !errors.Is(err, context.Canceled) {
		t.Errorf("client: %v, want its own cancellation", err)
	}
	if err := <-seen; !errors.Is(err, context.Canceled) {
		t.Errorf("the search saw %v, want its context canceled", err)
	}
	// The request is logged as nginx does, 499, and not as a server error.
	if line := logs.requestLine(t, "/api/search"); line["status"] != float64(499) {
		t.Errorf("request logged as %v, want status 499", line)
	}
	for _, r := range logs.records(t) {
		if r["level"] == "ERROR" {
			t.Errorf("a client going away was logged as an error: %v", r)
		}
	}
	// The server goes on serving.
	if code, body := getJSON(t, ts, "/api/search?q=next"); code != http.StatusOK || body["query"] != "next" {
		t.Errorf("the next search = %d %v", code, body)
	}
}

func TestPanicInTheSearcherIs500(t *testing.T) {
	var logs logRecorder
	ts := newFakeServer(t, &searchtest.Searcher{
		SearchFn: func(ctx context.Context, req search.Request) (search.Result, error) {
			if req.Query == "boom" {
				panic("searcher exploded")
			}
			return search.Result{Query: req.Query, Page: 1, Size: req.Size}, nil
		},
	}, Config{Log: logs.logger()})

	code, body := getJSON(t, ts, "/api/search?q=boom")
	if code != http.StatusInternalServerError || body["error"] != "internal error" {
		t.Errorf("panicking search = %d %v, want 500 with a JSON error", code, body)
	}
	logged := false
	for _, r := range logs.records(t) {
		logged = logged || r["level"] == "ERROR" && r["panic"] == "searcher exploded" && r["stack"] != nil
	}
	if !logged {
		t.Errorf("the panic and its stack were not logged: %v", logs.records(t))
	}
	if code, body := getJSON(t, ts, "/api/search?q=calm"); code != http.StatusOK || body["query"] != "calm" {
		t.Errorf("the search after the panic = %d %v, want 200", code, body)
	}
}
