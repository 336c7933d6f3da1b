package analyze

import (
	"sync"
	"sync/atomic"
)

// termEntry is what analysis makes of one raw token: the term the index
// stores, or drop when the token is a stop word.
type termEntry struct {
	term string
	drop bool
}

// Bounds of the term cache, of which each analyzer has one (three in all).
// A generation (half of maxCachedTerms, see termCache) holds the words in
// common use, carried over from one generation to the next; a rare word is
// analysed again when it comes back, which costs less than keeping it. The
// bound used to be four times larger, to hold a whole archive's vocabulary,
// but an archive's raw tokens keep growing (they keep their case): at 300,000
// generated articles the three caches held 32 MB of the indexer's live heap,
// which under its fixed memory limit made the collector run ever more often
// (issue 19, session 8). Query text sent to searchd, which may be anything,
// is bounded the same way.
const (
	maxCachedTerms   = 1 << 16
	maxCachedTermLen = 64
)

// termCache maps raw tokens (bytes as the tokenizer cut them, before
// lower-casing) to their analysed form. Every step after tokenizing is a pure
// function of the token's bytes, so one lookup replaces lower-casing,
// possessive stripping, the stop-word test and stemming.
//
// Reads go to an immutable snapshot map behind an atomic pointer: no lock and
// no write to shared memory, so cores never contend once the cache is warm.
// New entries go to a pending map under a mutex; the pending map is merged
// into a fresh snapshot once it has been consulted often enough to pay for
// the copy (as sync.Map promotes its dirty map), so the snapshot grows
// geometrically and copying costs a small constant per entry overall.
//
// The cache holds at most limit entries, in two generations of at most
// limit/2 each: the current one (snapshot and pending map) and the old one.
// When the current generation is full, it becomes the old one and an empty
// one starts; a lookup that misses the current generation but finds the
// term in the old one carries it over without analysing it again. A term in
// use is thus kept, and a term unused for a whole generation is dropped,
// while reads stay what they were: one lookup in an immutable map, with no
// recency bookkeeping written to shared memory.
type termCache struct {
	snap atomic.Pointer[map[string]termEntry]

	mu      sync.Mutex
	pending map[string]termEntry
	misses  int // pending lookups and insertions since the last promotion
	// old is the previous generation, the snapshot and pending map it
	// ended with; nil maps before the first turnover.
	old [2]map[string]termEntry
	// genLimit is how many entries one generation may hold.
	genLimit int
}

// newTermCache returns an empty cache that holds at most limit entries.
func newTermCache(limit int) *termCache {
	c := &termCache{pending: map[string]termEntry{}, genLimit: max(limit/2, 1)}
	empty := map[string]termEntry{}
	c.snap.Store(&empty)
	return c
}

// snapshot returns the current read-only map. Callers load it once per
// analysed text and call lookupSlow for what it lacks.
func (c *termCache) snapshot() map[string]termEntry {
	return *c.snap.Load()
}

// lookupSlow returns the entry for raw, computing it with compute and
// remembering it when it is not cached yet. compute must be a pure function
// of raw; it runs without the lock held.
func (c *termCache) lookupSlow(raw []byte, compute func([]byte) termEntry) termEntry {
	if len(raw) > maxCachedTermLen {
		return compute(raw)
	}
	c.mu.Lock()
	if e, ok := c.pending[string(raw)]; ok {
		c.missed()
		c.mu.Unlock()
		return e
	}
	if e, ok := (*c.snap.Load())[string(raw)]; ok { // promoted since the caller's snapshot
		c.mu.Unlock()
		return e
	}
	for _, old := range c.old {
		if e, ok := old[string(raw)]; ok {
			c.insert(string(raw), e) // in use: carried over into this generation
			c.mu.Unlock()
			return e
		}
	}
	c.mu.Unlock()

	e := compute(raw)

	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.pending[string(raw)]; ok {
		return e // another goroutine computed the same entry meanwhile
	}
	if _, ok := (*c.snap.Load())[string(raw)]; ok {
		return e
	}
	c.insert(string(raw), e)
	return e
}

// insert adds an entry to the current generation, first starting a new
// generation when the current one is full. c.mu must be held.
func (c *termCache) insert(key string, e termEntry) {
	if e.term == key {
		e.term = key // share the bytes of key and term
	}
	if len(*c.snap.Load())+len(c.pending) >= c.genLimit {
		c.old = [2]map[string]termEntry{*c.snap.Load(), c.pending}
		empty := map[string]termEntry{}
		c.snap.Store(&empty)
		c.pending = map[string]termEntry{}
		c.misses = 0
	}
	c.pending[key] = e
	c.missed()
}

// missed counts one use of the pending map and promotes it into a new
// snapshot when the uses outweigh the cost of copying. c.mu must be held.
func (c *termCache) missed() {
	c.misses++
	snap := *c.snap.Load()
	if c.misses < len(snap)/2+128 {
		return
	}
	next := make(map[string]termEntry, len(snap)+len(c.pending))
	for k, v := range snap {
		next[k] = v
	}
	for k, v := range c.pending {
		next[k] = v
	}
	c.snap.Store(&next)
	c.pending = map[string]termEntry{}
	c.misses = 0
}
