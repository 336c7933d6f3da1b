package eval

import (
	"fmt"
	"io"
	"path/filepath"
	"strconv"
	"text/tabwriter"

	"github.com/newsfind/newsfind/bench/internal/peer/fts5"
	"github.com/newsfind/newsfind/bench/internal/peer/stockbleve"
)

// Standard returns the systems of the standard comparison, each working in
// its own subfolder of dir: newsfind, stock bleve with TF-IDF and with BM25,
// and FTS5 with its default weights, stock and with stop words dropped from
// queries.
func Standard(dir string) []System {
	return []System{
		NewNewsfind(filepath.Join(dir, "newsfind")),
		NewStockBleve(filepath.Join(dir, "bleve-tfidf"), stockbleve.TFIDF),
		NewStockBleve(filepath.Join(dir, "bleve-bm25"), stockbleve.BM25),
		NewFTS5(filepath.Join(dir, "fts5"), fts5.DefaultWeights, false),
		NewFTS5(filepath.Join(dir, "fts5-stop"), fts5.DefaultWeights, true),
	}
}

// SweepTitleWeights are the FTS5 title weights FTS5Sweep tries, each against
// a body weight of 1.
var SweepTitleWeights = []float64{0.5, 1, 1.5, 2, 3, 5, 10}

// FTS5Sweep returns FTS5 systems for every weight in SweepTitleWeights, with
// and without stop words, each working in its own subfolder of dir. It is
// how fts5.DefaultWeights were chosen.
func FTS5Sweep(dir string) []System {
	var out []System
	for _, stop := range []bool{false, true} {
		for _, w := range SweepTitleWeights {
			name := "fts5-" + strconv.FormatFloat(w, 'g', -1, 64) + "-" + strconv.FormatBool(stop)
			out = append(out, NewFTS5(filepath.Join(dir, name), fts5.Weights{Title: w, Body: 1}, stop))
		}
	}
	return out
}

// WriteTable writes reports as an aligned text table, one system a row,
// followed by each system's notes.
func WriteTable(w io.Writer, reps []Report) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "system\tMAP\tnDCG@10\tP@10\tR@100\tp50 ms\tp99 ms\t")
	for _, r := range reps {
		if r.Skipped != "" {
			fmt.Fprintf(tw, "%s\t-\t-\t-\t-\t-\t-\t\n", r.System)
			continue
		}
		fmt.Fprintf(tw, "%s\t%.3f\t%.3f\t%.3f\t%.3f\t%.2f\t%.2f\t\n",
			r.System, r.MAP, r.NDCG10, r.P10, r.R100, r.P50MS, r.P99MS)
	}
	if err := tw.Flush(); err != nil {
		return fmt.Errorf("write table: %w", err)
	}
	for _, r := range reps {
		if r.Skipped != "" {
			if _, err := fmt.Fprintf(w, "%s: skipped: %s\n", r.System, r.Skipped); err != nil {
				return fmt.Errorf("write table: %w", err)
			}
		}
		for _, n := range r.Notes {
			if _, err := fmt.Fprintf(w, "%s: %s\n", r.System, n); err != nil {
				return fmt.Errorf("write table: %w", err)
			}
		}
	}
	return nil
}
