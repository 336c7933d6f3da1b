// Package export writes newsfind's articles for another search engine: an
// OpenSearch (or Elasticsearch) _bulk stream of the articles with all the
// metadata the reader extracts, and an index mapping whose analysis does
// what newsfind's analyzers do. It is the road beyond one machine (see
// docs/SCALING.md): the same articles, read by the same reader
// (internal/article), loaded into a distributed engine with two requests.
//
// It is pure Go and knows nothing of bleve or of newsfind's index: the
// analysis lists it needs (stop words, stem overrides) are handed to it.
package export
