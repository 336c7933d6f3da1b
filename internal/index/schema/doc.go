// Package schema is what a newsfind index holds: its bleve mapping, the
// field names, the bleve document made of an Article, and the statistics
// each generation stores for BM25 (see TermStats).
//
// Writers (package gen) and the search engine (package engine) both read
// it; it uses bleve's public API only, and knows nothing of folders,
// generations or searching.
package schema
