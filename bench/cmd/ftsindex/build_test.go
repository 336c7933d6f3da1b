package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/newsfind/newsfind/bench/internal/peer/fts5"
	"github.com/newsfind/newsfind/internal/search"
)

func TestRunIndexesSeeds(t *testing.T) {
	ctx := context.Background()
	articles := t.TempDir()
	seeds, err := filepath.Glob("../../../seeds/*.txt")
	if err != nil || len(seeds) == 0 {
		t.Fatalf("no seeds: %v", err)
	}
	for _, p := range seeds {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(articles, filepath.Base(p)), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for name, body := range map[string]string{"notes.pdf": "%PDF", "empty.txt": ""} {
		if err := os.WriteFile(filepath.Join(articles, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	dir := filepath.Join(t.TempDir(), "ix")
	for run := range 2 { // the second run replaces the first archive
		var out, errOut bytes.Buffer
		err := Run(ctx, Config{Articles: articles, Index: dir, JSON: true, BatchSize: 2}, &out, &errOut)
		if errors.Is(err, fts5.ErrNoFTS5) {
			t.Skipf("built without -tags sqlite_fts5: %v", err)
		}
		if err != nil {
			t.Fatalf("run %d: %v\n%s", run, err, errOut.String())
		}
		var st Stats
		if err := json.Unmarshal(out.Bytes(), &st); err != nil {
			t.Fatalf("summary %q: %v", out.String(), err)
		}
		if st.Indexed != len(seeds) || st.Files != len(seeds)+2 || st.Skipped != 1 || st.Unsupported != 1 || st.Bytes <= 0 || st.Elapsed <= 0 {
			t.Errorf("run %d: summary %+v", run, st)
		}
		if !strings.Contains(errOut.String(), "skipped empty.txt") {
			t.Errorf("run %d: stderr %q does not report the empty file", run, errOut.String())
		}
	}
	a, err := fts5.OpenArchive(ctx, fts5.Config{Path: filepath.Join(dir, DBName)})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	res, err := a.Search(ctx, search.Request{Query: "Norov", Filters: search.Filters{Years: []int{2021}}})
	if err != nil || res.Total == 0 {
		t.Errorf("search after the build: total %d, %v", res.Total, err)
	}
	if n, err := a.Count(ctx); err != nil || n != len(seeds) {
		t.Errorf("archive holds %d articles (%v), want %d", n, err, len(seeds))
	}
}

func TestRunMissingFolder(t *testing.T) {
	err := Run(context.Background(), Config{Articles: filepath.Join(t.TempDir(), "none"), Index: t.TempDir()}, &bytes.Buffer{}, &bytes.Buffer{})
	if err == nil || !strings.Contains(err.Error(), "articles folder") {
		t.Errorf("Run = %v, want an error naming the articles folder", err)
	}
}
