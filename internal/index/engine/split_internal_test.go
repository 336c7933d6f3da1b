package engine

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/newsfind/newsfind/internal/index/spare"
	"github.com/newsfind/newsfind/internal/search"
)

// openSplit opens the index folder dir twice with the pruning tests'
// exact count: one generation splits every ranking pass of more than
// min matches over a spare core, the other splits none. The cores lent
// count the split passes.
func openSplit(t *testing.T, dir string, min int) (split, whole *testIndex, cores *spare.Cores) {
	t.Helper()
	cores = spare.NewCores(2)
	split = openIndex(t, dir, Options{ExactCount: pruneCount, Cores: cores, SplitMin: min})
	whole = openIndex(t, dir, Options{ExactCount: pruneCount})
	return split, whole, cores
}

// sameSplitPages searches each request on both generations and fails on
// any difference in the results: hits (IDs, scores, order), totals and
// facets.
func sameSplitPages(t *testing.T, split, whole *testIndex, reqs []search.Request) {
	t.Helper()
	for _, req := range reqs {
		for _, exact := range []bool{false, true} {
			req.Exact = exact
			want, got := whole.must(t, req), split.must(t, req)
			if len(got.Hits) != len(want.Hits) {
				t.Errorf("%q (exact %v): %d hits split, %d whole", req.Query, exact, len(got.Hits), len(want.Hits))
				continue
			}
			for i := range want.Hits {
				if g, w := got.Hits[i], want.Hits[i]; g.ID != w.ID || g.Score != w.Score {
					t.Errorf("%q (exact %v, page %d): hit %d is %s (%v) split, %s (%v) whole",
						req.Query, exact, req.Page, i+1, g.ID, g.Score, w.ID, w.Score)
				}
			}
			if got.Total != want.Total || got.TotalExact != want.TotalExact {
				t.Errorf("%q (exact %v): total %d (exact %v) split, %d (exact %v) whole", req.Query, exact, got.Total, got.TotalExact, want.Total, want.TotalExact)
			}
			if !reflect.DeepEqual(got.Facets, want.Facets) {
				t.Errorf("%q (exact %v): facets differ split and whole:\n%v\n%v", req.Query, exact, got.Facets, want.Facets)
			}
		}
	}
}

// A search whose ranking pass takes a spare core gives the page it gives
// on one: on generated news, the pruning tests' searches (common words,
// a phrase bonus, prefixes, typos, feedback, filters, later pages,
// stories collapsed or not), split at every size down to one match.
func TestSplitKeepsPagesGenerated(t *testing.T) {
	articles := t.TempDir()
	writeZipfCorpus(t, filepath.Join(articles, "news.jsonl"), 1500)
	writeVersions(t, filepath.Join(articles, "news.jsonl"), filepath.Join(articles, "versions.jsonl"), 3)
	dir := buildPruning(t, articles)
	reqs := zipfRequests(true)
	for _, min := range []int{1, 200} {
		split, whole, splits := openSplit(t, dir, min)
		if split.stories.Len() < 100 {
			t.Fatalf("%d stories of several versions: the test hardly compares collapsing", split.stories.Len())
		}
		sameSplitPages(t, split, whole, reqs)
		if splits.Lent() < uint64(len(reqs)) {
			t.Errorf("split at %d matches: %d passes split of %d searches, twice each", min, splits.Lent(), len(reqs))
		}
	}
}

// Each half of a split pass skips below the other's threshold, the
// earlier half strictly below it: ties go to the earlier article, so a
// match of the earlier half scoring the later half's threshold enters.
func TestSplitFloorTies(t *testing.T) {
	var s splitFloor
	if _, ok := s.other(0); ok {
		t.Fatal("a threshold before the later half has one")
	}
	s.publish(1, 2.5)
	if theta, ok := s.other(0); !ok || theta >= 2.5 || theta < math.Nextafter(2.5, 0) {
		t.Errorf("earlier half skips below %v, %v; want just below 2.5", theta, ok)
	}
	s.publish(0, 1.5)
	if theta, ok := s.other(1); !ok || theta != 1.5 {
		t.Errorf("later half skips below %v, %v; want 1.5", theta, ok)
	}
}

// A panic in the later half is raised again where the search joins it, on
// the search's goroutine (whose caller, searchd's server, recovers it),
// not on the half's own, where it would end the process.
func TestSplitPanicReachesTheSearch(t *testing.T) {
	h := &half{done: make(chan error, 1), stop: func() {}}
	go h.run(func() error { panic("boom") })
	defer func() {
		if v := recover(); v == nil || !strings.Contains(fmt.Sprint(v), "boom") {
			t.Errorf("join recovered %v; want the later half's panic", v)
		}
	}()
	_ = h.join(nil, nil, nil)
	t.Error("join returned after the later half panicked")
}

// writeVersions writes to path a second version of every every-th
// article of the JSON lines file from: the same text, a title with a word
// more, another source and a later date, so that the two are one story.
func writeVersions(t *testing.T, from, path string, every int) {
	t.Helper()
	data, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	var out []byte
	for i, line := range bytes.Split(bytes.TrimSpace(data), []byte("\n")) {
		if i%every != 0 {
			continue
		}
		var a map[string]any
		if err := json.Unmarshal(line, &a); err != nil {
			t.Fatal(err)
		}
		a["title"], a["source"] = a["title"].(string)+" updated", "Delta Post"
		b, err := json.Marshal(a)
		if err != nil {
			t.Fatal(err)
		}
		out = append(append(out, b...), '\n')
	}
	if err := os.WriteFile(path, out, 0o644); err != nil {
		t.Fatal(err)
	}
}

// The same on an index updated several times: the halves start and end
// inside segments with deleted articles, and the later half's searcher
// advances into a segment past its first.
func TestSplitKeepsPagesUpdated(t *testing.T) {
	ix := openUpdatedZipf(t, 3000)
	segments := len(ix.segments)
	if segments < 2 {
		t.Fatalf("%d segments: the test hardly splits across them", segments)
	}
	split, whole, splits := openSplit(t, ix.dir, 1)
	sameSplitPages(t, split, whole, zipfRequests(false))
	if splits.Lent() == 0 {
		t.Error("no pass split")
	}
	t.Logf("%d segments, %d passes split", segments, splits.Lent())
}
