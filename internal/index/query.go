package index

import (
	"strconv"
	"strings"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/search/query"
	"github.com/newsfind/newsfind/internal/analyze"
	"github.com/newsfind/newsfind/internal/search"
)

// Ranking weights. A title is a short, deliberate summary written by an
// editor: a word there says more about the article than the same word in
// the body.
const (
	titleBoost  = 3.0
	phraseBoost = 2.0 // extra weight when typed words appear as a phrase
)

// compiled is a search.Query translated for bleve, plus the analyzed terms
// to highlight in results.
type compiled struct {
	query query.Query
	terms map[string]bool
	// positive is false when the text only excludes (or is empty), so every
	// article is a candidate.
	positive bool
}

// compile translates parsed search text and filters into one bleve query.
// Plain words are optional (any may match, more matches rank higher, and
// they rank higher still as a phrase); quoted phrases and field terms are
// required; exclusions remove.
func compile(q search.Query, f search.Filters, a analysis.Analyzer) compiled {
	c := compiled{terms: map[string]bool{}}
	var must, should, mustNot []query.Query
	var words []string
	for _, cl := range q.Clauses {
		var sub query.Query
		switch {
		case cl.Field == "" && !cl.Phrase && !cl.Exclude:
			// Words with nothing to search ("?", "/") are dropped, so
			// they neither match nothing nor fail.
			if c.collect(a, cl.Text) {
				words = append(words, cl.Text)
			}
			continue
		case cl.Field == "":
			sub = textQuery(cl.Text, cl.Phrase, titleBoost)
		case cl.Field == fieldSource:
			sub = fieldQuery(fieldSourceText, cl.Text, cl.Phrase, 1)
		default:
			sub = fieldQuery(cl.Field, cl.Text, cl.Phrase, 1)
		}
		if cl.Exclude {
			mustNot = append(mustNot, sub)
			continue
		}
		must = append(must, sub)
		if cl.Field != fieldSource {
			c.collect(a, cl.Text)
		}
	}
	if len(words) > 0 {
		text := strings.Join(words, " ")
		should = append(should, textQuery(text, false, titleBoost))
		if len(words) > 1 {
			phrase := textQuery(text, true, titleBoost)
			phrase.SetBoost(phraseBoost)
			should = append(should, phrase)
		}
	}
	c.positive = len(must)+len(should) > 0
	wordsOptional := len(must) > 0 // required clauses select; words only rank
	must = append(must, filterQueries(f)...)
	if len(must) == 0 && len(should) == 0 {
		must = append(must, bleve.NewMatchAllQuery())
	}
	b := bleve.NewBooleanQuery()
	b.AddMust(must...)
	b.AddShould(should...)
	b.AddMustNot(mustNot...)
	if len(should) > 0 && !wordsOptional {
		b.SetMinShould(1)
	}
	c.query = b
	return c
}

// collect adds the analyzed terms of text to the highlight set and reports
// whether there were any.
func (c *compiled) collect(a analysis.Analyzer, text string) bool {
	toks := a.Analyze([]byte(text))
	for _, tok := range toks {
		c.terms[string(tok.Term)] = true
	}
	return len(toks) > 0
}

// boostable is a bleve query whose weight can be set.
type boostable interface {
	query.Query
	SetBoost(float64)
}

// textQuery searches title and body for text, weighting the title.
func textQuery(text string, phrase bool, titleWeight float64) boostable {
	return bleve.NewDisjunctionQuery(
		fieldQuery(fieldTitle, text, phrase, titleWeight),
		fieldQuery(fieldBody, text, phrase, 1),
	)
}

// fieldQuery matches text in one analyzed field, as words or as a phrase.
func fieldQuery(field, text string, phrase bool, boost float64) boostable {
	if phrase {
		q := bleve.NewMatchPhraseQuery(text)
		q.SetField(field)
		q.Analyzer = analyze.Analyzer
		q.SetBoost(boost)
		return q
	}
	q := bleve.NewMatchQuery(text)
	q.SetField(field)
	q.Analyzer = analyze.Analyzer
	q.SetBoost(boost)
	return q
}

// filterQueries turns filters into required clauses: values of one field
// are alternatives, fields combine with AND.
func filterQueries(f search.Filters) []query.Query {
	var out []query.Query
	anyOf := func(field string, values []string) {
		if len(values) == 0 {
			return
		}
		terms := make([]query.Query, len(values))
		for i, v := range values {
			t := bleve.NewTermQuery(v)
			t.SetField(field)
			terms[i] = t
		}
		out = append(out, bleve.NewDisjunctionQuery(terms...))
	}
	anyOf(fieldSource, f.Sources)
	years := make([]string, len(f.Years))
	for i, y := range f.Years {
		years[i] = strconv.Itoa(y)
	}
	anyOf(fieldYear, years)
	if !f.DateFrom.IsZero() || !f.DateTo.IsZero() {
		var from, to time.Time
		if !f.DateFrom.IsZero() {
			from = f.DateFrom
		}
		if !f.DateTo.IsZero() {
			to = f.DateTo.AddDate(0, 0, 1) // DateTo is a whole day, inclusive
		}
		incl, excl := true, false
		q := bleve.NewDateRangeInclusiveQuery(from, to, &incl, &excl)
		q.SetField(fieldDate)
		out = append(out, q)
	}
	return out
}
