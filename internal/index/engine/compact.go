package engine

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/index/scorch/mergeplan"
)

// Compact merges the segments of the generation at path, not yet
// published, by one round of bleve's single-segment plan, which merges
// them up to ten at a time into segments of at most maxMergedDocs
// articles (12 → 2 at 100,000 articles, 42 → 9 at 1,000,000), and
// removes the files of the segments it replaced. A search opens a reader
// per term and segment and walks each segment's postings: the merged
// generations took 16 % (100k) and 13 % (1M) less CPU a search, for 6 %
// of a full build's time (docs/PERFORMANCE.md, session 10). Tables that
// number documents (facets, block maxima) must be written after it.
func Compact(ctx context.Context, path string) error {
	return compact(ctx, path, maxMergedDocs)
}

// maxMergedDocs caps the articles of a segment Compact merges, and so
// the indexer's memory while it merges: zap builds each merged field's
// term dictionary (an FST) in one growing buffer before writing it, ~20
// bytes a term. The story_band field's ~21 nearly unique terms an article
// took a 1M build's merge of ten segments (240,000 articles) to 192 MB of
// a 220 MB heap, and the indexer's own memory to 374 MB
// (docs/PERFORMANCE.md, session 11); those keys are now kept beside the
// index (package bands), and the largest dictionary left is date's, ~11
// terms an article. The build's own segments hold at most 50,000 (gen's
// maxSegmentDocs), so the bound holds at any archive size, and whatever
// field grows.
const maxMergedDocs = 125_000

// compact is Compact with merged segments of at most maxDocs articles.
func compact(ctx context.Context, path string, maxDocs int64) error {
	live, err := merge(ctx, path, maxDocs)
	if err != nil {
		return fmt.Errorf("compact %s: %w", path, err)
	}
	// scorch's persister removes the replaced files only when it next
	// cleans up, and its bolt file keeps the snapshot before the merge,
	// which a writer opening the index keeps too: the files would stay,
	// twice the generation on disk. The merged snapshot is the latest,
	// the only one loaded, so the others' files go now.
	if err := removeStale(filepath.Join(path, "store"), live); err != nil {
		return fmt.Errorf("compact %s: %w", path, err)
	}
	return nil
}

// compactedKey is the internal key merge deletes to wait for persistence.
const compactedKey = "newsfind-compact"

// merge force-merges the generation at path into segments of at most
// maxDocs articles and returns the file names of its segments after.
func merge(ctx context.Context, path string, maxDocs int64) (live map[string]bool, err error) {
	idx, err := bleve.OpenUsing(path, map[string]any{
		"numSnapshotsToKeep": 1,
		// scorch's own merger, which runs meanwhile, keeps to the cap too.
		"scorchMergePlanOptions": map[string]any{"MaxSegmentSize": maxDocs},
	})
	if err != nil {
		return nil, err
	}
	defer func() { err = errors.Join(err, idx.Close()) }()
	adv, err := idx.Advanced()
	if err != nil {
		return nil, err
	}
	s, ok := adv.(*scorch.Scorch)
	if !ok {
		return nil, fmt.Errorf("not a scorch index")
	}
	plan := mergeplan.SingleSegmentMergePlanOptions
	plan.MaxSegmentSize = maxDocs // articles, live ones
	if err := s.ForceMerge(ctx, &plan); err != nil {
		return nil, err
	}
	// ForceMerge returns once the merged segments are searched in memory;
	// the bolt file, the snapshot an opener loads, may still name the
	// replaced ones, whose files must then stay. Recording anything (here
	// the removal of a key nobody sets) waits until the persister has
	// written a snapshot that holds the merge.
	if err := s.DeleteInternal([]byte(compactedKey)); err != nil {
		return nil, err
	}
	return liveSegmentFiles(s)
}

// liveSegmentFiles returns the file names of the segments of s's current
// snapshot.
func liveSegmentFiles(s *scorch.Scorch) (map[string]bool, error) {
	r, err := s.Reader()
	if err != nil {
		return nil, err
	}
	defer r.Close()
	snap, ok := r.(*scorch.IndexSnapshot)
	if !ok {
		return nil, fmt.Errorf("not a scorch snapshot")
	}
	live := map[string]bool{}
	for _, seg := range snap.Segments() {
		// scorch names a segment's file by its ID so (persister.go's
		// zapFileName, unexported).
		live[fmt.Sprintf("%012x.zap", seg.Id())] = true
	}
	return live, nil
}

// removeStale removes the segment files in store that are not live.
func removeStale(store string, live map[string]bool) error {
	entries, err := os.ReadDir(store)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".zap") && !live[e.Name()] {
			if err := os.Remove(filepath.Join(store, e.Name())); err != nil {
				return err
			}
		}
	}
	return nil
}
