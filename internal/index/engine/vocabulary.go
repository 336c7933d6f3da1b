package engine

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"

	bsearch "github.com/blevesearch/bleve/v2/search"
	index "github.com/blevesearch/bleve_index_api"
	"github.com/blevesearch/vellum/levenshtein"

	"github.com/newsfind/newsfind/internal/index/schema"
)

// vocabulary is a generation's content field as spelling reads it (see
// spell.Vocabulary), for one search: it opens the dictionary's look-up
// once for the hundreds of candidate terms a typo is checked against.
type vocabulary struct {
	g   *Generation
	has index.FieldDictContains // nil until the first DocFreq, or when the reader has none
}

// Term implements spell.Vocabulary.
func (v *vocabulary) Term(word string) (string, bool) {
	toks := v.g.analyzer.Analyze([]byte(word))
	if len(toks) != 1 {
		return "", false
	}
	return string(toks[0].Term), true
}

// Docs implements spell.Vocabulary.
func (v *vocabulary) Docs() (uint64, error) { return v.g.reader.DocCount() }

// DocFreq implements spell.Vocabulary: a look-up in the dictionary, then
// the postings' count.
func (v *vocabulary) DocFreq(ctx context.Context, term string) (uint64, error) {
	if cr, ok := v.g.reader.(index.IndexReaderContains); ok && v.has == nil {
		var err error
		if v.has, err = cr.FieldDictContains(schema.Content); err != nil {
			return 0, err
		}
	}
	if v.has != nil {
		if ok, err := v.has.Contains([]byte(term)); err != nil || !ok {
			return 0, err
		}
	}
	tr, err := v.g.reader.TermFieldReader(ctx, []byte(term), schema.Content, false, false, false)
	if err != nil {
		return 0, fmt.Errorf("postings of %q: %w", term, err)
	}
	n := tr.Count()
	return n, tr.Close()
}

// HasPrefix implements spell.Vocabulary.
func (v *vocabulary) HasPrefix(ctx context.Context, prefix string) (bool, error) {
	found := false
	err := scanPrefix(v.g.probeContext(ctx), v.g.reader, schema.Content, prefix, 1, func(string, uint64) { found = true })
	return found, err
}

// Near implements spell.Vocabulary with the term dictionary's automaton,
// over the terms starting with term's first letter only.
func (v *vocabulary) Near(ctx context.Context, term string, edits int) ([]string, error) {
	var out []string
	_, n := utf8.DecodeRuneInString(term)
	err := v.fuzzy(schema.Content, term[:n], term, edits, func(t string, _ uint64) { out = append(out, t) })
	return out, err
}

// Forms implements spell.Vocabulary with the automaton of the dictionary
// of written forms (schema.Exact).
func (v *vocabulary) Forms(ctx context.Context, word string, edits int) (map[string]uint64, error) {
	out := map[string]uint64{}
	err := v.fuzzy(schema.Exact, "", word, edits, func(t string, docs uint64) { out[t] = docs })
	return out, err
}

// levenshteinBuilders are the builders of Levenshtein automata of 1 and 2
// edits, transpositions counting one, as bleve's fuzzy look-ups use:
// made once, on the first typo (6 ms for 2 edits).
var levenshteinBuilders = sync.OnceValues(func() ([3]*levenshtein.LevenshteinAutomatonBuilder, error) {
	var b [3]*levenshtein.LevenshteinAutomatonBuilder
	for d := range uint8(2) {
		var err error
		if b[d+1], err = levenshtein.NewLevenshteinAutomatonBuilder(d+1, true); err != nil {
			return b, fmt.Errorf("levenshtein automata of %d edits: %w", d+1, err)
		}
	}
	return b, nil
})

// fuzzy calls each with the terms of field starting with prefix within
// edits edits of word, and the articles holding each: from the
// generation's lexicon, where it
// holds field, one walk of its sorted terms with a Levenshtein automaton
// (lexicon.Accepted); else the automaton run over each segment's
// dictionary, bleve's fuzzy look-up, whose counts are 0. At a million
// articles, in 9 segments, those runs were two thirds of the CPU of a
// search for a misspelt word of 9 letters (two edits).
func (v *vocabulary) fuzzy(field, prefix, word string, edits int, each func(term string, docs uint64)) error {
	if lex := v.g.lex; lex != nil && edits >= 1 && edits <= 2 && slices.Contains(lex.Fields(), field) {
		builders, err := levenshteinBuilders()
		if err != nil {
			return err
		}
		dfa, err := builders[edits].BuildDfa(word, uint8(edits))
		if err != nil {
			return fmt.Errorf("%s terms near %q: %w", field, word, err)
		}
		lex.Accepted(field, prefix, dfa, each)
		return nil
	}
	fz, ok := v.g.reader.(index.IndexReaderFuzzy)
	if !ok {
		return nil
	}
	d, err := fz.FieldDictFuzzy(field, word, edits, prefix)
	if err != nil {
		return fmt.Errorf("%s terms near %q: %w", field, word, err)
	}
	for {
		e, err := d.Next()
		if err != nil {
			d.Close()
			return fmt.Errorf("%s terms near %q: %w", field, word, err)
		}
		if e == nil {
			return d.Close()
		}
		each(e.Term, e.Count)
	}
}

// Spellings implements spell.Vocabulary: the spellings of term (lower-cased words that analyze to
// it) in the first n articles holding it, with how often each occurs.
func (v *vocabulary) Spellings(ctx context.Context, term string, n int) (map[string]int, error) {
	g := v.g
	tr, err := g.reader.TermFieldReader(ctx, []byte(term), schema.Content, false, false, false)
	if err != nil {
		return nil, fmt.Errorf("postings of %q: %w", term, err)
	}
	var hits []*bsearch.DocumentMatch
	for len(hits) < n {
		d, err := tr.Next(nil)
		if err != nil {
			tr.Close()
			return nil, fmt.Errorf("postings of %q: %w", term, err)
		}
		if d == nil {
			break
		}
		hits = append(hits, &bsearch.DocumentMatch{IndexInternalID: slices.Clone(d.ID)})
	}
	if err := tr.Close(); err != nil {
		return nil, err
	}
	if err := g.load(hits, textFields); err != nil {
		return nil, err
	}
	forms := map[string]int{}
	for _, h := range hits {
		a := schema.Stored(h.ID, h.Fields)
		text := a.Title + schema.ContentSeparator + a.Body
		for _, tok := range g.analyzer.Analyze([]byte(text)) {
			if string(tok.Term) == term {
				forms[strings.ToLower(text[tok.Start:tok.End])]++
			}
		}
	}
	return forms, nil
}
