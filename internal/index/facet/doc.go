// Package facet counts the facets of a search — source, year, month,
// people, places, organizations, section — from a Table: the facet fields and dates
// of every document of one index generation, uninverted into arrays by
// document number once, when the generation is opened (the engine reads
// the doc values and hands them to a Builder). Counting a match is then a
// few array reads. The table also holds each document's story label (a
// column no search counts), from which it lays out the Stories.
//
// It knows nothing of bleve's readers or searchers, nor of HTTP.
package facet
