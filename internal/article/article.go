// Package article reads news article files into Articles: the clean text and
// field-level metadata that newsfind indexes and shows.
//
// It knows about file formats and page boilerplate; it knows nothing about
// the index or HTTP. One Parser per format, chosen by file extension: .txt
// (text dumps of web pages and plain "title, blank line, body" files),
// .html/.htm (saved pages), .json (one article object) and .jsonl (one
// article object per line). People, places and organizations come from
// package entity. Explain tells where each field of an article came from.
//
// Nothing is guessed: a field the file does not state is left empty, never
// filled from the file's name, its modification time or today's date. See
// README.md in this folder for the libraries used and why.
package article
