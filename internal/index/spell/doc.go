// Package spell understands words as people type them into a search box:
// misspelt words, corrected from the archive's own vocabulary
// (Corrections, DidYouMean), and words still being typed, matched as
// prefixes (Prefix). It asks the index what it needs through a small
// interface (Vocabulary) that the engine implements over bleve's term
// dictionary, and knows nothing of bleve's readers itself.
package spell
