// Package gen builds and publishes the generations of an index folder:
// it reads a folder of articles, writes what changed into a new bleve
// generation (sharing the current one's immutable segments), records what
// each file contributed in a manifest, and switches CURRENT to the new
// generation atomically, under a lock that lets one update run at a time.
//
// It never searches; package index serves the generation CURRENT names.
package gen
