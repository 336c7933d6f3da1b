package engine

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/newsfind/newsfind/internal/index/gen"
	"github.com/newsfind/newsfind/internal/search"
)

// Compact leaves a generation of several segments with one, and with no
// file of the segments it replaced; its articles and what they match stay
// the same.
func TestCompactMergesSegments(t *testing.T) {
	path, before, hitsBefore := unmergedGeneration(t)
	if err := Compact(context.Background(), path); err != nil {
		t.Fatal(err)
	}
	after, hitsAfter := segmentsAndHits(t, path)
	if after != 1 {
		t.Errorf("%d segments after Compact, want 1 (%d before)", after, before)
	}
	if !slices.Equal(hitsBefore, hitsAfter) {
		t.Errorf("matches of the search after Compact %v, want %v", hitsAfter, hitsBefore)
	}
	entries, err := os.ReadDir(filepath.Join(path, "store"))
	if err != nil {
		t.Fatal(err)
	}
	var zaps []string
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".zap") {
			zaps = append(zaps, e.Name())
		}
	}
	if len(zaps) != after {
		t.Errorf("segment files after Compact %v, want the %d live only", zaps, after)
	}
}

// A merged segment holds at most the articles compact is given: what
// bounds the indexer's memory while it merges.
func TestCompactCapsMergedSegments(t *testing.T) {
	path, before, hitsBefore := unmergedGeneration(t)
	const maxDocs = 4 // of the 5 seed articles
	if err := compact(context.Background(), path, maxDocs); err != nil {
		t.Fatal(err)
	}
	g, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	snap := g.reader.(*scorch.IndexSnapshot)
	var sizes []uint64
	for _, s := range snap.Segments() {
		sizes = append(sizes, s.Count())
	}
	g.Close()
	if len(sizes) < 2 || len(sizes) > before || slices.Max(sizes) > maxDocs {
		t.Errorf("segments of %v articles after compacting %d with at most %d each", sizes, before, maxDocs)
	}
	if _, hitsAfter := segmentsAndHits(t, path); !slices.Equal(hitsBefore, hitsAfter) {
		t.Errorf("matches of the search after compact %v, want %v", hitsAfter, hitsBefore)
	}
}

// unmergedGeneration builds the seed articles a batch each and returns
// the generation, its number of segments (several) and the IDs a common
// search matches.
func unmergedGeneration(t *testing.T) (path string, segments int, hits []string) {
	t.Helper()
	// A batch per article, a segment each; scorch's merger, running
	// meanwhile, merges small segments when it gets to them, and about
	// one build in ten ends with them all merged (in 20 runs): a build
	// that left one is built again, so that Compact has several to merge.
	for try := 0; segments < 2; try++ {
		if try == 10 {
			t.Fatalf("10 builds left %d segment; the test needs several", segments)
		}
		dir := filepath.Join(t.TempDir(), "index")
		if _, err := gen.Build(context.Background(), gen.Config{Articles: seedsDir, Index: dir, BatchSize: 1}); err != nil {
			t.Fatal(err)
		}
		var err error
		if path, err = gen.Current(dir); err != nil {
			t.Fatal(err)
		}
		segments, hits = segmentsAndHits(t, path)
	}
	return path, segments, hits
}

// segmentsAndHits opens the generation at path and returns its number of
// segments and the IDs of the articles a common search matches.
func segmentsAndHits(t *testing.T, path string) (int, []string) {
	t.Helper()
	g, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer g.Close()
	snap, ok := g.reader.(*scorch.IndexSnapshot)
	if !ok {
		t.Fatal("not a scorch snapshot")
	}
	res, err := (&testIndex{Generation: g}).Search(context.Background(), search.Request{Query: "cooperation", Size: 50, NoCollapse: true})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, h := range res.Hits {
		ids = append(ids, h.ID)
	}
	slices.Sort(ids)
	return len(snap.Segments()), ids
}
