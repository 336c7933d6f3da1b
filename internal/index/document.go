package index

import (
	"strconv"

	"github.com/newsfind/newsfind/internal/article"
)

// contentSeparator joins title and body in the content field; highlighting
// uses it to map content offsets back to the body.
const contentSeparator = "\n\n"

// fields turns an article into the fields of its bleve document.
func fields(a article.Article) map[string]any {
	d := map[string]any{
		fieldTitle:     a.Title,
		fieldBody:      a.Body,
		fieldContent:   a.Title + contentSeparator + a.Body,
		fieldSummary:   a.Summary,
		fieldWordCount: a.WordCount,
	}
	set := func(field, v string) {
		if v != "" {
			d[field] = v
		}
	}
	if !a.Date.IsZero() {
		d[fieldDate] = a.Date.UTC()
		d[fieldYear] = strconv.Itoa(a.Date.Year())
		d[fieldMonth] = a.Date.UTC().Format("2006-01")
	}
	set(fieldSource, a.Source)
	set(fieldSourceText, a.Source)
	set(fieldAuthor, a.Author)
	set(fieldDateline, a.Place)
	set(fieldLanguage, a.Language)
	set(fieldURL, a.URL)
	for _, e := range []struct {
		keyword, text string
		names         []string
	}{
		{fieldPerson, fieldPersonText, a.People},
		{fieldPlace, fieldPlaceText, a.Places},
		{fieldOrg, fieldOrgText, a.Organizations},
	} {
		if len(e.names) > 0 {
			d[e.keyword] = e.names
			d[e.text] = e.names
		}
	}
	return d
}
