package main

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"time"
)

// stamp records what a kept pair of indexes was built from: the corpus's
// contents and the indexer binaries. A later run with -reuse searches them
// only when all three are unchanged.
type stamp struct {
	Corpus  string       `json:"corpus"`  // Corpus.Hash
	Indexer string       `json:"indexer"` // SHA-256 of the binary
	Peer    string       `json:"peer,omitempty"`
	Built   time.Time    `json:"built"`
	Indexes builtIndexes `json:"indexes"`
}

// newStamp describes the indexes cfg's binaries would build from corpus.
// A binary that cannot be read gets an empty hash, which no stamp matches.
func newStamp(cfg Config, corpus Corpus) stamp {
	s := stamp{Corpus: corpus.Hash, Indexer: fileHash(cfg.Engine.Indexer)}
	if cfg.Peer.Indexer != "" {
		s.Peer = fileHash(cfg.Peer.Indexer)
	}
	return s
}

// matches reads the stamp at path and returns where the indexes it
// describes are and when they were built, or an error that says why they
// are not the build s describes.
func (s stamp) matches(path string) (builtIndexes, string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return builtIndexes{}, "", err
	}
	var old stamp
	why := ""
	switch {
	case json.Unmarshal(b, &old) != nil:
		why = "its stamp does not read"
	case s.Indexer == "":
		why = "the indexer binary does not read"
	case old.Indexer != s.Indexer:
		why = "another indexer binary built them"
	case old.Corpus != s.Corpus:
		why = "the corpus changed"
	case old.Peer != s.Peer || (s.Peer != "" && old.Indexes.Peer == ""):
		why = "they were built with another peer (-peer) or none"
	}
	if why != "" {
		return builtIndexes{}, "", fmt.Errorf("%s: %s", path, why)
	}
	for _, p := range []string{old.Indexes.Newsfind, old.Indexes.Peer} {
		if _, err := os.Stat(p); p != "" && err != nil {
			return builtIndexes{}, "", err
		}
	}
	return old.Indexes, old.Built.Format(time.RFC3339), nil
}

// write records that built was just made from what s describes.
func (s stamp) write(path string, built builtIndexes) error {
	s.Built = time.Now().UTC().Truncate(time.Second)
	s.Indexes = built
	return writeJSON(path, s)
}

// fileHash returns the hex SHA-256 of a file, or "" when it cannot be read.
func fileHash(path string) string {
	f, err := os.Open(path)
	if err != nil {
		return ""
	}
	defer f.Close() // read-only
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return ""
	}
	return hex.EncodeToString(h.Sum(nil))
}
