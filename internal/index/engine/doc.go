// Package engine searches one index generation, fixed once opened: it
// compiles a parsed search into bleve queries, scores matches with its own
// BM25F scorer (bm25.go) and phrase checks (phraseprobe.go), keeps the top
// hits and counts facets in one pass over the matches (collect.go, from a
// facet table built when the generation is opened, facettable.go),
// re-ranks long questions by pseudo-relevance feedback (feedback.go) and
// turns the page of hits into highlighted results (search.go).
//
// It is the only package of newsfind that uses bleve's internal APIs
// (bleve_index_api, bleve/v2/search and its searchers); it knows nothing
// of folders of generations, swapping or caching, which are package index's.
package engine
