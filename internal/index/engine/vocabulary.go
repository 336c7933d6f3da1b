package engine

import (
	"context"
	"fmt"
	"slices"
	"strings"

	bsearch "github.com/blevesearch/bleve/v2/search"
	index "github.com/blevesearch/bleve_index_api"

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

// Near implements spell.Vocabulary with the term dictionary's automaton.
func (v *vocabulary) Near(ctx context.Context, term string, edits int) ([]string, error) {
	var out []string
	err := v.fuzzy(schema.Content, term, edits, func(e *index.DictEntry) { out = append(out, e.Term) })
	return out, err
}

// Forms implements spell.Vocabulary with the automaton of the dictionary
// of written forms (schema.Exact).
func (v *vocabulary) Forms(ctx context.Context, word string, edits int) (map[string]uint64, error) {
	out := map[string]uint64{}
	err := v.fuzzy(schema.Exact, word, edits, func(e *index.DictEntry) { out[e.Term] = e.Count })
	return out, err
}

// fuzzy calls each with the terms of field within edits edits of word.
func (v *vocabulary) fuzzy(field, word string, edits int, each func(*index.DictEntry)) error {
	fz, ok := v.g.reader.(index.IndexReaderFuzzy)
	if !ok {
		return nil
	}
	d, err := fz.FieldDictFuzzy(field, word, edits, "")
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
		each(e)
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
