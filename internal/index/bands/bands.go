// Package bands keeps the LSH band keys of a generation's articles (see
// package dedup) beside its bleve index, to tell which articles may be
// versions of a new one. As a field of the index, the ~21 nearly unique
// keys of each article made the largest term dictionary of every segment:
// in the 10k build of session 6 one band key per article instead of 21
// took a third off the indexer's CPU, and at a million articles merging
// that dictionary took 192 MB of the indexer's 220 MB heap (session 11).
//
// A Set is a folder of runs: files (package sidecar) that each hold the
// sorted keys of the articles added between two flushes, and their IDs.
// Keys are written as a run every flushArticles articles (and by Flush,
// at the end of an update), so a Set holds few keys in memory whatever
// the archive's size; once more than maxSmallRuns runs are smaller than
// bigRun articles, they are merged into one, so a look-up reads about one
// run per bigRun articles. A run is never written to again: an update's
// generation links its predecessor's runs, as it links bleve's segments.
//
// A run keeps an article's keys after the article is deleted or replaced:
// a Set says which articles may share a band with a new one, and the
// caller checks each against the index.
package bands

import (
	"cmp"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/newsfind/newsfind/internal/dedup"
	"github.com/newsfind/newsfind/internal/index/sidecar"
)

// Suffix ends the names of run files, which a copy of a generation links
// rather than copies.
const Suffix = ".bands"

// flushArticles is how many articles' keys a Set holds before writing
// them as a run: 172,032 keys, ~10 MB with their look-up map.
const flushArticles = 1 << 13

// bigRun is the size, in articles, from which a run is not merged again,
// and maxSmallRuns how many smaller ones are merged into one. Runs are
// written of at most flushArticles articles, so a merge holds in memory
// the keys of 9 of those (a full build: 1.5M keys, ~45 MB), or of one
// smaller than bigRun and 8 of those (at most 2.8M keys, ~80 MB).
const (
	bigRun       = 1 << 16
	maxSmallRuns = 8
)

const (
	kind    = "bands"
	version = 1
)

// Set is the band keys of a generation's articles, in the runs of its
// folder and those added since the last Flush.
type Set struct {
	dir  string
	runs []*run
	next int // number of the next run file
	// pending are the keys added since the last flush, by key, each with
	// its articles' indexes in ids.
	pending map[dedup.Band][]uint32
	ids     []string
}

type entry struct {
	key dedup.Band
	doc uint32
}

// run is one run file, mapped.
type run struct {
	path string
	file *sidecar.File
	keys []int64  // sorted; a band's top byte is its number, below 64, so none is negative
	docs []uint32 // for each key, its article's index in ids
	ids  sidecar.StringList
}

// Open opens the Set in folder dir, creating the folder when absent.
func Open(dir string) (*Set, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("band keys: %w", err)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("band keys: %w", err)
	}
	s := &Set{dir: dir, pending: map[dedup.Band][]uint32{}}
	for _, e := range entries {
		name, ok := strings.CutSuffix(e.Name(), Suffix)
		if !ok {
			continue
		}
		var n int
		if _, err := fmt.Sscanf(name, "%d", &n); err != nil {
			continue
		}
		r, err := readRun(filepath.Join(dir, e.Name()))
		if err != nil {
			s.Close()
			return nil, err
		}
		s.runs = append(s.runs, r)
		s.next = max(s.next, n+1)
	}
	return s, nil
}

func readRun(path string) (*run, error) {
	r := &run{path: path}
	f, err := sidecar.Read(path, kind, version, kind, func(d *sidecar.Decoder) error {
		r.keys, r.docs, r.ids = d.Int64s(), d.Uint32s(), d.StringList()
		if len(r.keys) != len(r.docs) {
			return fmt.Errorf("%d keys and %d articles", len(r.keys), len(r.docs))
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("band keys %s (a full build writes them anew): %w", path, err)
	}
	r.file = f
	return r, nil
}

// Add records the band keys of article id, writing a run when enough are
// held. An article added twice (a new version) is found by the keys of
// both.
func (s *Set) Add(id string, keys [dedup.Bands]dedup.Band) error {
	doc := uint32(len(s.ids))
	s.ids = append(s.ids, id)
	for _, k := range keys {
		s.pending[k] = append(s.pending[k], doc)
	}
	if len(s.ids) < flushArticles {
		return nil
	}
	return s.Flush()
}

// Flush writes the keys added since the last Flush as a run, then merges
// the small runs when there are too many.
func (s *Set) Flush() error {
	if len(s.ids) == 0 {
		return nil
	}
	var all []entry
	for k, docs := range s.pending {
		for _, d := range docs {
			all = append(all, entry{k, d})
		}
	}
	r, err := s.write(all, s.ids)
	if err != nil {
		return err
	}
	s.runs = append(s.runs, r)
	clear(s.pending)
	s.ids = nil
	return s.mergeSmall()
}

// write sorts entries, writes them as a run of the articles ids and
// returns it, read back.
func (s *Set) write(entries []entry, ids []string) (*run, error) {
	slices.SortFunc(entries, func(a, b entry) int { return cmp.Or(cmp.Compare(a.key, b.key), cmp.Compare(a.doc, b.doc)) })
	keys, docs := make([]int64, len(entries)), make([]uint32, len(entries))
	for i, e := range entries {
		keys[i], docs[i] = int64(e.key), e.doc
	}
	path := filepath.Join(s.dir, fmt.Sprintf("%06d%s", s.next, Suffix))
	s.next++
	err := sidecar.Write(path, kind, version, kind, func(e *sidecar.Encoder) {
		e.Int64s(keys)
		e.Uint32s(docs)
		e.Strings(ids)
	})
	if err != nil {
		return nil, fmt.Errorf("band keys: %w", err)
	}
	return readRun(path)
}

// mergeSmall merges the runs of fewer than bigRun articles into one when
// there are more than maxSmallRuns of them.
func (s *Set) mergeSmall() error {
	var small, kept []*run
	for _, r := range s.runs {
		if r.ids.Len() < bigRun {
			small = append(small, r)
		} else {
			kept = append(kept, r)
		}
	}
	if len(small) <= maxSmallRuns {
		return nil
	}
	var all []entry
	var ids []string
	for _, r := range small {
		base := uint32(len(ids))
		for i := range r.ids.Len() {
			ids = append(ids, r.ids.At(i))
		}
		for i, k := range r.keys {
			all = append(all, entry{dedup.Band(k), base + r.docs[i]})
		}
	}
	merged, err := s.write(all, ids)
	if err != nil {
		return err
	}
	var errs []error
	for _, r := range small {
		errs = append(errs, r.file.Close(), os.Remove(r.path))
	}
	s.runs = append(kept, merged)
	return errors.Join(errs...)
}

// Lookup calls fn with each article that has at least one of keys, and
// how many of them it has, the article of the most first (ties in the
// order of IDs). An article added more than once is counted by the keys
// of all its versions.
func (s *Set) Lookup(keys [dedup.Bands]dedup.Band, fn func(id string, shared int)) {
	shared := map[string]int{}
	for _, k := range keys {
		for _, r := range s.runs {
			i, _ := slices.BinarySearch(r.keys, int64(k))
			for ; i < len(r.keys) && r.keys[i] == int64(k); i++ {
				shared[r.ids.At(int(r.docs[i]))]++
			}
		}
		for _, d := range s.pending[k] {
			shared[s.ids[d]]++
		}
	}
	ids := make([]string, 0, len(shared))
	for id := range shared {
		ids = append(ids, id)
	}
	slices.SortFunc(ids, func(a, b string) int {
		return cmp.Or(cmp.Compare(shared[b], shared[a]), cmp.Compare(a, b))
	})
	for _, id := range ids {
		fn(id, shared[id])
	}
}

// Close unmaps the runs; keys added since the last Flush are dropped.
func (s *Set) Close() error {
	var errs []error
	for _, r := range s.runs {
		errs = append(errs, r.file.Close())
	}
	s.runs = nil
	return errors.Join(errs...)
}
