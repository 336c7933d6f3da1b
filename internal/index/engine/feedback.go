package engine

import (
	"bytes"
	"context"
	"fmt"
	"slices"

	bsearch "github.com/blevesearch/bleve/v2/search"
	"github.com/newsfind/newsfind/internal/analyze"
	"github.com/newsfind/newsfind/internal/index/rm3"
	"github.com/newsfind/newsfind/internal/index/schema"
	"github.com/newsfind/newsfind/internal/search"
)

// Pseudo-relevance feedback for typed questions. A question names its
// subject in the asker's words, and the articles about it use others: the
// best answers to the words as typed say which. RM3 (Lavrenko and Croft's
// relevance model, interpolated with the query as Abdul-Jaleel et al. give
// it; the standard expansion of Anserini and Terrier) adds the terms the
// top feedbackDocs articles use most, weighted by how well each article
// scored, to the typed words, and the expanded query re-scores the best
// Options.RerankWindow matches (as Elasticsearch's rescore does). Nothing else
// changes: the same articles match, with the same count, facets and
// highlighted words, and the search still makes one pass over its matches.
//
// Short keyword searches are what the person means, and stay literal: only
// searches ranked by relevance whose plain words, the only thing scored
// (no required phrase or field), number Options.FeedbackMinWords distinct terms (defaultFeedbackMinWords) or
// more are expanded.
const defaultFeedbackMinWords = 5

// feedbackDocs is how many articles the model is drawn from (Anserini's
// default); package rm3 says how many of its terms are kept and mixed how.
const feedbackDocs = 10

// expands reports whether a search for req compiled as c is expanded.
func (g *Generation) expands(req search.Request, c compiled) bool {
	return req.Sort == search.SortRelevance && c.words != nil && c.words.sole &&
		c.words.fields[0].name == schema.Content && // not stop words alone
		len(uniq(c.words.terms)) >= g.opts.FeedbackMinWords
}

// rescore expands the words of c with RM3 from the best of hits (sorted
// best first) and gives hits the scores of the expanded query, sorted
// again in place.
func (g *Generation) rescore(ctx context.Context, c compiled, hits []*bsearch.DocumentMatch) error {
	if len(hits) == 0 {
		return nil
	}
	fb := make([]*bsearch.DocumentMatch, min(len(hits), feedbackDocs))
	for i, h := range hits[:len(fb)] {
		fb[i] = &bsearch.DocumentMatch{IndexInternalID: h.IndexInternalID, Score: h.Score}
	}
	if err := g.load(fb, textFields); err != nil {
		return fmt.Errorf("feedback: %w", err)
	}
	expanded := *c.words
	docs := make([]rm3.Doc, len(fb))
	for i, h := range fb {
		stored := schema.Stored(h.ID, h.Fields)
		docs[i] = rm3.Doc{Score: h.Score, Terms: analyze.Terms(c.analyzer, stored.Title+schema.ContentSeparator+stored.Body)}
	}
	expanded.weights = rm3.Weights(c.words.terms, rm3.Model(docs))
	for _, t := range added(c.words.weights, c.words.terms) {
		expanded.weights[t] += c.words.weights[t] // corrections (typo.go) stay
	}
	s, err := expanded.Searcher(g.scoringContext(ctx), g.reader, g.idx.Mapping(), bsearch.SearcherOptions{})
	if err != nil {
		return fmt.Errorf("feedback: %w", err)
	}
	defer s.Close()
	byID := slices.Clone(hits)
	slices.SortFunc(byID, func(a, b *bsearch.DocumentMatch) int {
		return bytes.Compare(a.IndexInternalID, b.IndexInternalID)
	})
	sctx := g.searchContext(s, 1)
	for _, h := range byID {
		d, err := s.Advance(sctx, h.IndexInternalID)
		if err != nil {
			return fmt.Errorf("feedback: %w", err)
		}
		h.Score = 0
		if d != nil && bytes.Equal(d.IndexInternalID, h.IndexInternalID) {
			h.Score = d.Score
		}
		if d != nil {
			sctx.DocumentMatchPool.Put(d)
		}
	}
	top := topHits{order: byScore, h: hits}
	top.sorted()
	return nil
}
