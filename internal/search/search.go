// Package search holds the words of searching newsfind — Request, Result,
// Hit, Facet — and the Searcher interface the HTTP layer depends on. It also
// parses what a person types into a search box (see Parse).
//
// It does not know how an index stores or scores documents: that is
// internal/index, which implements Searcher with bleve.
package search

import (
	"context"
	"errors"
	"time"
)

// Limits on a Request. They keep one request from asking an index for an
// unbounded amount of work.
const (
	DefaultSize = 10
	MaxSize     = 100
	// MaxPage bounds deep paging: page*size results are ranked to answer it.
	MaxPage = 1000
	// MaxQueryBytes bounds the text of a query. What people type into a
	// search box is a few words (web search engines stop reading at about
	// 2,000 characters); the longest question of the CISI test collection,
	// which the relevance evaluation searches, is 2,119 bytes. Beyond
	// twice that, a query is not a question but a document or an attack.
	MaxQueryBytes = 4096
	// MaxQueryTerms bounds the words, phrases and field terms of a query
	// (Query.Terms): each opens postings in several fields. The longest
	// CISI question has 346 words; Lucene's classic bound on the clauses
	// of a query was 1,024.
	MaxQueryTerms = 512
	// MaxFilterValues bounds the values of a request's filters, all
	// fields together: each value, like a query's term, opens postings in
	// every segment. Lucene's classic bound on a query's clauses; a person
	// picks a few facet values, a program a list of sources.
	MaxFilterValues = 1024
)

// The dates a date filter may name, both inclusive: the whole years an index
// can represent, as it stores a date as nanoseconds since 1970 in 64 bits
// (1677-09-21 to 2262-04-11). Articles are dated within them (the readers
// take years 1900 to 2100), so a bound outside asks for nothing the index
// could hold; it is refused rather than clamped, so that a mistyped year is
// noticed.
var (
	MinDate = time.Date(1678, 1, 1, 0, 0, 0, 0, time.UTC)
	MaxDate = time.Date(2261, 12, 31, 0, 0, 0, 0, time.UTC)
)

// CheckDate reports a date filter bound outside MinDate to MaxDate; name is
// the parameter that gave it ("date_from"). Unlike Validate it refuses the
// zero time too, which a client that sends 0001-01-01 means as a date, not
// as "unbounded".
func CheckDate(name string, t time.Time) error {
	if t.Before(MinDate) || t.After(MaxDate) {
		return Invalid("%s must be a date from %s to %s, got %s", name,
			MinDate.Format(time.DateOnly), MaxDate.Format(time.DateOnly), t.Format(time.DateOnly))
	}
	return nil
}

// Sort orders the hits of a search.
type Sort string

// The orders a Request may ask for.
const (
	SortRelevance Sort = "relevance" // best match first (ties: newest first)
	SortNewest    Sort = "-date"     // newest first
	SortOldest    Sort = "date"      // oldest first
)

// ErrInvalid marks a request a client must fix (bad page, size, sort or
// filter). Wrapped errors keep a message a person can read.
var ErrInvalid = errors.New("invalid request")

// ErrNotFound is returned when an article ID is not in the index.
var ErrNotFound = errors.New("not found")

// ErrUnavailable is returned when no index is open to answer.
var ErrUnavailable = errors.New("index unavailable")

// ErrConflict is returned when a write conflicts with what is there, such as
// a different article under an existing name.
var ErrConflict = errors.New("conflict")

// ErrPending is returned when an article was saved but is not searchable
// yet (another update holds the index); it will be indexed by the next
// update and is not lost.
var ErrPending = errors.New("saved, not yet searchable")

// Filters narrow a search to articles with the given metadata. Values of one
// field are alternatives (OR); different fields must all hold (AND).
type Filters struct {
	Sources []string `json:"source,omitempty"`
	// Sections are section names, as Article.Section gives them.
	Sections []string `json:"section,omitempty"`
	Years    []int    `json:"year,omitempty"`
	// Months are "2021-12" forms.
	Months []string `json:"month,omitempty"`
	// People, Places and Orgs are canonical entity names, as facets give them.
	People []string `json:"person,omitempty"`
	Places []string `json:"place,omitempty"`
	Orgs   []string `json:"org,omitempty"`
	// DateFrom and DateTo bound the publication date, both inclusive; zero
	// means unbounded.
	DateFrom time.Time `json:"date_from,omitzero"`
	DateTo   time.Time `json:"date_to,omitzero"`
}

// Request is one search as a client asks for it.
type Request struct {
	// Query is the text typed by a person; see Parse for its syntax. Empty
	// means every article, newest first.
	Query   string
	Filters Filters
	// Page is 1-based; Size is hits per page (DefaultSize when 0).
	Page int
	Size int
	Sort Sort
	// RecencyDays, when positive, blends recency into relevance: a hit's
	// score is multiplied by 1 + 2^(-age/RecencyDays), where age is its
	// distance in days from the newest of the top results, so the newest
	// count up to twice as much and those one half-life older 1.5 times.
	// Only the top results (at most 1,000) are re-ranked; sort=relevance
	// without it stays pure relevance.
	RecencyDays int
	// NoFacets skips counting facets, which costs a pass over every match:
	// for programs that only want hits, and for paging through results
	// whose facets are already shown.
	NoFacets bool
	// NoPrefix searches the last word as a whole word only. By default a
	// query that does not end with a space is being typed, and its last
	// word also matches the words it starts, ranked below the word itself
	// (as Meilisearch and Typesense do): programs sending complete queries
	// may turn this off, or end the query with a space. "word*" asks for
	// a prefix either way.
	NoPrefix bool
	// NoCache answers from the index itself, neither reading nor filling a
	// result cache: for measuring, and for clients that must not see a
	// cached answer.
	NoCache bool
	// NoTypo searches the words exactly as typed (and stemmed), with no
	// typo tolerance: no corrections, no DidYouMean. It is how a person
	// insists on a spelling the index suggests correcting.
	NoTypo bool
	// Exact counts every match and its facets, however many: by default a
	// search counts exactly up to a threshold (10,000, as Elasticsearch's
	// track_total_hits) and past it answers a lower bound (TotalExact
	// false) or, for a quoted phrase alone, an estimate (TotalEstimated), and
	// facets from a sample (FacetsApproximate), so a
	// search for the commonest words costs about as much as a rarer one.
	// The hits are the same either way.
	Exact bool
	// NoCollapse lists every version of a story as a hit of its own. By
	// default a story (articles with the same or nearly the same text,
	// found at index time) is one hit, its best-ranked version, with the
	// others' IDs in Hit.Duplicates; Result.Total and the facets then
	// count stories, each once, rather than articles.
	NoCollapse bool
}

// Validate fills defaults and reports a request no index should run.
func (r *Request) Validate() error {
	if r.Page == 0 {
		r.Page = 1
	}
	if r.Size == 0 {
		r.Size = DefaultSize
	}
	if r.Sort == "" {
		r.Sort = SortRelevance
	}
	switch {
	case r.Page < 1 || r.Page > MaxPage:
		return Invalid("page must be between 1 and %d, got %d", MaxPage, r.Page)
	case r.Size < 1 || r.Size > MaxSize:
		return Invalid("size must be between 1 and %d, got %d", MaxSize, r.Size)
	case r.RecencyDays < 0 || r.RecencyDays > 36500:
		return Invalid("recency must be a half-life in days between 1 and 36500, got %d", r.RecencyDays)
	}
	if err := checkQuery(r.Query); err != nil {
		return err
	}
	switch r.Sort {
	case SortRelevance, SortNewest, SortOldest:
	default:
		return Invalid("sort must be one of relevance, -date, date; got %q", r.Sort)
	}
	f := r.Filters
	if n := f.values(); n > MaxFilterValues {
		return Invalid("filters must have at most %d values in all, got %d", MaxFilterValues, n)
	}
	for _, d := range []struct {
		name string
		t    time.Time
	}{{"date_from", f.DateFrom}, {"date_to", f.DateTo}} {
		if d.t.IsZero() {
			continue // unbounded
		}
		if err := CheckDate(d.name, d.t); err != nil {
			return err
		}
	}
	if !f.DateFrom.IsZero() && !f.DateTo.IsZero() && f.DateTo.Before(f.DateFrom) {
		return Invalid("date_to (%s) is before date_from (%s): no date is in that range",
			f.DateTo.Format(time.DateOnly), f.DateFrom.Format(time.DateOnly))
	}
	return nil
}

// values counts the values of f's fields (not the date bounds).
func (f Filters) values() int {
	return len(f.Sources) + len(f.Sections) + len(f.Years) + len(f.Months) + len(f.People) + len(f.Places) + len(f.Orgs)
}

// checkQuery reports a query over MaxQueryBytes or MaxQueryTerms. Parsing
// to count its terms is linear in the bytes, which are checked first.
func checkQuery(q string) error {
	if len(q) > MaxQueryBytes {
		return Invalid("q must be at most %d bytes, got %d", MaxQueryBytes, len(q))
	}
	if n := Parse(q).Terms(); n > MaxQueryTerms {
		return Invalid("q must have at most %d words, phrases and field terms, got %d", MaxQueryTerms, n)
	}
	return nil
}

// Result is one page of hits for a Request, with facet counts over every
// matching article.
type Result struct {
	Query string `json:"query"`
	// Total is how many articles match when TotalExact is set; otherwise
	// an estimate when TotalEstimated is set, else a lower bound (the threshold
	// of exact counting, see Request.Exact): at least that many match.
	Total uint64 `json:"total"`
	// TotalExact reports whether Total counts every match.
	TotalExact bool `json:"total_exact"`
	// TotalEstimated is set when Total is an estimate, to three significant
	// figures, not a lower bound: a quoted phrase searched alone that far
	// more articles than the threshold hold is checked in a sample of the
	// articles with all its words, spread over them (Meilisearch's
	// estimatedTotalHits).
	TotalEstimated bool    `json:"total_estimated,omitempty"`
	TookMS         float64 `json:"took_ms"`
	Page           int     `json:"page"`
	Size           int     `json:"size"`
	// Relaxed is set when nothing matched a required phrase or field term
	// exactly, and the hits are what matches the words instead.
	Relaxed bool `json:"relaxed,omitempty"`
	// DidYouMean is the query with its misspelt words replaced by the
	// archive's own spelling, when a typed word matched far fewer articles
	// than a word one or two letters away (see docs/RELEVANCE.md); empty
	// otherwise.
	DidYouMean string `json:"did_you_mean,omitempty"`
	// Corrected is set, with DidYouMean, when a typed word is in no article
	// as typed, so it was searched as its correction: the hits are those of
	// DidYouMean ("Showing results for …"). Without it, DidYouMean is a
	// suggestion and the hits put the words as typed first.
	Corrected bool               `json:"corrected,omitempty"`
	Hits      []Hit              `json:"hits"`
	Facets    map[string][]Facet `json:"facets"`
	// Timeline counts the dated matches by day, month or year; nil when
	// no match has a date, or facets were not counted (NoFacets), as it
	// is counted with them (and like them from a sample when
	// FacetsApproximate is set).
	Timeline *Timeline `json:"timeline,omitempty"`
	// FacetsApproximate is set when facet counts are those of a sample
	// rather than of every match: past the threshold of exact counting
	// (see Request.Exact), a search of words counts a sample spread
	// evenly over all its matches, scaled to estimates of their counts, a
	// phrase whose Total is estimated its holders among a sample of the
	// articles with all its words, spread in the same way, and any other
	// search the first matches in index order, as many as the threshold.
	// The page marks such counts "≈".
	FacetsApproximate bool `json:"facets_approximate,omitempty"`
	// Cached is set when the result was answered from a result cache, as
	// computed earlier for the same request on the same index generation;
	// TookMS is then the time the answer took from the cache.
	Cached bool `json:"cached,omitempty"`
}

// Hit is one article in a result list. Fragments hold short passages per
// field ("title", "body") with matched terms wrapped in <mark>…</mark> and
// everything else HTML-escaped, safe to insert into a page as HTML.
type Hit struct {
	ID        string              `json:"id"`
	Score     float64             `json:"score"`
	Title     string              `json:"title"`
	Date      time.Time           `json:"date,omitzero"`
	Source    string              `json:"source"`
	Section   string              `json:"section,omitempty"`
	Fragments map[string][]string `json:"fragments"`
	// Duplicates are the IDs of the story's other versions that match the
	// search, sorted, when the hit stands for them (see
	// Request.NoCollapse); none is left out.
	Duplicates []string `json:"duplicates,omitempty"`
}

// Facet is one value of a metadata field and how many matching articles
// carry it.
type Facet struct {
	Value string `json:"value"`
	Count int    `json:"count"`
}

// CacheStats describes a result cache: what it holds and how often it
// answered, since the index generation it belongs to was opened, and in
// total since the index was opened.
type CacheStats struct {
	Results  int     `json:"results"`   // results held
	Bytes    uint64  `json:"bytes"`     // their estimated size
	MaxBytes uint64  `json:"max_bytes"` // the bound
	Hits     uint64  `json:"hits"`      // searches answered from it
	Misses   uint64  `json:"misses"`    // searches that searched the index
	HitRatio float64 `json:"hit_ratio"` // hits ÷ (hits + misses); 0 before any look-up
	// TotalHits and TotalMisses count the look-ups since the index was
	// opened, over every generation served (Hits and Misses start again
	// with each generation); they only grow.
	TotalHits   uint64 `json:"total_hits"`
	TotalMisses uint64 `json:"total_misses"`
}

// Searcher answers searches and looks articles up by ID. The HTTP server
// depends on this interface, not on an index implementation.
//
// A Result may share its hits and facets with a cache: callers treat it as
// read-only.
type Searcher interface {
	Search(ctx context.Context, req Request) (Result, error)
	Article(ctx context.Context, id string) (Article, error)
}
