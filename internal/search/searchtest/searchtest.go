// Package searchtest provides a fake search.Searcher for tests of code that
// depends on the interface, such as the HTTP layer: each test says what a
// search or an article look-up does — fail, block until its context ends,
// panic — without building an index.
package searchtest

import (
	"context"
	"errors"

	"github.com/newsfind/newsfind/internal/search"
)

// Searcher is a search.Searcher whose methods call the function fields. A
// method whose function is nil fails with ErrNotSet, so a test notices a
// call it did not expect. The functions may be called concurrently.
type Searcher struct {
	SearchFn  func(ctx context.Context, req search.Request) (search.Result, error)
	ArticleFn func(ctx context.Context, id string) (search.Article, error)
}

var _ search.Searcher = (*Searcher)(nil)

// Suggester is a search.Suggester whose Suggest calls SuggestFn, or fails
// with ErrNotSet when it is nil. It may be called concurrently.
type Suggester struct {
	SuggestFn func(ctx context.Context, req search.SuggestRequest) (search.Suggestions, error)
}

var _ search.Suggester = (*Suggester)(nil)

// Suggest calls SuggestFn.
func (s *Suggester) Suggest(ctx context.Context, req search.SuggestRequest) (search.Suggestions, error) {
	if s.SuggestFn == nil {
		return search.Suggestions{}, ErrNotSet
	}
	return s.SuggestFn(ctx, req)
}

// ErrNotSet is returned by a method whose function field is nil.
var ErrNotSet = errors.New("searchtest: no function set for this method")

// Search calls SearchFn.
func (s *Searcher) Search(ctx context.Context, req search.Request) (search.Result, error) {
	if s.SearchFn == nil {
		return search.Result{}, ErrNotSet
	}
	return s.SearchFn(ctx, req)
}

// Article calls ArticleFn.
func (s *Searcher) Article(ctx context.Context, id string) (search.Article, error) {
	if s.ArticleFn == nil {
		return search.Article{}, ErrNotSet
	}
	return s.ArticleFn(ctx, id)
}

// Explorer is a search.Explorer whose methods call the function fields,
// or fail with ErrNotSet when they are nil. It may be called concurrently.
type Explorer struct {
	SimilarFn func(ctx context.Context, req search.SimilarRequest) (search.Similar, error)
	MarkFn    func(ctx context.Context, a search.Article, query string) (search.Marked, error)
}

var _ search.Explorer = (*Explorer)(nil)

// Similar calls SimilarFn.
func (e *Explorer) Similar(ctx context.Context, req search.SimilarRequest) (search.Similar, error) {
	if e.SimilarFn == nil {
		return search.Similar{}, ErrNotSet
	}
	return e.SimilarFn(ctx, req)
}

// Mark calls MarkFn.
func (e *Explorer) Mark(ctx context.Context, a search.Article, query string) (search.Marked, error) {
	if e.MarkFn == nil {
		return search.Marked{}, ErrNotSet
	}
	return e.MarkFn(ctx, a, query)
}
