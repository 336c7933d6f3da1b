package schema

import (
	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/newsfind/newsfind/internal/analyze"
)

// Field names in the index. Words are matched in content (title and body as
// one text, so BM25 scores the whole article), with a bonus for matching the
// title; title and body are stored for highlighting; the rest is metadata for
// filters, facets, sorting and the result list.
const (
	Title      = "title"       // analyzed, stored, positions: title matches score a bonus
	Body       = "body"        // stored only: the text shown and highlighted
	Content    = "content"     // title and body together, analyzed, positions: what words match
	Exact      = "exact"       // title and body as content: the exact forms that differ from their stems (analyze.FormsAnalyzer), no positions
	Grams      = "grams"       // title and body as content: stop words and pairs of them (analyze.GramsAnalyzer), no positions
	Pairs      = "pairs"       // title and body as content: pairs of neighbouring common stems (analyze.PairsAnalyzer), no positions
	Summary    = "summary"     // stored only: lead text for result lists
	Date       = "date"        // datetime: the instant, stored, doc values for sorting
	Day        = "day"         // datetime: the publication's own calendar date (midnight UTC), for date_from/date_to
	Offset     = "offset"      // keyword: the zone the article stated ("-05:00"), absent for none or UTC; stored, doc values for the facet table's days
	Year       = "year"        // keyword "2021" of the calendar date, for the year facet and filter
	Source     = "source"      // keyword, exact, for the source facet and filter
	SourceText = "source_text" // analyzed copy of source, for source:word queries
	Author     = "author"      // stored only
	Section    = "section"     // keyword, stored: the article's first folder (sport), for the section facet and filter
	Month      = "month"       // keyword "2021-12" of the calendar date, for the month facet and filter
	Person     = "person"      // keywords: canonical names of people mentioned (facet, filter)
	Place      = "place"       // keywords: places mentioned
	Org        = "org"         // keywords: organizations mentioned
	PersonText = "person_text" // analyzed copies, for person:/place:/org: queries
	PlaceText  = "place_text"
	OrgText    = "org_text"
	Dateline   = "dateline"   // stored only: where the story was filed
	Language   = "language"   // keyword
	URL        = "url"        // stored only
	WordCount  = "word_count" // stored only
	Story      = "story"      // keyword, doc values: the label of the story the article is a version of (see package dedup); absent for an article too short to fingerprint
	StorySig   = "story_sig"  // stored only: the article's MinHash signature, base64, to compare with
)

// offsetLayout is how the Offset field writes a zone: "-05:00".
const offsetLayout = "-07:00"

// Version is the version of what an index holds: the mapping, the
// analyzers and their stems (analyze's stem overrides). It must change with
// any change that makes an existing index disagree with the code, so that
// an update rebuilds it instead of adding documents analyzed differently.
// Version 1 is implicit: generations written before versions were recorded.
// Version 2: the exact field, accent folding, stem overrides.
// Version 3: the exact field holds only the forms that differ from their
// stems, without positions; stop words moved to the grams field.
// Version 4: the section field; the story fields (story, story_band,
// story_sig); dates keep their zone: date is the instant, day, year and
// month the publication's own calendar date, offset the zone stated.
// Version 5: no story_band field: the LSH band keys are kept beside the
// index (package bands).
// Version 6: the pairs field (a phrase of two common words as one term).
// Version 7: offset is a keyword with doc values, from which the facet
// table takes each article's calendar day (the timeline's days).
// Version 8: the pairs field pairs the 700 stems in one BBC article in
// twenty, not the 279 in one in ten.
const Version = 8

// PairsAnalyzer is the name, in the mapping, of the pairs field's
// analyzer: analyze.PairsAnalyzer with the common stems it pairs.
const PairsAnalyzer = "newsfind_common_pairs"

// DocType is the single document type of the index.
const DocType = "article"

// Mapping returns the static mapping of newsfind's index: only what search,
// highlighting, sorting and facets need, with no _all field and no dynamic
// fields. A static mapping indexes about twice as fast as bleve's default.
func Mapping() mapping.IndexMapping {
	text := func() *mapping.FieldMapping {
		f := bleve.NewTextFieldMapping()
		f.Analyzer = analyze.Analyzer
		f.Store = true
		f.IncludeTermVectors = true // positions, for phrase queries
		f.IncludeInAll = false
		f.DocValues = false
		return f
	}
	keywordField := func(store, docValues bool) *mapping.FieldMapping {
		f := bleve.NewKeywordFieldMapping()
		f.Analyzer = keyword.Name
		f.Store = store
		f.IncludeInAll = false
		f.IncludeTermVectors = false
		f.DocValues = docValues
		return f
	}
	storedOnly := func(f *mapping.FieldMapping) *mapping.FieldMapping {
		f.Index = false
		f.Store = true
		f.IncludeInAll = false
		f.IncludeTermVectors = false
		f.DocValues = false
		return f
	}

	doc := bleve.NewDocumentStaticMapping()
	doc.AddFieldMappingsAt(Title, text())
	doc.AddFieldMappingsAt(Body, storedOnly(bleve.NewTextFieldMapping()))
	content := text()
	content.Store = false // the body is stored once, in Body
	doc.AddFieldMappingsAt(Content, content)
	// The exact forms: names apart from the words sharing their stem
	// (Cooper, cooperation). Only the forms that differ from their stems,
	// and without positions: they only add to scores (see engine's
	// wordsQuery), and positions of every word would double the index.
	exact := text()
	exact.Analyzer = analyze.FormsAnalyzer
	exact.Store = false
	exact.IncludeTermVectors = false
	doc.AddFieldMappingsAt(Exact, exact)
	// Stop words and pairs of them, for searches made of stop words and
	// the stop words of phrases ("The Who", "to be or not to be").
	grams := text()
	grams.Analyzer = analyze.GramsAnalyzer
	grams.Store = false
	grams.IncludeTermVectors = false
	doc.AddFieldMappingsAt(Grams, grams)
	// Pairs of neighbouring common words, for phrases of them ("new
	// year"): their own postings, so that a search finds the articles
	// holding the phrase without reading the words' positions.
	pairs := text()
	pairs.Analyzer = PairsAnalyzer
	pairs.Store = false
	pairs.IncludeTermVectors = false
	pairs.SkipFreqNorm = true // a pair is held or not
	doc.AddFieldMappingsAt(Pairs, pairs)
	doc.AddFieldMappingsAt(Summary, storedOnly(bleve.NewTextFieldMapping()))

	date := bleve.NewDateTimeFieldMapping()
	date.Store = true
	date.IncludeInAll = false
	date.DocValues = true
	doc.AddFieldMappingsAt(Date, date)
	day := bleve.NewDateTimeFieldMapping()
	day.Store = false
	day.IncludeInAll = false
	day.DocValues = false
	doc.AddFieldMappingsAt(Day, day)
	doc.AddFieldMappingsAt(Offset, keywordField(true, true))

	doc.AddFieldMappingsAt(Year, keywordField(false, true))
	doc.AddFieldMappingsAt(Source, keywordField(true, true))
	doc.AddFieldMappingsAt(Section, keywordField(true, true))
	sourceText := text()
	sourceText.Store = false
	sourceText.IncludeTermVectors = false
	doc.AddFieldMappingsAt(SourceText, sourceText)
	doc.AddFieldMappingsAt(Author, storedOnly(bleve.NewTextFieldMapping()))
	doc.AddFieldMappingsAt(Month, keywordField(false, true))
	doc.AddFieldMappingsAt(Language, keywordField(true, true))
	for _, f := range []string{Person, Place, Org} {
		doc.AddFieldMappingsAt(f, keywordField(true, true))
	}
	for _, f := range []string{PersonText, PlaceText, OrgText} {
		t := text()
		t.Store = false // positions kept: names are matched as phrases
		doc.AddFieldMappingsAt(f, t)
	}
	doc.AddFieldMappingsAt(Dateline, storedOnly(bleve.NewTextFieldMapping()))
	doc.AddFieldMappingsAt(URL, storedOnly(bleve.NewTextFieldMapping()))
	doc.AddFieldMappingsAt(WordCount, storedOnly(bleve.NewNumericFieldMapping()))
	doc.AddFieldMappingsAt(Story, keywordField(true, true))
	doc.AddFieldMappingsAt(StorySig, storedOnly(bleve.NewTextFieldMapping()))

	m := bleve.NewIndexMapping()
	m.DefaultMapping = doc
	m.TypeField = "_type"
	m.DefaultType = DocType
	m.DefaultAnalyzer = analyze.Analyzer
	m.DefaultField = Content
	m.StoreDynamic = false
	m.IndexDynamic = false
	m.DocValuesDynamic = false
	m.ScoringModel = "bm25"
	if err := m.AddCustomAnalyzer(PairsAnalyzer, analyze.PairsConfig(analyze.CommonStems())); err != nil {
		panic(err) // a registered analyzer type: cannot fail
	}
	return m
}
