package engine

import (
	"context"
	"fmt"
	"slices"

	"github.com/newsfind/newsfind/internal/analyze"
	"github.com/newsfind/newsfind/internal/highlight"
	"github.com/newsfind/newsfind/internal/index/mlt"
	"github.com/newsfind/newsfind/internal/index/schema"
	"github.com/newsfind/newsfind/internal/search"
)

// similarSlack is how many matches beyond those asked for Similar ranks,
// to make up for the article itself and its near-duplicates, dropped
// after ranking.
const similarSlack = 10

// Similar returns up to size articles most like the article id, best
// first: package mlt chooses its distinctive terms and the words of the
// names it mentions, and the BM25F scorer of searches ranks the articles
// holding enough of them (a term in a title counts 1 + titleBoost times).
// The article and its near-duplicates (mlt.Story.Same) are left out, and
// of a story found twice, the version ranked lower. Hits mark the chosen terms.
func (g *Generation) Similar(ctx context.Context, id string, size int) ([]search.Hit, error) {
	a, err := g.Article(ctx, id)
	if err != nil {
		return nil, err
	}
	p := mlt.Default
	docs, err := g.reader.DocCount()
	if err != nil {
		return nil, fmt.Errorf("similar %q: %w", id, err)
	}
	var names []string
	for _, n := range mlt.Names(p.MaxEntities, a.People, a.Places, a.Organizations) {
		names = append(names, analyze.Terms(g.analyzer, n)...)
	}
	v := &vocabulary{g: g}
	terms, err := mlt.Select(ctx, analyze.Terms(g.analyzer, a.Title+schema.ContentSeparator+a.Body), names, docs, v.DocFreq, p)
	if err != nil {
		return nil, fmt.Errorf("similar %q: %w", id, err)
	}
	out := []search.Hit{}
	if len(terms) == 0 {
		return out, nil // nothing it says is said elsewhere
	}
	q := &bm25Query{
		weights:  make(map[string]float64, len(terms)),
		fields:   []weightedField{{name: schema.Content, boost: 1}, {name: schema.Title, boost: titleBoost}},
		minMatch: mlt.MinMatch(len(terms), p.MinShould),
	}
	marks := make(map[string]bool, len(terms))
	for _, t := range terms {
		q.weights[t.Text], marks[t.Text] = t.Weight, true
	}
	c := compiled{query: q, terms: marks, positive: true, analyzer: g.analyzer}
	req := search.Request{Page: 1, Size: size + similarSlack, Sort: search.SortRelevance, NoFacets: true}
	res, err := g.searchPage(ctx, req, c)
	if err != nil {
		return nil, fmt.Errorf("similar %q: %w", id, err)
	}
	hl := highlight.New(g.analyzer, marks)
	kept := []mlt.Story{mlt.NewStory(a.Title, a.Body)} // one version of each story, the article's first
	for _, h := range res.hits {
		if len(out) == size {
			break
		}
		b := schema.Stored(h.ID, h.Fields)
		story := mlt.NewStory(b.Title, b.Body)
		if h.ID == id || slices.ContainsFunc(kept, func(k mlt.Story) bool { return k.Same(story, p.Duplicate) }) {
			continue
		}
		kept = append(kept, story)
		out = append(out, toHit(h, hl))
	}
	return out, nil
}

// Mark marks in a the words query searches: their analyzed terms, as a
// search's hits mark them, on all of a's title and body.
func (g *Generation) Mark(a search.Article, query string) search.Marked {
	c := compile(search.Parse(query+" "), search.Filters{}, g.analyzer, true, nil)
	hl := highlight.New(g.analyzer, c.terms)
	title, _ := hl.Mark(a.Title)
	body, _ := hl.Mark(a.Body)
	return search.Marked{Title: title, Body: body}
}
