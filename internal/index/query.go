package index

import (
	"strconv"
	"strings"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/search/query"
	"github.com/newsfind/newsfind/internal/analyze"
	"github.com/newsfind/newsfind/internal/entity"
	"github.com/newsfind/newsfind/internal/search"
)

// Ranking weights, as bonuses on top of BM25 over the whole article. A title
// is a short, deliberate summary written by an editor: a word there says more
// about the article than the same word in the body. Typed words that appear
// next to each other, as typed, say more than scattered ones. Both are
// additive: an article without a title match or the phrase is not penalized
// (bleve's disjunctions would scale its score down by the share of clauses
// it missed). See docs/RELEVANCE.md for what each choice measured.
const (
	titleBoost  = 2.0
	phraseBoost = 2.0
)

// compiled is a search.Query translated for bleve, plus the analyzed terms
// to highlight in results.
type compiled struct {
	query query.Query
	terms map[string]bool
	// positive is false when the text only excludes (or is empty), so every
	// article is a candidate.
	positive bool
	// strict is true when the text has required clauses (phrases, field
	// terms) that a relaxed compile would make optional.
	strict bool
}

// compile translates parsed search text and filters into one bleve query.
// Plain words are optional (any may match, more matches rank higher, and
// they rank higher still as a phrase); quoted phrases and field terms are
// required; exclusions remove. With relaxed, phrases and field terms are
// searched as plain words: Search retries so when the strict query finds
// nothing.
func compile(q search.Query, f search.Filters, a analysis.Analyzer, relaxed bool) compiled {
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
			sub = textQuery(cl.Text, cl.Phrase)
		case cl.Field == fieldSource:
			sub = fieldQuery(fieldSourceText, cl.Text, cl.Phrase, 1)
		case cl.Field == fieldBody:
			sub = textQuery(cl.Text, cl.Phrase)
		case entityText[cl.Field] != "":
			sub = entityQuery(cl.Field, cl.Text)
		default:
			sub = fieldQuery(cl.Field, cl.Text, cl.Phrase, 1)
		}
		if cl.Exclude {
			mustNot = append(mustNot, sub)
			continue
		}
		switch {
		case relaxed && c.collect(a, cl.Text):
			words = append(words, cl.Text) // searched as plain words
		case !relaxed:
			must = append(must, sub)
			c.strict = true
			if cl.Field != fieldSource {
				c.collect(a, cl.Text)
			}
		}
	}
	var bonus []query.Query
	if len(words) > 0 {
		text := strings.Join(words, " ")
		should = append(should, fieldQuery(fieldContent, text, false, 1))
		bonus = append(bonus, fieldQuery(fieldTitle, text, false, titleBoost))
		if len(words) > 1 {
			bonus = append(bonus, fieldQuery(fieldContent, text, true, phraseBoost))
		}
	}
	c.positive = len(must)+len(should) > 0
	wordsOptional := len(must) > 0 // required clauses select; words only rank
	must = append(must, filterQueries(f)...)
	if len(must) == 0 && len(should) == 0 {
		must = append(must, bleve.NewMatchAllQuery())
	}
	b := bleve.NewBooleanQuery()
	if len(should) > 0 && !wordsOptional {
		// The words select (any may match, more rank higher); title and
		// phrase matches add to the score of the articles they select.
		must = append(must, should...)
		should = bonus
	} else {
		should = append(should, bonus...)
	}
	b.AddMust(must...)
	b.AddShould(should...)
	b.AddMustNot(mustNot...)
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

// textQuery searches the whole article (title and body) for text.
func textQuery(text string, phrase bool) query.Query {
	return fieldQuery(fieldContent, text, phrase, 1)
}

// fieldQuery matches text in one analyzed field, as words or as a phrase.
func fieldQuery(field, text string, phrase bool, boost float64) query.Query {
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

// entityText maps an entity field to its analyzed copy.
var entityText = map[string]string{fieldPerson: fieldPersonText, fieldPlace: fieldPlaceText, fieldOrg: fieldOrgText}

// entityQuery matches a person, place or organization by name: another form
// the gazetteer knows ("SCO") means its canonical name ("Shanghai
// Cooperation Organization"), and the name is matched as a phrase, so
// person:norov finds "Vladimir Norov".
func entityQuery(field, name string) query.Query {
	if canonical, _, ok := entity.Default().Canonical(name); ok {
		name = canonical
	}
	return fieldQuery(entityText[field], name, true, 1)
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
	anyOf(fieldPerson, f.People)
	anyOf(fieldPlace, f.Places)
	anyOf(fieldOrg, f.Orgs)
	anyOf(fieldMonth, f.Months)
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
