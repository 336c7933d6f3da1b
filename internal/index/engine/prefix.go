package engine

import (
	"fmt"
	"slices"
	"sync"

	index "github.com/blevesearch/bleve_index_api"

	"github.com/newsfind/newsfind/internal/index/spell"
)

// Prefix matching (see spell.Prefix): the terms a prefix expands to are
// read from the term dictionary, at most maxPrefixScan entries per form.
// A term a prefix expands to counts prefixWeight times its BM25 score,
// and only in articles that do not hold the typed word itself (whose
// scores are then as without the prefix), where only its best expansion
// counts. So an article with the whole word ranks above one that only
// matches its prefix, other words equal, and a completed word ranks the
// articles that hold it as before.
const (
	maxPrefixScan = 20000
	prefixWeight  = 0.25
)

// prefixExpansions are the terms the prefix words of one compiled query
// expand to. A search creates its query's searchers several times (the
// pass over the matches, the term locations of the hits shown, filtered
// facets, feedback), all on one generation: the dictionary is read once.
// Copies of the query (feedback's) share them.
type prefixExpansions struct {
	once  sync.Once
	terms [][]string
	err   error
}

// withPrefixes sets the prefix words of q.
func (q *bm25Query) withPrefixes(ps []spell.Prefix) {
	q.prefixes, q.expansions = ps, &prefixExpansions{}
}

// get returns each prefix word's terms in field of r, leaving out skip,
// reading them on the first call.
func (e *prefixExpansions) get(r index.IndexReader, field string, ps []spell.Prefix, skip []string) ([][]string, error) {
	e.once.Do(func() {
		e.terms = make([][]string, len(ps))
		for k, p := range ps {
			if e.terms[k], e.err = expandPrefix(r, field, p, skip); e.err != nil {
				return
			}
		}
	})
	return e.terms, e.err
}

// expandPrefix returns the terms of field that start with p, the ones most
// articles hold first, at most spell.MaxPrefixTerms, leaving out skip.
func expandPrefix(r index.IndexReader, field string, p spell.Prefix, skip []string) ([]string, error) {
	counts := map[string]uint64{}
	for _, form := range []string{p.Lower, p.Term} {
		if len([]rune(form)) < spell.MinPrefixLen {
			continue
		}
		d, err := r.FieldDictPrefix(field, []byte(form))
		if err != nil {
			return nil, fmt.Errorf("terms of %s starting with %q: %w", field, form, err)
		}
		for i := 0; i < maxPrefixScan; i++ {
			e, err := d.Next()
			if err != nil {
				_ = d.Close()
				return nil, fmt.Errorf("terms of %s starting with %q: %w", field, form, err)
			}
			if e == nil {
				break
			}
			if !slices.Contains(skip, e.Term) {
				counts[e.Term] = e.Count
			}
		}
		if err := d.Close(); err != nil {
			return nil, fmt.Errorf("terms of %s starting with %q: %w", field, form, err)
		}
	}
	return spell.TopPrefixTerms(counts), nil
}
