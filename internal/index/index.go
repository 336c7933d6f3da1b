// Package index stores articles in bleve and searches them: the mapping, the
// building of index generations from a folder of articles, and an Index that
// serves searches and swaps to a newer generation without downtime.
//
// It implements search.Searcher; nothing outside this package sees bleve.
package index

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"html"
	"log/slog"
	"maps"
	"math"
	"reflect"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	bsearch "github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	"github.com/newsfind/newsfind/internal/analyze"
	"github.com/newsfind/newsfind/internal/article"
	"github.com/newsfind/newsfind/internal/highlight"
	"github.com/newsfind/newsfind/internal/search"
)

var _ search.Searcher = (*Index)(nil)

// Result list shape: how many body passages a hit shows, and their length.
const (
	bodyFragments    = 2
	bodyFragmentSize = 200
)

// facetFields are the facets every search counts: name in the result, index
// field, and how many values to return. Each costs a pass over the doc
// values of every match, so years are not counted separately: they are
// summed from the months (allMonths holds every month of 100 years).
var facetFields = []struct {
	name, field string
	size        int
}{
	{"source", fieldSource, 10},
	{"month", fieldMonth, allMonths},
	{"person", fieldPerson, 10},
	{"place", fieldPlace, 10},
	{"org", fieldOrg, 10},
}

const (
	allMonths  = 1200
	monthFacet = 24 // months shown
	yearFacet  = 30 // years shown
)

// openTimeout bounds the wait for the file lock of an index generation.
const openTimeout = 5 * time.Second

// Index serves searches over the current generation of an index folder.
// Reload swaps to a newer generation atomically: queries in flight finish on
// the old one, later queries see the new one, none fails or sees a partial
// index. It is safe for concurrent use.
type Index struct {
	dir      string
	alias    bleve.IndexAlias
	analyzer analysis.Analyzer
	log      *slog.Logger

	mu    sync.Mutex // serializes Reload and Close
	gen   string     // path of the generation being served
	cur   bleve.Index
	stats atomic.Pointer[termStats] // BM25 statistics of cur; nil: bleve's own
}

// Open opens the current generation of the index folder dir for searching.
func Open(dir string, log *slog.Logger) (*Index, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	ix := &Index{
		dir:      dir,
		analyzer: NewMapping().AnalyzerNamed(analyze.Analyzer),
		log:      log,
	}
	gen, err := current(dir)
	if err != nil {
		return nil, err
	}
	cur, err := openGeneration(gen)
	if err != nil {
		return nil, err
	}
	ix.gen, ix.cur = gen, cur
	ix.loadStats(cur)
	ix.alias = bleve.NewIndexAlias(cur)
	return ix, nil
}

func openGeneration(gen string) (bleve.Index, error) {
	idx, err := bleve.OpenUsing(gen, map[string]any{
		"read_only":    true,
		"bolt_timeout": openTimeout.String(),
	})
	if err != nil {
		return nil, fmt.Errorf("open index %s (is another process holding it?): %w", gen, err)
	}
	return idx, nil
}

// Generation returns the name of the generation being served.
func (ix *Index) Generation() string {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	return ix.gen
}

// Reload swaps to the generation CURRENT names if it is not the one being
// served, and closes the old one once queries in flight have finished. It
// reports whether it swapped.
func (ix *Index) Reload() (bool, error) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if ix.cur == nil {
		return false, errors.New("index is closed")
	}
	gen, err := current(ix.dir)
	if err != nil || gen == ix.gen {
		return false, err
	}
	next, err := openGeneration(gen)
	if err != nil {
		return false, err
	}
	// Swap waits for searches holding the alias to finish. The statistics
	// may be swapped a moment before: a search in between scores with the
	// new generation's statistics, which differ by one update at most.
	ix.loadStats(next)
	ix.alias.Swap([]bleve.Index{next}, []bleve.Index{ix.cur})
	old := ix.cur
	ix.gen, ix.cur = gen, next
	if err := old.Close(); err != nil {
		ix.log.Warn("close old generation", "err", err)
	}
	return true, nil
}

// loadStats reads a generation's BM25 statistics; without them (or when
// they cannot be read) searches fall back to bleve's estimates.
func (ix *Index) loadStats(idx bleve.Index) {
	st, err := readStats(idx)
	if err != nil {
		ix.log.Warn("index statistics unreadable; using bleve's estimates", "err", err)
	}
	ix.stats.Store(st)
}

// Watch reloads whenever CURRENT changes, checking every interval, until ctx
// is done. Errors are logged and retried: the served generation stays.
func (ix *Index) Watch(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		swapped, err := ix.Reload()
		switch {
		case err != nil:
			ix.log.Warn("reload index", "err", err)
		case swapped:
			ix.log.Info("serving new index generation", "generation", ix.Generation())
		}
	}
}

// Close closes the index. Searches after Close fail with search.ErrUnavailable.
func (ix *Index) Close() error {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if ix.cur == nil {
		return nil
	}
	ix.alias.Close()
	err := ix.cur.Close()
	ix.cur = nil
	return err
}

// Count returns the number of articles in the served generation.
func (ix *Index) Count() (uint64, error) {
	return ix.alias.DocCount()
}

// Search runs req and returns one page of highlighted hits with facets.
func (ix *Index) Search(ctx context.Context, req search.Request) (search.Result, error) {
	if err := req.Validate(); err != nil {
		return search.Result{}, err
	}
	parsed := search.Parse(req.Query)
	c := compile(parsed, req.Filters, ix.analyzer, false)
	res, err := ix.run(ctx, req, c)
	if err == nil && req.RecencyDays > 0 && c.positive && req.Sort == search.SortRelevance {
		res, err = ix.byRecency(ctx, req, c, res.Total)
	}
	relaxed := false
	if err == nil && res.Total == 0 && c.strict {
		// Nothing has the exact phrase or field term: rather than an empty
		// page, show what matches the words, and say so.
		c = compile(parsed, req.Filters, ix.analyzer, true)
		res, err = ix.run(ctx, req, c)
		relaxed = true
	}
	if err != nil {
		if errors.Is(err, bleve.ErrorIndexClosed) || errors.Is(err, bleve.ErrorAliasEmpty) {
			return search.Result{}, fmt.Errorf("search: %w", search.ErrUnavailable)
		}
		return search.Result{}, fmt.Errorf("search %q: %w", req.Query, err)
	}
	hl := highlight.New(ix.analyzer, c.terms)
	out := search.Result{
		Query:   req.Query,
		Total:   res.Total,
		TookMS:  float64(res.Took.Microseconds()) / 1000,
		Page:    req.Page,
		Size:    req.Size,
		Relaxed: relaxed && res.Total > 0,
		Hits:    make([]search.Hit, 0, len(res.Hits)),
		Facets:  make(map[string][]search.Facet, len(facetFields)),
	}
	if !req.NoFacets {
		if out.FacetsApproximate, err = ix.facets(ctx, parsed, req.Filters, relaxed, c, res.Total, out.Facets); err != nil {
			return search.Result{}, fmt.Errorf("facets for %q: %w", req.Query, err)
		}
	}
	for _, h := range res.Hits {
		out.Hits = append(out.Hits, toHit(h, hl))
	}
	return out, nil
}

// marker is what highlights a hit's title and body: spans reported by the
// index, or re-analysis of the stored text.
type marker interface {
	Mark(text string) (string, bool)
	Fragments(text string, n, size int) []string
}

// run executes one compiled query for a page of req.
func (ix *Index) run(ctx context.Context, req search.Request, c compiled) (*bleve.SearchResult, error) {
	sr := bleve.NewSearchRequestOptions(c.query, req.Size, (req.Page-1)*req.Size, false)
	sr.Fields = []string{fieldTitle, fieldDate, fieldSource, fieldSummary, fieldBody}
	// Term locations let hits be highlighted without analyzing their text
	// again (which took more time than the search itself).
	sr.IncludeLocations = true
	sort := req.Sort
	if !c.positive && sort == search.SortRelevance {
		sort = search.SortNewest // nothing to rank by: newest first
	}
	switch sort {
	case search.SortRelevance:
		// Score alone: tie-breakers on stored values make bleve read doc
		// values for every match (half the CPU of a search at 100,000).
		sr.SortBy([]string{"-_score"})
	case search.SortNewest:
		sr.SortBy([]string{"-" + fieldDate, "-_score"})
	case search.SortOldest:
		sr.SortBy([]string{fieldDate, "-_score"})
	}
	return ix.searchBM25(ctx, sr)
}

// recencyWindow is how many top results a recency blend re-ranks.
const recencyWindow = 1000

// byRecency re-ranks the top results of c with req.RecencyDays (see
// search.Request) and returns the page req asks for, with blended scores.
func (ix *Index) byRecency(ctx context.Context, req search.Request, c compiled, total uint64) (*bleve.SearchResult, error) {
	window := min(recencyWindow, max(200, req.Page*req.Size))
	sr := bleve.NewSearchRequestOptions(c.query, window, 0, false)
	sr.Fields = []string{fieldDate}
	sr.SortBy([]string{"-_score"})
	top, err := ix.searchBM25(ctx, sr)
	if err != nil {
		return nil, err
	}
	var newest time.Time
	for _, h := range top.Hits {
		if d := date(h.Fields[fieldDate]); d.After(newest) {
			newest = d
		}
	}
	type ranked struct {
		id    string
		score float64
	}
	list := make([]ranked, len(top.Hits))
	for i, h := range top.Hits {
		boost := 0.0
		if d := date(h.Fields[fieldDate]); !d.IsZero() {
			age := newest.Sub(d).Hours() / 24
			boost = math.Exp2(-age / float64(req.RecencyDays))
		}
		list[i] = ranked{h.ID, h.Score * (1 + boost)}
	}
	slices.SortStableFunc(list, func(a, b ranked) int { return cmp.Compare(b.score, a.score) })
	from := min(len(list), (req.Page-1)*req.Size)
	page := list[from:min(len(list), from+req.Size)]
	ids := make([]string, len(page))
	for i, r := range page {
		ids[i] = r.id
	}
	// Fetch the page's hits with their fields and term locations.
	pageReq := req
	pageReq.Page, pageReq.Size = 1, max(1, len(ids))
	res, err := ix.run(ctx, pageReq, compiled{query: bleve.NewConjunctionQuery(c.query, query.NewDocIDQuery(ids)), positive: true})
	if err != nil {
		return nil, err
	}
	byID := make(map[string]*bsearch.DocumentMatch, len(res.Hits))
	for _, h := range res.Hits {
		byID[h.ID] = h
	}
	res.Hits = res.Hits[:0]
	for _, r := range page {
		if h := byID[r.id]; h != nil {
			h.Score = r.score
			res.Hits = append(res.Hits, h)
		}
	}
	res.Total = total
	return res, nil
}

// searchBM25 runs sr with the generation's BM25 statistics.
func (ix *Index) searchBM25(ctx context.Context, sr *bleve.SearchRequest) (*bleve.SearchResult, error) {
	if bm := ix.stats.Load().bm25(); bm != nil {
		sr.PreSearchData = map[string]any{bsearch.BM25PreSearchDataKey: bm}
	}
	return ix.alias.SearchInContext(ctx, sr)
}

// Facet counting reads the doc values of every match it counts, which is
// most of a search's cost on a large archive. Up to exactFacetLimit matches
// are counted exactly; above that, the articles in a hash-chosen share of
// the sampleBuckets buckets (sized to hold about exactFacetLimit matches)
// are counted and the counts scaled up, as Elasticsearch's sampler does.
var exactFacetLimit = 2_000 // a variable for tests

const sampleBuckets = 64

// facets counts the facets of a search into out, and reports whether any
// counts are estimates from a sample. A facet whose field is filtered is
// counted without its own filter (a disjunctive facet), so choosing one
// source still shows the other sources to add, as search engines do.
func (ix *Index) facets(ctx context.Context, parsed search.Query, f search.Filters, relaxed bool, c compiled, total uint64, out map[string][]search.Facet) (bool, error) {
	main, approx, err := ix.countFacets(ctx, c.query, total)
	if err != nil {
		return false, err
	}
	maps.Copy(out, main)
	for name, unfiltered := range map[string]func(search.Filters) search.Filters{
		"source": func(f search.Filters) search.Filters { f.Sources = nil; return f },
		"year":   func(f search.Filters) search.Filters { f.Years = nil; return f },
		"month":  func(f search.Filters) search.Filters { f.Months = nil; return f },
		"person": func(f search.Filters) search.Filters { f.People = nil; return f },
		"place":  func(f search.Filters) search.Filters { f.Places = nil; return f },
		"org":    func(f search.Filters) search.Filters { f.Orgs = nil; return f },
	} {
		other := unfiltered(f)
		if reflect.DeepEqual(other, f) {
			continue // not filtered by this facet
		}
		q := compile(parsed, other, ix.analyzer, relaxed).query
		count, err := ix.searchBM25(ctx, bleve.NewSearchRequestOptions(q, 0, 0, false))
		if err != nil {
			return false, err
		}
		counts, a, err := ix.countFacets(ctx, q, count.Total)
		if err != nil {
			return false, err
		}
		out[name], approx = counts[name], approx || a
	}
	return approx, nil
}

// countFacets counts every facet of the articles q matches (total of them).
func (ix *Index) countFacets(ctx context.Context, q query.Query, total uint64) (map[string][]search.Facet, bool, error) {
	orig, scale := q, 1.0
	if total > uint64(exactFacetLimit) {
		buckets := max(1, sampleBuckets*exactFacetLimit/int(total))
		lo, hi, incl, excl := 0.0, float64(buckets), true, false
		sample := bleve.NewNumericRangeInclusiveQuery(&lo, &hi, &incl, &excl)
		sample.SetField(fieldSample)
		q = bleve.NewConjunctionQuery(q, sample)
		scale = float64(sampleBuckets) / float64(buckets)
	}
	sr := bleve.NewSearchRequestOptions(q, 0, 0, false)
	for _, f := range facetFields {
		sr.AddFacet(f.field, bleve.NewFacetRequest(f.field, f.size))
	}
	res, err := ix.searchBM25(ctx, sr)
	if err != nil {
		return nil, false, err
	}
	if scale > 1 && res.Total == 0 {
		return ix.countFacets(ctx, orig, uint64(exactFacetLimit)) // a generation without sample buckets
	}
	out := make(map[string][]search.Facet, len(facetFields)+1)
	for _, f := range facetFields {
		list := facet(res.Facets[f.field])
		for i := range list {
			list[i].Count = int(float64(list[i].Count)*scale + 0.5)
		}
		out[f.name] = list
	}
	out["year"] = years(out["month"], yearFacet)
	out["month"] = out["month"][:min(len(out["month"]), monthFacet)]
	return out, scale > 1, nil
}

func toHit(h *bsearch.DocumentMatch, hl *highlight.Highlighter) search.Hit {
	hit := search.Hit{
		ID:        h.ID,
		Score:     h.Score,
		Title:     str(h.Fields[fieldTitle]),
		Date:      date(h.Fields[fieldDate]),
		Source:    str(h.Fields[fieldSource]),
		Fragments: map[string][]string{"title": {}, "body": {}},
	}
	body := str(h.Fields[fieldBody])
	var titleMarks, bodyMarks marker = hl, hl
	if h.Locations != nil {
		titleMarks, bodyMarks = spans(h.Locations, hit.Title)
	}
	if t, ok := titleMarks.Mark(hit.Title); ok {
		hit.Fragments["title"] = []string{t}
	}
	if f := bodyMarks.Fragments(body, bodyFragments, bodyFragmentSize); f != nil {
		hit.Fragments["body"] = f
	} else if s := str(h.Fields[fieldSummary]); s != "" {
		// No match in the body (or no words to match): show its lead.
		hit.Fragments["body"] = []string{html.EscapeString(s)}
	}
	return hit
}

// spans turns the term locations bleve reports for a hit into matches in
// its title and body. Content is the title, a blank line, then the body.
func spans(locs bsearch.FieldTermLocationMap, title string) (titleSpans, bodySpans highlight.Spans) {
	bodyStart := len(title) + len(contentSeparator)
	for field, terms := range locs {
		for term, ls := range terms {
			for _, l := range ls {
				start, end := int(l.Start), int(l.End)
				switch {
				case field == fieldTitle:
					titleSpans = append(titleSpans, highlight.Match{Start: start, End: end, Term: term})
				case field != fieldContent:
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

// years sums month counts ("2021-12") into year counts ("2021"), at most n.
func years(months []search.Facet, n int) []search.Facet {
	counts := map[string]int{}
	for _, m := range months {
		if len(m.Value) >= 4 {
			counts[m.Value[:4]] += m.Count
		}
	}
	return search.TopFacets(counts, n)
}

func facet(fr *bsearch.FacetResult) []search.Facet {
	out := []search.Facet{}
	if fr == nil || fr.Terms == nil {
		return out
	}
	for _, t := range fr.Terms.Terms() {
		out = append(out, search.Facet{Value: t.Term, Count: t.Count})
	}
	return out
}

// Article returns the stored article with the given ID.
func (ix *Index) Article(ctx context.Context, id string) (article.Article, error) {
	sr := bleve.NewSearchRequestOptions(query.NewDocIDQuery([]string{id}), 1, 0, false)
	sr.Fields = []string{fieldTitle, fieldBody, fieldDate, fieldSource, fieldAuthor, fieldWordCount,
		fieldSummary, fieldDateline, fieldLanguage, fieldURL, fieldPerson, fieldPlace, fieldOrg}
	res, err := ix.alias.SearchInContext(ctx, sr)
	if err != nil {
		if errors.Is(err, bleve.ErrorIndexClosed) || errors.Is(err, bleve.ErrorAliasEmpty) {
			return article.Article{}, fmt.Errorf("article: %w", search.ErrUnavailable)
		}
		return article.Article{}, fmt.Errorf("article %q: %w", id, err)
	}
	if len(res.Hits) == 0 {
		return article.Article{}, fmt.Errorf("article %q: %w", id, search.ErrNotFound)
	}
	f := res.Hits[0].Fields
	wc, _ := f[fieldWordCount].(float64)
	return article.Article{
		ID:            id,
		Title:         str(f[fieldTitle]),
		Date:          date(f[fieldDate]),
		Source:        str(f[fieldSource]),
		Author:        str(f[fieldAuthor]),
		Body:          str(f[fieldBody]),
		WordCount:     int(wc),
		Summary:       str(f[fieldSummary]),
		Place:         str(f[fieldDateline]),
		Language:      str(f[fieldLanguage]),
		URL:           str(f[fieldURL]),
		People:        strs(f[fieldPerson]),
		Places:        strs(f[fieldPlace]),
		Organizations: strs(f[fieldOrg]),
	}, nil
}

func str(v any) string {
	s, _ := v.(string)
	return s
}

// strs reads a stored multi-valued field: bleve returns one value as a
// string and several as a slice.
func strs(v any) []string {
	switch v := v.(type) {
	case string:
		return []string{v}
	case []any:
		out := make([]string, 0, len(v))
		for _, x := range v {
			if s, ok := x.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

func date(v any) time.Time {
	s, _ := v.(string)
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}
	}
	return t.UTC()
}
