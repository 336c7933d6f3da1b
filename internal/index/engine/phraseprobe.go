package engine

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/blevesearch/bleve/v2/mapping"
	bsearch "github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	index "github.com/blevesearch/bleve_index_api"
)

// noProbeKey is the context key that, set, makes the searchers of a
// search check phrases with bleve's phrase searcher rather than with a
// phraseProbe (Options.NoPhraseProbe), so tests can compare the two.
type noProbeKey struct{}

// phraseProbe tells whether given articles, in increasing order, hold a
// phrase in a field with one value per article, reading positions for those
// articles only.
//
// bleve's phrase searcher, asked about an article, returns the next one at
// or after it that holds the phrase: between two articles the bonus checks,
// it walks every article with all the phrase's terms and decodes their
// positions. On "new year" over 100,000 articles (88k matches) that walk
// was 25% of the CPU, 7.4 ms of a 26 ms search, for the few matches that
// could still enter the top hits. A probe keeps one postings reader per
// distinct term, with term vectors, and advances each only to the article
// asked about: zap's postings iterator skips the articles in between
// without decoding their positions. The check fell to 2.6 ms (12% of the
// CPU; what is left is zap stepping through the skipped postings), the
// search from 27.7 to 20.0 ms.
type phraseProbe struct {
	readers []index.TermFieldReader // one per distinct term, rarest first
	docs    []index.TermFieldDoc    // each reader's current posting
	at      []bool                  // readers[i] has a current posting in docs[i]
	pos     [][]uint64              // each term's positions in the article checked
	// The phrase's term k is readers[groups[k]], at offsets[k] from the
	// first term (stop words leave gaps).
	groups  []int
	offsets []uint64
	// never is set when the phrase can hold in no article left: a term
	// no article has, or a reader at its end.
	never bool
	id    index.IndexInternalID // Check's
}

// newPhraseProbe returns a probe for phrase, when it is a phrase bleve's
// phrase searcher would check on positions alone: a match-phrase query,
// exact, on a field with one value per article, without synonyms, whose
// text analyzes into one term per position. ok is false otherwise: the
// caller then runs bleve's phrase searcher. The terms and their offsets
// come from analyzing the phrase's text as bleve's match-phrase query does,
// so both decide alike.
func newPhraseProbe(ctx context.Context, r index.IndexReader, m mapping.IndexMapping, phrase query.Query) (p *phraseProbe, ok bool, err error) {
	// Auto-fuzziness, which phraseQuery never sets, cannot be seen from
	// here (bleve keeps it unexported); a fuzziness can.
	mp, isMatch := phrase.(*query.MatchPhraseQuery)
	if !isMatch || mp.Fuzziness != 0 {
		return nil, false, nil
	}
	field := mp.FieldVal
	if field == "" {
		field = m.DefaultSearchField()
	}
	if !singleValued[field] {
		return nil, false, nil // a phrase must also stay within one value
	}
	if ctx != nil {
		if syn, _ := ctx.Value(bsearch.FieldTermSynonymMapKey).(bsearch.FieldTermSynonymMap); syn[field] != nil {
			return nil, false, nil
		}
	}
	name := mp.Analyzer
	if name == "" {
		name = m.AnalyzerNameForPath(field)
	}
	a := m.AnalyzerNamed(name)
	if a == nil {
		return nil, false, nil
	}
	toks := a.Analyze([]byte(mp.MatchPhrase))
	if len(toks) == 0 {
		return nil, false, nil
	}
	var terms []string
	var groups []int
	var offsets []uint64
	first := toks[0].Position
	for _, t := range toks {
		first = min(first, t.Position)
	}
	for k, t := range toks {
		off := uint64(t.Position - first)
		if len(t.Term) == 0 || (k > 0 && off <= offsets[k-1]) {
			// An empty term, which bleve's phrase takes for any, or two
			// terms at one position, which it takes for either.
			return nil, false, nil
		}
		g := slices.Index(terms, string(t.Term))
		if g < 0 {
			g = len(terms)
			terms = append(terms, string(t.Term))
		}
		groups = append(groups, g)
		offsets = append(offsets, off)
	}
	p, err = openProbe(ctx, r, field, terms, groups, offsets)
	return p, err == nil, err
}

// openProbe returns a probe of the phrase whose term k is terms[groups[k]]
// (terms distinct), at offsets[k] from the first, in field.
func openProbe(ctx context.Context, r index.IndexReader, field string, terms []string, groups []int, offsets []uint64) (*phraseProbe, error) {
	p := &phraseProbe{groups: slices.Clone(groups), offsets: offsets}
	counts := make([]uint64, len(terms))
	for i, t := range terms {
		if ctx != nil && ctx.Err() != nil { // a long phrase opens many readers
			return nil, errors.Join(ctx.Err(), p.Close())
		}
		tr, err := openPositions(ctx, r, t, field, false, false)
		if err != nil {
			p.Close()
			return nil, fmt.Errorf("read postings of %s:%s: %w", field, t, err)
		}
		p.readers = append(p.readers, tr)
		if counts[i] = tr.Count(); counts[i] == 0 {
			p.Close() // the phrase is nowhere
			p.never = true
			return p, nil
		}
	}
	// Advance the rarest term first: when it is not in the article, the
	// others need not move.
	order := make([]int, len(terms))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(x, y int) int { return cmp.Compare(counts[x], counts[y]) })
	readers := make([]index.TermFieldReader, len(order))
	at := make([]int, len(order)) // at[old] = new
	for n, old := range order {
		readers[n], at[old] = p.readers[old], n
	}
	p.readers = readers
	for k, g := range p.groups {
		p.groups[k] = at[g]
	}
	p.docs = make([]index.TermFieldDoc, len(p.readers))
	p.at = make([]bool, len(p.readers))
	p.pos = make([][]uint64, len(p.readers))
	return p, nil
}

// holds reports whether the article id holds the phrase. Articles are
// asked about in increasing order: a reader already past id is left there
// (scorch's reader, asked to go back, starts again from the beginning).
func (p *phraseProbe) holds(id index.IndexInternalID) (bool, error) {
	if p.never {
		return false, nil
	}
	for i, tr := range p.readers {
		d := &p.docs[i]
		if !p.at[i] || d.ID.Compare(id) < 0 {
			got, err := tr.Advance(id, d.Reset())
			if err != nil {
				return false, fmt.Errorf("phrase: %w", err)
			}
			if got == nil {
				p.never = true // the term is in no later article
				return false, nil
			}
			if got != d {
				*d = *got
			}
			p.at[i] = true
		}
		if !d.ID.Equals(id) {
			return false, nil
		}
		pos, err := positionsOf(tr, d, p.pos[i][:0])
		if err != nil {
			return false, fmt.Errorf("phrase: %w", err)
		}
		if p.pos[i] = pos; !slices.IsSorted(pos) {
			slices.Sort(pos) // holdsAt searches them
		}
	}
	return holdsAt(p.pos, p.groups, p.offsets), nil
}

// Check is holds of the article numbered doc (an estimate.Checker).
func (p *phraseProbe) Check(doc uint32) (bool, error) {
	p.id = index.NewIndexInternalID(p.id, uint64(doc))
	return p.holds(p.id)
}

// Close closes the probe's readers, once however often it is called:
// scorch recycles a closed reader, and one closed twice would be handed to
// two later searches.
func (p *phraseProbe) Close() error {
	var first error
	for _, tr := range p.readers {
		if err := tr.Close(); err != nil && first == nil {
			first = err
		}
	}
	p.readers = nil
	return first
}

// Size is an estimate of the memory the probe holds.
func (p *phraseProbe) Size() int {
	n := 64
	for _, tr := range p.readers {
		n += 96 + tr.Size()
	}
	return n
}
