package engine

import (
	"bytes"
	"cmp"
	"context"
	"fmt"
	"slices"

	"github.com/blevesearch/bleve/v2/analysis"
	bsearch "github.com/blevesearch/bleve/v2/search"
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

const (
	feedbackDocs     = 10  // articles the model is drawn from (Anserini's default)
	feedbackTerms    = 20  // terms kept from the model
	feedbackOriginal = 0.5 // weight of the typed words against the model's (Anserini's default)
)

// expands reports whether a search for req compiled as c is expanded.
func (g *Generation) expands(req search.Request, c compiled) bool {
	return req.Sort == search.SortRelevance && c.words != nil && c.words.sole &&
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
	if err := g.load(fb); err != nil {
		return fmt.Errorf("feedback: %w", err)
	}
	expanded := *c.words
	expanded.weights = rm3(c.words.terms, relevanceModel(c.analyzer, fb))
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
	sctx := &bsearch.SearchContext{DocumentMatchPool: bsearch.NewDocumentMatchPool(s.DocumentMatchPoolSize()+1, 0), IndexReader: g.reader}
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

// relevanceModel is RM1 over the feedback articles: P(w|R) = Σ_d P(d|Q) ·
// P(w|d), with P(d|Q) each article's share of the scores and P(w|d) the
// term's share of the article's analyzed terms.
func relevanceModel(a analysis.Analyzer, hits []*bsearch.DocumentMatch) map[string]float64 {
	var total float64
	for _, h := range hits {
		total += h.Score
	}
	model := map[string]float64{}
	for _, h := range hits {
		stored := schema.Stored(h.ID, h.Fields)
		toks := a.Analyze([]byte(stored.Title + schema.ContentSeparator + stored.Body))
		if len(toks) == 0 {
			continue
		}
		pd := 1 / float64(len(hits)) // articles scored alike (no scores)
		if total > 0 {
			pd = h.Score / total
		}
		for _, t := range toks {
			model[string(t.Term)] += pd / float64(len(toks))
		}
	}
	return model
}

// rm3 interpolates the query's terms (each weighted by how often the query
// repeats it) with the feedbackTerms most probable terms of model,
// normalized: weight = λ·qtf + (1−λ)·|q|·P(w|R), with λ feedbackOriginal.
// Scaling by the query's length |q| keeps a typed word's weight near what it
// is without feedback.
func rm3(query []string, model map[string]float64) map[string]float64 {
	type term struct {
		t string
		p float64
	}
	top := make([]term, 0, len(model))
	for t, p := range model {
		top = append(top, term{t, p})
	}
	slices.SortFunc(top, func(a, b term) int {
		return cmp.Or(cmp.Compare(b.p, a.p), cmp.Compare(a.t, b.t))
	})
	top = top[:min(len(top), feedbackTerms)]
	var sum float64
	for _, x := range top {
		sum += x.p
	}
	weights := make(map[string]float64, len(query)+len(top))
	for _, t := range query {
		weights[t] += feedbackOriginal
	}
	if sum == 0 {
		return weights
	}
	n := float64(len(query))
	for _, x := range top {
		weights[x.t] += (1 - feedbackOriginal) * n * x.p / sum
	}
	return weights
}
