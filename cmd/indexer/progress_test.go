package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/newsfind/newsfind/internal/article"
	"github.com/newsfind/newsfind/internal/index/gen"
	"github.com/newsfind/newsfind/internal/index/indextest"
	"github.com/newsfind/newsfind/internal/search"
)

// progressCorpus is the seeds and 20 more articles, indexed two to a batch
// so that a run reports progress many times.
func progressCorpus(t *testing.T) gen.Config {
	t.Helper()
	articles := indextest.Corpus(t, nil)
	for i := range 20 {
		indextest.WriteFile(t, filepath.Join(articles, "more", fmt.Sprintf("%02d.txt", i)),
			fmt.Sprintf("Generated article %d\n\nTrade talks and market growth, part %d.\n", i, i))
	}
	return gen.Config{Articles: articles, Index: filepath.Join(t.TempDir(), "index"), BatchSize: 2}
}

// runJSON runs the indexer's logic with o (its writers replaced by
// buffers) and returns the stats it printed and what went to errOut.
func runJSON(t *testing.T, cfg gen.Config, o output) (search.UpdateStats, string) {
	t.Helper()
	var out, errOut strings.Builder
	o.out, o.errOut, o.asJSON = &out, &errOut, true
	if err := run(context.Background(), cfg, o); err != nil {
		t.Fatalf("run: %v\n%s", err, errOut.String())
	}
	var st search.UpdateStats
	if err := json.Unmarshal([]byte(out.String()), &st); err != nil {
		t.Fatalf("summary %q: %v", out.String(), err)
	}
	return st, errOut.String()
}

var progressLine = regexp.MustCompile(`^indexed \d+ articles \(\d+/s\)…$`)

// Not on a terminal: plain lines, one per interval, no bar.
func TestProgressPlainLines(t *testing.T) {
	cfg := progressCorpus(t)
	st, errOut := runJSON(t, cfg, output{every: time.Nanosecond})
	lines := strings.Split(strings.TrimSpace(errOut), "\n")
	if len(lines) < 5 || st.Indexed != 25 {
		t.Fatalf("%d articles indexed, progress %q: want 25 and a line per batch", st.Indexed, errOut)
	}
	for _, l := range lines {
		if !progressLine.MatchString(l) {
			t.Errorf("progress line %q is not the plain form", l)
		}
	}
	if strings.ContainsAny(errOut, "\r\x1b|") {
		t.Errorf("a bar's control characters went to a non-terminal: %q", errOut)
	}
}

// -q: nothing but the summary.
func TestProgressQuiet(t *testing.T) {
	cfg := progressCorpus(t)
	for _, terminal := range []bool{false, true} {
		st, errOut := runJSON(t, cfg, output{quiet: true, terminal: terminal, every: time.Nanosecond})
		if st.Files != 25 || errOut != "" {
			t.Errorf("terminal %v: %d files, progress %q; want 25 and none", terminal, st.Files, errOut)
		}
		cfg.Full = true // index again next time round
	}
}

// On a terminal: a bar with the files done of the counted total, the rate
// and the time left, gone before the summary.
func TestProgressBar(t *testing.T) {
	cfg := progressCorpus(t)
	st, errOut := runJSON(t, cfg, output{terminal: true})
	if st.Files != 25 {
		t.Fatalf("%d files, want 25", st.Files)
	}
	// e.g. "indexed 23 articles  88% |██████    | (22/25, 60 files/s) [0s:0s]":
	// articles, files done of the total, rate, time taken and left.
	bar := regexp.MustCompile(`indexed \d+ articles +\d+% \|[█ ]+\| \(\d+/25, \d+ files/s\) \[\d+s:\d+s\]`)
	if n := len(bar.FindAllString(errOut, -1)); n < 5 || !strings.Contains(errOut, "indexed 25 articles") {
		t.Errorf("%d bars with a total, want one a batch up to the last: %q", n, errOut)
	}
	if progressLine.MatchString(strings.TrimSpace(errOut)) || strings.Contains(errOut, "(0/s)") {
		t.Errorf("plain lines on a terminal: %q", errOut)
	}
	if !strings.HasSuffix(errOut, "\r") {
		t.Errorf("the bar is not cleared at the end: %q", errOut[max(0, len(errOut)-80):])
	}
}

// A skipped file's line clears the bar rather than running into it.
func TestProgressSayClearsTheBar(t *testing.T) {
	var b strings.Builder
	p := newProgress(output{terminal: true, errOut: &b}, 10)
	p.update(search.UpdateStats{Files: 3, Indexed: 3})
	before := b.Len()
	p.say("skipped %s: %s", "x.txt", "empty")
	if got := b.String()[before:]; !strings.HasPrefix(got, "\r ") || !strings.HasSuffix(got, "\rskipped x.txt: empty\n") {
		t.Errorf("say wrote %q, want the bar blanked, then the line", got)
	}
}

// The count is what article.List visits: hidden files and folders and
// temporary files left out, subfolders and links to files in.
func TestCountFiles(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"a.txt", "b.html", "notes.md", "sub/c.json", "sub/deeper/d.txt",
		".hidden.txt", ".git/config", "sub/.cache/x.txt", "partial.txt.tmp"} {
		indextest.WriteFile(t, filepath.Join(dir, name), "x")
	}
	if err := os.Symlink(filepath.Join(dir, "a.txt"), filepath.Join(dir, "link.txt")); err != nil {
		t.Fatal(err)
	}
	listed := 0
	if err := article.List(context.Background(), dir, func(article.Entry) error { listed++; return nil }); err != nil {
		t.Fatal(err)
	}
	if got := countFiles(context.Background(), dir, time.Minute); got != listed || got != 6 {
		t.Errorf("countFiles = %d, article.List visits %d; want 6", got, listed)
	}
	if got := countFiles(context.Background(), dir, 0); got != -1 {
		t.Errorf("countFiles over its budget = %d, want -1 (unknown)", got)
	}
	if got := countFiles(context.Background(), filepath.Join(dir, "nope"), time.Minute); got != -1 {
		t.Errorf("countFiles of a missing folder = %d, want -1", got)
	}
}
