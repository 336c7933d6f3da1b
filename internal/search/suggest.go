package search

import (
	"context"
	"unicode/utf8"
)

// Limits on a SuggestRequest. Suggestions are asked for at every keystroke,
// so one request must stay small: a short text, a short list.
const (
	DefaultSuggestSize = 8
	MaxSuggestSize     = 20
	// MaxSuggestQuery is the longest text, in characters, a suggestion
	// completes: a search box's words, not an article.
	MaxSuggestQuery = 200
)

// SuggestKind says where a suggestion comes from.
type SuggestKind string

// The kinds of suggestion.
const (
	// SuggestTerm completes the last word typed with a word of the archive.
	SuggestTerm SuggestKind = "term"
	// SuggestPerson, SuggestPlace and SuggestOrg are canonical entity
	// names, as the person/place/org facets and filters give them.
	SuggestPerson SuggestKind = "person"
	SuggestPlace  SuggestKind = "place"
	SuggestOrg    SuggestKind = "org"
	// SuggestTitle is an article's title holding the words typed.
	SuggestTitle SuggestKind = "title"
)

// SuggestRequest asks for completions of what a person is typing.
type SuggestRequest struct {
	// Query is the text typed so far; its last word is completed. Empty
	// asks for nothing.
	Query string
	// Size is how many suggestions to return at most (DefaultSuggestSize
	// when 0).
	Size int
}

// Validate fills defaults and reports a request no index should run.
func (r *SuggestRequest) Validate() error {
	if r.Size == 0 {
		r.Size = DefaultSuggestSize
	}
	if r.Size < 1 || r.Size > MaxSuggestSize {
		return Invalid("size must be between 1 and %d, got %d", MaxSuggestSize, r.Size)
	}
	if n := utf8.RuneCountInString(r.Query); n > MaxSuggestQuery {
		return Invalid("q must be at most %d characters for suggestions, got %d", MaxSuggestQuery, n)
	}
	return nil
}

// Suggestion is one completion of what was typed.
type Suggestion struct {
	// Text is what the search box should hold once the suggestion is
	// picked: the words typed before the completed part, then the
	// completion (a word, or a full name or title).
	Text string      `json:"text"`
	Kind SuggestKind `json:"kind"`
	// Count is how many articles hold the completion (its document
	// frequency): the completed word, the name, or the title.
	Count int `json:"count"`
}

// Suggestions are the completions of one SuggestRequest, most common first.
type Suggestions struct {
	Suggestions []Suggestion `json:"suggestions"`
}

// Suggester completes what a person is typing into a search box. The HTTP
// server depends on this interface, not on an index implementation.
type Suggester interface {
	Suggest(ctx context.Context, req SuggestRequest) (Suggestions, error)
}
