package article

import (
	"errors"
	"fmt"
	"path"

	"github.com/newsfind/newsfind/internal/search"
)

// Explanation is what Explain found in one file: its articles, and for each
// field of each where the value came from, so that a person can see why an
// article is dated or attributed as it is.
type Explanation struct {
	// File is the file's path under the corpus folder.
	File string `json:"file"`
	// Format names the reader: "text", "html", "json" or "jsonl".
	Format string `json:"format"`
	// Articles holds one entry per article, in file order.
	Articles []Explained `json:"articles"`
	// LineErrors lists the lines of a .jsonl file that could not be read.
	LineErrors []string `json:"line_errors,omitempty"`
}

// Explained is one article with the origin of each of its fields.
type Explained struct {
	Article search.Article `json:"article"`
	// Fields maps an Article field's JSON name ("title", "date", ...) to
	// where its value came from. A field left empty may have an entry
	// saying what was tried and why nothing was taken.
	Fields map[string]Origin `json:"fields"`
	// Entities tells, for each person, place and organization, how it was
	// recognized.
	Entities []EntityOrigin `json:"entities,omitempty"`
	// Dropped lists the text left out of the body as page furniture, with
	// the rule that dropped it.
	Dropped []Origin `json:"dropped,omitempty"`
}

// Origin says where a value came from: which rule took it from which place
// in the file.
type Origin struct {
	// Rule names the rule or metadata tag: "header-date", "dateline",
	// "json-ld NewsArticle.datePublished", "meta article:published_time",
	// "json field date", ...
	Rule string `json:"rule"`
	// Line is the 1-based line of the file it was read from, where lines
	// mean something (text and JSON Lines files).
	Line int `json:"line,omitempty"`
	// Paragraph is the 1-based paragraph of the body it was read from.
	Paragraph int `json:"paragraph,omitempty"`
	// Text is the text it was read from.
	Text string `json:"text,omitempty"`
	// Note says more, such as why a value found was not taken.
	Note string `json:"note,omitempty"`
}

// EntityOrigin tells how one entity of an article was recognized.
type EntityOrigin struct {
	// Kind is "person", "place" or "organization".
	Kind string `json:"kind"`
	// Name is the canonical name, as in the article's lists.
	Name string `json:"name"`
	// Mentions counts the times the article names it, in any form; 0 for
	// an entity from the file's own lists.
	Mentions int `json:"mentions,omitempty"`
	// Origin gives the recognizing rule (package entity's Rule names) and
	// the text it applied to, such as "Foreign Minister Wang Yi".
	Origin
}

// Explain reads the file rel under root (rel slash-separated, inside root)
// as ReadFile does and returns its articles with the origin of each field.
// Unlike ReadFile it reads a README or LICENSE file too, if its format is
// known. It fails for an unsupported extension (wrapping ErrUnsupported), an
// unreadable file, or a file with no article.
func Explain(root, rel string) (Explanation, error) {
	rel = path.Clean(rel)
	ex := Explanation{File: rel}
	p, ok := parserFor(rel)
	if !ok {
		return ex, fmt.Errorf("explain %s: %w", rel, ErrUnsupported)
	}
	ex.Format = p.format()
	data, _, err := readLimited(root, rel)
	if err != nil {
		return ex, fmt.Errorf("explain %s: %w", rel, err)
	}
	drafts, err := p.read(rel, data)
	var bad BadLines
	switch {
	case errors.As(err, &bad) && len(drafts) > 0:
		for _, le := range bad {
			ex.LineErrors = append(ex.LineErrors, le.Error())
		}
	case err != nil:
		return ex, fmt.Errorf("explain %s: %w", rel, err)
	}
	for _, d := range drafts {
		ex.Articles = append(ex.Articles, d.explained())
	}
	return ex, nil
}

// explained returns the draft's article with its origins.
func (d *draft) explained() Explained {
	e := Explained{Article: d.Article, Fields: d.origins, Dropped: d.dropped}
	for _, en := range d.entities {
		e.Entities = append(e.Entities, EntityOrigin{
			Kind: en.Kind.String(), Name: en.Name, Mentions: en.Mentions,
			Origin: d.segmentOrigin(en.Rule, en.Where.Segment, en.Evidence),
		})
	}
	e.Entities = append(e.Entities, d.givenEntities...)
	return e
}
