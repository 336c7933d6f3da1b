package eval

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

// fake is a System answering from a fixed table of rankings by query text.
type fake struct {
	name     string
	rankings map[string][]string
	fail     map[string]bool
	indexErr error
	indexed  int
	closed   bool
	asked    []int // k of each search
}

func (f *fake) Name() string { return f.name }
func (f *fake) Index(_ context.Context, docs []Doc) error {
	f.indexed = len(docs)
	return f.indexErr
}
func (f *fake) Search(_ context.Context, q string, k int) ([]string, error) {
	f.asked = append(f.asked, k)
	if f.fail[q] {
		return nil, errors.New("boom")
	}
	return f.rankings[q], nil
}
func (f *fake) Close() error    { f.closed = true; return nil }
func (f *fake) Notes() []string { return []string{"a note"} }

var tiny = &Collection{
	Docs: []Doc{{ID: "a"}, {ID: "b"}, {ID: "c"}, {ID: "d"}},
	Queries: []Query{
		{ID: "1", Text: "first"},
		{ID: "2", Text: "second"},
		{ID: "3", Text: "unjudged"},
	},
	Qrels: Qrels{"1": {"a": true}, "2": {"b": true, "c": true}},
}

func TestEvaluate(t *testing.T) {
	sys := &fake{name: "fake", rankings: map[string][]string{
		"first":  {"a", "b", "c"},      // AP 1, nDCG 1, P@10 0.1, R 1
		"second": {"a", "b", "d", "c"}, // AP (1/2 + 2/4)/2 = 0.5, P@10 0.2, R 1
	}}
	rep, err := Evaluate(context.Background(), sys, tiny, Config{Depth: 3, Runs: 2})
	if err != nil {
		t.Fatal(err)
	}
	// Depth 3 cuts the second ranking to a, b, d: AP (1/2)/2 = 0.25.
	// nDCG@10: 1/log2(3) over an ideal of 1 + 1/log2(3) = 0.3869.
	wantMAP := (1 + 0.25) / 2.0
	wantNDCG := (1 + 0.6309/1.6309) / 2
	if rep.Queries != 2 || !near(rep.MAP, wantMAP) || !near(rep.NDCG10, wantNDCG) ||
		!near(rep.P10, 0.1) || !near(rep.R100, 0.75) {
		t.Errorf("report = %+v; want 2 queries, MAP %.4f, nDCG %.4f, P@10 0.1, R@100 0.75", rep, wantMAP, wantNDCG)
	}
	if sys.indexed != 4 || len(sys.asked) != 2*3 || sys.asked[0] != 3 {
		t.Errorf("indexed %d docs, searched %v; want 4 docs and 2 queries × 3 passes at k=3", sys.indexed, sys.asked)
	}
	if rep.P50MS <= 0 || rep.P99MS < rep.P50MS {
		t.Errorf("latency p50 %v, p99 %v", rep.P50MS, rep.P99MS)
	}
	if len(rep.PerQuery) != 2 || rep.PerQuery[1].Retrieved != 3 || rep.PerQuery[1].Relevant != 2 ||
		strings.Join(rep.PerQuery[1].Top, " ") != "a b d" {
		t.Errorf("per query = %+v", rep.PerQuery)
	}
	if len(rep.Notes) != 1 || rep.Notes[0] != "a note" {
		t.Errorf("notes = %v, want the system's note", rep.Notes)
	}
}

func TestEvaluateCountsFailedQueries(t *testing.T) {
	sys := &fake{name: "fake", rankings: map[string][]string{"first": {"a"}}, fail: map[string]bool{"second": true}}
	rep, err := Evaluate(context.Background(), sys, tiny, Config{Runs: -1})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Errors != 1 || !near(rep.MAP, 0.5) || !strings.Contains(strings.Join(rep.Notes, "\n"), "query 2 failed: boom") {
		t.Errorf("report = %+v; want 1 error, MAP 0.5, a note naming query 2", rep)
	}
	if len(sys.asked) != 2 || rep.P50MS != 0 {
		t.Errorf("searched %v times, p50 %v; want one untimed pass", sys.asked, rep.P50MS)
	}
}

func TestEvaluateAll(t *testing.T) {
	ok := &fake{name: "ok"}
	missing := &fake{name: "missing", indexErr: fmt.Errorf("no sqlite: %w", ErrUnavailable)}
	reps, err := EvaluateAll(context.Background(), []System{ok, missing}, tiny, Config{Runs: -1})
	if err != nil {
		t.Fatal(err)
	}
	if len(reps) != 2 || reps[0].Skipped != "" || !strings.Contains(reps[1].Skipped, "no sqlite") {
		t.Errorf("reports = %+v; want ok run and missing skipped", reps)
	}
	if !ok.closed || !missing.closed {
		t.Error("systems not closed")
	}
	var buf bytes.Buffer
	if err := WriteTable(&buf, reps); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{"system", "nDCG@10", "ok ", "missing: skipped: ", "ok: a note"} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}

	broken := &fake{name: "broken", indexErr: errors.New("disk full")}
	if _, err := EvaluateAll(context.Background(), []System{broken, ok}, tiny, Config{Runs: -1}); err == nil || !strings.Contains(err.Error(), "broken") {
		t.Errorf("err = %v, want the broken system's failure", err)
	}
	if !broken.closed {
		t.Error("failed system not closed")
	}
}

func TestEvaluateStopsWhenCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	sys := &fake{name: "fake", fail: map[string]bool{"first": true}}
	if _, err := Evaluate(ctx, sys, tiny, Config{}); !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
}

func TestPercentile(t *testing.T) {
	var ds []time.Duration
	for i := 100; i >= 1; i-- { // unsorted on purpose
		ds = append(ds, time.Duration(i)*time.Millisecond)
	}
	for _, tc := range []struct {
		ds   []time.Duration
		p    float64
		want time.Duration
	}{
		{ds, 50, 50 * time.Millisecond},
		{ds, 99, 99 * time.Millisecond},
		{ds, 100, 100 * time.Millisecond},
		{ds[:3], 50, 99 * time.Millisecond}, // 100, 99, 98 ms: rank ceil(1.5) = 2
		{[]time.Duration{7}, 99, 7},
		{nil, 50, 0},
	} {
		if got := Percentile(tc.ds, tc.p); got != tc.want {
			t.Errorf("Percentile(%d values, %v) = %v, want %v", len(tc.ds), tc.p, got, tc.want)
		}
	}
	if ds[0] != 100*time.Millisecond {
		t.Error("Percentile sorted its argument in place")
	}
}
