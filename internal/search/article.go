package search

import "time"

// Article is one news article as newsfind understands it: clean text plus the
// metadata users filter, sort and facet on. A field that could not be found is
// left empty rather than guessed.
type Article struct {
	// ID is stable across runs: the file's path relative to the corpus
	// folder, with forward slashes (e.g. "business/001.txt"); for a .jsonl
	// file, the path and the 1-based line number ("feeds/a.jsonl#3").
	ID string `json:"id"`
	// Title is the headline.
	Title string `json:"title"`
	// Date is the publication date; the zero time when the file does not
	// say. It is the date, and the time of day when given, as the file
	// states them, recorded as UTC: a time zone offset the file gives is
	// dropped, so that the calendar date never shifts to the day before or
	// after. A date without a time is midnight.
	Date time.Time `json:"date,omitzero"`
	// Source is the publisher or agency when the file names it: a page's
	// publisher metadata, a credit such as "(Xinhua)", a dateline's agency.
	Source string `json:"source,omitempty"`
	// Section is the part of the archive the article belongs to: the
	// first folder of its path under the articles folder ("sport" for
	// "sport/001.txt"), unless that folder is named for a year ("2023");
	// a JSON article may give its own. Empty for an article at the top.
	Section string `json:"section,omitempty"`
	// Versions are the IDs of the other versions of the article's story
	// in the index (its near-duplicates), when it was looked up by ID.
	Versions []string `json:"versions,omitempty"`
	// Author is the byline when given; several authors are separated by
	// ", ".
	Author string `json:"author,omitempty"`
	// URL is the article's address when the file gives one.
	URL string `json:"url,omitempty"`
	// Place is where the story was filed, from its dateline ("BEIJING,
	// April 19 (Xinhua) --" gives "Beijing") or the page's metadata.
	Place string `json:"place,omitempty"`
	// Language is the ISO 639-1 code of the text's language ("en"), empty
	// when it cannot be told.
	Language string `json:"language,omitempty"`
	// People, Places and Organizations are the entities the headline and
	// body mention, by canonical name ("Shanghai Cooperation Organization"
	// for "SCO" too), each once, most mentioned first (ties: first
	// mentioned first). A JSON article's own lists are kept in their order.
	People        []string `json:"people,omitempty"`
	Places        []string `json:"places,omitempty"`
	Organizations []string `json:"organizations,omitempty"`
	// Summary is the opening sentence or two of the body, without the
	// dateline, at most about 300 bytes: what a result list shows.
	Summary string `json:"summary,omitempty"`
	// Body is the clean article text: paragraphs separated by blank lines,
	// with navigation, share buttons and editor credits removed.
	Body string `json:"body"`
	// WordCount is the number of words in Body.
	WordCount int `json:"word_count"`
}
