package gen

import (
	"bytes"
	"encoding/binary"
	"fmt"

	"github.com/newsfind/newsfind/internal/dedup"
	bolt "go.etcd.io/bbolt"
)

// Stories: each article is given, as it is indexed, the label of the story
// it is a version of (schema.Story), so that search shows one hit per
// story. The manifest keeps what finding it needs, so an update costs what
// changed, not a comparison with the whole archive:
//
//   - storiesBucket: article ID → story label (16 bytes) and MinHash
//     signature (dedup.SignatureBytes);
//   - bandsBucket: LSH band key (8 bytes, big-endian) and article ID →
//     nothing, so the articles sharing a band are a prefix scan.
//
// An article joins the story of the most similar earlier article sharing a
// band with it, when their similarity reaches dedup.Threshold; otherwise
// it starts a story, labelled from its own ID and signature. A label never
// changes once given: deleting a version, even the first, leaves the
// others' labels (and documents) as they are, so neither an addition nor a
// deletion re-indexes any other article.
var (
	storiesBucket = []byte("stories")
	bandsBucket   = []byte("bands")
)

// labelBytes is the length of a story label (dedup.Signature.Story).
const labelBytes = 16

// storyEntry is what the manifest knows of one article's story.
type storyEntry struct {
	label string
	sig   dedup.Signature
}

// stories assigns articles to stories during one update. What the update
// adds and removes is held here, over the manifest, until flush writes it:
// after the new generation is published (an update), or every
// storyFlushEvery articles into a full build's own new manifest.
type stories struct {
	db      *bolt.DB
	added   map[string]storyEntry   // by article ID
	byBand  map[dedup.Band][]string // bands of added (stale IDs are checked against added)
	removed map[string]bool         // IDs whose manifest entries go
}

// storyFlushEvery is how many articles a full build assigns between
// writes of its stories to the new manifest: memory stays bounded.
const storyFlushEvery = 1000

func newStories(db *bolt.DB) *stories {
	return &stories{db: db, added: map[string]storyEntry{}, byBand: map[dedup.Band][]string{}, removed: map[string]bool{}}
}

// assign records the article id with signature sig (ok false: too short
// to sign, a story of its own without a label) and returns its story's
// label. An earlier version of id is replaced.
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
	err := s.db.View(func(tx *bolt.Tx) error {
		bk, st := tx.Bucket(bandsBucket), tx.Bucket(storiesBucket)
		c := bk.Cursor()
		for _, b := range bands {
			prefix := bandKey(b, "")
			for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
				other := string(k[len(prefix):])
				if other == id || s.removed[other] {
					continue
				}
				if _, ok := s.added[other]; ok {
					continue // its new version was considered above
				}
				e, found, err := readStory(st, other)
				if err != nil {
					return err
				}
				if found {
					consider(e)
				}
			}
		}
		return nil
	})
	if err != nil {
		return "", fmt.Errorf("story of %s: %w", id, err)
	}
	if best == "" {
		best = sig.Story(id)
	}
	s.added[id] = storyEntry{label: best, sig: sig}
	for _, b := range bands {
		s.byBand[b] = append(s.byBand[b], id)
	}
	return best, nil
}

// remove forgets article id's story entry (it was deleted or replaced).
func (s *stories) remove(id string) {
	delete(s.added, id)
	s.removed[id] = true
}

// pending reports how many entries flush would write.
func (s *stories) pending() int { return len(s.added) + len(s.removed) }

// flush writes what the update changed into tx's manifest and starts over.
func (s *stories) flush(tx *bolt.Tx) error {
	bk, st := tx.Bucket(bandsBucket), tx.Bucket(storiesBucket)
	for id := range s.removed {
		e, found, err := readStory(st, id)
		if err != nil || !found {
			if err != nil {
				return err
			}
			continue
		}
		for _, b := range e.sig.Bands() {
			if err := bk.Delete(bandKey(b, id)); err != nil {
				return err
			}
		}
		if err := st.Delete([]byte(id)); err != nil {
			return err
		}
	}
	for id, e := range s.added {
		v := append([]byte(e.label), e.sig.Encode()...)
		if err := st.Put([]byte(id), v); err != nil {
			return fmt.Errorf("manifest story %s: %w", id, err)
		}
		for _, b := range e.sig.Bands() {
			if err := bk.Put(bandKey(b, id), nil); err != nil {
				return fmt.Errorf("manifest band of %s: %w", id, err)
			}
		}
	}
	clear(s.added)
	clear(s.byBand)
	clear(s.removed)
	return nil
}

// readStory reads id's entry from the stories bucket st.
func readStory(st *bolt.Bucket, id string) (storyEntry, bool, error) {
	v := st.Get([]byte(id))
	if v == nil {
		return storyEntry{}, false, nil
	}
	if len(v) != labelBytes+dedup.SignatureBytes {
		return storyEntry{}, false, fmt.Errorf("manifest story %s: %d bytes", id, len(v))
	}
	sig, err := dedup.Decode(v[labelBytes:])
	if err != nil {
		return storyEntry{}, false, fmt.Errorf("manifest story %s: %w", id, err)
	}
	return storyEntry{label: string(v[:labelBytes]), sig: sig}, true, nil
}

// bandKey is the bandsBucket key of band b and article id.
func bandKey(b dedup.Band, id string) []byte {
	k := make([]byte, 8, 8+len(id))
	binary.BigEndian.PutUint64(k, uint64(b))
	return append(k, id...)
}
