package index

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/newsfind/newsfind/internal/article"
)

// contentSeparator joins title and body in the content field; highlighting
// uses it to map content offsets back to the body.
const contentSeparator = "\n\n"

// summaryLen is roughly how much lead text a result list shows for an
// article whose body has no highlighted match.
const summaryLen = 240

// fields turns an article into the fields of its bleve document.
func fields(a article.Article) map[string]any {
	d := map[string]any{
		fieldTitle:     a.Title,
		fieldBody:      a.Body,
		fieldContent:   a.Title + contentSeparator + a.Body,
		fieldSummary:   summarize(a.Body, summaryLen),
		fieldWordCount: a.WordCount,
	}
	if !a.Date.IsZero() {
		d[fieldDate] = a.Date.UTC()
		d[fieldYear] = strconv.Itoa(a.Date.Year())
	}
	if a.Source != "" {
		d[fieldSource] = a.Source
		d[fieldSourceText] = a.Source
	}
	if a.Author != "" {
		d[fieldAuthor] = a.Author
	}
	return d
}

// summarize returns the start of text, cut at a word boundary near max bytes,
// with an ellipsis when something was cut.
func summarize(text string, max int) string {
	text = strings.Join(strings.Fields(text), " ")
	if len(text) <= max {
		return text
	}
	cut := max
	for cut > 0 && !utf8.RuneStart(text[cut]) {
		cut--
	}
	if sp := strings.LastIndexByte(text[:cut], ' '); sp > max/2 {
		cut = sp
	}
	return strings.TrimRight(text[:cut], " ,;:") + "…"
}
