// Package article reads news article files into Articles: the clean text and
// field-level metadata that newsfind indexes and shows.
//
// It knows about file formats and page boilerplate; it knows nothing about
// the index or HTTP. One Parser per format, chosen by file extension.
package article

import (
	"time"
)

// Article is one news article as newsfind understands it: clean text plus the
// metadata users filter, sort and facet on. A field that could not be found is
// left empty rather than guessed.
type Article struct {
	// ID is stable across runs: the file's path relative to the corpus
	// folder, with forward slashes (e.g. "business/001.txt").
	ID string `json:"id"`
	// Title is the headline.
	Title string `json:"title"`
	// Date is the publication date; the zero time when the file does not
	// say. It is a calendar date in UTC unless the file gives a time.
	Date time.Time `json:"date,omitzero"`
	// Source is the publisher or agency when the text names it.
	Source string `json:"source,omitempty"`
	// Author is the byline when given.
	Author string `json:"author,omitempty"`
	// Body is the clean article text: paragraphs separated by blank lines,
	// with navigation, share buttons and editor credits removed.
	Body string `json:"body"`
	// WordCount is the number of words in Body.
	WordCount int `json:"word_count"`
}
