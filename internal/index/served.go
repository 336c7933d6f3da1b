package index

import (
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"sync"
	"time"

	"github.com/newsfind/newsfind/internal/index/engine"
	"github.com/newsfind/newsfind/internal/index/suggest"
	"github.com/newsfind/newsfind/internal/search"
)

// served is a generation being served: the engine's open generation, the
// result cache of the searches run on it, and the hold searches take on it
// so that it is closed only after them. Searches hold mu for reading;
// closing takes it for writing, so it waits for the searches in flight.
type served struct {
	eng *engine.Generation
	// results caches what searches on this generation found; nil: none.
	results *resultCache
	// suggest completes what is typed from this generation's words and
	// names.
	suggest *suggest.Lists

	mu     sync.RWMutex
	closed bool
}

// open opens the generation at path for serving, with a result cache when
// ix has one.
func (ix *Index) open(path string) (*served, error) {
	eng, err := engine.Open(path, ix.opts)
	if err != nil {
		return nil, err
	}
	start := time.Now()
	how := "read"
	lists, err := suggest.Load(filepath.Join(path, suggest.File), eng.Fingerprint())
	if err != nil {
		if !errors.Is(err, fs.ErrNotExist) {
			ix.log.Warn("suggestion lists file unusable; building the lists", "err", err)
		}
		how = "built"
		if lists, err = suggest.Build(eng, nil); err != nil {
			return nil, errors.Join(fmt.Errorf("open %s for suggestions: %w", path, err), eng.Close())
		}
	}
	ix.log.Info("suggestion lists "+how, "generation", path, "words", lists.Words(), "names", lists.Names(),
		"bytes", lists.Bytes(), "took", time.Since(start).Round(time.Millisecond))
	return &served{eng: eng, results: newResultCache(ix.cacheBytes), suggest: lists}, nil
}

// close waits for the searches holding g, then closes it.
func (g *served) close() error {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.closed = true
	g.results.close()
	return errors.Join(g.suggest.Close(), g.eng.Close())
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
