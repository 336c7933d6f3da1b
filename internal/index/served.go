package index

import (
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/blevesearch/bleve/v2"
	bsearch "github.com/blevesearch/bleve/v2/search"
	index "github.com/blevesearch/bleve_index_api"
	"github.com/newsfind/newsfind/internal/search"
)

// served is an open generation with what searches need of it: its bleve
// index, one reader on its snapshot (a read-only generation never changes,
// so document numbers stay those of the facet table), its BM25 statistics
// and its facet table. Searches hold mu for reading; closing takes it for
// writing, so it waits for the searches in flight.
type served struct {
	path   string
	idx    bleve.Index
	reader index.IndexReader
	bm25   *bsearch.BM25Stats // nil: bleve's own estimates
	table  *facetTable
	counts sync.Pool // *facetCounts sized for table, for reuse
	// results caches what searches on this generation found; nil: none.
	results *resultCache

	mu     sync.RWMutex
	closed bool
}

// openServed opens the generation at path and builds its facet table and,
// when cacheBytes is not 0, a result cache of that size.
func openServed(path string, log *slog.Logger, cacheBytes uint64) (*served, error) {
	idx, err := openGeneration(path)
	if err != nil {
		return nil, err
	}
	g := &served{path: path, idx: idx}
	if err := g.prepare(log); err != nil {
		idx.Close()
		return nil, fmt.Errorf("open generation %s: %w", path, err)
	}
	g.results = newResultCache(cacheBytes)
	return g, nil
}

// prepare reads the statistics and builds the facet table of g's index.
func (g *served) prepare(log *slog.Logger) error {
	st, err := readStats(g.idx)
	if err != nil {
		log.Warn("index statistics unreadable; using bleve's estimates", "err", err)
	}
	g.bm25 = st.bm25()
	adv, err := g.idx.Advanced()
	if err != nil {
		return err
	}
	if g.reader, err = adv.Reader(); err != nil {
		return err
	}
	start := time.Now()
	if g.table, err = buildFacetTable(g.reader); err != nil {
		g.reader.Close()
		return err
	}
	log.Info("facet table built", "generation", g.path, "documents", g.table.docs,
		"bytes", g.table.bytes(), "took", time.Since(start).Round(time.Millisecond))
	return nil
}

// close waits for the searches holding g, then closes it.
func (g *served) close() error {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.closed = true
	g.results.close()
	return errors.Join(g.reader.Close(), g.idx.Close())
}

// release ends a search's hold on g.
func (g *served) release() { g.mu.RUnlock() }

// acquire returns the generation being served, held for one search until
// release. A generation swapped out and closed meanwhile is skipped for its
// successor.
func (ix *Index) acquire() (*served, error) {
	for {
		g := ix.cur.Load()
		if g == nil {
			return nil, search.ErrUnavailable
		}
		g.mu.RLock()
		if !g.closed {
			return g, nil
		}
		g.mu.RUnlock()
	}
}

// newCounts returns zeroed facet counts for g's table.
func (g *served) newCounts() *facetCounts {
	c, ok := g.counts.Get().(*facetCounts)
	if !ok {
		return newFacetCounts(g.table)
	}
	for k := range c {
		clear(c[k])
	}
	return c
}

// putCounts hands counts back for reuse once read.
func (g *served) putCounts(c *facetCounts) {
	if c != nil {
		g.counts.Put(c)
	}
}
