package server

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/newsfind/newsfind/internal/search"
	"github.com/newsfind/newsfind/internal/search/searchtest"
	"github.com/newsfind/newsfind/web"
	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

// scrape reads ts's /metrics with Prometheus' own text parser.
func scrape(t *testing.T, ts *httptest.Server) map[string]*dto.MetricFamily {
	t.Helper()
	resp, err := ts.Client().Get(ts.URL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(resp.Body)
		t.Fatalf("/metrics = %d %s", resp.StatusCode, b)
	}
	parser := expfmt.NewTextParser(model.UTF8Validation)
	families, err := parser.TextToMetricFamilies(resp.Body)
	if err != nil {
		t.Fatalf("/metrics does not parse: %v", err)
	}
	return families
}

// value is the value of the metric name with the given labels (a
// histogram's count), and whether there is one.
func value(fams map[string]*dto.MetricFamily, name string, labels ...string) (float64, bool) {
	fam := fams[name]
	if fam == nil {
		return 0, false
	}
next:
	for _, m := range fam.GetMetric() {
		have := map[string]string{}
		for _, l := range m.GetLabel() {
			have[l.GetName()] = l.GetValue()
		}
		for i := 0; i+1 < len(labels); i += 2 {
			if have[labels[i]] != labels[i+1] {
				continue next
			}
		}
		switch {
		case m.Counter != nil:
			return m.Counter.GetValue(), true
		case m.Gauge != nil:
			return m.Gauge.GetValue(), true
		case m.Histogram != nil:
			return float64(m.Histogram.GetSampleCount()), true
		}
	}
	return 0, false
}

// /metrics parses as Prometheus text, and its values move with traffic: a
// search counts a request of its route and a cache miss, the same search
// again a hit; an ingest moves the article count, the totals of updates
// and the served generation.
func TestMetricsMoveWithTraffic(t *testing.T) {
	f := newAdminFixture(t, Config{AdminToken: testToken})
	before := scrape(t, f.ts)
	gen0 := generationOf(t, before)
	if n, _ := value(before, "newsfind_index_articles"); n != 5 {
		t.Errorf("newsfind_index_articles = %v, want the 5 seeds", n)
	}
	for _, name := range []string{"newsfind_result_cache_hits_total", "newsfind_result_cache_misses_total",
		"newsfind_index_updates_total", "newsfind_index_articles_indexed_total"} {
		if v, ok := value(before, name); !ok || v != 0 {
			t.Errorf("%s = %v (present %v) before any traffic, want 0", name, v, ok)
		}
	}

	for range 2 {
		if code := get(t, f.ts, "/api/search?q=Norov", nil).StatusCode; code != http.StatusOK {
			t.Fatalf("search = %d", code)
		}
	}
	get(t, f.ts, "/api/search?q=Norov&size=500", nil)
	get(t, f.ts, "/api/articles/004_f693d5a72e5eb8f0.txt", nil)
	get(t, f.ts, "/api/no-such-endpoint", nil)
	get(t, f.ts, "/", nil)
	after := scrape(t, f.ts)
	for _, c := range []struct {
		name   string
		labels []string
		want   float64
	}{
		{"newsfind_http_requests_total", []string{"route", "/api/search", "method", "GET", "status", "200"}, 2},
		{"newsfind_http_requests_total", []string{"route", "/api/search", "method", "GET", "status", "400"}, 1},
		// The route pattern, never the URL: an article ID is no label.
		{"newsfind_http_requests_total", []string{"route", "/api/articles/*", "method", "GET", "status", "200"}, 1},
		{"newsfind_http_requests_total", []string{"route", routeUnknown, "status", "404"}, 1},
		{"newsfind_http_requests_total", []string{"route", routeFiles, "status", "200"}, 1},
		{"newsfind_http_request_duration_seconds", []string{"route", "/api/search"}, 3},
		{"newsfind_result_cache_misses_total", nil, 1},
		{"newsfind_result_cache_hits_total", nil, 1},
		{"newsfind_searches_in_flight", nil, 0},
	} {
		if got, _ := value(after, c.name, c.labels...); got != c.want {
			t.Errorf("after the searches, %s%v = %v, want %v", c.name, c.labels, got, c.want)
		}
	}
	for _, m := range after["newsfind_http_requests_total"].GetMetric() {
		for _, l := range m.GetLabel() {
			if l.GetName() == "route" && strings.Contains(l.GetValue(), "004_") {
				t.Errorf("a request is counted under its URL: %v", m)
			}
		}
	}
	if b, _ := value(after, "newsfind_result_cache_bytes"); b <= 0 {
		t.Errorf("newsfind_result_cache_bytes = %v with two results cached", b)
	}

	code, _ := do(t, f.ts, "POST", "/api/articles?filename=metrics-okapi.txt", testToken, "text/plain",
		"Okapi calf born\n\nAn okapi calf was born at the zoo.\n")
	if code != http.StatusCreated {
		t.Fatalf("ingest = %d", code)
	}
	updated := scrape(t, f.ts)
	for _, c := range []struct {
		name string
		want float64
	}{
		{"newsfind_index_articles", 6},
		{"newsfind_index_updates_total", 1},
		{"newsfind_index_generations_published_total", 1},
		{"newsfind_index_articles_indexed_total", 1},
		{"newsfind_index_files_skipped_total", 0},
		{"newsfind_index_rebuilds_total", 0},
		{"newsfind_index_rebuild_running", 0},
		// Over generations: the new one's cache starts again, the totals do not.
		{"newsfind_result_cache_hits_total", 1},
		{"newsfind_result_cache_misses_total", 1},
	} {
		if got, _ := value(updated, c.name); got != c.want {
			t.Errorf("after an ingest, %s = %v, want %v", c.name, got, c.want)
		}
	}
	if gen1 := generationOf(t, updated); gen1 == gen0 {
		t.Errorf("the served generation is still %s after an ingest", gen0)
	}
	if ts, ok := value(updated, "newsfind_index_last_update_timestamp_seconds"); !ok || ts < 1.7e9 {
		t.Errorf("newsfind_index_last_update_timestamp_seconds = %v, %v", ts, ok)
	}
	if _, ok := value(updated, "newsfind_index_last_update_duration_seconds"); !ok {
		t.Error("no newsfind_index_last_update_duration_seconds after an update")
	}
}

// generationOf is the generation label of newsfind_index_generation_info,
// which has exactly one series.
func generationOf(t *testing.T, fams map[string]*dto.MetricFamily) string {
	t.Helper()
	ms := fams["newsfind_index_generation_info"].GetMetric()
	if len(ms) != 1 || len(ms[0].GetLabel()) != 1 || !strings.HasPrefix(ms[0].GetLabel()[0].GetValue(), "gen-") {
		t.Fatalf("newsfind_index_generation_info = %v, want one series with a gen-… label", ms)
	}
	return ms[0].GetLabel()[0].GetValue()
}

// A search being answered is in flight until it is.
func TestMetricsCountSearchesInFlight(t *testing.T) {
	started, release := make(chan struct{}), make(chan struct{})
	s := &searchtest.Searcher{SearchFn: func(ctx context.Context, req search.Request) (search.Result, error) {
		close(started)
		<-release
		return search.Result{Hits: []search.Hit{}, Facets: map[string][]search.Facet{}}, nil
	}}
	ts := httptest.NewServer(New(Config{Searcher: s, Assets: web.Assets}))
	t.Cleanup(ts.Close)
	done := make(chan int)
	go func() {
		resp, err := ts.Client().Get(ts.URL + "/api/search?q=slow")
		if err != nil {
			done <- 0
			return
		}
		resp.Body.Close()
		done <- resp.StatusCode
	}()
	<-started
	if n, _ := value(scrape(t, ts), "newsfind_searches_in_flight"); n != 1 {
		t.Errorf("newsfind_searches_in_flight = %v during a search, want 1", n)
	}
	close(release)
	if code := <-done; code != http.StatusOK {
		t.Fatalf("search = %d", code)
	}
	if n, _ := value(scrape(t, ts), "newsfind_searches_in_flight"); n != 0 {
		t.Errorf("newsfind_searches_in_flight = %v after the search, want 0", n)
	}
}

// The admin status's hit ratio is 0, not 1, before any search.
func TestStatusHitRatioWithoutLookups(t *testing.T) {
	ts, _ := newAdminServer(t, testToken)
	code, body := do(t, ts, "GET", "/api/admin/status", testToken, "", "")
	rc, _ := body["result_cache"].(map[string]any)
	if code != http.StatusOK || rc == nil || rc["hits"] != float64(0) || rc["misses"] != float64(0) || rc["hit_ratio"] != float64(0) {
		t.Errorf("status before any search = %d %v; want a result cache with no look-ups and hit_ratio 0", code, body)
	}
}

// The cores lent to searches (see Config.Load) are a counter.
func TestMetricsCountCoresLent(t *testing.T) {
	s := &searchtest.Searcher{SearchFn: func(ctx context.Context, req search.Request) (search.Result, error) {
		return search.Result{Hits: []search.Hit{}, Facets: map[string][]search.Facet{}}, nil
	}}
	ts := httptest.NewServer(New(Config{Searcher: s, Assets: web.Assets, Load: &countingLoad{lent: 7}}))
	t.Cleanup(ts.Close)
	if n, ok := value(scrape(t, ts), "newsfind_search_cores_lent_total"); !ok || n != 7 {
		t.Errorf("newsfind_search_cores_lent_total = %v (%v), want 7", n, ok)
	}
}
