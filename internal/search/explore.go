package search

import "context"

// Limits on a SimilarRequest: a short list to read next, not a search.
const (
	DefaultSimilarSize = 5
	MaxSimilarSize     = 20
)

// SimilarRequest asks for the articles most like one article ("more like
// this").
type SimilarRequest struct {
	// ID is the article's, as Article.ID gives it.
	ID string
	// Size is how many articles to return at most (DefaultSimilarSize
	// when 0).
	Size int
}

// Validate fills defaults and reports a request no index should run.
func (r *SimilarRequest) Validate() error {
	if r.Size == 0 {
		r.Size = DefaultSimilarSize
	}
	if r.Size < 1 || r.Size > MaxSimilarSize {
		return Invalid("size must be between 1 and %d, got %d", MaxSimilarSize, r.Size)
	}
	if r.ID == "" {
		return Invalid("no article ID given")
	}
	return nil
}

// Similar are the articles most like one, best first, in the shape of a
// search's hits. The article itself and its near-duplicates are never
// among them.
type Similar struct {
	Hits []Hit `json:"hits"`
}

// Marked is an article's title and body with the words of a search marked:
// HTML-escaped text in which only <mark>…</mark> is markup, safe to insert
// into a page as HTML. The body keeps its paragraphs (blank lines), so a
// page can split it as it splits Article.Body.
type Marked struct {
	Title string `json:"title"`
	Body  string `json:"body"`
}

// Explorer finds what lies around one article: the articles most like it,
// and its text with a search's words marked for reading it after a search.
// The HTTP server depends on this interface, not on an index
// implementation.
type Explorer interface {
	Similar(ctx context.Context, req SimilarRequest) (Similar, error)
	// Mark marks in a the words query searches (their stems and forms,
	// as a search matches them); a query of no words marks nothing. A
	// query Request.Validate refuses is ErrInvalid.
	Mark(ctx context.Context, a Article, query string) (Marked, error)
}
