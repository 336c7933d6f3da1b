package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/newsfind/newsfind/internal/analyze"
	"github.com/newsfind/newsfind/internal/export"
)

// exportFlags are the indexer's export mode: write the articles and/or the
// index mapping for OpenSearch, and index nothing.
type exportFlags struct {
	bulk     string // -export-bulk FILE
	mapping  string // -export-mapping FILE
	maxBytes int64  // -export-max-bytes: split the bulk stream into parts
}

func (e exportFlags) on() bool { return e.bulk != "" || e.mapping != "" }

// exportConflicts names the flags given with an export flag that the
// export would ignore: it reads -articles and writes files, never an index.
func exportConflicts(set map[string]bool) error {
	var bad []string
	for _, f := range []string{"full", "watch", "explain", "batch", "index", "cpuprofile", "memprofile"} {
		if set[f] {
			bad = append(bad, "-"+f)
		}
	}
	if len(bad) > 0 {
		return fmt.Errorf("-export-bulk and -export-mapping only write files, they index nothing: drop %s", strings.Join(bad, ", "))
	}
	return nil
}

// runExport writes what e asks for from the articles folder.
func runExport(ctx context.Context, articles string, e exportFlags, o output) error {
	if e.maxBytes < 0 {
		return fmt.Errorf("-export-max-bytes %d: want 0 (one file) or more", e.maxBytes)
	}
	if e.mapping != "" {
		if err := writeMapping(e.mapping); err != nil {
			return err
		}
		if !o.asJSON {
			fmt.Fprintf(o.out, "wrote the index mapping to %s\n", e.mapping)
		}
	}
	if e.bulk == "" {
		return nil
	}
	files := &export.Files{Name: e.bulk, MaxBytes: e.maxBytes}
	cfg := export.Config{
		Skipped: func(path string, err error) { fmt.Fprintf(o.errOut, "skipped %s: %v\n", path, err) },
		Cut: func(path string, cuts []string) {
			fmt.Fprintf(o.errOut, "cut %s to the caps on one article: %s\n", path, strings.Join(cuts, "; "))
		},
	}
	err := files.Open()
	var st export.Stats
	if err == nil {
		st, err = export.Bulk(ctx, articles, files, cfg)
	}
	if err = errors.Join(err, files.Close()); err != nil {
		return err
	}
	if o.asJSON {
		return json.NewEncoder(o.out).Encode(struct {
			export.Stats
			Files []string `json:"files"`
		}{st, files.Names()})
	}
	fmt.Fprintf(o.out, "exported %d articles from %s to %s (%d bytes): %d skipped, %d bad lines, %d not articles\n",
		st.Articles, articles, strings.Join(files.Names(), ", "), st.Bytes, st.Skipped, st.BadLines, st.Unsupported)
	return nil
}

// writeMapping writes the index mapping, with newsfind's analysis lists.
func writeMapping(name string) error {
	stop, err := analyze.StopWords()
	if err != nil {
		return err
	}
	m, err := export.Mapping(export.Analysis{StopWords: stop, StemOverrides: analyze.StemOverrides()})
	if err != nil {
		return err
	}
	if err := os.WriteFile(name, m, 0o644); err != nil {
		return fmt.Errorf("write the mapping: %w", err)
	}
	return nil
}
