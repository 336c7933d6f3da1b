package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// A short soak of the real programs on the seeds: rows per interval, the
// writes and the rebuild done without an error, memory read, the report
// written and the work folder gone.
func TestSoakSeeds(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binaries")
	}
	build := binaries(t)
	cfg := SoakConfig{
		Corpus:     "../../../seeds",
		Engine:     Engine{Name: "newsfind", Indexer: build(product, "./cmd/indexer"), Searchd: build(product, "./cmd/searchd")},
		Out:        t.TempDir(),
		Duration:   3 * time.Second,
		Interval:   time.Second,
		Rate:       20,
		WriteEvery: 200 * time.Millisecond,
	}
	var out, progress bytes.Buffer
	if err := Soak(context.Background(), cfg, &out, &progress); err != nil {
		t.Fatalf("%v\n%s\n%s", err, progress.String(), out.String())
	}
	files, err := filepath.Glob(filepath.Join(cfg.Out, "*"))
	if err != nil || len(files) != 1 || !strings.HasPrefix(filepath.Base(files[0]), "soak-") {
		t.Fatalf("out folder holds %v, want only the soak report", files)
	}
	b, err := os.ReadFile(files[0])
	if err != nil {
		t.Fatal(err)
	}
	var rep SoakReport
	if err := json.Unmarshal(b, &rep); err != nil {
		t.Fatal(err)
	}
	added, deleted := 0, 0
	for _, iv := range rep.Intervals {
		added += iv.Added
		deleted += iv.Deleted
		if iv.Searches == 0 || iv.P99MS <= 0 || iv.Memory.RSSMB <= 0 {
			t.Errorf("interval %+v: want searches, a p99 and searchd's RSS", iv)
		}
	}
	if len(rep.Intervals) != 3 || rep.Errors != 0 || rep.Articles != 5 || added == 0 || deleted == 0 ||
		rep.ReindexAt == "never" || rep.Stop.ExitCode != 0 {
		t.Errorf("report %+v: want 3 intervals, no errors, 5 articles at the start, adds, deletes and a rebuild", rep)
	}
	t.Logf("\n%s", out.String())
	if !strings.Contains(out.String(), "RSS MB") || !strings.Contains(out.String(), "0 failed") {
		t.Errorf("output:\n%s", out.String())
	}
}
