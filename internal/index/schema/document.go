package schema

import (
	"fmt"
	"strconv"
	"time"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/document"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/newsfind/newsfind/internal/analyze"
	"github.com/newsfind/newsfind/internal/search"
)

// ContentSeparator joins title and body in the content field; highlighting
// uses it to map content offsets back to the body.
const ContentSeparator = "\n\n"

// Builder turns articles into bleve documents directly, with the field
// types, options and analyzers of an index's mapping, instead of through
// IndexMapping.MapDocument, which walks the map of fields by reflection and
// adds an empty _all composite field to every document (no field of the
// mapping is included in _all). The documents it builds index exactly what
// MapDocument(fields(a)) indexes (fields, in the tests, is the article as
// a map); TestDocBuilderMatchesMapDocument holds it to that. It is safe for
// concurrent use.
type Builder struct {
	specs map[string]fieldSpec
}

// fieldSpec is how the mapping indexes one field.
type fieldSpec struct {
	typ      string                // "text", "datetime" or "number"
	field    *mapping.FieldMapping // for its indexing options
	analyzer analysis.Analyzer     // text fields
}

// NewBuilder reads the field specs of the fields newsfind writes from m,
// which must be a static mapping like the one Mapping returns.
func NewBuilder(m mapping.IndexMapping) (*Builder, error) {
	im, ok := m.(*mapping.IndexMappingImpl)
	if !ok || im.DefaultMapping == nil {
		return nil, fmt.Errorf("document builder: unexpected index mapping %T", m)
	}
	b := &Builder{specs: map[string]fieldSpec{}}
	for name, dm := range im.DefaultMapping.Properties {
		if len(dm.Fields) != 1 {
			return nil, fmt.Errorf("document builder: field %s has %d mappings, want 1", name, len(dm.Fields))
		}
		fm := dm.Fields[0]
		s := fieldSpec{typ: fm.Type, field: fm}
		switch fm.Type {
		case "text":
			an := fm.Analyzer
			if an == "" {
				an = im.DefaultAnalyzer
			}
			if s.analyzer = im.AnalyzerNamed(an); s.analyzer == nil {
				return nil, fmt.Errorf("document builder: field %s: no analyzer %q", name, an)
			}
		case "datetime", "number":
		default:
			return nil, fmt.Errorf("document builder: field %s has unsupported type %q", name, fm.Type)
		}
		b.specs[name] = s
	}
	return b, nil
}

// Document returns the document of article a: the same fields, with the
// same values, as fields(a).
func (b *Builder) Document(a search.Article) *document.Document {
	d := document.NewDocument(a.ID)
	d.Fields = make([]document.Field, 0, 24)
	d.CompositeFields = nil
	b.text(d, Title, a.Title, nil)
	b.text(d, Body, a.Body, nil)
	content := a.Title + ContentSeparator + a.Body
	c := b.text(d, Content, content, nil)
	b.text(d, Exact, content, nil)
	b.text(d, Grams, content, nil)
	b.pairs(d, c, content)
	b.text(d, Summary, a.Summary, nil)
	b.number(d, WordCount, float64(a.WordCount))
	if !a.Date.IsZero() {
		// The instant sorts; the calendar date the publication wrote (in
		// the zone it stated) is what the date filters, the year and the
		// month facets see: 23:30 -0500 on the 26th is on the 26th.
		b.date(d, Date, a.Date.UTC())
		b.date(d, Day, CalendarDay(a.Date))
		b.text(d, Year, strconv.Itoa(a.Date.Year()), nil)
		b.text(d, Month, a.Date.Format("2006-01"), nil)
		if _, off := a.Date.Zone(); off != 0 {
			b.text(d, Offset, a.Date.Format(offsetLayout), nil)
		}
	}
	for _, f := range []struct{ name, v string }{
		{Source, a.Source}, {SourceText, a.Source}, {Section, a.Section}, {Author, a.Author},
		{Dateline, a.Place}, {Language, a.Language}, {URL, a.URL},
	} {
		if f.v != "" {
			b.text(d, f.name, f.v, nil)
		}
	}
	for _, e := range []struct {
		keyword, text string
		names         []string
	}{
		{Person, PersonText, a.People},
		{Place, PlaceText, a.Places},
		{Org, OrgText, a.Organizations},
	} {
		for i, n := range e.names {
			pos := []uint64{uint64(i)} // as MapDocument numbers array elements
			b.text(d, e.keyword, n, pos)
			b.text(d, e.text, n, pos)
		}
	}
	d.SetIndexed()
	return d
}

// SetStory adds to d, a document Document built, the label of the story
// its article is a version of, and the signature of its text (package
// dedup) that finds its story's versions. Versions of one story share a
// label; the engine shows one hit per label.
func (b *Builder) SetStory(d *document.Document, label string, sig string) {
	if label == "" {
		return
	}
	b.text(d, Story, label, nil)
	b.text(d, StorySig, sig, nil)
}

// pairs adds the pairs field of an article whose title and body are
// content, after its content field c: as the field's analyzer would find
// them, but read from c's analysis (the stems at their positions), not by
// analysing the text once more. Without c, the text is analysed.
func (b *Builder) pairs(d *document.Document, c *document.TextField, content string) {
	s, ok := b.specs[Pairs]
	switch {
	case !ok || s.typ != "text":
	case c == nil:
		b.text(d, Pairs, content, nil)
	default:
		d.AddField(document.NewTextFieldCustom(Pairs, nil, []byte(content), s.field.Options(), pairsFrom{content: c, pairs: s.analyzer}))
	}
}

// pairsFrom is the analyzer of one article's pairs field: it takes the
// pairs from the analysis of the article's content field, which bleve
// analyses first (fields in the order they were added).
type pairsFrom struct {
	content *document.TextField
	pairs   analysis.Analyzer // the mapping's analyze.PairsAnalyzer
}

// Analyze implements analysis.Analyzer.
func (p pairsFrom) Analyze(text []byte) analysis.TokenStream {
	freqs := p.content.AnalyzedTokenFrequencies()
	if freqs == nil { // not analysed yet: analyse the text
		return p.pairs.Analyze(text)
	}
	var toks analysis.TokenStream
	for term, f := range freqs {
		if !analyze.IsCommon(p.pairs, term) {
			continue
		}
		for _, l := range f.Locations {
			toks = append(toks, &analysis.Token{Term: f.Term, Start: l.Start, End: l.End, Position: l.Position})
		}
	}
	return analyze.PairsOf(p.pairs, toks)
}

// text adds a string field; as in MapDocument, it is a text field with the
// field's analyzer (keyword fields are text fields with the keyword
// analyzer). It returns the field, or nil for a field the mapping does
// not know, which is left out, as a static mapping does.
func (b *Builder) text(d *document.Document, name, v string, pos []uint64) *document.TextField {
	s, ok := b.specs[name]
	if !ok || s.typ != "text" {
		return nil
	}
	f := document.NewTextFieldCustom(name, pos, []byte(v), s.field.Options(), s.analyzer)
	d.AddField(f)
	return f
}

func (b *Builder) number(d *document.Document, name string, v float64) {
	s, ok := b.specs[name]
	if !ok || s.typ != "number" {
		return
	}
	d.AddField(document.NewNumericFieldWithIndexingOptions(name, nil, v, s.field.Options()))
}

// CalendarDay returns the calendar date of t in its own zone, as midnight
// UTC: the value of the day field, and of date filter bounds.
func CalendarDay(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

func (b *Builder) date(d *document.Document, name string, t time.Time) {
	s, ok := b.specs[name]
	if !ok || s.typ != "datetime" {
		return
	}
	// MapDocument records time.Time values with the RFC 3339 layout.
	f, err := document.NewDateTimeFieldWithIndexingOptions(name, nil, t, time.RFC3339, s.field.Options())
	if err != nil {
		return // a date bleve cannot represent: MapDocument drops it too
	}
	d.AddField(f)
}
