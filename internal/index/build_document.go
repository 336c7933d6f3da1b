package index

import (
	"fmt"
	"strconv"
	"time"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/document"
	"github.com/blevesearch/bleve/v2/mapping"
	bindex "github.com/blevesearch/bleve_index_api"
	"github.com/newsfind/newsfind/internal/search"
)

// contentSeparator joins title and body in the content field; highlighting
// uses it to map content offsets back to the body.
const contentSeparator = "\n\n"

// docBuilder turns articles into bleve documents directly, with the field
// types, options and analyzers of an index's mapping, instead of through
// IndexMapping.MapDocument, which walks the map of fields by reflection and
// adds an empty _all composite field to every document (no field of the
// mapping is included in _all). The documents it builds index exactly what
// MapDocument(fields(a)) indexes (fields, in the tests, is the article as
// a map); TestDocBuilderMatchesMapDocument holds it to that. It is safe for
// concurrent use.
type docBuilder struct {
	specs map[string]fieldSpec
}

// fieldSpec is how the mapping indexes one field.
type fieldSpec struct {
	typ      string // "text", "datetime" or "number"
	options  bindex.FieldIndexingOptions
	analyzer analysis.Analyzer // text fields
}

// newDocBuilder reads the field specs of the fields newsfind writes from m,
// which must be a static mapping like the one NewMapping returns.
func newDocBuilder(m mapping.IndexMapping) (*docBuilder, error) {
	im, ok := m.(*mapping.IndexMappingImpl)
	if !ok || im.DefaultMapping == nil {
		return nil, fmt.Errorf("document builder: unexpected index mapping %T", m)
	}
	b := &docBuilder{specs: map[string]fieldSpec{}}
	for name, dm := range im.DefaultMapping.Properties {
		if len(dm.Fields) != 1 {
			return nil, fmt.Errorf("document builder: field %s has %d mappings, want 1", name, len(dm.Fields))
		}
		fm := dm.Fields[0]
		s := fieldSpec{typ: fm.Type, options: fm.Options()}
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

// build returns the document of article a: the same fields, with the same
// values, as fields(a).
func (b *docBuilder) build(a search.Article) *document.Document {
	d := document.NewDocument(a.ID)
	d.Fields = make([]document.Field, 0, 24)
	d.CompositeFields = nil
	b.text(d, fieldTitle, a.Title, nil)
	b.text(d, fieldBody, a.Body, nil)
	b.text(d, fieldContent, a.Title+contentSeparator+a.Body, nil)
	b.text(d, fieldSummary, a.Summary, nil)
	b.number(d, fieldWordCount, float64(a.WordCount))
	if !a.Date.IsZero() {
		utc := a.Date.UTC()
		b.date(d, fieldDate, utc)
		b.text(d, fieldYear, strconv.Itoa(a.Date.Year()), nil)
		b.text(d, fieldMonth, utc.Format("2006-01"), nil)
	}
	for _, f := range []struct{ name, v string }{
		{fieldSource, a.Source}, {fieldSourceText, a.Source}, {fieldAuthor, a.Author},
		{fieldDateline, a.Place}, {fieldLanguage, a.Language}, {fieldURL, a.URL},
	} {
		if f.v != "" {
			b.text(d, f.name, f.v, nil)
		}
	}
	for _, e := range []struct {
		keyword, text string
		names         []string
	}{
		{fieldPerson, fieldPersonText, a.People},
		{fieldPlace, fieldPlaceText, a.Places},
		{fieldOrg, fieldOrgText, a.Organizations},
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

// text adds a string field; as in MapDocument, it is a text field with the
// field's analyzer (keyword fields are text fields with the keyword
// analyzer). A field the mapping does not know is left out, as a static
// mapping does.
func (b *docBuilder) text(d *document.Document, name, v string, pos []uint64) {
	s, ok := b.specs[name]
	if !ok || s.typ != "text" {
		return
	}
	d.AddField(document.NewTextFieldCustom(name, pos, []byte(v), s.options, s.analyzer))
}

func (b *docBuilder) number(d *document.Document, name string, v float64) {
	s, ok := b.specs[name]
	if !ok || s.typ != "number" {
		return
	}
	d.AddField(document.NewNumericFieldWithIndexingOptions(name, nil, v, s.options))
}

func (b *docBuilder) date(d *document.Document, name string, t time.Time) {
	s, ok := b.specs[name]
	if !ok || s.typ != "datetime" {
		return
	}
	// MapDocument records time.Time values with the RFC 3339 layout.
	f, err := document.NewDateTimeFieldWithIndexingOptions(name, nil, t, time.RFC3339, s.options)
	if err != nil {
		return // a date bleve cannot represent: MapDocument drops it too
	}
	d.AddField(f)
}
