package gen

import (
	"encoding/base64"
	"encoding/binary"
	"fmt"

	"github.com/bits-and-blooms/bloom/v3"
	"github.com/blevesearch/bleve/v2"
	"github.com/newsfind/newsfind/internal/dedup"
	"github.com/newsfind/newsfind/internal/index/bands"
	"github.com/newsfind/newsfind/internal/index/schema"
)

// Stories: each article is given, as it is indexed, the label of the story
// it is a version of (schema.Story), so that search shows one hit per
// story. Each document also holds its signature (schema.StorySig), and
// the generation's band keys (package bands) hold the LSH band keys of
// every article, so an update costs what changed: a new article is
// matched by a look-up of its bands, not by a comparison with the whole
// archive.
//
// An article joins the story of the most similar article sharing a band
// with it, when their similarity reaches dedup.Threshold; otherwise it
// starts a story, labelled from its own ID and signature. A label never
// changes once given: deleting a version, even the first, leaves the
// others' labels (and documents) as they are, so neither an addition nor a
// deletion re-indexes any other article.

// maxCandidates is how many articles sharing a band with a new one are
// compared with it, those sharing the most bands first.
const maxCandidates = 100

// storyEntry is an article's story: its label and signature.
type storyEntry struct {
	label string
	sig   dedup.Signature
}

// stories assigns articles to stories during one update, over the
// generation being written. The index holds the articles of the batches
// that reached it; the ones assigned since are held here until landed says
// every batch is in.
type stories struct {
	idx   bleve.Index
	bands *bands.Set            // every article's band keys, those assigned here included
	added map[string]storyEntry // by article ID
	// removed are IDs the update deletes or replaces: their documents may
	// still be in the index, and their keys stay in bands.
	removed map[string]bool
	// batches are the IDs assigned in each batch handed to the index and
	// not known to have landed, oldest first, then those of the batch
	// being filled: what added must still hold.
	batches [][]string
	// seen, in a generation that starts empty, holds the bands of every
	// article assigned: when it holds none of a new article's bands, no
	// article shares one, and bands is not looked in.
	// Nil for an update, whose bands hold articles assigned before.
	seen *bandSet
	// searches counts the look-ups, for tests.
	searches int
}

// newStories assigns stories over idx, whose articles' band keys are in
// set; fresh says idx started empty in this update, so every article it
// holds was assigned here.
func newStories(idx bleve.Index, set *bands.Set, fresh bool) *stories {
	s := &stories{idx: idx, bands: set, added: map[string]storyEntry{},
		removed: map[string]bool{}, batches: [][]string{nil}}
	if fresh {
		s.seen = &bandSet{}
	}
	return s
}

// assign returns the story of article id, whose text signed sig (ok
// false: too short to sign, a story of its own, without a label). An
// earlier version of id is replaced.
func (s *stories) assign(id string, sig dedup.Signature, ok bool) (string, error) {
	s.remove(id)
	if !ok {
		return "", nil
	}
	keys := sig.Bands()
	best, bestSim := "", 0.0
	consider := func(e storyEntry) {
		sim := sig.Similarity(e.sig)
		if sim >= dedup.Threshold && (sim > bestSim || sim == bestSim && e.label < best) {
			best, bestSim = e.label, sim
		}
	}
	if s.seen == nil || s.seen.mayHoldAny(keys) {
		if err := s.search(id, keys, consider); err != nil {
			return "", err
		}
	}
	if best == "" {
		best = sig.Story(id)
	}
	s.added[id] = storyEntry{label: best, sig: sig}
	if err := s.bands.Add(id, keys); err != nil {
		return "", fmt.Errorf("story of %s: %w", id, err)
	}
	if s.seen != nil {
		s.seen.add(keys)
	}
	last := len(s.batches) - 1
	s.batches[last] = append(s.batches[last], id)
	return best, nil
}

// search offers consider the articles sharing a band with article id,
// up to maxCandidates, those sharing the most first: as assigned here
// when their batch has not landed, else as the index holds them.
func (s *stories) search(id string, keys [dedup.Bands]dedup.Band, consider func(storyEntry)) error {
	s.searches++
	var fetch []string
	n := 0
	s.bands.Lookup(keys, func(other string, _ int) {
		if n == maxCandidates || other == id {
			return
		}
		if e, ok := s.added[other]; ok {
			n++
			consider(e)
		} else if !s.removed[other] {
			n++
			fetch = append(fetch, other)
		}
	})
	if len(fetch) == 0 {
		return nil
	}
	req := bleve.NewSearchRequestOptions(bleve.NewDocIDQuery(fetch), len(fetch), 0, false)
	req.Fields = []string{schema.Story, schema.StorySig}
	res, err := s.idx.Search(req)
	if err != nil {
		return fmt.Errorf("story of %s: %w", id, err)
	}
	for _, h := range res.Hits { // deleted articles are not found
		label, _ := h.Fields[schema.Story].(string)
		enc, _ := h.Fields[schema.StorySig].(string)
		raw, err := base64.RawStdEncoding.DecodeString(enc)
		if err != nil || label == "" {
			continue // not a signed article
		}
		if other, err := dedup.Decode(raw); err == nil {
			consider(storyEntry{label, other})
		}
	}
	return nil
}

// bandSet is a set of band keys that may answer yes for a key it does not
// hold, never no for one it does: Bloom filters (bits-and-blooms/bloom),
// one per bandSetBlock keys, each at a false-positive rate of
// bandSetFalsePositives. Most articles are the only version of their
// story, and at a million articles looking their 21 bands up in each of
// ~20 runs of keys (package bands), then fetching what shares one, would
// cost ~10,000 probes of mapped memory each: the set answers no for
// nearly all of them. It
// grows by blocks, so a build need not know its size: ~9.7 MB per 262,144
// articles, and at a million a new article's bands all miss with
// probability ≥ (1−4·0.001)^21 ≈ 0.92.
type bandSet struct {
	blocks []*bloom.BloomFilter
	n      int // keys added to the last block
}

const (
	bandSetBlock          = 1 << 18 * dedup.Bands
	bandSetFalsePositives = 0.001
)

func (s *bandSet) add(keys [dedup.Bands]dedup.Band) {
	var key [8]byte
	for _, b := range keys {
		if len(s.blocks) == 0 || s.n == bandSetBlock {
			s.blocks = append(s.blocks, bloom.NewWithEstimates(bandSetBlock, bandSetFalsePositives))
			s.n = 0
		}
		binary.LittleEndian.PutUint64(key[:], uint64(b))
		s.blocks[len(s.blocks)-1].Add(key[:])
		s.n++
	}
}

// mayHoldAny reports whether any of keys may be in the set: false means
// none is.
func (s *bandSet) mayHoldAny(keys [dedup.Bands]dedup.Band) bool {
	var key [8]byte
	for _, b := range keys {
		binary.LittleEndian.PutUint64(key[:], uint64(b))
		for _, f := range s.blocks {
			if f.Test(key[:]) {
				return true
			}
		}
	}
	return false
}

// handedOff says a batch holding what was assigned since the last call
// went to the index, and that at most inFlight batches are being indexed:
// those handed off earlier have landed, so their articles are found in
// the index, as their latest versions, and are forgotten here. So the
// memory this holds is a few batches', whatever the archive's size.
func (s *stories) handedOff(inFlight int) {
	s.batches = append(s.batches, nil)
	for len(s.batches)-1 > inFlight {
		for _, id := range s.batches[0] {
			s.forget(id)
		}
		s.batches = s.batches[1:]
	}
}

// forget drops article id from the overlay once the index holds its
// version: it is no longer a replaced document to skip.
func (s *stories) forget(id string) {
	delete(s.added, id)
	delete(s.removed, id)
}

// remove forgets article id (it was deleted or replaced).
func (s *stories) remove(id string) {
	delete(s.added, id)
	s.removed[id] = true
}

// landed says the index holds every batch so far: what was assigned is
// found there from now on.
func (s *stories) landed() {
	for _, ids := range s.batches {
		for _, id := range ids {
			delete(s.removed, id) // its version in the index is the latest
		}
	}
	clear(s.added)
	s.batches = [][]string{nil}
}

// storySig returns the schema.StorySig value of a signature.
func storySig(sig dedup.Signature) string {
	return base64.RawStdEncoding.EncodeToString(sig.Encode())
}
