package engine

import (
	"context"
	"fmt"

	index "github.com/blevesearch/bleve_index_api"

	"github.com/newsfind/newsfind/internal/analyze"
	"github.com/newsfind/newsfind/internal/index/lexicon"
	"github.com/newsfind/newsfind/internal/index/schema"
	"github.com/newsfind/newsfind/internal/index/spell"
)

// Prefix matching (see spell.Prefix): the terms a prefix expands to are
// read from the term dictionary, at most maxPrefixScan entries per form.
// An expansion counts only in articles without the typed word itself,
// only the best of the word's, at prefixWeight times the IDF of the
// prefix as one term (bm25.UnionIDF), never at its own: with its own, a
// rare one ("Ministellowesc" for "minister") outranked the word. So an
// article with only an expansion scores at most prefixWeight·(k1+1) ≈
// 0.55 times the word's weight, below one holding the word once at up to
// ~3 times the average length, and a completed word ranks the articles
// that hold it as before.
const (
	maxPrefixScan = 20000
	prefixWeight  = 0.25
)

// withPrefixes sets the prefix words of q, with one spell.Expansions for
// all the searchers a search creates from q (and from its copies).
func (q *bm25Query) withPrefixes(ps []spell.Prefix) {
	q.prefixes, q.expansions = ps, &spell.Expansions{}
}

// prefixDictionaries reads the terms of field in r that start with a
// prefix, and, for the words of the articles (schema.Content), the exact
// forms (schema.Exact, the forms of those words that differ from their
// terms) with their terms. A title's words have no forms of their own:
// those of the whole article would crowd a title's terms out of the
// expansions kept.
func prefixDictionaries(ctx context.Context, r index.IndexReader, field string) spell.Dictionaries {
	d := spell.Dictionaries{Terms: prefixDictionary(ctx, r, field)}
	if field == schema.Content {
		d.Forms, d.Stem = prefixDictionary(ctx, r, schema.Exact), analyze.StemCached
	}
	return d
}

// prefixDictionary reads the terms of field in r that start with a
// prefix, at most maxPrefixScan of them, with the articles holding each.
func prefixDictionary(ctx context.Context, r index.IndexReader, field string) spell.Dictionary {
	return func(prefix string) (map[string]uint64, error) {
		out := map[string]uint64{}
		err := scanPrefix(ctx, r, field, prefix, maxPrefixScan, func(term string, docs uint64) { out[term] = docs })
		return out, err
	}
}

// lexiconKey is the context key of the *lexicon.Lexicon of the generation
// searched, when it has one (see Generation.probeContext).
type lexiconKey struct{}

// scanPrefix calls fn with each of the first limit terms of field in r
// that start with prefix, in byte order, and the number of articles
// holding it (which bleve can get wrong in a field without positions: see
// Generation.Terms). They are read from the generation's lexicon, given
// in ctx, where it holds field: at a million articles, a walk of every
// segment's dictionary read each term's postings header in each (3 % of
// the bench searches' time, whose last word is a prefix being typed).
func scanPrefix(ctx context.Context, r index.IndexReader, field, prefix string, limit int, fn func(term string, docs uint64)) error {
	if lex, ok := ctx.Value(lexiconKey{}).(*lexicon.Lexicon); ok && lex.Prefixed(field, prefix, limit, fn) {
		return nil
	}
	d, err := r.FieldDictPrefix(field, []byte(prefix))
	if err != nil {
		return fmt.Errorf("terms of %s starting with %q: %w", field, prefix, err)
	}
	for range limit {
		e, err := d.Next()
		if err != nil {
			_ = d.Close()
			return fmt.Errorf("terms of %s starting with %q: %w", field, prefix, err)
		}
		if e == nil {
			break
		}
		fn(e.Term, e.Count)
	}
	if err := d.Close(); err != nil {
		return fmt.Errorf("terms of %s starting with %q: %w", field, prefix, err)
	}
	return nil
}
