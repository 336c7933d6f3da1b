package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/newsfind/newsfind/bench/internal/peer"
	"github.com/newsfind/newsfind/bench/internal/peer/fts5"
	"github.com/newsfind/newsfind/internal/article"
)

// DBName is the archive's file name inside the index folder.
const DBName = "fts5.db"

// Config is one run.
type Config struct {
	Articles  string // folder of article files
	Index     string // folder for the archive
	BatchSize int    // articles per transaction; fts5.DefaultBatchSize when 0
	Quiet     bool   // no progress lines
	JSON      bool   // summary as JSON
}

// Stats is the summary of a run, with the JSON names of the indexer's
// (internal/search.UpdateStats), so one parser reads both.
type Stats struct {
	Full        bool          `json:"full"`
	Files       int           `json:"files"`
	Added       int           `json:"added"`
	Skipped     int           `json:"skipped"`
	Unsupported int           `json:"unsupported"`
	Indexed     int           `json:"indexed"`
	Bytes       int64         `json:"bytes"` // article text (title and body)
	Elapsed     time.Duration `json:"elapsed_ns"`
	Generation  string        `json:"generation"` // the archive's path
}

// Run builds a new archive from cfg.Articles in cfg.Index, replacing an
// earlier one, and prints the summary to out. A file that cannot be read or
// parsed is reported on errOut and skipped.
func Run(ctx context.Context, cfg Config, out, errOut io.Writer) error {
	start := time.Now()
	if cfg.BatchSize <= 0 {
		cfg.BatchSize = fts5.DefaultBatchSize
	}
	if fi, err := os.Stat(cfg.Articles); err != nil || !fi.IsDir() {
		if err == nil {
			err = errors.New("not a folder")
		}
		return fmt.Errorf("articles folder %s: %w", cfg.Articles, err)
	}
	if err := os.MkdirAll(cfg.Index, 0o755); err != nil {
		return fmt.Errorf("index folder: %w", err)
	}
	path := filepath.Join(cfg.Index, DBName)
	for _, suffix := range []string{"", "-wal", "-shm"} {
		if err := os.Remove(path + suffix); err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("remove the old archive: %w", err)
		}
	}
	a, err := fts5.CreateArchive(ctx, fts5.Config{Path: path, BatchSize: cfg.BatchSize})
	if err != nil {
		return err
	}
	st := Stats{Full: true, Generation: path}
	batch := make([]peer.Doc, 0, cfg.BatchSize)
	lastProgress := time.Now()
	flush := func() error {
		if err := a.Add(ctx, batch); err != nil {
			return err
		}
		st.Indexed += len(batch)
		batch = batch[:0]
		if !cfg.Quiet && time.Since(lastProgress) >= time.Second {
			lastProgress = time.Now()
			fmt.Fprintf(errOut, "indexed %d articles (%.0f/s)…\n", st.Indexed, float64(st.Indexed)/time.Since(start).Seconds())
		}
		return nil
	}
	err = article.Walk(ctx, cfg.Articles, func(f article.File) error {
		st.Files++
		switch {
		case f.Unsupported:
			st.Unsupported++
			return nil
		case f.Err != nil:
			st.Skipped++
			fmt.Fprintf(errOut, "skipped %s: %v\n", f.Path, f.Err)
			return nil
		}
		st.Added++
		for _, x := range f.Articles {
			batch = append(batch, peer.Doc{ID: x.ID, Title: x.Title, Body: x.Body, Date: x.Date, Source: x.Source})
			st.Bytes += int64(len(x.Title) + len(x.Body))
			if len(batch) == cfg.BatchSize {
				if err := flush(); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err == nil && len(batch) > 0 {
		err = flush()
	}
	if cerr := a.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("build %s: %w", path, err)
	}
	st.Elapsed = time.Since(start)
	if cfg.JSON {
		if err := json.NewEncoder(out).Encode(st); err != nil {
			return fmt.Errorf("summary: %w", err)
		}
		return nil
	}
	secs := max(st.Elapsed.Seconds(), 1e-9)
	_, err = fmt.Fprintf(out, "indexed %d articles from %s in %.3fs (%.0f articles/s, %.2f MB/s of text) into %s: %d files, %d skipped, %d not articles\n",
		st.Indexed, cfg.Articles, secs, float64(st.Indexed)/secs, float64(st.Bytes)/1e6/secs, path, st.Files, st.Skipped, st.Unsupported)
	if err != nil {
		return fmt.Errorf("summary: %w", err)
	}
	return nil
}
