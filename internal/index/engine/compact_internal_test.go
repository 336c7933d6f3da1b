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
	// A batch per article, a segment each; scorch's merger, running
	// meanwhile, merges small segments when it gets to them, and about
	// one build in ten ends with them all merged (in 20 runs): a build
	// that left one is built again, so that Compact has several to merge.
	var path string
	var before int
	var hitsBefore []string
	for try := 0; before < 2; try++ {
		if try == 10 {
			t.Fatalf("10 builds left %d segment; the test needs several", before)
		}
		dir := filepath.Join(t.TempDir(), "index")
		if _, err := gen.Build(context.Background(), gen.Config{Articles: seedsDir, Index: dir, BatchSize: 1}); err != nil {
			t.Fatal(err)
		}
		var err error
		if path, err = gen.Current(dir); err != nil {
			t.Fatal(err)
		}
		before, hitsBefore = segmentsAndHits(t, path)
	}
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
