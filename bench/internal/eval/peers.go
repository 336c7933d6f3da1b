package eval

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/newsfind/newsfind/bench/internal/peer"
	"github.com/newsfind/newsfind/bench/internal/peer/fts5"
	"github.com/newsfind/newsfind/bench/internal/peer/stockbleve"
)

var (
	_ System = (*StockBleve)(nil)
	_ System = (*FTS5)(nil)
)

// peerDocs converts documents for a peer engine: title and abstract.
func peerDocs(docs []Doc) []peer.Doc {
	out := make([]peer.Doc, len(docs))
	for i, d := range docs {
		out[i] = peer.Doc{ID: d.ID, Title: d.Title, Body: d.Body}
	}
	return out
}

func hitIDs(hits []peer.Hit) []string {
	ids := make([]string, len(hits))
	for i, h := range hits {
		ids[i] = h.ID
	}
	return ids
}

// StockBleve evaluates bleve with its default mapping and "en" analyzer
// (see internal/peer/stockbleve), in a scorch index on disk.
type StockBleve struct {
	dir   string
	model string
	ix    *stockbleve.Index
}

// NewStockBleve returns a stock bleve system scoring with model
// (stockbleve.TFIDF or stockbleve.BM25) and keeping its index under dir,
// which the caller removes.
func NewStockBleve(dir, model string) *StockBleve {
	if model == "" {
		model = stockbleve.TFIDF
	}
	return &StockBleve{dir: dir, model: model}
}

// Name implements System.
func (b *StockBleve) Name() string { return "bleve " + b.model }

// Index implements System.
func (b *StockBleve) Index(ctx context.Context, docs []Doc) error {
	if err := os.MkdirAll(b.dir, 0o755); err != nil {
		return fmt.Errorf("create index folder: %w", err)
	}
	// One batch makes one segment. With several, scorch merges them in the
	// background while queries run, and bleve's BM25 field statistics (sums
	// over segments) change under them: rankings would vary run to run.
	ix, err := stockbleve.Create(stockbleve.Config{
		Path:         filepath.Join(b.dir, "bleve"),
		ScoringModel: b.model,
		BatchSize:    max(len(docs), 1),
	})
	if err != nil {
		return err
	}
	b.ix = ix
	return ix.Add(ctx, peerDocs(docs))
}

// Search implements System.
func (b *StockBleve) Search(ctx context.Context, query string, k int) ([]string, error) {
	hits, err := b.ix.Search(ctx, query, k)
	return hitIDs(hits), err
}

// Close implements System.
func (b *StockBleve) Close() error {
	if b.ix == nil {
		return nil
	}
	return b.ix.Close()
}

// FTS5 evaluates SQLite FTS5 with bm25 ranking (see internal/peer/fts5).
type FTS5 struct {
	dir     string
	weights fts5.Weights
	stop    map[string]bool
	ix      *fts5.Index
}

// NewFTS5 returns an FTS5 system with the given bm25 weights (the package
// default when zero) that drops English stop words from queries when
// dropStopWords is set. It keeps its database under dir, which the caller
// removes.
func NewFTS5(dir string, w fts5.Weights, dropStopWords bool) *FTS5 {
	if w == (fts5.Weights{}) {
		w = fts5.DefaultWeights
	}
	f := &FTS5{dir: dir, weights: w}
	if dropStopWords {
		f.stop = fts5.EnglishStopWords()
	}
	return f
}

// Name implements System.
func (f *FTS5) Name() string {
	name := fmt.Sprintf("fts5 bm25(%g,%g)", f.weights.Title, f.weights.Body)
	if f.stop != nil {
		name += " -stop"
	}
	return name
}

// Index implements System. It reports ErrUnavailable when this binary's
// SQLite has no FTS5.
func (f *FTS5) Index(ctx context.Context, docs []Doc) error {
	if err := os.MkdirAll(f.dir, 0o755); err != nil {
		return fmt.Errorf("create database folder: %w", err)
	}
	ix, err := fts5.Create(ctx, fts5.Config{Path: filepath.Join(f.dir, "fts5.db")})
	if errors.Is(err, fts5.ErrNoFTS5) {
		return fmt.Errorf("%w (%w)", fts5.ErrNoFTS5, ErrUnavailable)
	}
	if err != nil {
		return err
	}
	f.ix = ix
	if err := ix.Add(ctx, peerDocs(docs)); err != nil {
		return err
	}
	return ix.Optimize(ctx)
}

// Search implements System.
func (f *FTS5) Search(ctx context.Context, query string, k int) ([]string, error) {
	hits, err := f.ix.Search(ctx, fts5.Query{Text: query, Limit: k, Weights: f.weights, StopWords: f.stop})
	return hitIDs(hits), err
}

// Close implements System.
func (f *FTS5) Close() error {
	if f.ix == nil {
		return nil
	}
	return f.ix.Close()
}
