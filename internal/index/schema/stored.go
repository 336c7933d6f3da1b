package schema

import (
	"time"

	"github.com/blevesearch/bleve/v2/document"

	"github.com/newsfind/newsfind/internal/search"
)

// StoredFields are the fields an index stores, all that Stored reads back.
var StoredFields = []string{Title, Body, Date, Offset, Source, Section, Author, WordCount,
	Summary, Dateline, Language, URL, Person, Place, Org}

// Stored returns the article with ID id whose stored fields bleve loaded
// as fields (a hit's Fields): what Builder.Document stored of it. Fields
// that were not loaded stay empty.
func Stored(id string, fields map[string]any) search.Article {
	wc, _ := fields[WordCount].(float64)
	return search.Article{
		ID:            id,
		Title:         str(fields[Title]),
		Date:          date(fields[Date], str(fields[Offset])),
		Source:        str(fields[Source]),
		Section:       str(fields[Section]),
		Author:        str(fields[Author]),
		Body:          str(fields[Body]),
		WordCount:     int(wc),
		Summary:       str(fields[Summary]),
		Place:         str(fields[Dateline]),
		Language:      str(fields[Language]),
		URL:           str(fields[URL]),
		People:        strs(fields[Person]),
		Places:        strs(fields[Place]),
		Organizations: strs(fields[Org]),
	}
}

func str(v any) string {
	s, _ := v.(string)
	return s
}

// strs reads a stored multi-valued field: bleve returns one value as a
// string and several as a slice.
func strs(v any) []string {
	switch v := v.(type) {
	case string:
		return []string{v}
	case []any:
		out := make([]string, 0, len(v))
		for _, x := range v {
			if s, ok := x.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

// date reads a stored date, which bleve returns in RFC 3339 form, in the
// zone of the stored offset ("-05:00"; UTC when there is none).
func date(v any, offset string) time.Time {
	s, _ := v.(string)
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}
	}
	if off, ok := ParseOffset(offset); ok {
		return t.In(time.FixedZone("", int(off/time.Second)))
	}
	return t.UTC()
}

// ParseOffset returns the zone offset the Offset field holds ("-05:00",
// as documents write it); false for anything else.
func ParseOffset(s string) (time.Duration, bool) {
	z, err := time.Parse(offsetLayout, s)
	if err != nil {
		return 0, false
	}
	_, off := z.Zone()
	return time.Duration(off) * time.Second, true
}

// StoredValue returns the value of a stored field of type typ (zap's
// letter for it) as bleve's LoadAndHighlightFields gives it, and so as
// Stored reads it: text as a string, a number as a float64, a date and
// time as RFC 3339 or its field's layout; nil for other types, which the
// index stores none of.
func StoredValue(field string, typ byte, value []byte) (any, error) {
	switch typ {
	case 't':
		return string(value), nil
	case 'n':
		return document.NewNumericFieldFromBytes(field, nil, value).Number()
	case 'd':
		t, layout, err := document.NewDateTimeFieldFromBytes(field, nil, value).DateTime()
		if err != nil {
			return nil, err
		}
		if layout == "" {
			layout = time.RFC3339
		}
		return t.Format(layout), nil
	}
	return nil, nil
}
