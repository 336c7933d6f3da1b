package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"time"

	"github.com/newsfind/newsfind/bench/internal/synth"
	"github.com/newsfind/newsfind/internal/search"
)

// IndexRun is one run of the indexer binary over a corpus.
type IndexRun struct {
	// As the indexer reports them in its summary: articles indexed, files
	// seen, skipped with errors and not articles; seconds spent building
	// (inside the process, without start-up and exit); articles/s and
	// MB/s of article text (title and body) over those seconds.
	Articles             int     `json:"articles"`
	Files                int     `json:"files"`
	Skipped              int     `json:"skipped"`
	Unsupported          int     `json:"unsupported"`
	BuildSeconds         float64 `json:"build_seconds"`
	BuildArticlesPerSec  float64 `json:"build_articles_per_sec"`
	BuildTextMBPerSec    float64 `json:"build_text_mb_per_sec"`
	TextMB               float64 `json:"text_mb"` // MB/s × articles ÷ articles/s: the indexer prints no byte count
	WallSeconds          float64 `json:"wall_seconds"`
	WallArticlesPerSec   float64 `json:"wall_articles_per_sec"`
	WallTextMBPerSec     float64 `json:"wall_text_mb_per_sec"`
	WallCorpusMBPerSec   float64 `json:"wall_corpus_mb_per_sec"` // raw file bytes ÷ wall time
	UserSeconds          float64 `json:"user_seconds"`
	SysSeconds           float64 `json:"sys_seconds"`
	CPUCores             float64 `json:"cpu_cores"`              // (user+sys) ÷ wall: how much of the machine it used
	OtherCPUCores        float64 `json:"other_cpu_cores"`        // the rest of the machine meanwhile: noise
	PeakRSSMB            float64 `json:"peak_rss_mb"`            // VmHWM, sampled every peakSampleEvery while it runs
	PeakAnonMB           float64 `json:"peak_anon_mb"`           // the highest RssAnon sampled: the indexer's own memory (heap, stacks)
	PeakFileMB           float64 `json:"peak_file_mb"`           // the highest RssFile sampled: pages of the segment files it maps
	IndexMB              float64 `json:"index_mb"`               // apparent size of the index folder
	IndexSegments        int     `json:"index_segments"`         // .zap segment files in it (a leftover of a merge shows here)
	IndexToTextRatio     float64 `json:"index_to_text_ratio"`    // IndexMB ÷ TextMB
	Generation           string  `json:"generation"`             // where the indexer says it wrote the index
	Summary              string  `json:"summary"`                // the indexer's own words
	SkippedReportedLines int     `json:"skipped_reported_lines"` // "skipped …" lines on its stderr
}

// Corpus is a folder of article files, sized by reading every file.
type Corpus struct {
	Path  string  `json:"path"`
	Name  string  `json:"name"`
	Files int     `json:"files"`
	MB    float64 `json:"mb"`   // raw bytes of every regular file, hidden ones excluded
	Hash  string  `json:"hash"` // SHA-256 of every file's path and bytes, in walk order
	// Synthetic describes a generated corpus: generator version, seed,
	// what it learnt from.
	Synthetic *synth.Marker `json:"synthetic,omitempty"`
}

// readCorpus sizes and hashes the corpus at path by reading every file
// through once. Reading also puts the files in the page cache, so both
// engines are timed against warm files rather than whatever the disk cache
// held before.
func readCorpus(path, name string) (Corpus, error) {
	c := Corpus{Path: path, Name: name}
	var n int64
	buf := make([]byte, 64<<10)
	h := sha256.New()
	err := filepath.WalkDir(path, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if p != path && d.Name()[0] == '.' {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if !d.Type().IsRegular() {
			return nil
		}
		f, err := os.Open(p)
		if err != nil {
			return err
		}
		defer f.Close() // read-only
		fmt.Fprintf(h, "%s\x00", p[len(path):])
		m, err := io.CopyBuffer(h, f, buf)
		if err != nil {
			return fmt.Errorf("read %s: %w", p, err)
		}
		c.Files++
		n += m
		return nil
	})
	if err != nil {
		return c, fmt.Errorf("corpus %s: %w", path, err)
	}
	c.MB = float64(n) / 1e6
	c.Hash = hex.EncodeToString(h.Sum(nil))
	return c, nil
}

// dirSize returns the apparent size of every file under dir, in bytes, and
// how many of them are bleve segments (.zap).
func dirSize(dir string) (size int64, segments int, err error) {
	err = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		size += info.Size()
		if filepath.Ext(p) == ".zap" {
			segments++
		}
		return nil
	})
	if err != nil {
		return 0, 0, fmt.Errorf("size of %s: %w", dir, err)
	}
	return size, segments, nil
}

// parseIndexerSummary reads the figures the indexer prints with -json.
func parseIndexerSummary(stdout []byte) (IndexRun, error) {
	var r IndexRun
	var st search.UpdateStats
	if err := json.Unmarshal(bytes.TrimSpace(stdout), &st); err != nil {
		return r, fmt.Errorf("indexer summary not understood: %q: %w", stdout, err)
	}
	secs := st.Elapsed.Seconds()
	r.Articles = st.Indexed
	r.BuildSeconds = secs
	r.TextMB = float64(st.Bytes) / 1e6
	if secs > 0 {
		r.BuildArticlesPerSec = float64(st.Indexed) / secs
		r.BuildTextMBPerSec = r.TextMB / secs
	}
	r.Files, r.Skipped, r.Unsupported = st.Files, st.Skipped, st.Unsupported
	r.Generation = st.Generation
	r.Summary = fmt.Sprintf("indexed %d articles in %.3fs", st.Indexed, secs)
	return r, nil
}

// runIndexer runs the indexer binary over corpus into the fresh folder
// indexDir and measures it from outside: wall time, CPU time and peak RSS
// of the child, and the size of what it wrote.
func runIndexer(ctx context.Context, bin string, corpus Corpus, indexDir string) (IndexRun, error) {
	var stdout, stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, bin, "-q", "-json", "-full", "-articles", corpus.Path, "-index", indexDir)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	machineBefore, err := machineCPUSeconds()
	if err != nil {
		return IndexRun{}, err
	}
	start := time.Now()
	var peak Peaks
	if err = cmd.Start(); err == nil {
		stop := watchPeakRSS(cmd.Process.Pid)
		err = cmd.Wait()
		peak = stop()
	}
	wall := time.Since(start)
	machineAfter, merr := machineCPUSeconds()
	if err != nil {
		return IndexRun{}, fmt.Errorf("%s: %w\n%s%s", cmd, err, stdout.Bytes(), tail(stderr.Bytes(), 20))
	}
	r, err := parseIndexerSummary(stdout.Bytes())
	if err != nil {
		return r, err
	}
	r.SkippedReportedLines = bytes.Count(stderr.Bytes(), []byte("skipped "))
	r.WallSeconds = wall.Seconds()
	r.WallArticlesPerSec = float64(r.Articles) / r.WallSeconds
	r.WallTextMBPerSec = r.TextMB / r.WallSeconds
	r.WallCorpusMBPerSec = corpus.MB / r.WallSeconds
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		r.UserSeconds = tvSeconds(ru.Utime)
		r.SysSeconds = tvSeconds(ru.Stime)
		r.CPUCores = (r.UserSeconds + r.SysSeconds) / r.WallSeconds
		if merr == nil {
			r.OtherCPUCores = max(0, (machineAfter-machineBefore)/r.WallSeconds-r.CPUCores)
		}
	}
	r.PeakRSSMB, r.PeakAnonMB, r.PeakFileMB = peak.HWM, peak.Anon, peak.File
	size, segments, err := dirSize(indexDir)
	if err != nil {
		return r, err
	}
	r.IndexMB = float64(size) / 1e6
	r.IndexSegments = segments
	if r.TextMB > 0 {
		r.IndexToTextRatio = r.IndexMB / r.TextMB
	}
	return r, nil
}

func tvSeconds(tv syscall.Timeval) float64 {
	return float64(tv.Sec) + float64(tv.Usec)/1e6
}

// tail returns the last n lines of b.
func tail(b []byte, n int) []byte {
	lines := bytes.Split(bytes.TrimRight(b, "\n"), []byte("\n"))
	return bytes.Join(lines[max(0, len(lines)-n):], []byte("\n"))
}
