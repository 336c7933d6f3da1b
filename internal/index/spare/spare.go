// Package spare lends a search the cores no other search is using. A
// search that finds one ranks half of its matches there (see the engine's
// split passes), as Lucene's IndexSearcher searches segments concurrently
// with an executor; under load every core has its own search and none is
// lent, since a split would only add work.
package spare

import "sync/atomic"

// Cores counts the searches running on a process's cores, so that a
// search may take a second core while fewer searches than cores run or
// wait. One Cores is shared by every generation a process serves. Whoever
// runs the searches counts them (Enter, Leave): searchd's server counts
// each search request from its arrival, its wait for a slot included, to
// its answer written, as the cores are busy encoding answers too; a core
// lent while searches wait their turn would only add work. Its methods do
// nothing on a nil *Cores, which lends nothing.
type Cores struct {
	n    int64
	busy atomic.Int64
	lent atomic.Uint64
}

// NewCores returns a Cores for n cores (runtime.GOMAXPROCS(0), usually):
// a search may borrow one while fewer than n are counted.
func NewCores(n int) *Cores { return &Cores{n: int64(n)} }

// Enter counts a search as running.
func (c *Cores) Enter() {
	if c != nil {
		c.busy.Add(1)
	}
}

// Leave counts a search, or a core it borrowed, as ended.
func (c *Cores) Leave() {
	if c != nil {
		c.busy.Add(-1)
	}
}

// Borrow counts a second core for a running search if one is spare, and
// reports whether one was; Leave gives it back.
func (c *Cores) Borrow() bool {
	if c == nil {
		return false
	}
	for {
		b := c.busy.Load()
		if b >= c.n {
			return false
		}
		if c.busy.CompareAndSwap(b, b+1) {
			c.lent.Add(1)
			return true
		}
	}
}

// Lent returns how many cores Borrow has lent.
func (c *Cores) Lent() uint64 {
	if c == nil {
		return 0
	}
	return c.lent.Load()
}
