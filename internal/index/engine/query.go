package engine

import (
	"strconv"
	"strings"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/search/query"
	"github.com/newsfind/newsfind/internal/analyze"
	"github.com/newsfind/newsfind/internal/entity"
	"github.com/newsfind/newsfind/internal/index/schema"
	"github.com/newsfind/newsfind/internal/search"
)

// Ranking weights on top of BM25 over the whole article. A title is a
// short, deliberate summary written by an editor: a word there says more
// about the article than the same word in the body, so an occurrence in the
// title counts 1 + titleBoost times (as SQLite FTS5's column weights and
// BM25F count it). Typed words found next to each other, as typed, say more
// than scattered ones: an article holding them as a phrase gains
// phraseBoost × their idf. Neither penalizes an article without them
// (bleve's disjunctions would scale its score down by the share of clauses
// it missed). See docs/RELEVANCE.md for what each choice measured.
const (
	titleBoost  = 1.0
	phraseBoost = 1.0
)

// compiled is a search.Query translated for bleve, plus the analyzed terms
// to highlight in results.
type compiled struct {
	query query.Query
	terms map[string]bool
	// positive is false when the text only excludes (or is empty), so every
	// article is a candidate.
	positive bool
	// words ranks the plain words, when there are any (see feedback.go),
	// analyzed by analyzer.
	words    *bm25Query
	analyzer analysis.Analyzer
	// strict is true when the text has required clauses (phrases, field
	// terms) that a relaxed compile would make optional.
	strict bool
}

// compile translates parsed search text and filters into one bleve query.
// Plain words are optional (any may match, more matches rank higher, and
// they rank higher still as a phrase); quoted phrases and field terms are
// required; exclusions remove. With relaxed, phrases and field terms are
// searched as plain words: Search retries so when the strict query finds
// nothing. fixes, by clause index, are the corrections of misspelt plain
// words (see typo.go); nil searches the words as typed.
func compile(q search.Query, f search.Filters, a analysis.Analyzer, relaxed bool, fixes map[int]*correction) compiled {
	c := compiled{terms: map[string]bool{}, analyzer: a}
	var must, should, mustNot []query.Query
	// words are the plain words with something to search; typed are all
	// the plain words as typed, stop words included, which the phrase
	// bonus needs: "house of commons" is "house", a gap, then "commons".
	var words, typed []string
	for i, cl := range q.Clauses {
		var sub query.Query
		switch {
		case cl.Field == "" && !cl.Phrase && !cl.Exclude:
			text := fixes[i].standIn(cl.Text)
			// Words with nothing to search ("?", "/", "of") are dropped,
			// so they neither match nothing nor fail.
			if c.collect(a, text) {
				words = append(words, text)
			}
			typed = append(typed, text)
			continue
		case cl.Field == schema.Source:
			sub = fieldQuery(a, schema.SourceText, cl.Text, cl.Phrase)
		case cl.Field == "" || cl.Field == schema.Body:
			sub = fieldQuery(a, schema.Content, cl.Text, cl.Phrase)
		case entityText[cl.Field] != "":
			sub = entityQuery(a, cl.Field, cl.Text)
		default:
			sub = fieldQuery(a, cl.Field, cl.Text, cl.Phrase)
		}
		if cl.Exclude {
			mustNot = append(mustNot, sub)
			continue
		}
		switch {
		case relaxed && c.collect(a, cl.Text):
			words = append(words, cl.Text) // searched as plain words
			typed = append(typed, cl.Text)
		case !relaxed:
			must = append(must, sub)
			c.strict = true
			if cl.Field != schema.Source {
				c.collect(a, cl.Text)
			}
		}
	}
	wordsOptional := len(must) > 0 // required clauses select; words only rank
	if len(words) > 0 {
		wq := wordsQuery(a, strings.Join(typed, " "), len(words) > 1)
		wq.sole = !wordsOptional // filters do not score
		wq.weights = typoWeights(wq.terms, fixes)
		for t := range wq.weights {
			c.terms[t] = true // corrections are highlighted too
		}
		should = append(should, wq)
		c.words = wq
	}
	c.positive = len(must)+len(should) > 0
	for _, fq := range filterQueries(f) {
		must = append(must, unscored{fq})
	}
	if len(must) == 0 && len(should) == 0 {
		must = append(must, bleve.NewMatchAllQuery())
	}
	if len(should) > 0 && !wordsOptional {
		// The words select: any may match, more rank higher.
		must, should = append(must, should...), nil
	}
	if len(must) == 1 && len(should) == 0 && len(mustNot) == 0 {
		// One clause needs no conjunction around it: bleve's would copy
		// every match into a new one and score it again.
		c.query = must[0]
		return c
	}
	b := bleve.NewBooleanQuery()
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

// analyzed returns the terms a analyzes text into.
func analyzed(a analysis.Analyzer, text string) []string {
	terms, _ := analyzedWithOffsets(a, text)
	return terms
}

// analyzedWithOffsets returns the terms a analyzes text into and the
// position of each, counted from the first: stop words removed leave gaps,
// as in the articles, so the offsets are those of the text as a phrase.
func analyzedWithOffsets(a analysis.Analyzer, text string) ([]string, []uint64) {
	toks := a.Analyze([]byte(text))
	terms, offsets := make([]string, len(toks)), make([]uint64, len(toks))
	for i, tok := range toks {
		terms[i] = string(tok.Term)
		offsets[i] = uint64(tok.Position - toks[0].Position)
	}
	return terms, offsets
}

// wordsQuery matches articles with any of the typed words anywhere and
// ranks them by BM25 over the whole article, with a bonus for the words in
// the title and, when there are several, for the words as typed, next to
// each other.
func wordsQuery(a analysis.Analyzer, text string, several bool) *bm25Query {
	q := &bm25Query{
		terms:  analyzed(a, text),
		fields: []weightedField{{schema.Content, 1}, {schema.Title, titleBoost}},
	}
	if several {
		q.phrase, q.phraseBoost = phraseQuery(schema.Content, text), phraseBoost
	}
	return q
}

// fieldQuery matches text in one analyzed field, as words (any of them) or
// as a phrase, ranked by BM25.
func fieldQuery(a analysis.Analyzer, field, text string, phrase bool) query.Query {
	terms, offsets := analyzedWithOffsets(a, text)
	q := &bm25Query{terms: terms, fields: []weightedField{{field, 1}}}
	switch {
	case phrase && singleValued[field]:
		q.phraseRequired, q.offsets = true, offsets
	case phrase:
		q.phrase, q.phraseRequired = phraseQuery(field, text), true
	}
	return q
}

// singleValued are the analyzed fields with one value per article, where
// a phrase is checked on positions alone (in a field with several values,
// such as people's names, a phrase must also stay within one value).
var singleValued = map[string]bool{schema.Content: true, schema.Title: true}

func phraseQuery(field, text string) query.Query {
	q := bleve.NewMatchPhraseQuery(text)
	q.SetField(field)
	q.Analyzer = analyze.Analyzer
	return q
}

// entityText maps an entity field to its analyzed copy.
var entityText = map[string]string{schema.Person: schema.PersonText, schema.Place: schema.PlaceText, schema.Org: schema.OrgText}

// entityQuery matches a person, place or organization by name: another form
// the gazetteer knows ("SCO") means its canonical name ("Shanghai
// Cooperation Organization"), and the name is matched as a phrase, so
// person:norov finds "Vladimir Norov".
func entityQuery(a analysis.Analyzer, field, name string) query.Query {
	if canonical, _, ok := entity.Default().Canonical(name); ok {
		name = canonical
	}
	return fieldQuery(a, entityText[field], name, true)
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
	anyOf(schema.Source, f.Sources)
	anyOf(schema.Person, f.People)
	anyOf(schema.Place, f.Places)
	anyOf(schema.Org, f.Orgs)
	anyOf(schema.Month, f.Months)
	years := make([]string, len(f.Years))
	for i, y := range f.Years {
		years[i] = strconv.Itoa(y)
	}
	anyOf(schema.Year, years)
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
		q.SetField(schema.Date)
		out = append(out, q)
	}
	return out
}
