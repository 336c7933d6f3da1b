package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"

	"github.com/newsfind/newsfind/bench/internal/synth"
)

// prepareCorpora lists the corpora to benchmark: cfg.Corpora as they are,
// then one generated corpus per size in cfg.Synth, generated (once, then
// reused) under cfg.Synth.Dir from the training folders that exist. It
// returns the corpora it could prepare and an error for those it could not.
func prepareCorpora(ctx context.Context, cfg Config, progress io.Writer) ([]corpusSpec, error) {
	var out []corpusSpec
	for i, p := range cfg.Corpora {
		out = append(out, corpusSpec{Path: p, Name: corpusName(cfg.Corpora, i)})
	}
	if len(cfg.Synth.Sizes) == 0 {
		return out, nil
	}
	var training []string
	for _, t := range cfg.Synth.Training {
		if fi, err := os.Stat(t); err == nil && fi.IsDir() {
			training = append(training, t)
		} else {
			fmt.Fprintf(progress, "bench: %s not found: the generated corpora learn without it\n", t)
		}
	}
	fmt.Fprintf(progress, "bench: learning news from %v…\n", training)
	g, err := synth.New(ctx, synth.Config{Training: training, Seed: cfg.Synth.Seed})
	if err != nil {
		return out, fmt.Errorf("bench: %w", err)
	}
	for _, n := range cfg.Synth.Sizes {
		dir := filepath.Join(cfg.Synth.Dir, strconv.Itoa(n))
		fmt.Fprintf(progress, "bench: corpus of %d generated articles in %s…\n", n, dir)
		m, wrote, err := synth.Ensure(ctx, g, dir, n)
		if err != nil {
			return out, fmt.Errorf("bench: %w", err)
		}
		if wrote {
			fmt.Fprintf(progress, "bench: generated %d articles (%.0f MB) in %.1fs\n", n, float64(m.Bytes)/1e6, m.Seconds)
		}
		out = append(out, corpusSpec{Path: dir, Name: synthName(n), Marker: &m})
	}
	return out, nil
}

// synthName names a generated corpus by its size: synth-10k, synth-1M.
func synthName(n int) string {
	switch {
	case n >= 1_000_000 && n%1_000_000 == 0:
		return fmt.Sprintf("synth-%dM", n/1_000_000)
	case n >= 1000 && n%1000 == 0:
		return fmt.Sprintf("synth-%dk", n/1000)
	}
	return fmt.Sprintf("synth-%d", n)
}

// corpusName names corpus i by its folder's base name, numbered when two
// corpora share one.
func corpusName(corpora []string, i int) string {
	base := func(p string) string { return filepath.Base(filepath.Clean(p)) }
	name := base(corpora[i])
	same := 0
	for _, p := range corpora[:i] {
		if base(p) == name {
			same++
		}
	}
	if same > 0 {
		name = fmt.Sprintf("%s-%d", name, same+1)
	}
	return name
}
