package gen

import (
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"slices"
	"strconv"

	"github.com/bits-and-blooms/bloom/v3"
	"github.com/blevesearch/bleve/v2"
	"github.com/newsfind/newsfind/internal/dedup"
	"github.com/newsfind/newsfind/internal/index/schema"
)

// Stories: each article is given, as it is indexed, the label of the story
// it is a version of (schema.Story), so that search shows one hit per
// story. Each document also holds what finding its story's versions needs
// (schema.StoryBands, the LSH band keys of its signature, and
// schema.StorySig, the signature), so an update costs what changed: a new
// article is matched by a look-up of its bands in the index it joins, not
// by a comparison with the whole archive, and a deleted one takes its
// bands with it.
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
	idx     bleve.Index
	added   map[string]storyEntry   // by article ID
	byBand  map[dedup.Band][]string // bands of added (stale IDs are checked against added)
	removed map[string]bool         // IDs the update deletes or replaces: their documents may still be in the index
	// batches are the IDs assigned in each batch handed to the index and
	// not known to have landed, oldest first, then those of the batch
	// being filled: what added must still hold.
	batches [][]string
	// seen, in a generation that starts empty, holds the bands of every
	// article assigned: when it holds none of a new article's bands, no
	// article in the index shares one, and the index is not searched.
	// Nil for an update, whose index holds articles assigned before.
	seen *bandSet
	// searches counts the look-ups in the index, for tests.
	searches int
}

// newStories assigns stories over idx; fresh says idx started empty in
// this update, so every article it holds was assigned here.
func newStories(idx bleve.Index, fresh bool) *stories {
	s := &stories{idx: idx, added: map[string]storyEntry{}, byBand: map[dedup.Band][]string{},
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
	bands := sig.Bands()
	best, bestSim := "", 0.0
	consider := func(e storyEntry) {
		sim := sig.Similarity(e.sig)
		if sim >= dedup.Threshold && (sim > bestSim || sim == bestSim && e.label < best) {
			best, bestSim = e.label, sim
		}
	}
	for _, b := range bands {
		for _, other := range s.byBand[b] {
			if e, ok := s.added[other]; ok && other != id {
				consider(e)
			}
		}
	}
	if s.seen == nil || s.seen.mayHoldAny(bands) {
		if err := s.search(id, bands, consider); err != nil {
			return "", err
		}
	}
	if best == "" {
		best = sig.Story(id)
	}
	s.added[id] = storyEntry{label: best, sig: sig}
	for _, b := range bands {
		s.byBand[b] = append(s.byBand[b], id)
	}
	if s.seen != nil {
		s.seen.add(bands)
	}
	last := len(s.batches) - 1
	s.batches[last] = append(s.batches[last], id)
	return best, nil
}

// search offers consider the articles in the index sharing a band with
// article id, those sharing the most first.
func (s *stories) search(id string, bands [dedup.Bands]dedup.Band, consider func(storyEntry)) error {
	s.searches++
	terms := bandTerms(bands)
	q := bleve.NewDisjunctionQuery()
	for _, t := range terms {
		tq := bleve.NewTermQuery(t)
		tq.SetField(schema.StoryBands)
		q.AddQuery(tq)
	}
	req := bleve.NewSearchRequestOptions(q, maxCandidates, 0, false)
	req.Fields = []string{schema.Story, schema.StorySig}
	res, err := s.idx.Search(req)
	if err != nil {
		return fmt.Errorf("story of %s: %w", id, err)
	}
	for _, h := range res.Hits {
		if _, newer := s.added[h.ID]; h.ID == id || s.removed[h.ID] || newer {
			continue // replaced, deleted, or considered above
		}
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
// story, and at a million articles searching the index for their 21 bands
// would cost more than indexing them (each term looked up in each
// segment's dictionary): the set answers no for nearly all of them. It
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

func (s *bandSet) add(bands [dedup.Bands]dedup.Band) {
	var key [8]byte
	for _, b := range bands {
		if len(s.blocks) == 0 || s.n == bandSetBlock {
			s.blocks = append(s.blocks, bloom.NewWithEstimates(bandSetBlock, bandSetFalsePositives))
			s.n = 0
		}
		binary.LittleEndian.PutUint64(key[:], uint64(b))
		s.blocks[len(s.blocks)-1].Add(key[:])
		s.n++
	}
}

// mayHoldAny reports whether any of bands may be in the set: false means
// none is.
func (s *bandSet) mayHoldAny(bands [dedup.Bands]dedup.Band) bool {
	var key [8]byte
	for _, b := range bands {
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
// version: its bands' lists lose it, and it is no longer a replaced
// document to skip.
func (s *stories) forget(id string) {
	e, ok := s.added[id]
	if !ok {
		return
	}
	for _, b := range e.sig.Bands() {
		ids := s.byBand[b]
		if i := slices.Index(ids, id); i >= 0 {
			ids = slices.Delete(ids, i, i+1)
		}
		if len(ids) == 0 {
			delete(s.byBand, b)
		} else {
			s.byBand[b] = ids
		}
	}
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
	clear(s.byBand)
	s.batches = [][]string{nil}
}

// bandTerms returns the index terms of a signature's band keys.
func bandTerms(bands [dedup.Bands]dedup.Band) []string {
	out := make([]string, len(bands))
	for i, b := range bands {
		out[i] = strconv.FormatUint(uint64(b), 36)
	}
	return out
}

// storyFields returns the schema.StoryBands and schema.StorySig values of
// a signature.
func storyFields(sig dedup.Signature) ([]string, string) {
	return bandTerms(sig.Bands()), base64.RawStdEncoding.EncodeToString(sig.Encode())
}
