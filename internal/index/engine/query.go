package engine

import (
	"cmp"
	"strings"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/search/query"
	"github.com/newsfind/newsfind/internal/analyze"
	"github.com/newsfind/newsfind/internal/entity"
	"github.com/newsfind/newsfind/internal/index/facet"
	"github.com/newsfind/newsfind/internal/index/schema"
	"github.com/newsfind/newsfind/internal/index/spell"
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
//
// The exact form of a typed word (unstemmed, see exactFields) counts
// 1 + exactBoost times as well in a short search (fewer than
// defaultFeedbackMinWords distinct words): "cooperation" found as
// "cooperation" says more than a word that only shares its stem, such as
// a name ("Cooper"), and one occurrence of "Major" more than three of
// "majority". A question of more words is ranked on stems alone, as
// feedback expands it: the exact forms cost CISI's questions MAP 0.011 at
// weight 1 (docs/RELEVANCE.md).
const (
	titleBoost  = 1.0
	phraseBoost = 1.0
	exactBoost  = 3.0
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
	// fixes are the typo corrections the plain words are searched with.
	fixes spell.QueryCorrections
	// browse, when set, are the filters of a query of filters alone (of
	// values, no words, no exclusion, no date range): what it matches.
	browse *filterSet
}

// compile translates parsed search text and filters into one bleve query.
// Plain words are optional (any may match, more matches rank higher, and
// they rank higher still as a phrase); quoted phrases, field terms and
// +words are required; exclusions remove. With relaxed, phrases and field
// terms are searched as plain words: Search retries so when the strict
// query finds nothing, if the text has no operator (see search.Query.Plain:
// an operator asks for exactly what it says).
//
// A query with AND or OR compiles each part as a query of its own: AND
// into a conjunction of the parts (scores add up), OR into a disjunction
// (bleve's, which scales a score by the share of parts matched). Plain
// words next to each other stay one bm25Query, as without operators.
//
// fixes, by clause index, are the corrections of misspelt plain words of a
// query without operators (see typo.go); nil searches the words as typed.
func compile(q search.Query, f search.Filters, a analysis.Analyzer, relaxed bool, fixes spell.QueryCorrections) compiled {
	c := compiled{terms: map[string]bool{}, analyzer: a, fixes: fixes}
	var must, should, mustNot []query.Query
	if q.Plain() {
		var s seq
		s, c.strict = c.seq(q.Clauses, relaxed)
		must, should, mustNot = s.must, s.should, s.mustNot
		if s.words != nil {
			s.words.sole = len(must) == 0 // filters do not score
			c.words = s.words
		}
	} else {
		pos, neg := c.node(q, 0)
		if pos != nil {
			must = append(must, pos)
		}
		mustNot = neg
	}
	wordsOptional := len(must) > 0 // required clauses select; words only rank
	c.positive = len(must)+len(should) > 0
	groups := filterGroups(f)
	var alone *bm25Query // the one query that selects and scores, when it is ours
	switch {
	case c.words != nil && len(must) == 0 && len(should) == 1 && should[0] == query.Query(c.words):
		alone = c.words // words
	case len(must) == 1 && len(should) == 0:
		if q, ok := must[0].(*bm25Query); ok && (q.phraseRequired || q.plus != nil || q.also != nil) {
			// a quoted phrase (a field's words alone gained nothing), or
			// required clauses with words (see seq)
			alone = q
		}
	}
	if or, ok := only(must).(*orQuery); ok && len(should) == 0 && termsOnly(mustNot) {
		// Two alternatives (see orQuery), kept to the filters and less
		// the excluded words by their own searcher, as alone below.
		if len(groups)+len(mustNot) > 0 {
			or.filters = &filterSet{groups: groups, exclude: mustNot}
		}
		or.sole, c.query = true, or
		return c
	}
	if alone != nil && termsOnly(mustNot) {
		// Its searcher keeps to the articles that pass the filters and
		// are not excluded (see bm25Searcher.allowed), and may count and
		// skip as without them; its score is the search's. bleve's
		// conjunction would copy every match into a new one and score it
		// again, and read a phrase's positions wherever the filters pass.
		if len(groups)+len(mustNot) > 0 {
			alone.filters = &filterSet{groups: groups, exclude: mustNot}
		}
		alone.sole, c.query = true, alone
		return c
	}
	if !c.positive && len(mustNot) == 0 && len(groups) > 0 {
		c.browse = &filterSet{groups: groups}
	}
	for _, g := range groups {
		must = append(must, unscored{g.query()})
	}
	if len(must) == 0 && len(should) == 0 {
		must = append(must, bleve.NewMatchAllQuery())
	}
	if len(should) > 0 && !wordsOptional {
		// The words select: any may match, more rank higher.
		must, should = append(must, should...), nil
	}
	if len(must) == 1 && len(should) == 0 && len(mustNot) == 0 {
		// One clause needs no conjunction around it (see alone).
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

// termsOnly reports whether each of qs matches the articles holding any
// of its terms, read from their postings' bitmaps (see matches). Not a
// phrase: bleve's exclusion reads its positions only where the words reach
// (`minister -"prime minister"` took 3× longer at 1M without it).
func termsOnly(qs []query.Query) bool {
	for _, q := range qs {
		if b, ok := q.(*bm25Query); !ok || b.phraseRequired || b.all || b.minMatch > 0 {
			return false
		}
	}
	return true
}

// seq is a sequence of clauses compiled: what it requires, what ranks
// (the plain words, and unsigned groups), what it excludes.
type seq struct {
	must, should, mustNot []query.Query
	words                 *bm25Query
}

// seq compiles a sequence of clauses; strict reports required phrases or
// field terms that a relaxed compile would search as words.
func (c *compiled) seq(clauses []search.Clause, relaxed bool) (s seq, strict bool) {
	a := c.analyzer
	fixes := c.fixes.Of(clauses)
	// words are the plain words with something to search; typed are all
	// the plain words as typed, stop words included, which the phrase
	// bonus needs: "house of commons" is "house", a gap, then "commons".
	var words, typed []string
	var prefixes []spell.Prefix
	for i, cl := range clauses {
		var sub query.Query
		switch {
		case cl.Group != nil:
			pos, neg := c.node(*cl.Group, 1)
			switch {
			case cl.Exclude && pos != nil:
				s.mustNot = append(s.mustNot, pos)
			case cl.Exclude: // NOT of only exclusions: ignored
			case cl.Required && pos != nil:
				s.must, s.mustNot = append(s.must, pos), append(s.mustNot, neg...)
			case pos != nil:
				s.should, s.mustNot = append(s.should, pos), append(s.mustNot, neg...)
			default:
				s.mustNot = append(s.mustNot, neg...)
			}
			continue
		case cl.Field == "" && !cl.Phrase && !cl.Exclude && !cl.Required:
			// Words with nothing to search ("?", "/", "of") are dropped,
			// so they neither match nothing nor fail; as prefixes they
			// still expand.
			text := fixes[i].StandIn(cl.Text)
			if c.collect(a, text) {
				words = append(words, text)
			}
			typed = append(typed, text)
			if p, ok := spell.NewPrefix(a, cl.Text); ok && (cl.Prefix || cl.Partial) {
				prefixes = append(prefixes, p)
			}
			continue
		case cl.Field == "" && !cl.Phrase:
			wq := wordsQuery(a, cl.Text, false)
			if p, ok := spell.NewPrefix(a, cl.Text); ok && (cl.Prefix || cl.Partial) {
				wq.withPrefixes([]spell.Prefix{p})
			}
			sub = wq
		case cl.Field == schema.Source:
			sub = fieldQuery(a, schema.SourceText, cl.Text, cl.Phrase)
		case (cl.Field == "" || cl.Field == schema.Body) && cl.Phrase && analyze.DropsStopWords(a, cl.Text):
			// The stemmed field has lost the phrase's stop words ("The
			// Who", "house of commons"): the grams field has them.
			sub = stopPhraseQuery(a, cl.Text)
		case cl.Field == "" || cl.Field == schema.Body:
			sub = fieldQuery(a, schema.Content, cl.Text, cl.Phrase)
		case entityText[cl.Field] != "":
			sub = entityQuery(a, cl.Field, cl.Text)
		default:
			sub = fieldQuery(a, cl.Field, cl.Text, cl.Phrase)
			if p, ok := spell.NewPrefix(a, cl.Text); ok && cl.Prefix && !cl.Phrase {
				sub.(*bm25Query).withPrefixes([]spell.Prefix{p})
			}
		}
		if cl.Exclude {
			s.mustNot = append(s.mustNot, sub)
			continue
		}
		switch {
		case cl.Required:
			s.must = append(s.must, sub)
			c.collect(a, cl.Text)
		case relaxed:
			if c.collect(a, cl.Text) {
				words = append(words, cl.Text) // searched as plain words
			}
			typed = append(typed, cl.Text)
		case !relaxed:
			s.must = append(s.must, sub)
			strict = true
			if cl.Field != schema.Source {
				c.collect(a, cl.Text)
			}
		}
	}
	switch {
	case len(words) > 0 || len(prefixes) > 0:
		s.words = wordsQuery(a, strings.Join(typed, " "), len(words) > 1)
		if len(prefixes) > 0 {
			s.words.withPrefixes(prefixes)
		}
		s.words.weights = spell.Weights(s.words.terms, fixes)
		for t := range s.words.weights {
			c.terms[t] = true // corrections are highlighted too
		}
	case len(typed) > 0:
		// Only stop words ("the who", "to be or not"): search them in
		// the grams field rather than match everything.
		s.words = stopWordsQuery(strings.Join(typed, " "))
	}
	if len(s.must) == 2 && len(s.should) == 0 {
		// Two required clauses of words (+words, a field's words): the
		// one with fewer articles keeps to those the other matches too,
		// and adds its score (see bm25Query.also), counted from their
		// bitmaps. bleve's conjunction sums its clauses' scores in an
		// order of its own, the same for two only. A quoted phrase with
		// another clause stays bleve's: checked where the other holds,
		// it gained nothing (two phrases at 1M: 39 ms either way), and
		// past the exact count its total would become a lower bound.
		a, aok := s.must[0].(*bm25Query)
		b, bok := s.must[1].(*bm25Query)
		if aok && bok && joinable(a) && joinable(b) {
			a.also, s.must = b, s.must[:1]
		}
	}
	if r, ok := only(s.must).(*bm25Query); ok && s.words != nil && len(s.should) == 0 && r.minMatch == 0 && r.plus == nil {
		// One required clause (a quoted phrase, a field's words, a
		// +word) selects, and the words only rank its matches: its
		// searcher adds their score to its own, as bleve's boolean of
		// the two would, and may skip the articles without them once
		// those cannot enter the page (see bm25Searcher.needPlus);
		// bleve's would check the clause in every article with the
		// words, and score each.
		r.plus = s.words
		return s, strict
	}
	if s.words != nil {
		s.should = append(s.should, s.words)
	}
	return s, strict
}

// joinable reports whether q, a required clause of words, may take
// another (see bm25Query.also).
func joinable(q *bm25Query) bool {
	return !q.phraseRequired && !q.all && q.minMatch == 0 && q.plus == nil && q.also == nil
}

// only returns the one query of qs, or nil.
func only(qs []query.Query) query.Query {
	if len(qs) != 1 {
		return nil
	}
	return qs[0]
}

// node compiles a query with operators at nesting depth: pos is what it
// selects, nil when it only excludes, and neg what it excludes from pos
// (or, when pos is nil, from every article).
func (c *compiled) node(q search.Query, depth int) (pos query.Query, neg []query.Query) {
	if depth > search.MaxDepth {
		return nil, nil // Parse never nests deeper
	}
	if len(q.Parts) == 0 {
		s, _ := c.seq(q.Clauses, false)
		must := s.must
		if len(must) == 0 {
			switch len(s.should) {
			case 0:
				return nil, s.mustNot
			case 1:
				must, s.should = s.should, nil
			default:
				must, s.should = []query.Query{bleve.NewDisjunctionQuery(s.should...)}, nil
			}
		}
		if len(must) == 1 && len(s.should) == 0 {
			return must[0], s.mustNot
		}
		b := bleve.NewBooleanQuery()
		b.AddMust(must...)
		b.AddShould(s.should...)
		b.AddMustNot(s.mustNot...)
		return b, nil
	}
	var parts []query.Query
	for _, part := range q.Parts {
		p, n := c.node(part, depth+1)
		if q.Op == search.And || p == nil && len(n) == 0 {
			// a AND (b -c) is a AND b AND NOT c
			neg = append(neg, n...)
		} else if len(n) > 0 {
			// "a OR NOT b": every article without b is an alternative.
			b := bleve.NewBooleanQuery()
			b.AddMust(cmp.Or[query.Query](p, bleve.NewMatchAllQuery()))
			b.AddMustNot(n...)
			p = b
		}
		if p != nil {
			parts = append(parts, p)
		}
	}
	switch {
	case len(parts) == 0:
		return nil, neg
	case len(parts) == 1:
		return parts[0], neg
	case q.Op == search.And:
		return bleve.NewConjunctionQuery(parts...), neg
	}
	if or := orOf(parts); or != nil {
		return or, neg
	}
	return bleve.NewDisjunctionQuery(parts...), neg
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

// wordsQuery matches articles with any of the typed words anywhere and
// ranks them by BM25 over the whole article, with a bonus for the words in
// the title, for the words in their exact form and, when there are
// several, for the words as typed, next to each other.
func wordsQuery(a analysis.Analyzer, text string, several bool) *bm25Query {
	q := &bm25Query{
		terms: analyze.Terms(a, text),
		fields: []weightedField{
			{name: schema.Content, boost: 1},
			{name: schema.Title, boost: titleBoost},
		},
	}
	if len(uniq(q.terms)) < defaultFeedbackMinWords {
		q.fields = append(q.fields, exactFields(a, text)...)
		q.siblings = &siblingForms{}
	}
	if several {
		q.phrase, q.phraseBoost = phraseQuery(schema.Content, analyze.Analyzer, text), phraseBoost
		q.adjacentTerms(analyze.TermsAt(a, text))
	}
	return q
}

// exactFields score the exact forms of text's words (see exactBoost). The
// exact field holds only the forms that differ from their stems
// ("cooperation", not "cooper"): those are looked up there. A typed word
// that is its own stem ("cooper", "parliament") is in an article as often
// as its stem less the other forms of that stem ("cooperative",
// "parliaments"), so it counts the stem's occurrences again and takes
// those forms' occurrences away.
func exactFields(a analysis.Analyzer, text string) []weightedField {
	differ, own := map[string][]string{}, map[string][]string{}
	for t, forms := range analyze.ExactForms(a, text) {
		for _, f := range forms {
			if f == t {
				own[t] = []string{t}
			} else {
				differ[t] = append(differ[t], f)
			}
		}
	}
	fields := []weightedField{{name: schema.Exact, boost: exactBoost, forms: differ}}
	if len(own) > 0 {
		fields = append(fields,
			weightedField{name: schema.Content, boost: exactBoost, forms: own},
			weightedField{name: schema.Exact, boost: -exactBoost, forms: own, siblings: true})
	}
	return fields
}

// stopWordsQuery matches articles with the typed words, all stop words,
// and ranks them by BM25 over the grams field (see analyze.GramsAnalyzer):
// by the pairs of neighbouring words when there are some ("the who"),
// else by the word itself.
func stopWordsQuery(text string) *bm25Query {
	terms := stopTerms(text)
	if len(terms) == 0 {
		return nil
	}
	return &bm25Query{terms: terms, fields: []weightedField{{name: schema.Grams, boost: 1}}}
}

// stopTerms returns the grams field's terms for text's stop words: the
// pairs of neighbouring stop words, and the stop words in none.
func stopTerms(text string) []string {
	toks := analyze.Grams().Analyze([]byte(text))
	paired := map[int]bool{}
	for _, tok := range toks {
		if tok.Type == analysis.Shingle {
			paired[tok.Position], paired[tok.Position+1] = true, true
		}
	}
	var terms []string
	for _, tok := range toks {
		if tok.Type == analysis.Shingle || !paired[tok.Position] {
			terms = append(terms, string(tok.Term))
		}
	}
	return terms
}

// stopPhraseQuery matches text, a phrase holding stop words, in articles
// that hold the phrase's other words as a phrase (the stop words leave
// gaps of the right length in the stemmed field's positions) and all its
// stop words and pairs of them in the grams field. A stop word at either
// end of the phrase is thus required next to the phrase's other stop
// words, but not next to its other words: "of the SCO" matches "the SCO"
// in an article that has "of the" elsewhere (Lucene's pairs of stop words
// with other words would pin it, at twice the index; docs/RELEVANCE.md).
func stopPhraseQuery(a analysis.Analyzer, text string) query.Query {
	stops := stopWordsQuery(text)
	stops.all = true
	if len(a.Analyze([]byte(text))) == 0 {
		return stops // only stop words: "The Who"
	}
	words := fieldQuery(a, schema.Content, text, true)
	return bleve.NewConjunctionQuery(words, stops)
}

// fieldQuery matches text in one analyzed field, as words (any of them) or
// as a phrase, ranked by BM25.
func fieldQuery(a analysis.Analyzer, field, text string, phrase bool) *bm25Query {
	terms, offsets := analyze.TermsAt(a, text)
	q := &bm25Query{terms: terms, fields: []weightedField{{name: field, boost: 1}}}
	switch {
	case phrase && singleValued[field]:
		q.phraseRequired, q.offsets = true, offsets
		if field == schema.Content {
			q.adjacentTerms(terms, offsets)
		}
	case phrase:
		q.phrase, q.phraseRequired = phraseQuery(field, analyze.Analyzer, text), true
	}
	return q
}

// adjacentTerms sets q's adjacent terms and wholePair from its phrase's
// terms, at offsets in the phrase (stop words leave gaps).
func (q *bm25Query) adjacentTerms(terms []string, offsets []uint64) {
	for k := 1; k < len(terms); k++ {
		if offsets[k] == offsets[k-1]+1 {
			q.adjacent = append(q.adjacent, [2]string{terms[k-1], terms[k]})
		}
	}
	q.wholePair = len(terms) == 2 && len(q.adjacent) == 1
}

// singleValued are the analyzed fields with one value per article, where
// a phrase is checked on positions alone (in a field with several values,
// such as people's names, a phrase must also stay within one value).
var singleValued = map[string]bool{schema.Content: true, schema.Title: true}

// phraseQuery matches text as a phrase in field, analyzed with the analyzer
// registered as analyzer.
func phraseQuery(field, analyzer, text string) query.Query {
	q := bleve.NewMatchPhraseQuery(text)
	q.SetField(field)
	q.Analyzer = analyzer
	return q
}

// entityText maps an entity field to its analyzed copy.
var entityText = map[string]string{schema.Person: schema.PersonText, schema.Place: schema.PlaceText, schema.Org: schema.OrgText}

// entityQuery matches a person, place or organization by name: another form
// the gazetteer knows, in any case ("SCO", "sco"), means its canonical name
// ("Shanghai Cooperation Organization"), and the name is matched as a
// phrase, so person:norov finds "Vladimir Norov".
func entityQuery(a analysis.Analyzer, field, name string) query.Query {
	if canonical, _, ok := entity.Default().CanonicalFold(name); ok {
		name = canonical
	}
	return fieldQuery(a, entityText[field], name, true)
}

// filterGroup is one filter of an index field's terms: an article
// passes with any of them. Values of one field are alternatives; filters
// combine with AND.
type filterGroup struct {
	field  string
	values []string
	// bounds, when set, is what bleve searches for values: the date
	// range whose terms (schema.DayTerms) they are.
	bounds query.Query
}

// filterGroups returns the filters of f: one for each facet that names
// values, as the facets' fields hold them, and one for the date range.
func filterGroups(f search.Filters) []filterGroup {
	var out []filterGroup
	for k, values := range facet.Filters(f) {
		if len(values) > 0 {
			out = append(out, filterGroup{field: facet.Defs[k].Field, values: values})
		}
	}
	if !f.DateFrom.IsZero() || !f.DateTo.IsZero() {
		var from, to time.Time
		if !f.DateFrom.IsZero() {
			from = schema.CalendarDay(f.DateFrom)
		}
		if !f.DateTo.IsZero() {
			to = schema.CalendarDay(f.DateTo).AddDate(0, 0, 1) // DateTo is a whole day, inclusive
		}
		incl, excl := true, false
		q := bleve.NewDateRangeInclusiveQuery(from, to, &incl, &excl)
		q.SetField(schema.Day) // calendar dates, as the publication wrote them
		out = append(out, filterGroup{field: schema.Day, values: schema.DayTerms(f.DateFrom, f.DateTo), bounds: q})
	}
	return out
}

// query returns the bleve query of g.
func (g filterGroup) query() query.Query {
	if g.bounds != nil {
		return g.bounds
	}
	terms := make([]query.Query, len(g.values))
	for i, v := range g.values {
		t := bleve.NewTermQuery(v)
		t.SetField(g.field)
		terms[i] = t
	}
	return bleve.NewDisjunctionQuery(terms...)
}
