// Package peer holds what the reference engines newsfind is measured
// against have in common: the document they index and the hit they return.
// The engines live in subpackages (fts5, stockbleve); each is small, has
// no newsfind-specific ranking, and is shared by the relevance harness
// (internal/eval) and performance benchmarks.
//
// Nothing here is used to serve searches: newsfind itself is internal/index.
package peer

import "time"

// Doc is one document as a peer engine indexes it: the fields of a news
// article that matter for search and display.
type Doc struct {
	ID     string
	Title  string
	Body   string
	Date   time.Time // zero when unknown
	Source string
}

// Hit is one ranked result of a peer engine. Score is the engine's own
// relevance value, higher is better; it is comparable only within one
// result list.
type Hit struct {
	ID    string
	Score float64
	// Snippet is a short HTML-escaped passage with matched terms in
	// <mark>…</mark>, when the engine was asked for one.
	Snippet string
}
