// Package stockbleve is a reference search engine: bleve as a newcomer would
// set it up from its documentation, with the default index mapping (dynamic
// fields, an _all field) and its "en" analyzer, searched with one match
// query over title and body. newsfind's tuned mapping and query compiler
// (internal/index) are measured against it, for ranking quality
// (internal/eval) and for speed. It is not used to serve searches.
package stockbleve

import (
	"context"
	"fmt"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search/query"
	"github.com/newsfind/newsfind/bench/internal/peer"
)

// Scoring models bleve offers.
const (
	TFIDF = "tfidf" // bleve's default
	BM25  = "bm25"
)

// DefaultBatchSize is how many documents go into one bleve batch.
const DefaultBatchSize = 1000

// Config says where the index lives and how it scores.
type Config struct {
	// Path is the index folder; it must not exist yet. The index is
	// scorch, bleve's default and newsfind's index type.
	Path string
	// ScoringModel is TFIDF (also when empty) or BM25.
	ScoringModel string
	// BatchSize is documents per batch in Add; DefaultBatchSize when 0.
	BatchSize int
}

// Index is a stock bleve index. It is safe for concurrent searches.
type Index struct {
	idx       bleve.Index
	batchSize int
}

// NewMapping returns bleve's default index mapping with "en" as the default
// analyzer: every field of a document is indexed dynamically, and the
// match query analyzes text with the same analyzer.
func NewMapping(scoringModel string) *mapping.IndexMappingImpl {
	m := bleve.NewIndexMapping()
	m.DefaultAnalyzer = en.AnalyzerName
	if scoringModel != TFIDF {
		m.ScoringModel = scoringModel
	}
	return m
}

// Create makes a new, empty index at cfg.Path.
func Create(cfg Config) (*Index, error) {
	switch cfg.ScoringModel {
	case "", TFIDF, BM25:
	default:
		return nil, fmt.Errorf("create bleve index: unknown scoring model %q", cfg.ScoringModel)
	}
	idx, err := bleve.New(cfg.Path, NewMapping(cfg.ScoringModel))
	if err != nil {
		return nil, fmt.Errorf("create bleve index %s: %w", cfg.Path, err)
	}
	n := cfg.BatchSize
	if n <= 0 {
		n = DefaultBatchSize
	}
	return &Index{idx: idx, batchSize: n}, nil
}

// Close closes the index.
func (ix *Index) Close() error {
	if err := ix.idx.Close(); err != nil {
		return fmt.Errorf("close bleve index: %w", err)
	}
	return nil
}

// Add indexes docs in batches.
func (ix *Index) Add(ctx context.Context, docs []peer.Doc) error {
	b := ix.idx.NewBatch()
	flush := func() error {
		if err := ix.idx.Batch(b); err != nil {
			return fmt.Errorf("index bleve batch: %w", err)
		}
		b.Reset()
		return nil
	}
	for _, d := range docs {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("index bleve: %w", err)
		}
		fields := map[string]any{"title": d.Title, "body": d.Body}
		if !d.Date.IsZero() {
			fields["date"] = d.Date
		}
		if d.Source != "" {
			fields["source"] = d.Source
		}
		if err := b.Index(d.ID, fields); err != nil {
			return fmt.Errorf("index bleve doc %s: %w", d.ID, err)
		}
		if b.Size() >= ix.batchSize {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	return flush()
}

// Search returns the k best documents for what a person typed: a match
// query (any word may match) on title, ORed with one on body. Ties go to
// the lower ID, for a stable order.
func (ix *Index) Search(ctx context.Context, text string, k int) ([]peer.Hit, error) {
	field := func(name string) query.Query {
		q := bleve.NewMatchQuery(text)
		q.SetField(name)
		return q
	}
	req := bleve.NewSearchRequestOptions(bleve.NewDisjunctionQuery(field("title"), field("body")), k, 0, false)
	req.SortBy([]string{"-_score", "_id"})
	res, err := ix.idx.SearchInContext(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("bleve search %q: %w", text, err)
	}
	hits := make([]peer.Hit, len(res.Hits))
	for i, h := range res.Hits {
		hits[i] = peer.Hit{ID: h.ID, Score: h.Score}
	}
	return hits, nil
}
