package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/newsfind/newsfind/internal/index"
	"github.com/newsfind/newsfind/internal/index/gen"
	"github.com/newsfind/newsfind/internal/index/indextest"
)

// buildIndexer compiles the real indexer binary for tests that run it.
func buildIndexer(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "indexer")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

func count(t *testing.T, dir string) uint64 {
	t.Helper()
	ix, err := index.Open(dir, nil)
	if err != nil {
		t.Fatalf("open index after the run: %v", err)
	}
	defer ix.Close()
	n, err := ix.Count()
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// kill -9 of the indexer in the middle of a build leaves the served index
// intact, and the next run completes.
func TestKilledBuildLeavesTheIndexIntact(t *testing.T) {
	bin := buildIndexer(t)
	articles := indextest.Corpus(t, nil)
	dir := filepath.Join(t.TempDir(), "index")
	if out, err := exec.Command(bin, "-articles", articles, "-index", dir).CombinedOutput(); err != nil {
		t.Fatalf("first build: %v\n%s", err, out)
	}
	current, err := os.ReadFile(filepath.Join(dir, "CURRENT"))
	if err != nil {
		t.Fatal(err)
	}

	const n = 6000
	words := strings.Fields("minister summit economy trade election market security cooperation growth policy talks")
	for i := range n {
		body := fmt.Sprintf("Generated article %d\n\n", i)
		for j := range 60 {
			body += words[(i*7+j)%len(words)] + " "
		}
		indextest.WriteFile(t, filepath.Join(articles, "gen", fmt.Sprintf("%05d.txt", i)), body+"\n")
	}

	cmd := exec.Command(bin, "-full", "-batch", "100", "-articles", articles, "-index", dir)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Kill it once the new generation has segments on disk: mid-build.
	deadline := time.Now().Add(60 * time.Second)
	tick := time.NewTicker(5 * time.Millisecond)
	defer tick.Stop()
	for {
		zaps, _ := filepath.Glob(filepath.Join(dir, "gen-*", "store", "*.zap"))
		if len(zaps) > 1 { // the served generation has one
			break
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatal("the build never wrote a segment")
		}
		<-tick.C
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()

	after, _ := os.ReadFile(filepath.Join(dir, "CURRENT"))
	if string(after) != string(current) {
		t.Fatalf("CURRENT changed from %q to %q by a killed build", current, after)
	}
	if got := count(t, dir); got != 5 {
		t.Fatalf("after the kill the index holds %d articles, want the previous 5", got)
	}

	out, err := exec.Command(bin, "-articles", articles, "-index", dir).CombinedOutput()
	if err != nil {
		t.Fatalf("the run after the kill: %v\n%s", err, out)
	}
	if got := count(t, dir); got != n+5 {
		t.Errorf("after the next run the index holds %d articles, want %d\n%s", got, n+5, out)
	}
	gens, _ := filepath.Glob(filepath.Join(dir, "gen-*"))
	if len(gens) > 2 {
		t.Errorf("the killed build's generation was not cleaned up: %v", gens)
	}
}

func TestMissingFolderIsAClearError(t *testing.T) {
	bin := buildIndexer(t)
	out, err := exec.Command(bin, "-articles", filepath.Join(t.TempDir(), "nope"), "-index", t.TempDir()).CombinedOutput()
	if err == nil || !strings.Contains(string(out), "nope") {
		t.Errorf("err %v, output %q: want a non-zero exit naming the folder", err, out)
	}
}

func TestSummaryReportsEachKindOfChange(t *testing.T) {
	articles := indextest.Corpus(t, map[string]string{"bad.txt": "", "pic.png": "x"})
	dir := filepath.Join(t.TempDir(), "index")
	var out, errOut strings.Builder
	cfg := gen.Config{Articles: articles, Index: dir}
	if err := run(context.Background(), cfg, output{quiet: true, out: &out, errOut: &errOut}); err != nil {
		t.Fatal(err)
	}
	if s := out.String(); !strings.Contains(s, "5 added, 0 updated, 0 deleted, 0 unchanged, 1 skipped, 1 not articles") {
		t.Errorf("summary = %q", s)
	}
	if !strings.Contains(errOut.String(), "skipped bad.txt:") {
		t.Errorf("the skipped file and its reason are not reported: %q", errOut.String())
	}
	out.Reset()
	if err := run(context.Background(), cfg, output{quiet: true, out: &out, errOut: &errOut}); err != nil {
		t.Fatal(err)
	}
	if s := out.String(); !strings.Contains(s, "5 unchanged") || !strings.Contains(s, "nothing changed") {
		t.Errorf("second summary = %q", s)
	}
}

// -export-bulk and -export-mapping write OpenSearch's files from the
// articles, report a bad file and go on, and index nothing.
func TestExportWritesFilesAndIndexesNothing(t *testing.T) {
	bin := buildIndexer(t)
	articles := indextest.Corpus(t, map[string]string{"bad.txt": ""})
	work := t.TempDir()
	cmd := exec.Command(bin, "-articles", articles, "-export-bulk", "articles.ndjson", "-export-mapping", "mapping.json")
	cmd.Dir = work
	var stdout, stderr strings.Builder
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("export: %v\n%s%s", err, stdout.String(), stderr.String())
	}
	if !strings.Contains(stdout.String(), "exported 5 articles") || !strings.Contains(stdout.String(), "1 skipped") {
		t.Errorf("summary %q: want 5 articles exported and 1 skipped", stdout.String())
	}
	if !strings.Contains(stderr.String(), "skipped bad.txt:") {
		t.Errorf("the bad file is not reported: %q", stderr.String())
	}
	entries, _ := os.ReadDir(work)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if strings.Join(names, " ") != "articles.ndjson mapping.json" {
		t.Errorf("the export wrote %v, want only articles.ndjson and mapping.json (no index)", names)
	}
	bulk, err := os.ReadFile(filepath.Join(work, "articles.ndjson"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(string(bulk), "\n"), "\n")
	if len(lines) != 10 || !strings.HasPrefix(lines[0], `{"index":{"_index":"newsfind","_id":"`) {
		t.Errorf("%d lines, first %.80q: want 5 action and document pairs", len(lines), lines[0])
	}
	mapping, err := os.ReadFile(filepath.Join(work, "mapping.json"))
	if err != nil || !json.Valid(mapping) || !strings.Contains(string(mapping), `"newsfind_snowball"`) {
		t.Errorf("mapping.json (err %v) is not the mapping: %.200s", err, mapping)
	}

	// Split into parts of at most 5,000 bytes: one article a part here.
	cmd = exec.Command(bin, "-articles", articles, "-export-bulk", "parts.ndjson", "-export-max-bytes", "5000", "-q")
	cmd.Dir = work
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("split export: %v\n%s", err, out)
	}
	parts, _ := filepath.Glob(filepath.Join(work, "parts-*.ndjson"))
	var joined []byte
	for _, p := range parts {
		b, _ := os.ReadFile(p)
		joined = append(joined, b...)
	}
	if len(parts) < 2 || string(joined) != string(bulk) {
		t.Errorf("%d parts that together are %d bytes: want the same stream (%d bytes) in several", len(parts), len(joined), len(bulk))
	}
}

// An export flag with the flags of indexing is a usage error: the export
// would ignore them.
func TestExportRefusesIndexingFlags(t *testing.T) {
	bin := buildIndexer(t)
	work := t.TempDir()
	for _, args := range [][]string{
		{"-export-bulk", "a.ndjson", "-index", "idx"},
		{"-export-mapping", "m.json", "-watch"},
		{"-export-max-bytes", "1000"},
	} {
		cmd := exec.Command(bin, args...)
		cmd.Dir = work
		out, err := cmd.CombinedOutput()
		var exit *exec.ExitError
		if !errors.As(err, &exit) || exit.ExitCode() != 2 || !strings.Contains(string(out), "-export") {
			t.Errorf("%v: err %v, output %q: want exit status 2 and a message", args, err, out)
		}
	}
	if entries, _ := os.ReadDir(work); len(entries) > 0 {
		t.Errorf("a refused export wrote %v", entries)
	}
}
