package loadgen

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// testServer answers 200 on /ok and 500 on /fail, and counts requests and
// new connections.
type testServer struct {
	*httptest.Server
	requests atomic.Int64
	conns    atomic.Int64
}

func newTestServer(t *testing.T) *testServer {
	t.Helper()
	ts := &testServer{}
	ts.Server = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ts.requests.Add(1)
		if r.URL.Path == "/fail" {
			http.Error(w, `{"error":"broken on purpose"}`, http.StatusInternalServerError)
			return
		}
		w.Write([]byte(`{"q":"` + r.URL.Query().Get("q") + `"}`))
	}))
	ts.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			ts.conns.Add(1)
		}
	}
	ts.Start()
	t.Cleanup(ts.Close)
	return ts
}

func checkOrdered(t *testing.T, name string, s Summary) {
	t.Helper()
	if s.Count == 0 {
		t.Errorf("%s: no latencies", name)
		return
	}
	if !(0 < s.P50 && s.P50 <= s.P95 && s.P95 <= s.P99 && s.P99 <= s.Max) {
		t.Errorf("%s: percentiles not ordered: p50 %v p95 %v p99 %v max %v", name, s.P50, s.P95, s.P99, s.Max)
	}
}

func TestRunCountsRequestsAndFailures(t *testing.T) {
	ts := newTestServer(t)
	paths := []string{"/ok?q=a", "/ok?q=b", "/fail"}
	const requests, conc = 300, 8
	st, err := Run(context.Background(), Config{
		BaseURL:     ts.URL,
		Paths:       paths,
		Concurrency: conc,
		Requests:    requests,
		WarmUp:      2,
	})
	if err != nil {
		t.Fatal(err)
	}
	if st.Requests != requests {
		t.Errorf("Requests = %d, want %d", st.Requests, requests)
	}
	// Paths are taken in turn: every third request is /fail.
	if st.Failures != requests/3 {
		t.Errorf("Failures = %d, want %d", st.Failures, requests/3)
	}
	if st.WarmUpRequests != 2*len(paths) || st.WarmUpFailures != 2 {
		t.Errorf("warm-up: %d requests, %d failures; want %d, 2", st.WarmUpRequests, st.WarmUpFailures, 2*len(paths))
	}
	if got, want := ts.requests.Load(), int64(requests+2*len(paths)); got != want {
		t.Errorf("server saw %d requests, want %d", got, want)
	}
	if len(st.Statuses) != 1 || st.Statuses[http.StatusInternalServerError] != requests/3 {
		t.Errorf("Statuses = %v, want %d × 500", st.Statuses, requests/3)
	}
	if !strings.Contains(st.FirstFailure, "/fail") || !strings.Contains(st.FirstFailure, "broken on purpose") {
		t.Errorf("FirstFailure = %q, want the path and the body's message", st.FirstFailure)
	}
	if st.Latency.Count != requests-requests/3 {
		t.Errorf("Latency.Count = %d, want only the %d successes", st.Latency.Count, requests-requests/3)
	}
	checkOrdered(t, "all", st.Latency)
	if st.Concurrency != conc || st.Elapsed <= 0 || st.Throughput <= 0 || st.Bytes <= 0 {
		t.Errorf("Concurrency %d, Elapsed %v, Throughput %v, Bytes %d: want %d and positive figures",
			st.Concurrency, st.Elapsed, st.Throughput, st.Bytes, conc)
	}

	if len(st.ByPath) != len(paths) {
		t.Fatalf("ByPath has %d entries, want %d", len(st.ByPath), len(paths))
	}
	for i, ps := range st.ByPath {
		if ps.Path != paths[i] || ps.Requests != requests/len(paths) {
			t.Errorf("ByPath[%d] = %s with %d requests, want %s with %d", i, ps.Path, ps.Requests, paths[i], requests/len(paths))
		}
		wantFail := 0
		if ps.Path == "/fail" {
			wantFail = ps.Requests
		} else {
			checkOrdered(t, ps.Path, ps.Latency)
		}
		if ps.Failures != wantFail {
			t.Errorf("%s: %d failures, want %d", ps.Path, ps.Failures, wantFail)
		}
	}

	// Keep-alive: connections are reused, not dialled per request. (The
	// transport may dial a spare while a connection is being returned to
	// the pool, so the bound is loose.)
	if c := ts.conns.Load(); c > 4*conc {
		t.Errorf("%d connections for %d requests from %d clients: keep-alive not working", c, requests, conc)
	}
}

func TestRunForDuration(t *testing.T) {
	ts := newTestServer(t)
	st, err := Run(context.Background(), Config{
		BaseURL:     ts.URL,
		Paths:       []string{"/ok?q=x"},
		Concurrency: 4,
		Duration:    50 * time.Millisecond,
	})
	if err != nil {
		t.Fatal(err)
	}
	if st.Requests == 0 || st.Failures != 0 {
		t.Errorf("Requests %d, Failures %d: want some requests and no failures", st.Requests, st.Failures)
	}
	if got := ts.requests.Load(); got != int64(st.Requests) {
		t.Errorf("server saw %d requests, Stats counts %d", got, st.Requests)
	}
	checkOrdered(t, "duration run", st.Latency)
}

func TestRunUnreachableServerCountsFailures(t *testing.T) {
	ts := httptest.NewServer(http.NotFoundHandler())
	url := ts.URL
	ts.Close()
	st, err := Run(context.Background(), Config{BaseURL: url, Paths: []string{"/a", "/b"}, Concurrency: 2, Requests: 6})
	if err != nil {
		t.Fatal(err)
	}
	if st.Requests != 6 || st.Failures != 6 || st.Latency.Count != 0 || st.FirstFailure == "" || len(st.Statuses) != 0 {
		t.Errorf("Requests %d, Failures %d, Latency.Count %d, FirstFailure %q: want 6, 6, 0 and a message",
			st.Requests, st.Failures, st.Latency.Count, st.FirstFailure)
	}
}

func TestRunCanceled(t *testing.T) {
	ts := newTestServer(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := Run(ctx, Config{BaseURL: ts.URL, Paths: []string{"/ok"}, Duration: time.Hour})
	if err == nil {
		t.Fatal("Run with a canceled context returned no error")
	}
}

func TestRunInvalidConfig(t *testing.T) {
	for name, cfg := range map[string]Config{
		"no base URL": {Paths: []string{"/"}, Requests: 1},
		"no paths":    {BaseURL: "http://127.0.0.1:1", Requests: 1},
		"no limit":    {BaseURL: "http://127.0.0.1:1", Paths: []string{"/"}},
	} {
		if _, err := Run(context.Background(), cfg); err == nil {
			t.Errorf("%s: Run returned no error", name)
		}
	}
}

func TestSummarize(t *testing.T) {
	ms := func(n int) time.Duration { return time.Duration(n) * time.Millisecond }
	var hundred []time.Duration
	for i := 100; i >= 1; i-- { // unsorted on purpose
		hundred = append(hundred, ms(i))
	}
	for _, tc := range []struct {
		name string
		in   []time.Duration
		want Summary
	}{
		{"empty", nil, Summary{}},
		{"one", []time.Duration{ms(7)}, Summary{Count: 1, Mean: ms(7), P50: ms(7), P95: ms(7), P99: ms(7), Max: ms(7)}},
		{"1..100 ms", hundred, Summary{Count: 100, Mean: ms(50) + ms(1)/2, P50: ms(50), P95: ms(95), P99: ms(99), Max: ms(100)}},
		{"outlier", []time.Duration{ms(1), ms(1), ms(1), ms(100)}, Summary{Count: 4, Mean: ms(103) / 4, P50: ms(1), P95: ms(100), P99: ms(100), Max: ms(100)}},
	} {
		if got := Summarize(tc.in); got != tc.want {
			t.Errorf("%s: Summarize = %+v, want %+v", tc.name, got, tc.want)
		}
	}
}

func TestMeasureCallsInTurn(t *testing.T) {
	names := []string{"economy", "broken", "said"}
	var calls [3]atomic.Int64
	fn := func(_ context.Context, i int) (int64, error) {
		calls[i].Add(1)
		if names[i] == "broken" {
			return 0, errors.New("no such index")
		}
		return 100, nil
	}
	const requests = 90
	st, err := Measure(context.Background(), FuncConfig{Names: names, Concurrency: 3, Requests: requests, WarmUp: 1}, fn)
	if err != nil {
		t.Fatal(err)
	}
	if st.Requests != requests || st.Failures != requests/3 || st.Bytes != 100*(requests-requests/3) {
		t.Errorf("Requests %d, Failures %d, Bytes %d; want %d, %d, %d", st.Requests, st.Failures, st.Bytes, requests, requests/3, 100*(requests-requests/3))
	}
	if st.WarmUpRequests != len(names) || st.WarmUpFailures != 1 || st.FirstFailure != "no such index" {
		t.Errorf("warm-up %d requests, %d failures, first %q", st.WarmUpRequests, st.WarmUpFailures, st.FirstFailure)
	}
	for i, ps := range st.ByPath {
		if ps.Path != names[i] || ps.Requests != requests/3 || calls[i].Load() != int64(requests/3+1) {
			t.Errorf("ByPath[%d] = %s, %d requests, %d calls; want %s, %d, %d", i, ps.Path, ps.Requests, calls[i].Load(), names[i], requests/3, requests/3+1)
		}
	}
	checkOrdered(t, "economy", st.ByPath[0].Latency)
	if _, err := Measure(context.Background(), FuncConfig{Requests: 1}, fn); err == nil {
		t.Error("Measure with no names succeeded")
	}
}

// stallServer answers /slow only when release is closed (or the request is
// given up) and everything else at once; it counts the other requests.
type stallServer struct {
	*httptest.Server
	release chan struct{}
	others  atomic.Int64
	onOther func(n int64) // called with the count after each other request arrives
}

func newStallServer(t *testing.T) *stallServer {
	t.Helper()
	s := &stallServer{release: make(chan struct{})}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/slow" {
			select {
			case <-s.release:
			case <-r.Context().Done():
			}
		} else if n := s.others.Add(1); s.onOther != nil {
			s.onOther(n)
		}
		w.Write([]byte("{}"))
	}))
	t.Cleanup(s.Close)
	return s
}

// stallPaths are /slow then n-1 quick paths: request k of a run takes
// path k, so ByPath[k] holds exactly request k's latency.
func stallPaths(n int) []string {
	paths := []string{"/slow"}
	for i := 1; i < n; i++ {
		paths = append(paths, fmt.Sprintf("/ok?q=%d", i))
	}
	return paths
}

// Open loop avoids coordinated omission: with one request allowed in
// flight, the first request stalls until the last one has fallen due, so
// every later one waits behind it. Timed from its actual send (after the
// stall) a queued request would look instant; timed from when it was due,
// request k took at least (n-1-k) intervals, since the stall lasted until
// request n-1 was due.
func TestOpenLoopTimesFromWhenDue(t *testing.T) {
	s := newStallServer(t)
	const n, rate = 10, 1000.0
	interval := time.Duration(float64(time.Second) / rate)
	paths := stallPaths(n)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	st, err := Run(ctx, Config{
		BaseURL: s.URL, Paths: paths, Rate: rate, Requests: n, Concurrency: 1, InOrder: true,
		due: func(k int) {
			if k == n-1 {
				close(s.release)
			}
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	if st.Requests != n || st.Failures != 0 || st.Rate != rate || st.Concurrency != 1 {
		t.Fatalf("Requests %d, Failures %d, Rate %v, Concurrency %d; want %d, 0, %v, 1", st.Requests, st.Failures, st.Rate, st.Concurrency, n, rate)
	}
	for k := 1; k < n; k++ {
		if got, floor := st.ByPath[k].Latency.Max, time.Duration(n-1-k)*interval; got <= floor {
			t.Errorf("request %d (%s): latency %v, want above %v: the time it waited behind the stall is missing", k, paths[k], got, floor)
		}
	}
	if st.Latency.Max < time.Duration(n-1)*interval {
		t.Errorf("max latency %v, want at least the stall, %v", st.Latency.Max, time.Duration(n-1)*interval)
	}
}

// Open loop keeps sending while an answer is outstanding: the stalled
// request is let go only once the server has seen every other request,
// which a closed-loop run with one client would never send.
func TestOpenLoopSendsThroughAStall(t *testing.T) {
	s := newStallServer(t)
	const n, rate = 10, 1000.0
	s.onOther = func(got int64) {
		if got == n-1 {
			close(s.release)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	st, err := Run(ctx, Config{BaseURL: s.URL, Paths: stallPaths(n), Rate: rate, Requests: n, Concurrency: n, InOrder: true})
	if err != nil {
		t.Fatalf("the run did not end (%v): requests stopped while one was stalled", err)
	}
	if st.Requests != n || st.Failures != 0 || s.others.Load() != n-1 {
		t.Errorf("Requests %d, Failures %d, server saw %d others; want %d, 0, %d", st.Requests, st.Failures, s.others.Load(), n, n-1)
	}
	if floor := time.Duration(n-1) * time.Duration(float64(time.Second)/rate); st.ByPath[0].Latency.Max < floor {
		t.Errorf("stalled request: %v, want at least %v (it outlasted %d intervals)", st.ByPath[0].Latency.Max, floor, n-1)
	}
}

// An open-loop run stops at its duration when no count is set, and a
// nonsensical rate is refused.
func TestOpenLoopBounds(t *testing.T) {
	ts := newTestServer(t)
	st, err := Run(context.Background(), Config{BaseURL: ts.URL, Paths: []string{"/ok"}, Rate: 2000, Duration: 20 * time.Millisecond, Concurrency: 4})
	if err != nil {
		t.Fatal(err)
	}
	// Requests fall due at 0, 0.5 ms, …, under 20 ms: at most 40.
	if st.Requests == 0 || st.Requests > 40 || int64(st.Requests) != ts.requests.Load() {
		t.Errorf("Requests %d (server saw %d), want 1 to 40", st.Requests, ts.requests.Load())
	}
	if st.Throughput <= 0 || st.Throughput > 2000 {
		t.Errorf("Throughput %.0f/s, want up to the 2000/s asked for", st.Throughput)
	}
	for _, rate := range []float64{-1, math.Inf(1), math.NaN()} {
		if _, err := Run(context.Background(), Config{BaseURL: ts.URL, Paths: []string{"/ok"}, Rate: rate, Requests: 1}); err == nil {
			t.Errorf("rate %v accepted", rate)
		}
	}
}

// TestRoundsShuffleThePaths checks the order calls take: each round of
// len(Names) calls takes every name once, the rounds in orders of their
// own (not list order, which would always put the same neighbours in
// flight together), the same in every run; InOrder keeps list order.
func TestRoundsShuffleThePaths(t *testing.T) {
	names := make([]string, 12)
	for i := range names {
		names[i] = fmt.Sprint("q", i)
	}
	const rounds = 20
	calls := func(inOrder bool) []int {
		var got []int
		fn := func(_ context.Context, i int) (int64, error) { got = append(got, i); return 0, nil }
		cfg := FuncConfig{Names: names, Concurrency: 1, Requests: rounds * len(names), InOrder: inOrder}
		if _, err := Measure(context.Background(), cfg, fn); err != nil {
			t.Fatal(err)
		}
		return got
	}
	got := calls(false)
	if len(got) != rounds*len(names) {
		t.Fatalf("%d calls, want %d", len(got), rounds*len(names))
	}
	listOrder := make([]int, len(names))
	for i := range listOrder {
		listOrder[i] = i
	}
	orders := map[string]bool{}
	for r := range rounds {
		round := got[r*len(names) : (r+1)*len(names)]
		if sorted := slices.Sorted(slices.Values(round)); !slices.Equal(sorted, listOrder) {
			t.Errorf("round %d takes %v, not every name once", r, round)
		}
		if slices.Equal(round, listOrder) {
			t.Errorf("round %d is in list order", r)
		}
		orders[fmt.Sprint(round)] = true
	}
	if len(orders) < rounds {
		t.Errorf("%d orders over %d rounds, want one of its own each", len(orders), rounds)
	}
	if again := calls(false); !slices.Equal(again, got) {
		t.Error("a second run took the names in other orders")
	}
	for k, i := range calls(true) {
		if i != k%len(names) {
			t.Fatalf("in order, call %d took name %d", k, i)
		}
	}
}
