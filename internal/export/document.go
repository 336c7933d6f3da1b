package export

import (
	"bytes"
	"encoding/json"
	"fmt"
	"time"

	"github.com/newsfind/newsfind/internal/search"
)

// DefaultIndex is the name of the index the bulk stream's actions and
// docs/SCALING.md's requests use.
const DefaultIndex = "newsfind"

// MaxIDBytes is OpenSearch's (and Elasticsearch's) cap on a document's
// _id. An article whose ID (its path in the articles folder) is longer
// cannot be loaded under it, so it is reported and left out.
const MaxIDBytes = 512

// Document is one article as the bulk stream carries it: every field of
// search.Article, under the names the mapping gives them. Empty fields are
// left out, as the mapping's fields are optional.
type Document struct {
	ID    string `json:"id"`
	Title string `json:"title"`
	// Date is RFC 3339 with the offset the article stated
	// ("2023-02-26T15:18:59-05:00"; Z when it stated none): the instant,
	// and the publication's own calendar day. Absent when it has no date.
	Date          string   `json:"date,omitempty"`
	Source        string   `json:"source,omitempty"`
	Author        string   `json:"author,omitempty"`
	URL           string   `json:"url,omitempty"`
	Place         string   `json:"place,omitempty"` // the dateline's place
	Language      string   `json:"language,omitempty"`
	People        []string `json:"people,omitempty"`
	Places        []string `json:"places,omitempty"`
	Organizations []string `json:"organizations,omitempty"`
	Summary       string   `json:"summary,omitempty"`
	Body          string   `json:"body"`
	WordCount     int      `json:"word_count"`
}

// NewDocument returns the document of one article.
func NewDocument(a search.Article) Document {
	d := Document{
		ID: a.ID, Title: a.Title, Source: a.Source, Author: a.Author, URL: a.URL,
		Place: a.Place, Language: a.Language, People: a.People, Places: a.Places,
		Organizations: a.Organizations, Summary: a.Summary, Body: a.Body, WordCount: a.WordCount,
	}
	if !a.Date.IsZero() {
		d.Date = a.Date.Format(time.RFC3339)
	}
	return d
}

// action is the first line of a bulk pair.
type action struct {
	Index struct {
		Index string `json:"_index"`
		ID    string `json:"_id"`
	} `json:"index"`
}

// Pair returns the two lines of a _bulk request that index one article in
// the index named index: the action {"index":{"_index":…,"_id":…}} and the
// document, each ending in a newline. JSON escapes every newline within a
// string, so each is exactly one line. An ID over MaxIDBytes is an error.
func Pair(index string, a search.Article) ([]byte, error) {
	if a.ID == "" {
		return nil, fmt.Errorf("article has no ID")
	}
	if len(a.ID) > MaxIDBytes {
		return nil, fmt.Errorf("ID is %d bytes long, over the %d-byte cap on an OpenSearch _id", len(a.ID), MaxIDBytes)
	}
	var act action
	act.Index.Index, act.Index.ID = index, a.ID
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf) // Encode ends each value with a newline
	enc.SetEscapeHTML(false)
	if err := enc.Encode(act); err != nil {
		return nil, fmt.Errorf("action of %s: %w", a.ID, err)
	}
	if err := enc.Encode(NewDocument(a)); err != nil {
		return nil, fmt.Errorf("document of %s: %w", a.ID, err)
	}
	return buf.Bytes(), nil
}
