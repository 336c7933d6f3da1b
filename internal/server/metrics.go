package server

import (
	"net/http"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"
	"github.com/newsfind/newsfind/internal/search"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// metrics are searchd's Prometheus metrics, on a registry of their own
// (each Server has one, so servers in one process, as in tests, do not
// collide). Requests are counted by the middleware; everything the index
// and the corpus already know is read from them when /metrics is scraped
// (statsCollector), not counted a second time.
type metrics struct {
	reg      *prometheus.Registry
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
	inFlight prometheus.Gauge
}

// Route labels of requests no route pattern matched: the page's files
// (served by the router's NotFound) and unknown API paths. Never the URL
// itself, so that the number of series stays bounded whatever is asked.
const (
	routeFiles   = "files"
	routeUnknown = "unmatched"
)

// newMetrics registers searchd's metrics for s on a new registry.
func newMetrics(s *server) *metrics {
	m := &metrics{
		reg: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "newsfind_http_requests_total",
			Help: "HTTP requests answered, by route pattern, method and status.",
		}, []string{"route", "method", "status"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "newsfind_http_request_duration_seconds",
			Help: "Time to answer an HTTP request, by route pattern.",
			// From a cached answer (~0.1 ms) to the request timeout (10 s).
			Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
		}, []string{"route"}),
		inFlight: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "newsfind_searches_in_flight",
			Help: "Searches (/api/search) being answered now.",
		}),
	}
	m.reg.MustRegister(m.requests, m.latency, m.inFlight,
		statsCollector{s: s},
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// handler serves the registry in Prometheus' text format (or OpenMetrics,
// when the scraper asks for it).
func (m *metrics) handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg})
}

// instrument counts each request and times it by the route pattern that
// matched it. It must run inside the router (Use), where chi's route
// context holds the pattern once the request has been routed.
func (m *metrics) instrument(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		ww := middleware.NewWrapResponseWriter(w, r.ProtoMajor)
		defer func() {
			// A panic is answered by recoverPanics inside this wrapper;
			// http.ErrAbortHandler passes through uncounted.
			route := routeOf(r)
			status := ww.Status()
			if status == 0 {
				status = http.StatusOK // nothing written: net/http sends 200
			}
			m.requests.WithLabelValues(route, methodOf(r), strconv.Itoa(status)).Inc()
			m.latency.WithLabelValues(route).Observe(time.Since(start).Seconds())
		}()
		next.ServeHTTP(ww, r)
	})
}

// countSearches keeps newsfind_searches_in_flight for the route it wraps.
func (m *metrics) countSearches(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		m.inFlight.Inc()
		defer m.inFlight.Dec()
		next.ServeHTTP(w, r)
	})
}

// routeOf is the route pattern that answered r ("/api/articles/*"), or one
// of two fixed labels when none did: routeUnknown under /api/, routeFiles
// elsewhere.
func routeOf(r *http.Request) string {
	if rc := chi.RouteContext(r.Context()); rc != nil {
		// "/api/*" alone is the API's mount: no route under it matched
		// (404), or none for the method (405).
		if p := rc.RoutePattern(); p != "" && p != "/*" && p != "/api/*" {
			return p
		}
	}
	if strings.HasPrefix(r.URL.Path, "/api/") {
		return routeUnknown
	}
	return routeFiles
}

// methodOf is r's method when it is a standard one, else "other": a client
// may send any token as a method, and each would be a series.
func methodOf(r *http.Request) string {
	switch r.Method {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch,
		http.MethodDelete, http.MethodOptions, http.MethodConnect, http.MethodTrace:
		return r.Method
	}
	return "other"
}

// statsCollector reads, at scrape time, what the searcher and the store
// already count: the served generation, its size and result cache, and
// what updates have done. A searcher or store that does not report
// something leaves its metrics out.
type statsCollector struct{ s *server }

var (
	descGeneration = prometheus.NewDesc("newsfind_index_generation_info",
		"The index generation being served (its name in the generation label); always 1.", []string{"generation"}, nil)
	descArticles = prometheus.NewDesc("newsfind_index_articles",
		"Articles in the served generation.", nil, nil)
	descCacheHits = prometheus.NewDesc("newsfind_result_cache_hits_total",
		"Searches answered from the result cache, over every generation served.", nil, nil)
	descCacheMisses = prometheus.NewDesc("newsfind_result_cache_misses_total",
		"Searches the result cache could not answer, over every generation served.", nil, nil)
	descCacheBytes = prometheus.NewDesc("newsfind_result_cache_bytes",
		"Estimated size of the results the served generation's cache holds.", nil, nil)
	descCacheMaxBytes = prometheus.NewDesc("newsfind_result_cache_max_bytes",
		"The bound on newsfind_result_cache_bytes (-cache-mb).", nil, nil)
	descCacheResults = prometheus.NewDesc("newsfind_result_cache_results",
		"Results the served generation's cache holds.", nil, nil)
	descLastUpdate = prometheus.NewDesc("newsfind_index_last_update_timestamp_seconds",
		"When the last update of the index from the articles folder finished (Unix time).", nil, nil)
	descLastDuration = prometheus.NewDesc("newsfind_index_last_update_duration_seconds",
		"How long the last update of the index took.", nil, nil)
	descUpdates = prometheus.NewDesc("newsfind_index_updates_total",
		"Updates of the index from the articles folder, finished with or without error.", nil, nil)
	descUpdateErrors = prometheus.NewDesc("newsfind_index_update_errors_total",
		"Updates of the index that failed.", nil, nil)
	descPublished = prometheus.NewDesc("newsfind_index_generations_published_total",
		"Index generations published by updates.", nil, nil)
	descIndexed = prometheus.NewDesc("newsfind_index_articles_indexed_total",
		"Articles written to the index by updates.", nil, nil)
	descSkipped = prometheus.NewDesc("newsfind_index_files_skipped_total",
		"Article files updates skipped as unreadable or unparsable.", nil, nil)
	descDeleted = prometheus.NewDesc("newsfind_index_files_deleted_total",
		"Article files whose articles updates removed from the index.", nil, nil)
	descWatchEvents = prometheus.NewDesc("newsfind_watch_events_total",
		"File events the watch of the articles folder received (-watch).", nil, nil)
	descRebuilds = prometheus.NewDesc("newsfind_index_rebuilds_total",
		"Full rebuilds of the index finished.", nil, nil)
	descRebuilding = prometheus.NewDesc("newsfind_index_rebuild_running",
		"1 while a full rebuild runs, else 0.", nil, nil)
	descCoresLent = prometheus.NewDesc("newsfind_search_cores_lent_total",
		"Searches that ranked half their matches on a core no other search used (-split).", nil, nil)
)

// Describe sends every descriptor the collector may use.
func (statsCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{descGeneration, descArticles, descCacheHits, descCacheMisses,
		descCacheBytes, descCacheMaxBytes, descCacheResults, descLastUpdate, descLastDuration, descUpdates,
		descUpdateErrors, descPublished, descIndexed, descSkipped, descDeleted, descWatchEvents,
		descRebuilds, descRebuilding, descCoresLent} {
		ch <- d
	}
}

// Collect reads the searcher's and the store's statistics.
func (c statsCollector) Collect(ch chan<- prometheus.Metric) {
	gauge := func(d *prometheus.Desc, v float64, labels ...string) {
		ch <- prometheus.MustNewConstMetric(d, prometheus.GaugeValue, v, labels...)
	}
	counter := func(d *prometheus.Desc, v uint64) {
		ch <- prometheus.MustNewConstMetric(d, prometheus.CounterValue, float64(v))
	}
	s := c.s.cfg
	if g, ok := s.Searcher.(interface{ Generation() string }); ok {
		if name := g.Generation(); name != "" {
			gauge(descGeneration, 1, filepath.Base(name))
		}
	}
	if n, ok := s.Searcher.(Counter); ok {
		if v, err := n.Count(); err == nil {
			gauge(descArticles, float64(v))
		}
	}
	if cs, ok := s.Searcher.(interface {
		CacheStats() (search.CacheStats, bool)
	}); ok {
		if st, ok := cs.CacheStats(); ok {
			counter(descCacheHits, st.TotalHits)
			counter(descCacheMisses, st.TotalMisses)
			gauge(descCacheBytes, float64(st.Bytes))
			gauge(descCacheMaxBytes, float64(st.MaxBytes))
			gauge(descCacheResults, float64(st.Results))
		}
	}
	if l, ok := s.Load.(interface{ Lent() uint64 }); ok {
		counter(descCoresLent, l.Lent())
	}
	if s.Store == nil {
		return
	}
	st := s.Store.Status()
	if !st.LastUpdate.IsZero() {
		gauge(descLastUpdate, float64(st.LastUpdate.UnixNano())/1e9)
	}
	if st.LastStats != nil {
		gauge(descLastDuration, st.LastStats.Elapsed.Seconds())
	}
	t := st.Totals
	counter(descUpdates, t.Updates)
	counter(descUpdateErrors, t.Failed)
	counter(descPublished, t.Published)
	counter(descIndexed, t.Indexed)
	counter(descSkipped, t.Skipped)
	counter(descDeleted, t.Deleted)
	counter(descWatchEvents, t.WatchEvents)
	counter(descRebuilds, t.Rebuilds)
	running := 0.0
	if st.Rebuild != nil {
		running = 1
	}
	gauge(descRebuilding, running)
}
