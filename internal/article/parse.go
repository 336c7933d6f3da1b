package article

import (
	"errors"
	"fmt"
	"path"
	"strings"
)

// Parser turns one file's bytes into articles; one implementation per
// format. id is the file's ID (its slash-separated path under the corpus
// folder); the articles it returns carry it. Errors say what is wrong with
// the data and leave naming the file to the caller.
type Parser interface {
	Parse(id string, data []byte) ([]Article, error)
}

// Errors a caller may want to tell apart with errors.Is.
var (
	// ErrUnsupported means no Parser handles the file's extension.
	ErrUnsupported = errors.New("unsupported file type")
	// ErrNoTitle means the file has no text that could serve as a headline,
	// e.g. it is empty or holds only navigation.
	ErrNoTitle = errors.New("no title found")
	// ErrBinary means the file holds binary data rather than text.
	ErrBinary = errors.New("binary data, not text")
)

// parsers maps a lower-case file extension to the Parser for its format. It
// is the one place that knows which formats exist: a new reader (.html,
// .jsonl, ...) is one more entry here and nothing else changes. It is never
// written after initialization.
var parsers = map[string]Parser{
	".txt": textParser{},
}

// parserFor returns the Parser for name's extension, compared without
// regard to case.
func parserFor(name string) (Parser, bool) {
	p, ok := parsers[strings.ToLower(path.Ext(name))]
	return p, ok
}

// Supported reports whether a reader handles the file name's format.
func Supported(name string) bool {
	_, ok := parserFor(name)
	return ok && !isCorpusDoc(name)
}

// Parse parses data as the format named by the extension of id, returning
// its articles (ID set to id). An extension with no Parser gives an error
// wrapping ErrUnsupported.
func Parse(id string, data []byte) ([]Article, error) {
	p, ok := parserFor(id)
	if !ok {
		return nil, fmt.Errorf("parse %s: %w", id, ErrUnsupported)
	}
	arts, err := p.Parse(id, data)
	if err != nil {
		return nil, fmt.Errorf("parse %s: %w", id, err)
	}
	return arts, nil
}
