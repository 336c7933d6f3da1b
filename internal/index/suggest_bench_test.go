package index_test

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/newsfind/newsfind/internal/index"
	"github.com/newsfind/newsfind/internal/index/gen"
	"github.com/newsfind/newsfind/internal/search"
)

// suggestQueries are what people type on the way to a search: one letter
// (the widest ranges), word beginnings, a name's first word and the start
// of its second, a finished word, nothing that matches.
var suggestQueries = []string{"s", "p", "parlia", "minis", "tony bla", "gordon ", "london", "the econ", "qzx"}

// BenchmarkSuggest measures suggestions on the index folder
// NEWSFIND_BENCH_INDEX (e.g. the bench's synthetic 100,000 articles), else
// on the BBC corpus, else on the seeds. Besides ns/op it reports the 99th
// percentile of single calls (p99-µs) and the bytes of the generation's
// suggestion lists (list-bytes).
func BenchmarkSuggest(b *testing.B) {
	var logs bytes.Buffer
	log := slog.New(slog.NewJSONHandler(&logs, nil))
	dir := os.Getenv("NEWSFIND_BENCH_INDEX")
	if dir == "" {
		articles := seedsDir
		if env := os.Getenv("NEWSFIND_BBC"); env != "" {
			articles = env
		} else if _, err := os.Stat("../../../shared/corpora/bbc"); err == nil {
			articles = "../../../shared/corpora/bbc"
		}
		b.Logf("building an index of %s", articles)
		dir = filepath.Join(b.TempDir(), "index")
		if _, err := gen.Build(context.Background(), gen.Config{Articles: articles, Index: dir}); err != nil {
			b.Fatal(err)
		}
	}
	ix, err := index.Open(dir, log)
	if err != nil {
		b.Fatal(err)
	}
	defer ix.Close()
	listBytes := 0.0
	for line := range bytes.Lines(logs.Bytes()) {
		var rec struct {
			Msg   string
			Bytes float64
		}
		if json.Unmarshal(line, &rec) == nil && rec.Msg == "suggestion lists built" {
			listBytes = rec.Bytes
		}
	}
	for _, q := range suggestQueries {
		b.Run(q, func(b *testing.B) {
			var took []time.Duration
			for b.Loop() {
				start := time.Now()
				if _, err := ix.Suggest(context.Background(), search.SuggestRequest{Query: q}); err != nil {
					b.Fatal(err)
				}
				took = append(took, time.Since(start))
			}
			slices.Sort(took)
			b.ReportMetric(float64(took[len(took)*99/100].Nanoseconds())/1000, "p99-µs")
			b.ReportMetric(listBytes, "list-bytes")
		})
	}
}
