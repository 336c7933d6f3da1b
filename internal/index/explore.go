package index

import (
	"context"
	"fmt"

	"github.com/newsfind/newsfind/internal/search"
)

var _ search.Explorer = (*Index)(nil)

// Similar returns the articles most like req.ID on the served generation
// (see engine.Generation.Similar). It is not cached: it costs about as
// much as a search of its terms, and an article view asks once.
func (ix *Index) Similar(ctx context.Context, req search.SimilarRequest) (search.Similar, error) {
	if err := req.Validate(); err != nil {
		return search.Similar{}, err
	}
	g, err := ix.acquire()
	if err != nil {
		return search.Similar{}, fmt.Errorf("similar: %w", err)
	}
	defer g.release()
	hits, err := g.eng.Similar(ctx, req.ID, req.Size)
	return search.Similar{Hits: hits}, err
}

// Mark marks in a the words query searches, as the served generation
// analyzes them.
func (ix *Index) Mark(ctx context.Context, a search.Article, query string) (search.Marked, error) {
	req := search.Request{Query: query}
	if err := req.Validate(); err != nil {
		return search.Marked{}, err
	}
	g, err := ix.acquire()
	if err != nil {
		return search.Marked{}, fmt.Errorf("mark: %w", err)
	}
	defer g.release()
	return g.eng.Mark(a, query), nil
}
