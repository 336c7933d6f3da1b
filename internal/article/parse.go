package article

import (
	"errors"
	"fmt"
	"path"
	"strings"

	"github.com/newsfind/newsfind/internal/article/decode"

	"github.com/newsfind/newsfind/internal/search"
)

// Parser turns one file's bytes into articles; one implementation per
// format. id is the file's ID (its slash-separated path under the corpus
// folder); the articles it returns carry it. Errors say what is wrong with
// the data and leave naming the file to the caller.
//
// A format with many articles per file returns the good ones together with
// an error wrapping BadLines when only some of its records are bad.
type Parser interface {
	Parse(id string, data []byte) ([]search.Article, error)
}

// Errors a caller may want to tell apart with errors.Is.
var (
	// ErrUnsupported means no Parser handles the file's extension.
	ErrUnsupported = errors.New("unsupported file type")
	// ErrNoTitle means the file has no text that could serve as a headline,
	// e.g. it is empty or holds only navigation.
	ErrNoTitle = errors.New("no title found")
	// ErrBinary means the file holds binary data rather than text.
	ErrBinary = decode.ErrBinary
)

// LineError is one bad record of a file with an article per line.
type LineError struct {
	Line int   // 1-based line number in the file
	Err  error // what is wrong with it
}

// Error implements error.
func (e *LineError) Error() string { return fmt.Sprintf("line %d: %v", e.Line, e.Err) }

// Unwrap returns the cause.
func (e *LineError) Unwrap() error { return e.Err }

// BadLines is the error a Parser returns alongside the articles of the good
// lines when some lines of a file could not be read: one *LineError per bad
// line, in file order.
type BadLines []*LineError

// Error implements error.
func (b BadLines) Error() string {
	if len(b) == 1 {
		return b[0].Error()
	}
	return fmt.Sprintf("%d bad lines, the first %v", len(b), b[0])
}

// Unwrap returns the line errors, for errors.Is and errors.As.
func (b BadLines) Unwrap() []error {
	errs := make([]error, len(b))
	for i, e := range b {
		errs[i] = e
	}
	return errs
}

// reader is a Parser that can also tell where each field came from.
type reader interface {
	Parser
	// read returns the articles as drafts with their origins, and the
	// format's name for Explain.
	read(id string, data []byte) ([]*draft, error)
	format() string
}

// parsers maps a lower-case file extension to the Parser for its format. It
// is the one place that knows which formats exist: a new reader is one more
// entry here and nothing else changes. It is never written after
// initialization.
var parsers = map[string]reader{
	".txt":   textParser{},
	".html":  htmlParser{},
	".htm":   htmlParser{},
	".json":  jsonParser{},
	".jsonl": jsonlParser{},
}

// parserFor returns the Parser for name's extension, compared without
// regard to case.
func parserFor(name string) (reader, bool) {
	p, ok := parsers[strings.ToLower(path.Ext(name))]
	return p, ok
}

// Supported reports whether a reader handles the file name's format.
func Supported(name string) bool {
	_, ok := parserFor(name)
	return ok && !isCorpusDoc(name)
}

// Parse parses data as the format named by the extension of id, returning
// its articles. An extension with no Parser gives an error wrapping
// ErrUnsupported. When some lines of a .jsonl file are bad, Parse returns
// the other lines' articles and an error wrapping BadLines.
func Parse(id string, data []byte) ([]search.Article, error) {
	p, ok := parserFor(id)
	if !ok {
		return nil, fmt.Errorf("parse %s: %w", id, ErrUnsupported)
	}
	arts, err := p.Parse(id, data)
	if err != nil {
		return arts, fmt.Errorf("parse %s: %w", id, err)
	}
	return arts, nil
}

// articlesOf turns a reader's drafts into articles, passing on its error.
func articlesOf(drafts []*draft, err error) ([]search.Article, error) {
	if len(drafts) == 0 {
		return nil, err
	}
	arts := make([]search.Article, len(drafts))
	for i, d := range drafts {
		arts[i] = d.Article
	}
	return arts, err
}
