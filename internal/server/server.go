// Package server is newsfind's HTTP interface: the JSON search API, the
// article view and the embedded web page. Handlers depend on search.Searcher,
// never on the index implementation.
package server

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/http"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"
	"github.com/newsfind/newsfind/internal/search"
)

// Config is what a Server needs.
type Config struct {
	// Searcher answers searches and article look-ups.
	Searcher search.Searcher
	// Suggester completes what is typed into the search box
	// (/api/suggest); nil answers that endpoint 404.
	Suggester search.Suggester
	// Explorer finds the articles like one (/api/articles/{id}/similar)
	// and marks a search's words in an article (?q=); nil answers the
	// first 404 and marks nothing.
	Explorer search.Explorer
	// Assets is the web page (index.html and what it loads), read and
	// gzipped once when the handler is made (see assets.go).
	Assets fs.FS
	// Log receives one line per request; nil discards.
	Log *slog.Logger
	// RequestTimeout bounds the time spent on one API request (default
	// 10s): it is the deadline of the request's context, and a request that
	// runs out of it is answered 503.
	RequestTimeout time.Duration
	// Store, when set, serves the write API (ingest, delete, reindex).
	Store Store
	// AdminToken guards the write API; empty disables it.
	AdminToken string
	// MaxIngestBytes bounds the body of an ingest request (default
	// DefaultMaxIngestBytes); a larger one is answered 413.
	MaxIngestBytes int64
	// MaxSearches caps the searches in flight (default
	// DefaultMaxSearches; negative: no cap). A search beyond it waits up
	// to SearchQueueWait for a slot, then is answered 503 with Retry-After.
	MaxSearches int
	// Load, when set, is told of each search as it arrives (before it
	// waits for a slot) and as its answer is written, so that the searcher
	// lends a search a core only while no other search runs or waits for
	// one (see spare.Cores).
	Load Load
	// SearchQueueWait is how long a search over MaxSearches waits for a
	// slot (default 1s; negative: not at all).
	SearchQueueWait time.Duration
	// RateLimit is how many public API requests (search, suggest, article
	// look-ups) one client address may make per RateWindow; 0 turns the
	// limit off. Beyond it: 429 with Retry-After.
	RateLimit int
	// MaxExportRows is the most rows a CSV or JSON Lines export of a
	// search holds (default, and at most, search.MaxExportRows); an export
	// of more matches is cut there and says so.
	MaxExportRows int
	// RateWindow is the rate limit's window (default DefaultRateWindow).
	RateWindow time.Duration
	// RateLimitLoopback applies RateLimit to loopback clients too, which
	// are exempt by default (see rateLimit).
	RateLimitLoopback bool
	// Yield is called once a search's answer is sent (see admit); nil:
	// giveUpCore. searchd -yield=false passes one that does nothing.
	Yield func()
}

// DefaultMaxSearches is the default cap on searches in flight: one per
// core (runtime.GOMAXPROCS(0); searchd passes its -cores, and runs Go on
// as many Ps); the others wait their turn in order. A search is CPU work:
// more at once than cores only share the cores, so each, a long one most,
// takes as many times longer. It also bounds the memory of hits and facet
// counts held at once.
//
// Sessions 10 to 24 allowed 1.5 per core + 1 (Elasticsearch's search
// pool, 4 on 2 cores): with one per core and every P busy, a core idled
// whenever a search waited and searchd fell behind a steady 250 requests
// a second at 100,000 articles (session 10). With searchd's spare P, one
// per core kept up with that rate and had the shorter tail, at 8 clients
// p99 18.8 and 20.4 ms against 28.7 and 36.0 ms at 100,000 articles, 62
// and 86 ms against 112 ms at 1,000,000 (docs/PERFORMANCE.md, session 25).
// Since session 40 the slots are given back through the network poller
// instead (see admission), with Go on a P a core.
func DefaultMaxSearches() int { return runtime.GOMAXPROCS(0) }

// Load counts the searches arrived and not yet answered.
type Load interface {
	Enter()
	Leave()
}

// Counter is implemented by searchers that can report their size; /healthz
// includes it when available.
type Counter interface {
	Count() (uint64, error)
}

// New returns the HTTP handler of searchd.
func New(cfg Config) http.Handler {
	s := newServer(cfg)
	return s.logRequests(s.routes())
}

// newServer fills cfg's defaults.
func newServer(cfg Config) *server {
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	if cfg.RequestTimeout == 0 {
		cfg.RequestTimeout = 10 * time.Second
	}
	if cfg.MaxIngestBytes <= 0 {
		cfg.MaxIngestBytes = DefaultMaxIngestBytes
	}
	if cfg.MaxSearches == 0 {
		cfg.MaxSearches = DefaultMaxSearches()
	}
	if cfg.SearchQueueWait == 0 {
		cfg.SearchQueueWait = time.Second
	}
	if cfg.MaxExportRows <= 0 || cfg.MaxExportRows > search.MaxExportRows {
		cfg.MaxExportRows = search.MaxExportRows
	}
	if cfg.RateWindow <= 0 {
		cfg.RateWindow = DefaultRateWindow
	}
	if cfg.Yield == nil {
		cfg.Yield = giveUpCore
	}
	files, err := loadAssets(cfg.Assets)
	s := &server{cfg: cfg, admission: newAdmission(cfg), assets: &assets{files: files, err: err, log: cfg.Log.Error}}
	s.metrics = newMetrics(s)
	return s
}

// routes is searchd's handler without the request log, which New wraps
// around it; tests look at what the handlers write beneath that wrapper.
func (s *server) routes() http.Handler {
	r := chi.NewRouter()
	r.Use(s.metrics.instrument, s.recoverPanics, securityHeaders, s.strictQuery, middleware.GetHead)
	files := s.assets
	apiNotFound := s.handle(func(w http.ResponseWriter, r *http.Request) error {
		return statusError{http.StatusNotFound, "no such endpoint: " + r.URL.Path}
	})
	// Paths outside the API are the page's files, read only.
	pageMethodNotAllowed := s.handle(func(w http.ResponseWriter, r *http.Request) error {
		return s.methodNotAllowed(w, r, []string{http.MethodGet, http.MethodHead})
	})
	r.NotFound(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case strings.HasPrefix(r.URL.Path, "/api/"):
			apiNotFound(w, r)
		case r.Method != http.MethodGet && r.Method != http.MethodHead:
			pageMethodNotAllowed(w, r)
		default:
			files.ServeHTTP(w, r)
		}
	})
	root := r
	r.MethodNotAllowed(s.handle(func(w http.ResponseWriter, r *http.Request) error {
		return s.methodNotAllowed(w, r, allowed(root, r.URL.Path))
	}))
	r.Get("/healthz", s.handle(s.health))
	r.Method(http.MethodGet, "/metrics", s.metrics.handler())
	r.Route("/api", func(r chi.Router) {
		r.Use(s.deadline)
		r.Get("/openapi.json", serveOpenAPI)
		r.Group(func(r chi.Router) {
			if limit := s.rateLimit(); limit != nil {
				r.Use(limit)
			}
			r.With(s.admit, s.metrics.countSearches).Get("/search", s.handle(s.search))
			r.With(s.admit, s.metrics.countSearches).Get("/search.atom", s.handle(s.atom))
			r.With(s.admit, s.metrics.countSearches).Get("/search.csv", s.handle(s.exportCSV))
			r.With(s.admit, s.metrics.countSearches).Get("/search.jsonl", s.handle(s.exportJSONL))
			r.Get("/suggest", s.handle(s.suggest))
			r.Get("/articles/*", s.articles())
		})
		r.Group(func(r chi.Router) {
			r.Use(s.requireToken)
			r.Post("/articles", s.handle(s.addArticle))
			r.Delete("/articles/*", s.handle(s.deleteArticle))
			r.Post("/admin/reindex", s.handle(s.reindex))
			r.Get("/admin/status", s.handle(s.status))
		})
	})
	return r
}

type server struct {
	cfg       Config
	admission *admission // nil: no cap on searches in flight
	assets    *assets    // the page's files, read and compressed once
	metrics   *metrics
}

// statusError is an error with the HTTP status it should be answered with.
type statusError struct {
	status int
	msg    string
}

func (e statusError) Error() string { return e.msg }

// deadline gives an API request RequestTimeout to finish, as its context's
// deadline: the handlers and the searcher stop when it passes, and handle
// answers for it. It writes nothing itself, so that a response has one
// status, written in one place.
func (s *server) deadline(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), s.cfg.RequestTimeout)
		defer cancel()
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// handle turns a handler that returns an error into an http.HandlerFunc.
// It is the one place that maps errors to statuses and JSON bodies.
func (s *server) handle(h func(http.ResponseWriter, *http.Request) error) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		err := h(w, r)
		if err == nil {
			return
		}
		status, msg := s.statusOf(r, err)
		if status >= 500 {
			s.cfg.Log.Error("request failed", "method", r.Method, "path", r.URL.Path, "status", status, "err", err)
		}
		writeJSON(w, status, map[string]string{"error": msg})
	}
}

// statusOf maps a handler's error to the status and message the client
// gets. A request over its deadline is 503 rather than 504: searchd is the
// server that ran out of time, not a gateway waiting on one, and 503 is
// what a client retries later.
func (s *server) statusOf(r *http.Request, err error) (int, string) {
	var se statusError
	switch {
	case errors.As(err, &se):
		return se.status, se.msg
	case errors.Is(err, search.ErrInvalid):
		return http.StatusBadRequest, err.Error()
	case errors.Is(err, search.ErrConflict):
		return http.StatusConflict, err.Error()
	case errors.Is(err, search.ErrNotFound):
		return http.StatusNotFound, err.Error()
	case errors.Is(err, search.ErrUnavailable):
		return http.StatusServiceUnavailable, "the index is not available; try again shortly"
	}
	// The request's context says why it ended, however the error that
	// came back was wrapped.
	ctxErr := r.Context().Err()
	switch {
	case errors.Is(ctxErr, context.Canceled):
		return 499, "request canceled" // the client went away (nginx's status); nobody reads this
	case errors.Is(ctxErr, context.DeadlineExceeded) || errors.Is(err, context.DeadlineExceeded):
		return http.StatusServiceUnavailable, fmt.Sprintf("the request took longer than %v; try again later", s.cfg.RequestTimeout)
	}
	return http.StatusInternalServerError, "internal error"
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	buf := jsonBuffers.Get().(*bytes.Buffer)
	defer putJSONBuffer(buf)
	buf.Reset()
	enc := json.NewEncoder(buf)
	enc.SetEscapeHTML(false) // fragments carry <mark>; JSON is not HTML
	if err := enc.Encode(v); err != nil {
		status, buf = http.StatusInternalServerError, bytes.NewBufferString(`{"error":"internal error"}`+"\n")
	}
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Length", strconv.Itoa(buf.Len()))
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes()) // the status is sent; a failed write means the client left
}

// jsonBuffers hold the buffers writeJSON encodes answers into, whole, so
// that an answer goes out with its length (the client knows it has all of
// it without waiting for the end of a chunked body) in one write.
var jsonBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// maxPooledJSON is the largest buffer writeJSON keeps for reuse: a rare
// large answer's buffer is left to the collector rather than held.
const maxPooledJSON = 1 << 20

func putJSONBuffer(b *bytes.Buffer) {
	if b.Cap() <= maxPooledJSON {
		jsonBuffers.Put(b)
	}
}

func (s *server) health(w http.ResponseWriter, r *http.Request) error {
	body := map[string]any{"status": "ok"}
	if c, ok := s.cfg.Searcher.(Counter); ok {
		n, err := c.Count()
		if err != nil {
			return errors.Join(search.ErrUnavailable, err)
		}
		body["articles"] = n
	}
	writeJSON(w, http.StatusOK, body)
	return nil
}

func (s *server) search(w http.ResponseWriter, r *http.Request) error {
	req, err := parseSearch(r)
	if err != nil {
		return err
	}
	res, err := s.cfg.Searcher.Search(r.Context(), req)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, res)
	return nil
}

// parseSearch reads a search.Request from query parameters:
// q, page, size, sort, the repeatable filters source, section, year, month
// (YYYY-MM), person, place and org, date_from, date_to (YYYY-MM-DD, inclusive), and
// facets=false and cache=false to skip counting facets or the result cache,
// and prefix=false to search the last word as a whole word only.
// and typo=false to search the words as typed, without typo tolerance,
// exact=true to count every match and its facets, and collapse=false to
// list every version of a story as its own hit.
func parseSearch(r *http.Request) (search.Request, error) {
	v := r.URL.Query()
	req := search.Request{Query: v.Get("q"), Sort: search.Sort(v.Get("sort"))}
	var err error
	if req.NoFacets, err = offParam(v.Get("facets"), "facets"); err != nil {
		return req, err
	}
	if req.NoCache, err = offParam(v.Get("cache"), "cache"); err != nil {
		return req, err
	}
	if req.NoPrefix, err = offParam(v.Get("prefix"), "prefix"); err != nil {
		return req, err
	}
	if req.NoTypo, err = offParam(v.Get("typo"), "typo"); err != nil {
		return req, err
	}
	if req.Exact, err = onParam(v.Get("exact"), "exact"); err != nil {
		return req, err
	}
	if req.NoCollapse, err = offParam(v.Get("collapse"), "collapse"); err != nil {
		return req, err
	}
	if req.Page, err = intParam(v.Get("page"), "page"); err != nil {
		return req, err
	}
	if req.Size, err = intParam(v.Get("size"), "size"); err != nil {
		return req, err
	}
	if req.RecencyDays, err = intParam(v.Get("recency"), "recency"); err != nil {
		return req, err
	}
	for param, dst := range map[string]*[]string{
		"source": &req.Filters.Sources, "person": &req.Filters.People,
		"place": &req.Filters.Places, "org": &req.Filters.Orgs,
		"section": &req.Filters.Sections,
	} {
		for _, s := range v[param] {
			if s = strings.TrimSpace(s); s != "" {
				*dst = append(*dst, s)
			}
		}
	}
	for _, m := range v["month"] {
		if _, err := time.Parse("2006-01", m); err != nil {
			return req, search.Invalid("month must be a month such as 2021-12, got %q", m)
		}
		req.Filters.Months = append(req.Filters.Months, m)
	}
	for _, y := range v["year"] {
		n, err := strconv.Atoi(strings.TrimSpace(y))
		if err != nil || n < 1 || n > 9999 {
			return req, search.Invalid("year must be a year such as 2021, got %q", y)
		}
		req.Filters.Years = append(req.Filters.Years, n)
	}
	if req.Filters.DateFrom, err = dateParam(v.Get("date_from"), "date_from"); err != nil {
		return req, err
	}
	if req.Filters.DateTo, err = dateParam(v.Get("date_to"), "date_to"); err != nil {
		return req, err
	}
	return req, req.Validate()
}

// offParam reads a parameter that is on by default: true when s turns it
// off ("false" or "0").
func offParam(s, name string) (bool, error) {
	switch s {
	case "", "true", "1":
		return false, nil
	case "false", "0":
		return true, nil
	}
	return false, search.Invalid("%s must be true or false, got %q", name, s)
}

// onParam reads a parameter that is off by default: true when s turns it
// on ("true" or "1").
func onParam(s, name string) (bool, error) {
	if s == "" {
		return false, nil
	}
	off, err := offParam(s, name)
	return !off, err
}

func intParam(s, name string) (int, error) {
	if s == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		return 0, search.Invalid("%s must be a whole number, got %q", name, s)
	}
	if n == 0 {
		return 0, search.Invalid("%s must be at least 1", name)
	}
	return n, nil
}

func dateParam(s, name string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return time.Time{}, search.Invalid("%s must be a date as YYYY-MM-DD, got %q", name, s)
	}
	// 0001-01-01 parses to the zero time, which a Request takes as
	// "unbounded": check the range here, where the two still differ.
	return t, search.CheckDate(name, t)
}

func (s *server) suggest(w http.ResponseWriter, r *http.Request) error {
	if s.cfg.Suggester == nil {
		return statusError{http.StatusNotFound, "this server makes no suggestions"}
	}
	req, err := parseSuggest(r)
	if err != nil {
		return err
	}
	res, err := s.cfg.Suggester.Suggest(r.Context(), req)
	if err != nil {
		return err
	}
	if res.Suggestions == nil {
		res.Suggestions = []search.Suggestion{}
	}
	writeJSON(w, http.StatusOK, res)
	return nil
}

// parseSuggest reads a search.SuggestRequest from query parameters: q, the
// text typed so far, and size.
func parseSuggest(r *http.Request) (search.SuggestRequest, error) {
	v := r.URL.Query()
	req := search.SuggestRequest{Query: v.Get("q")}
	var err error
	if req.Size, err = intParam(v.Get("size"), "size"); err != nil {
		return req, err
	}
	return req, req.Validate()
}

func (s *server) article(w http.ResponseWriter, r *http.Request) error {
	id := chi.URLParam(r, "*")
	if id == "" {
		return statusError{http.StatusNotFound, "no article ID given"}
	}
	q := r.URL.Query().Get("q")
	if err := (&search.Request{Query: q}).Validate(); err != nil {
		return err
	}
	a, err := s.cfg.Searcher.Article(r.Context(), id)
	if err != nil {
		return err
	}
	if q == "" || s.cfg.Explorer == nil {
		writeJSON(w, http.StatusOK, a)
		return nil
	}
	m, err := s.cfg.Explorer.Mark(r.Context(), a, q)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, markedArticle{Article: a, Marked: m})
	return nil
}
