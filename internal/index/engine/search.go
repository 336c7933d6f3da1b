package engine

import (
	"context"
	"fmt"
	"html"
	"time"

	bsearch "github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/newsfind/newsfind/internal/analyze"
	"github.com/newsfind/newsfind/internal/highlight"
	"github.com/newsfind/newsfind/internal/index/schema"
	"github.com/newsfind/newsfind/internal/index/spell"
	"github.com/newsfind/newsfind/internal/search"
)

// Result list shape: how many body passages a hit shows, and their length.
const (
	bodyFragments    = 2
	bodyFragmentSize = 200
)

// hitFields are the stored fields a result list shows; textFields those
// an article's words are read again from.
var (
	hitFields  = []string{schema.Title, schema.Date, schema.Offset, schema.Source, schema.Section, schema.Summary, schema.Body}
	textFields = []string{schema.Title, schema.Body}
)

// Search runs a validated request (see search.Request.Validate) on g and
// returns one page of highlighted hits with facets, timed from start.
func (g *Generation) Search(ctx context.Context, req search.Request, start time.Time) (search.Result, error) {
	analyzer := g.analyzer
	parsed, fixes, searched, err := g.parse(ctx, req)
	if err != nil {
		return search.Result{}, err
	}
	c := compile(parsed, req.Filters, analyzer, false, searched)
	res, err := g.searchPage(ctx, req, c)
	relaxed := false
	if err == nil && res.total.n == 0 && c.strict {
		// Nothing has the exact phrase or field term: rather than an empty
		// page, show what matches the words, and say so.
		c = compile(parsed, req.Filters, analyzer, true, searched)
		g.putCounts(res.counts)
		res, err = g.searchPage(ctx, req, c)
		relaxed = true
	}
	sampled := false
	if err == nil && res.counts != nil {
		sampled, err = g.disjunctiveFacets(ctx, req.Filters, g.collapse(req, nil), res.counts, g.limit(req), func(f search.Filters) query.Query {
			return compile(parsed, f, analyzer, relaxed, searched).query
		})
	}
	if err != nil {
		return search.Result{}, fmt.Errorf("search %q: %w", search.Abbrev(req.Query), err)
	}
	hl := highlight.New(analyzer, c.terms)
	out := search.Result{
		Query:          req.Query,
		Total:          res.total.n,
		TotalExact:     res.total.exact,
		TotalEstimated: res.total.estimated,
		Page:           req.Page,
		Size:           req.Size,
		Relaxed:        relaxed && res.total.n > 0,
		Hits:           make([]search.Hit, 0, len(res.hits)),
		Facets:         map[string][]search.Facet{},
	}
	if all := fixes.All(); len(all) > 0 {
		out.DidYouMean = spell.DidYouMean(req.Query, all)
		out.Corrected = len(spell.StandingIn(all)) > 0
	}
	if res.counts != nil {
		out.FacetsApproximate = sampled || res.total.sampled
		out.Facets = res.counts.Facets(g.table)
		out.Timeline = res.counts.Timeline(g.table)
		g.putCounts(res.counts)
	}
	for i, h := range res.hits {
		out.Hits = append(out.Hits, toHit(h, hl))
		if i < len(res.dups) {
			out.Hits[i].Duplicates = res.dups[i]
		}
	}
	out.TookMS = float64(time.Since(start).Microseconds()) / 1000
	return out, nil
}

// parse reads req's query and finds its typo corrections: all of them
// (fixes), and those searched (searched; the others are only suggested).
func (g *Generation) parse(ctx context.Context, req search.Request) (parsed search.Query, fixes, searched spell.QueryCorrections, err error) {
	text := req.Query
	if req.NoPrefix {
		text += " " // the last word is complete
	}
	parsed = search.Parse(text)
	// Typo tolerance is for what people type into a search box: a few
	// words, with or without operators. A question of
	// defaultFeedbackMinWords words or more is searched as asked
	// (corrections of its rare words cost CISI's questions MAP 0.002).
	if !req.NoTypo && len(uniq(analyze.Terms(g.analyzer, req.Query))) < defaultFeedbackMinWords {
		if fixes, err = spell.CorrectQuery(ctx, &vocabulary{g: g}, parsed); err != nil {
			return parsed, nil, nil, fmt.Errorf("search %q: %w", search.Abbrev(req.Query), err)
		}
		searched = fixes
		if req.Sort != search.SortRelevance {
			// Sorted by date, corrections beside a typed word would mix
			// with its articles: they are only suggested.
			searched = fixes.StandingIn()
		}
	}
	return parsed, fixes, searched, nil
}

// marker is what highlights a hit's title and body: spans reported by the
// index, or re-analysis of the stored text.
type marker interface {
	Mark(text string) (string, bool)
	Fragments(text string, n, size int) []string
}

func toHit(h *bsearch.DocumentMatch, hl *highlight.Highlighter) search.Hit {
	a := schema.Stored(h.ID, h.Fields)
	hit := search.Hit{
		ID:        h.ID,
		Score:     h.Score,
		Title:     a.Title,
		Date:      a.Date,
		Source:    a.Source,
		Section:   a.Section,
		Fragments: map[string][]string{"title": {}, "body": {}},
	}
	body := a.Body
	var titleMarks, bodyMarks marker = hl, hl
	if h.Locations != nil {
		titleMarks, bodyMarks = spans(h.Locations, hit.Title)
	}
	if t, ok := titleMarks.Mark(hit.Title); ok {
		hit.Fragments["title"] = []string{t}
	}
	if f := bodyMarks.Fragments(body, bodyFragments, bodyFragmentSize); f != nil {
		hit.Fragments["body"] = f
	} else if s := a.Summary; s != "" {
		// No match in the body (or no words to match): show its lead.
		hit.Fragments["body"] = []string{html.EscapeString(s)}
	}
	return hit
}

// spans turns the term locations bleve reports for a hit into matches in
// its title and body. Content is the title, a blank line, then the body.
func spans(locs bsearch.FieldTermLocationMap, title string) (titleSpans, bodySpans highlight.Spans) {
	bodyStart := len(title) + len(schema.ContentSeparator)
	for field, terms := range locs {
		for term, ls := range terms {
			for _, l := range ls {
				start, end := int(l.Start), int(l.End)
				switch {
				case field == schema.Title:
					titleSpans = append(titleSpans, highlight.Match{Start: start, End: end, Term: term})
				case field != schema.Content && field != schema.Exact:
				case end <= len(title):
					titleSpans = append(titleSpans, highlight.Match{Start: start, End: end, Term: term})
				case start >= bodyStart:
					bodySpans = append(bodySpans, highlight.Match{Start: start - bodyStart, End: end - bodyStart, Term: term})
				}
			}
		}
	}
	return titleSpans, bodySpans
}

// Article returns the stored article with the given ID, read as hits are
// (see load).
func (g *Generation) Article(ctx context.Context, id string) (search.Article, error) {
	n, err := g.reader.InternalID(id)
	if err != nil {
		return search.Article{}, fmt.Errorf("article %q: %w", id, err)
	}
	if n == nil {
		return search.Article{}, fmt.Errorf("article %q: %w", id, search.ErrNotFound)
	}
	h := &bsearch.DocumentMatch{IndexInternalID: n}
	if err := g.load([]*bsearch.DocumentMatch{h}, schema.StoredFields); err != nil {
		return search.Article{}, fmt.Errorf("article %q: %w", id, err)
	}
	a := schema.Stored(id, h.Fields)
	if a.Versions, err = g.versions(n.Value(), nil); err != nil {
		return search.Article{}, fmt.Errorf("article %q: %w", id, err)
	}
	return a, nil
}
