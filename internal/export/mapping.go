package export

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
)

// Analysis is what the mapping's analyzers need from newsfind's
// (internal/analyze), handed in so that this package needs no bleve.
type Analysis struct {
	// StopWords are the words the stemmed analyzer drops
	// (analyze.StopWords): bleve's stop_en, Snowball's English list of
	// 174 words, not OpenSearch's _english_ default of 33.
	StopWords []string
	// StemOverrides maps words to the stems they get instead of Porter2's
	// (analyze.StemOverrides).
	StemOverrides map[string]string
}

// Names in the mapping's analysis settings.
const (
	// EnglishAnalyzer is the mapping's counterpart of analyze.Analyzer
	// (newsfind_en): standard tokenizer (Unicode word boundaries, as
	// bleve's unicode tokenizer), lower case, ASCII folding and combining
	// marks dropped, English possessives, the stop words, "-isation" →
	// "-ization", the stem overrides, Snowball English (Porter2).
	EnglishAnalyzer = "newsfind_en"
	// ExactAnalyzer is the counterpart of analyze.ExactAnalyzer
	// (newsfind_exact): the same up to possessives, no stop words removed,
	// no stems.
	ExactAnalyzer = "newsfind_exact"
)

// IsationPattern and IsationReplacement are the pattern_replace filter
// that does what analyze.Stem does before stemming: "organisation(s)" →
// "organization(s)". The syntax is the same in Java's and Go's regular
// expressions.
const (
	IsationPattern     = "isation(s?)$"
	IsationReplacement = "ization$1"
)

// CombiningMarksPattern matches the combining diacritical marks
// (U+0300–U+036F) that analyze.Fold drops after ASCII folding.
const CombiningMarksPattern = `[\x{0300}-\x{036F}]`

// obj is a JSON object of the mapping.
type obj = map[string]any

// Mapping returns the body of the request that creates the index
// (PUT /newsfind): settings whose analysis does what newsfind's analyzers
// do, and a strict mapping of Document's fields:
//   - content: title and body (copy_to), analyzed with newsfind_en, what
//     words match, as newsfind's content field; content.exact, the same
//     text with newsfind_exact, newsfind's exact and grams fields in one;
//   - title and body: newsfind_en too, for highlighting and field queries;
//   - source, language, people, places, organizations: keywords for
//     filters and facets (terms aggregations), each but language with a
//     .text sub-field analyzed with newsfind_en, for source:, person:,
//     place: and org: words;
//   - date: a date (range filters, date_histogram);
//   - id: a keyword; summary, author, url, place, word_count: kept in
//     _source, not searched, as newsfind stores them.
//
// The JSON is indented, with keys sorted, and ends with a newline.
func Mapping(an Analysis) ([]byte, error) {
	if len(an.StopWords) == 0 {
		return nil, errors.New("mapping: no stop words")
	}
	stop := slices.Sorted(slices.Values(an.StopWords))
	var rules []string
	for _, w := range slices.Sorted(maps.Keys(an.StemOverrides)) {
		rules = append(rules, fmt.Sprintf("%s => %s", w, an.StemOverrides[w]))
	}
	filters := obj{
		"newsfind_marks":      obj{"type": "pattern_replace", "pattern": CombiningMarksPattern, "replacement": ""},
		"newsfind_possessive": obj{"type": "stemmer", "language": "possessive_english"},
		"newsfind_stop":       obj{"type": "stop", "stopwords": stop, "ignore_case": false},
		"newsfind_isation":    obj{"type": "pattern_replace", "pattern": IsationPattern, "replacement": IsationReplacement},
		"newsfind_snowball":   obj{"type": "snowball", "language": "English"},
	}
	folded := []string{"lowercase", "asciifolding", "newsfind_marks", "newsfind_possessive"}
	stemmed := append(slices.Clone(folded), "newsfind_stop", "newsfind_isation")
	if len(rules) > 0 {
		filters["newsfind_overrides"] = obj{"type": "stemmer_override", "rules": rules}
		stemmed = append(stemmed, "newsfind_overrides")
	}
	stemmed = append(stemmed, "newsfind_snowball")
	analysis := obj{
		"filter": filters,
		"analyzer": obj{
			EnglishAnalyzer: obj{"type": "custom", "tokenizer": "standard", "filter": stemmed},
			ExactAnalyzer:   obj{"type": "custom", "tokenizer": "standard", "filter": folded},
		},
	}

	text := func(extra obj) obj {
		f := obj{"type": "text", "analyzer": EnglishAnalyzer}
		maps.Copy(f, extra)
		return f
	}
	keyword := func(withText bool) obj {
		f := obj{"type": "keyword"}
		if withText {
			f["fields"] = obj{"text": text(nil)}
		}
		return f
	}
	notSearched := func(typ string) obj {
		f := obj{"type": typ, "index": false}
		if typ != "text" {
			f["doc_values"] = false
		}
		return f
	}
	properties := obj{
		"id":            obj{"type": "keyword"},
		"title":         text(obj{"copy_to": []string{"content"}}),
		"body":          text(obj{"copy_to": []string{"content"}}),
		"content":       text(obj{"fields": obj{"exact": obj{"type": "text", "analyzer": ExactAnalyzer}}}),
		"date":          obj{"type": "date", "format": "strict_date_optional_time"},
		"source":        keyword(true),
		"language":      keyword(false),
		"people":        keyword(true),
		"places":        keyword(true),
		"organizations": keyword(true),
		"summary":       notSearched("text"),
		"author":        notSearched("text"),
		"url":           notSearched("keyword"),
		"place":         notSearched("keyword"),
		"word_count":    notSearched("integer"),
	}
	body := obj{
		"settings": obj{"analysis": analysis},
		"mappings": obj{"dynamic": "strict", "properties": properties},
	}
	var out bytes.Buffer
	enc := json.NewEncoder(&out) // ends with a newline
	enc.SetEscapeHTML(false)     // "word => stem" as written
	enc.SetIndent("", "  ")
	if err := enc.Encode(body); err != nil {
		return nil, fmt.Errorf("mapping: %w", err)
	}
	return out.Bytes(), nil
}
