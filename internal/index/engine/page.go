package engine

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"
	"time"

	bsearch "github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	"github.com/newsfind/newsfind/internal/index/facet"
	"github.com/newsfind/newsfind/internal/search"
)

// page is one page of a search: the hits shown with their stored fields and
// term locations, how many articles matched, and the facet counts of the
// matches (nil when not asked for).
type page struct {
	hits   []*bsearch.DocumentMatch
	total  tally
	counts *facet.Counts
	dups   [][]string // by hit, the other versions of its story (collapsed)
}

// defaultExactCount is how many matches a search counts exactly, and
// counts the facets of, unless asked for all (see search.Request.Exact).
const defaultExactCount = 10_000

// limit is how many matches a search for req counts (0: all).
func (g *Generation) limit(req search.Request) uint64 {
	if req.Exact {
		return 0
	}
	return uint64(g.opts.ExactCount)
}

// searchPage runs one compiled query for a page of req, in one pass over
// its matches that keeps the best and counts their facets.
func (g *Generation) searchPage(ctx context.Context, req search.Request, c compiled) (page, error) {
	from := (req.Page - 1) * req.Size
	top := &topHits{k: from + req.Size, order: hitOrder(req.Sort, c.positive), table: g.table}
	recency := req.RecencyDays > 0 && c.positive && req.Sort == search.SortRelevance
	expand := g.expands(req, c)
	window := 0
	if recency || expand {
		window = g.opts.RerankWindow
		top.k = max(top.k, window)
	}
	p := pass{query: c.query, everything: everything(c, req.Filters), score: true, top: top, limit: g.limit(req)}
	if !g.opts.NoDateFirst {
		p.browse = c.browse
	}
	seen := g.collapse(req, top)
	var res page
	p.seen = seen
	flush := func() {}
	if !req.NoFacets {
		res.counts, flush = g.countInto(&p, seen)
	}
	var err error
	if res.total, err = g.run(ctx, p); err != nil {
		return page{}, err
	}
	flush()
	res.counts.ScaleAll(res.total.scale)
	if seen != nil {
		// Stories, not articles; past the exact count, a lower bound: the
		// stories among the matches counted.
		res.total.n -= min(seen.Repeats, res.total.n)
	}
	hits := top.sorted()
	head := hits[:min(len(hits), window)] // re-ranked in place; the rest follow
	if expand {
		if err := g.rescore(ctx, c, head); err != nil {
			return page{}, err
		}
	}
	if recency {
		g.byRecency(head, req.RecencyDays)
	}
	res.hits = hits[min(len(hits), from):min(len(hits), from+req.Size)]
	if err := g.locate(ctx, c.query, res.hits, p.everything); err != nil {
		return page{}, err
	}
	if seen != nil {
		if res.dups, err = g.duplicates(res.hits, seen); err != nil {
			return page{}, err
		}
	}
	return res, g.load(res.hits, hitFields)
}

// hitOrder is how hits sort: by sort, or newest first when there is nothing
// to rank by.
func hitOrder(sort search.Sort, positive bool) order {
	switch {
	case sort == search.SortNewest || sort == search.SortRelevance && !positive:
		return byNewest
	case sort == search.SortOldest:
		return byOldest
	}
	return byScore
}

// countInto returns facet counts that pass p fills in with its matches'.
// A pass over every article takes the table's counts of all of them. With
// seen, a story counts once, with its first matching version. The counts
// are complete once flush has been called, after the pass.
func (g *Generation) countInto(p *pass, seen *facet.Seen) (counts *facet.Counts, flush func()) {
	counts = g.newCounts()
	if p.everything && seen == nil {
		counts.Set(g.table.All)
		return counts, func() {}
	}
	tally := counts.Tally(g.table)
	p.visit = tally.Add // first versions only, when p.seen is set
	return counts, tally.Flush
}

// locate fills in the term locations of hits, matches of q. Term locations
// let hits be highlighted without analyzing their text again (which took
// more time than the search itself), but reading them for every match took
// most of a search's time on common words: the pass that finds the hits
// skips them, and a second searcher reads them for the hits shown only,
// skipping to each. A query matching everything has no term to locate and
// the same score for all (bleve's match-all searcher skips by reading every
// document before): its first match gives the score.
func (g *Generation) locate(ctx context.Context, q query.Query, hits []*bsearch.DocumentMatch, everything bool) error {
	if len(hits) == 0 {
		return nil
	}
	// The hits have their scores: only a query matching everything is
	// scored here, to give them one.
	opts := bsearch.SearcherOptions{IncludeTermVectors: true, Score: "none"}
	if everything {
		opts = bsearch.SearcherOptions{}
	}
	s, err := q.Searcher(g.scoringContext(ctx), g.reader, g.idx.Mapping(), opts)
	if err != nil {
		return fmt.Errorf("searcher: %w", err)
	}
	defer s.Close()
	sctx := g.searchContext(s, len(hits))
	if everything {
		m, err := s.Next(sctx)
		if err != nil || m == nil {
			return err
		}
		for _, h := range hits {
			h.Score = m.Score
		}
		return nil
	}
	byDoc := slices.Clone(hits)
	slices.SortFunc(byDoc, func(a, b *bsearch.DocumentMatch) int { return a.IndexInternalID.Compare(b.IndexInternalID) })
	for _, h := range byDoc {
		// Matches are not returned to the pool: hits keep their locations.
		m, err := s.Advance(sctx, h.IndexInternalID)
		if err != nil {
			return fmt.Errorf("locate hit %d: %w", h.IndexInternalID.Value(), err)
		}
		if m == nil {
			return nil
		}
		if m.IndexInternalID.Equals(h.IndexInternalID) {
			h.FieldTermLocations = m.FieldTermLocations
		}
	}
	return nil
}

// defaultRerankWindow is how many of the best matches by score a recency
// blend or feedback (see rescore) re-ranks, whatever the page: the order
// of the rest stays by score, after them, so pages never overlap.
const defaultRerankWindow = 1000

// byRecency re-ranks the top results of a search by relevance with
// recency (see search.Request.RecencyDays), giving them blended scores,
// in place.
func (g *Generation) byRecency(hits []*bsearch.DocumentMatch, days int) {
	newest := int64(facet.NoDate)
	for _, h := range hits {
		newest = max(newest, g.table.Date(uint32(h.HitNumber)))
	}
	for _, h := range hits {
		boost := 0.0
		if d := g.table.Date(uint32(h.HitNumber)); d != facet.NoDate {
			age := time.Duration(newest-d).Hours() / 24
			boost = math.Exp2(-age / float64(days))
		}
		h.Score *= 1 + boost
	}
	slices.SortStableFunc(hits, func(a, b *bsearch.DocumentMatch) int { return cmp.Compare(b.Score, a.Score) })
}

// disjunctiveFacets recounts the facets whose fields f filters, each
// without its own filter (a disjunctive facet), so choosing one source
// still shows the other sources to add, as search engines do. One more pass
// runs the query without any facet filter (compiled by unfiltered), and
// the facet table tells which filters each match passes (each story once,
// when seen collapses them); past limit matches (when set) it stops, and
// reports the counts sampled.
func (g *Generation) disjunctiveFacets(ctx context.Context, f search.Filters, seen *facet.Seen, counts *facet.Counts, limit uint64, unfiltered func(search.Filters) query.Query) (sampled bool, err error) {
	d := facet.NewDisjunctive(g.table, facet.Filters(f))
	if d == nil {
		return false, nil
	}
	counts.Clear(d.Kinds()...)
	other := f
	other.Sources, other.Years, other.Months, other.People, other.Places, other.Orgs = nil, nil, nil, nil, nil, nil
	other.Sections = nil
	q := unfiltered(other)
	t, err := g.run(ctx, pass{query: q, everything: everything(compiled{query: q}, other), limit: limit, seen: seen,
		visit: func(doc uint32) { d.Count(g.table, counts, doc) }})
	d.Scale(counts, t.scale)
	return t.sampled, err
}

// everything reports whether a compiled query with filters f matches every
// article: a search for nothing, unfiltered.
func everything(c compiled, f search.Filters) bool {
	if c.positive || len(f.Sources)+len(f.Years)+len(f.Months)+len(f.People)+len(f.Places)+len(f.Orgs)+len(f.Sections) > 0 ||
		!f.DateFrom.IsZero() || !f.DateTo.IsZero() {
		return false
	}
	_, all := c.query.(*query.MatchAllQuery)
	return all
}
