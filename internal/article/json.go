package article

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"codeberg.org/readeck/go-readability/v2/render"
	"github.com/newsfind/newsfind/internal/article/date"
	"github.com/newsfind/newsfind/internal/article/furniture"
	"github.com/newsfind/newsfind/internal/article/textenc"
	"github.com/newsfind/newsfind/internal/article/textnorm"
	"github.com/newsfind/newsfind/internal/search"
	"golang.org/x/net/html"
)

// jsonParser reads a .json file holding one article object.
type jsonParser struct{}

// jsonlParser reads a .jsonl file (JSON Lines) holding one article object
// per line. Each line is its own article, with the ID "<path>#<line>"; a bad
// line is reported with its number and skipped.
type jsonlParser struct{}

var (
	_ Parser = jsonParser{}
	_ Parser = jsonlParser{}
)

// jsonArticle is the shape of an article exported by another system. Only
// title is required. Unknown fields are ignored.
type jsonArticle struct {
	Title         string          `json:"title"`
	Date          json.RawMessage `json:"date"`
	Source        string          `json:"source"`
	Section       string          `json:"section"`
	URL           string          `json:"url"`
	Body          string          `json:"body"`
	Author        json.RawMessage `json:"author"` // a name or a list of names
	People        []string        `json:"people"`
	Places        []string        `json:"places"`
	Organizations []string        `json:"organizations"`
}

// Parse implements Parser for .json files.
func (p jsonParser) Parse(id string, data []byte) ([]search.Article, error) {
	return articlesOf(p.read(id, data))
}

func (jsonParser) format() string { return "json" }

// read reads a .json file into its one article.
func (jsonParser) read(id string, data []byte) ([]*draft, error) {
	text, err := textenc.Decode(data)
	if err != nil {
		return nil, err
	}
	d, err := readJSONArticle(id, []byte(text), 0)
	if err != nil {
		return nil, err
	}
	return []*draft{d}, nil
}

// Parse implements Parser for .jsonl files.
func (p jsonlParser) Parse(id string, data []byte) ([]search.Article, error) {
	return articlesOf(p.read(id, data))
}

func (jsonlParser) format() string { return "jsonl" }

// read reads a .jsonl file: one article per non-blank line. When some
// lines are bad it returns the others with a BadLines error; when all are,
// the error alone.
func (jsonlParser) read(id string, data []byte) ([]*draft, error) {
	text, err := textenc.Decode(data)
	if err != nil {
		return nil, err
	}
	var drafts []*draft
	var bad BadLines
	for i, line := range strings.Split(text, "\n") {
		if strings.TrimSpace(line) == "" {
			continue
		}
		n := i + 1
		d, err := readJSONArticle(id+"#"+strconv.Itoa(n), []byte(line), n)
		if err != nil {
			bad = append(bad, &LineError{Line: n, Err: err})
			continue
		}
		drafts = append(drafts, d)
	}
	switch {
	case len(bad) > 0 && len(drafts) == 0:
		return nil, fmt.Errorf("no line holds an article: %w", bad)
	case len(bad) > 0:
		return drafts, bad
	case len(drafts) == 0:
		return nil, ErrNoTitle
	}
	return drafts, nil
}

// errNotObject means a JSON value is not an article object.
var errNotObject = errors.New("not a JSON object")

// readJSONArticle reads one article object. line is its line in the file
// (0 for a .json file, where lines mean nothing).
func readJSONArticle(id string, data []byte, line int) (*draft, error) {
	data = bytes.TrimSpace(data)
	if len(data) == 0 || data[0] != '{' {
		if json.Valid(data) {
			return nil, fmt.Errorf("%w: an article is an object with a title", errNotObject)
		}
	}
	var ja jsonArticle
	if err := json.Unmarshal(data, &ja); err != nil {
		return nil, jsonError(data, err)
	}
	field := func(name string) Origin { return Origin{Rule: "json field " + name, Line: line} }
	d := newDraft(id)
	if d.Title = textnorm.Line(ja.Title); d.Title == "" {
		return nil, fmt.Errorf("%w: the title field is missing or empty", ErrNoTitle)
	}
	d.titleLine = line
	d.set("title", field("title"))
	if s := textnorm.Line(ja.Source); s != "" {
		d.Source = s
		d.set("source", field("source"))
	}
	if sec := textnorm.Line(ja.Section); sec != "" {
		d.Section = sec
		d.set("section", field("section"))
	}
	if u := textnorm.Line(ja.URL); u != "" {
		d.URL = u
		d.set("url", field("url"))
	}
	d.page = ja.Body // for the language, should a numeric date need it
	d.jsonDate(ja.Date, field("date"))
	d.jsonAuthor(ja.Author, field("author"))
	d.people, d.places, d.orgs = ja.People, ja.Places, ja.Organizations
	d.listOrigin = Origin{Rule: "json field", Line: line}

	d.jsonBody(ja.Body, line)
	d.set("body", field("body"))
	d.finish()
	d.copyrightSource()
	return d, nil
}

// jsonError says where in data a decoding error is.
func jsonError(data []byte, err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return fmt.Errorf("invalid JSON at byte %d: %w", syn.Offset, err)
	case errors.As(err, &typ):
		return fmt.Errorf("field %s: want %s, not a JSON %s: %w", typ.Field, typ.Type, typ.Value, err)
	}
	return fmt.Errorf("invalid JSON: %w", err)
}

// jsonDate reads the date field: a string in any form date.Parse knows.
// A date that cannot be read leaves the date empty, and Explain says why.
func (d *draft) jsonDate(raw json.RawMessage, o Origin) {
	if len(raw) == 0 || string(raw) == "null" {
		return
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		o.Rule, o.Note = "none", "the date field is not a string: "+string(raw)
		d.set("date", o)
		return
	}
	o.Text = s
	t, ok := date.Parse(s, d.dateOrder(s))
	if d.orderWhy != "" && date.Ambiguous(s) {
		o.Note = d.orderWhy
	}
	if !ok && date.Ambiguous(s) {
		o.Rule, o.Note = "none", "the date field "+strconv.Quote(s)+" could be read day first or month first, and nothing settles which"
		d.set("date", o)
		return
	}
	if !ok {
		o.Rule, o.Note = "none", "the date field is not a date with a day: "+strconv.Quote(s)
		d.set("date", o)
		return
	}
	d.setDate(t, o)
}

// jsonAuthor reads the author field: a name or a list of names.
func (d *draft) jsonAuthor(raw json.RawMessage, o Origin) {
	if len(raw) == 0 || string(raw) == "null" {
		return
	}
	var one string
	var many []string
	if json.Unmarshal(raw, &one) != nil && json.Unmarshal(raw, &many) != nil {
		o.Rule, o.Note = "none", "the author field is neither a name nor a list of names"
		d.set("author", o)
		return
	}
	if one != "" {
		many = []string{one}
	}
	var names []string
	for _, n := range many {
		if n = textnorm.Line(n); n != "" {
			names = append(names, n)
		}
	}
	if len(names) > 0 {
		d.Author = strings.Join(names, ", ")
		d.set("author", o)
	}
}

// jsonBody splits the body field into paragraphs: its non-blank lines, or
// the blocks of its markup when it is HTML. Page furniture is dropped as in
// text files.
func (d *draft) jsonBody(body string, line int) {
	var lines []string
	if looksLikeHTML(body) {
		doc, err := html.Parse(strings.NewReader(body))
		if err == nil {
			body = render.InnerText(doc)
		}
	}
	lines = strings.Split(body, "\n")
	for _, l := range lines {
		if l = textnorm.Line(l); l == "" {
			continue
		}
		if rule := furniture.Rule(l); rule != "" {
			d.drop(rule, line, 0, l)
			continue
		}
		d.paras = append(d.paras, l)
		d.paraLines = append(d.paraLines, line)
	}
}

// looksLikeHTML reports whether a body holds HTML markup rather than text.
func looksLikeHTML(s string) bool {
	s = strings.ToLower(s)
	for _, tag := range []string{"<p>", "<p ", "<br", "</p>", "<div", "</a>"} {
		if strings.Contains(s, tag) {
			return true
		}
	}
	return false
}
