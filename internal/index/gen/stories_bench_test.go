package gen

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// BenchmarkStoriesBBC measures what finding stories adds to a full build
// of the BBC corpus: builds with and without them, alternately in one run
// (so that what else the machine runs weighs on both), and their ratio.
func BenchmarkStoriesBBC(b *testing.B) {
	dir := os.Getenv("NEWSFIND_BBC")
	if dir == "" {
		dir = filepath.Join("..", "..", "..", "..", "shared", "corpora", "bbc")
	}
	if _, err := os.Stat(dir); err != nil {
		b.Skipf("BBC corpus not found at %s (set NEWSFIND_BBC to its folder): %v", dir, err)
	}
	var with, without time.Duration
	for b.Loop() {
		for _, noStories := range []bool{true, false} {
			start := time.Now()
			cfg := Config{Articles: dir, Index: filepath.Join(b.TempDir(), "index"), noStories: noStories}
			if _, err := Build(context.Background(), cfg); err != nil {
				b.Fatal(err)
			}
			if noStories {
				without += time.Since(start)
			} else {
				with += time.Since(start)
			}
		}
	}
	b.ReportMetric(float64(without.Milliseconds())/float64(b.N), "without-ms/op")
	b.ReportMetric(float64(with.Milliseconds())/float64(b.N), "with-ms/op")
	b.ReportMetric(float64(with)/float64(without), "with/without")
}
