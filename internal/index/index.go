// Package index stores articles in bleve and searches them: the mapping, the
// building of index generations from a folder of articles, and an Index that
// serves searches and swaps to a newer generation without downtime.
//
// It implements search.Searcher; nothing outside this package sees bleve.
package index

import (
	"context"
	"errors"
	"fmt"
	"html"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	bsearch "github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	"github.com/newsfind/newsfind/internal/analyze"
	"github.com/newsfind/newsfind/internal/highlight"
	"github.com/newsfind/newsfind/internal/search"
)

var _ search.Searcher = (*Index)(nil)

// Result list shape: how many body passages a hit shows, and their length.
const (
	bodyFragments    = 2
	bodyFragmentSize = 200
)

// hitFields are the stored fields a result list shows.
var hitFields = []string{fieldTitle, fieldDate, fieldSource, fieldSummary, fieldBody}

// openTimeout bounds the wait for the file lock of an index generation.
const openTimeout = 5 * time.Second

// Index serves searches over the current generation of an index folder.
// Reload swaps to a newer generation atomically: queries in flight finish on
// the old one, later queries see the new one, none fails or sees a partial
// index. It is safe for concurrent use.
type Index struct {
	dir      string
	analyzer analysis.Analyzer
	log      *slog.Logger

	cacheBytes uint64 // the result cache of each generation; 0: none

	mu  sync.Mutex // serializes Reload and Close
	gen string     // path of the generation being served
	cur atomic.Pointer[served]
}

// Option configures an Index when it is opened.
type Option func(*Index)

// WithResultCache keeps the results of up to maxBytes (estimated) of
// searches per generation and answers a repeated search from them (see
// resultCache). A new generation starts with an empty cache. Without it,
// every search runs on the index.
func WithResultCache(maxBytes uint64) Option {
	return func(ix *Index) { ix.cacheBytes = maxBytes }
}

// Open opens the current generation of the index folder dir for searching.
func Open(dir string, log *slog.Logger, opts ...Option) (*Index, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	ix := &Index{
		dir:      dir,
		analyzer: NewMapping().AnalyzerNamed(analyze.Analyzer),
		log:      log,
	}
	for _, o := range opts {
		o(ix)
	}
	gen, err := current(dir)
	if err != nil {
		return nil, err
	}
	cur, err := openServed(gen, log, ix.cacheBytes)
	if err != nil {
		return nil, err
	}
	ix.gen = gen
	ix.cur.Store(cur)
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
	if ix.cur.Load() == nil {
		return false, errors.New("index is closed")
	}
	gen, err := current(ix.dir)
	if err != nil || gen == ix.gen {
		return false, err
	}
	next, err := openServed(gen, ix.log, ix.cacheBytes)
	if err != nil {
		return false, err
	}
	ix.warm(next, ix.cur.Load())
	old := ix.cur.Swap(next)
	ix.gen = gen
	if err := old.close(); err != nil {
		ix.log.Warn("close old generation", "err", err)
	}
	return true, nil
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
	old := ix.cur.Swap(nil)
	if old == nil {
		return nil
	}
	return old.close()
}

// Count returns the number of articles in the served generation.
func (ix *Index) Count() (uint64, error) {
	g, err := ix.acquire()
	if err != nil {
		return 0, fmt.Errorf("count: %w", err)
	}
	defer g.release()
	return g.idx.DocCount()
}

// CacheStats describes the served generation's result cache; ok is false
// when the index has none.
func (ix *Index) CacheStats() (st search.CacheStats, ok bool) {
	g, err := ix.acquire()
	if err != nil {
		return st, false
	}
	defer g.release()
	if g.results == nil {
		return st, false
	}
	return g.results.stats(), true
}

// Search runs req and returns one page of highlighted hits with facets.
func (ix *Index) Search(ctx context.Context, req search.Request) (search.Result, error) {
	if err := req.Validate(); err != nil {
		return search.Result{}, err
	}
	g, err := ix.acquire()
	if err != nil {
		return search.Result{}, fmt.Errorf("search: %w", err)
	}
	defer g.release()
	start := time.Now()
	if req.NoCache || g.results == nil {
		return g.search(ctx, req, ix.analyzer, start)
	}
	searched := false
	out, err := g.results.load(ctx, req, func(ctx context.Context) (search.Result, error) {
		searched = true
		return g.search(ctx, req, ix.analyzer, start)
	})
	if err == nil && !searched {
		out.Cached = true
		out.TookMS = float64(time.Since(start).Microseconds()) / 1000
	}
	return out, err
}

// Warming a new generation's result cache (Solr's autowarm): before it is
// served, it answers the warmSearches searches its predecessor's cache
// holds most firmly, for at most warmFor. Updates arrive every few minutes
// in a newsroom, and each would otherwise empty the cache of the searches
// people are repeating; warming delays an update's visibility by warmFor
// at the most.
const (
	warmSearches = 32
	warmFor      = 250 * time.Millisecond
)

// warm fills next's result cache with the searches old's cache holds most
// firmly, run on next.
func (ix *Index) warm(next, old *served) {
	if next.results == nil || old == nil {
		return
	}
	reqs := old.results.hottest(warmSearches)
	start := time.Now()
	ctx, cancel := context.WithTimeout(context.Background(), warmFor)
	defer cancel()
	n := 0
	for _, req := range reqs {
		res, err := next.search(ctx, req, ix.analyzer, time.Now())
		if err != nil {
			break // out of time: the rest are searched when asked for
		}
		next.results.put(cacheKey(req), req, res)
		n++
	}
	ix.log.Debug("result cache warmed", "generation", next.path, "searches", n, "of", len(reqs),
		"took", time.Since(start).Round(time.Millisecond))
}

// search runs a validated request on g, timed from start.
func (g *served) search(ctx context.Context, req search.Request, analyzer analysis.Analyzer, start time.Time) (search.Result, error) {
	parsed := search.Parse(req.Query)
	c := compile(parsed, req.Filters, analyzer, false)
	res, err := g.searchPage(ctx, req, c)
	relaxed := false
	if err == nil && res.total == 0 && c.strict {
		// Nothing has the exact phrase or field term: rather than an empty
		// page, show what matches the words, and say so.
		c = compile(parsed, req.Filters, analyzer, true)
		g.putCounts(res.counts)
		res, err = g.searchPage(ctx, req, c)
		relaxed = true
	}
	if err == nil && res.counts != nil {
		err = g.disjunctiveFacets(ctx, req.Filters, res.counts, func(f search.Filters) query.Query {
			return compile(parsed, f, analyzer, relaxed).query
		})
	}
	if err != nil {
		return search.Result{}, fmt.Errorf("search %q: %w", req.Query, err)
	}
	hl := highlight.New(analyzer, c.terms)
	out := search.Result{
		Query:   req.Query,
		Total:   res.total,
		Page:    req.Page,
		Size:    req.Size,
		Relaxed: relaxed && res.total > 0,
		Hits:    make([]search.Hit, 0, len(res.hits)),
		Facets:  map[string][]search.Facet{},
	}
	if res.counts != nil {
		out.Facets = res.counts.facets(g.table)
		g.putCounts(res.counts)
	}
	for _, h := range res.hits {
		out.Hits = append(out.Hits, toHit(h, hl))
	}
	out.TookMS = float64(time.Since(start).Microseconds()) / 1000
	return out, nil
}

// marker is what highlights a hit's title and body: spans reported by the
// index, or re-analysis of the stored text.
type marker interface {
	Mark(text string) (string, bool)
	Fragments(text string, n, size int) []string
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

// Article returns the stored article with the given ID.
func (ix *Index) Article(ctx context.Context, id string) (search.Article, error) {
	sr := bleve.NewSearchRequestOptions(query.NewDocIDQuery([]string{id}), 1, 0, false)
	sr.Fields = []string{fieldTitle, fieldBody, fieldDate, fieldSource, fieldAuthor, fieldWordCount,
		fieldSummary, fieldDateline, fieldLanguage, fieldURL, fieldPerson, fieldPlace, fieldOrg}
	g, err := ix.acquire()
	if err != nil {
		return search.Article{}, fmt.Errorf("article: %w", err)
	}
	defer g.release()
	res, err := g.idx.SearchInContext(ctx, sr)
	if err != nil {
		return search.Article{}, fmt.Errorf("article %q: %w", id, err)
	}
	if len(res.Hits) == 0 {
		return search.Article{}, fmt.Errorf("article %q: %w", id, search.ErrNotFound)
	}
	f := res.Hits[0].Fields
	wc, _ := f[fieldWordCount].(float64)
	return search.Article{
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
