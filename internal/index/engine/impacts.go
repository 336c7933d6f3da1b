package engine

import (
	"errors"
	"fmt"
	"io/fs"
	"math"
	"path/filepath"
	"slices"
	"strings"

	"github.com/blevesearch/bleve/v2/index/scorch"

	"github.com/newsfind/newsfind/internal/analyze"
	"github.com/newsfind/newsfind/internal/index/blockmax"
	"github.com/newsfind/newsfind/internal/index/bm25"
	"github.com/newsfind/newsfind/internal/index/facet"
	"github.com/newsfind/newsfind/internal/index/schema"
	"github.com/newsfind/newsfind/internal/index/sidecar"
)

// Block maxima (see package blockmax) are stored when a generation is
// built for the stems common enough to be worth it: the largest, over a
// block's articles holding the stem, of the BM25 factor tf/(tf + k1·norm)
// of the stem's whole group as bm25Searcher.score sums it. A bound from
// each block's largest tf and shortest article taken apart skips nothing
// on a common word: the ten best scores of one sit within a few percent of
// its largest.
//
// A group's tf is its content occurrences, plus titleBoost times its title
// occurrences, plus exactBoost times the occurrences of one form of it (the
// typed one, or the stem itself for a word that is its own stem, whose
// siblings are taken away): the stored tf counts the form the article holds
// most of, so the bound holds whichever form is typed. A group summed
// otherwise (several forms of one stem typed, other fields, heavier
// weights) has no block maxima and keeps the bound of any article.
//
// The factor grows with the average length, so maxima are computed with an
// average impactsSlack above the generation's, and copied while the
// average stays below that.
const (
	// impactsMinShare: stems held by at least 1/impactsMinShare of the
	// articles get block maxima; rarer ones are read whole in little time.
	impactsMinShare = 64
	impactsMinDocs  = 16
	impactsSlack    = 0.01
)

// layoutOf returns the block layout of segs.
func layoutOf(segs []facet.Segment) blockmax.Layout {
	ids, docs := make([]int64, len(segs)), make([]int64, len(segs))
	for k, s := range segs {
		ids[k], docs[k] = int64(s.ID), int64(s.Docs)
	}
	return blockmax.NewLayout(ids, docs)
}

// averageLength returns the primary field's average length searches use,
// and whether g has the statistics that give it.
func (g *Generation) averageLength() (float64, bool) {
	if g.bm25 == nil || g.bm25.DocCount <= 0 {
		return 0, false
	}
	return float64(g.bm25.FieldCardinality[schema.Content]) / g.bm25.DocCount, true
}

// ImpactTerms are the stems WriteImpacts stores block maxima of, and
// their exact forms, gathered from the terms of the content dictionary,
// then the exact one, as the suggestion lists read them (from the
// generation's lexicon: a walk of the dictionaries reads every term's
// postings header in every segment, seconds at a million articles), and
// the pairs of the pairs field as common as those stems.
type ImpactTerms struct {
	minDocs uint64
	stems   []string
	forms   map[string][]string // of each stem, the forms that are not the stem
	pairs   []string
}

// NewImpactTerms returns what to gather g's ImpactTerms into.
func (g *Generation) NewImpactTerms() *ImpactTerms {
	return &ImpactTerms{minDocs: uint64(max(g.table.Docs/impactsMinShare, impactsMinDocs)), forms: map[string][]string{}}
}

// Add gathers term, held by docs articles, of a walk of field. A form met
// before its stem is left out, which only loosens the stem's maxima.
func (t *ImpactTerms) Add(field, term string, docs uint64) {
	switch field {
	case schema.Content:
		if docs >= t.minDocs {
			t.stems = append(t.stems, term)
			t.forms[term] = nil
		}
	case schema.Exact:
		if s := analyze.Stem(term); s != term {
			if fs, ok := t.forms[s]; ok {
				t.forms[s] = append(fs, term)
			}
		}
	case schema.Pairs:
		if docs >= t.minDocs {
			t.pairs = append(t.pairs, term)
		}
	}
}

// Pair maxima. A pair of common words next to each other ("new year"),
// one term of the pairs field, is in far fewer articles than either word,
// and the articles holding it are the only ones its phrase (quoted, or
// the bonus of the words typed in that order) can be in. Both words' own
// block maxima are near their largest in nearly every block, but an
// article holding the pair is seldom where either is: so each pair as
// common as the stems with block maxima gets rows of its own, the maxima
// of each of its words over the articles holding the pair (see
// bm25Searcher.blockBound).
//
// Content maxima. A quoted phrase scores its words' content occurrences
// alone, without the title's and exact forms' weights the group's maxima
// bound (a word twice in an article's text, once of them in its title,
// both as typed, has x = 2 + 1 + 3·2 = 9 there against 2), so each stem,
// and each pair's words, also get rows of the content occurrences alone.

// rowKey returns the key of a row of stem's maxima: its own (pair ""), or
// over the articles holding pair; of its content occurrences alone
// (content), or of its whole group. A space sorts a stem's other rows
// right after its own, before any other stem's, and is never inside a
// term of the content or pairs field.
func rowKey(stem, pair string, content bool) string {
	k := stem
	if pair != "" {
		k += " " + pair
	}
	if content {
		k += " ."
	}
	return k
}

// rowSpec is one row WriteImpacts writes: of its stem's whole group or
// content occurrences alone, over all its articles or, with pair set,
// those holding pair.
type rowSpec struct {
	key, pair string
	content   bool
}

// specs returns the rows of t by stem, in key order: each stem's own rows
// first, then those of the pairs it is in, the pairs' stems being both
// gathered.
func (t *ImpactTerms) specs() map[string][]rowSpec {
	by := make(map[string][]rowSpec, len(t.stems))
	add := func(stem, pair string) {
		for _, content := range []bool{false, true} {
			by[stem] = append(by[stem], rowSpec{key: rowKey(stem, pair, content), pair: pair, content: content})
		}
	}
	for _, s := range t.stems {
		add(s, "")
	}
	for _, p := range t.pairs {
		first, second, ok := analyze.PairStems(p)
		_, ok1 := by[first]
		_, ok2 := by[second]
		if !ok || !ok1 || !ok2 || first == second {
			continue
		}
		add(first, p)
		add(second, p)
	}
	for _, rs := range by {
		slices.SortFunc(rs, func(a, b rowSpec) int { return strings.Compare(a.key, b.key) })
	}
	return by
}

// WriteImpacts computes the block maxima of the stems terms gathered (from
// all of g's dictionaries' terms), and of their pairs, and writes them
// into g's folder, where opening the generation reads them. It walks the
// postings of those stems in the content, title and exact fields, and of
// the pairs in the pairs field: most of the index's postings (~2 s on 2
// cores at 100,000 articles), or, when g is a copy of the generation in
// the folder from, only those of the segments from's maxima do not cover.
// The rows are written a stem at a time, as computed. It returns how many
// segments' maxima it copied.
func (g *Generation) WriteImpacts(from string, terms *ImpactTerms) (copied int, err error) {
	avg, ok := g.averageLength()
	if !ok {
		return 0, nil // searches use bleve's estimates: no bound to store
	}
	snap, ok := g.reader.(*scorch.IndexSnapshot)
	if !ok {
		return 0, errors.New("block maxima: not a scorch snapshot")
	}
	lay := layoutOf(g.segments)
	prev, shared := g.reusable(from, avg, lay)
	if prev != nil {
		defer prev.Close()
		avg = prev.Avg
		copied = len(shared)
	} else {
		avg *= 1 + impactsSlack
	}
	specs := terms.specs()
	var keys []string
	for _, s := range slices.Sorted(slices.Values(terms.stems)) { // a stem's keys follow it
		for _, r := range specs[s] {
			keys = append(keys, r.key)
		}
	}
	var p stemPostings
	var stem string   // whose rows are computed
	var rows [][]byte // stem's, by its specs
	var first int     // the index of its first key
	row := func(i int, into []byte) error {
		if s, _, _ := strings.Cut(keys[i], " "); s != stem { // see rowKey
			stem, first = s, i
			var err error
			if rows, err = p.rows(snap.Segments(), &lay, avg, s, terms.forms[s], specs[s], rows, prev, shared); err != nil {
				return fmt.Errorf("block maxima of %s: %w", s, err)
			}
		}
		copy(into, rows[i-first])
		return nil
	}
	return copied, blockmax.Write(filepath.Join(g.path, blockmax.File), g.Fingerprint(), lay, avg, keys, row)
}

// rows returns the rows specs of stem s, with exact forms forms, in bufs
// (reused): the maxima of prev for the segments it covers (shared), and,
// read from their postings, those of the others.
func (p *stemPostings) rows(segs []*scorch.SegmentSnapshot, lay *blockmax.Layout, avg float64, s string, forms []string, specs []rowSpec, bufs [][]byte, prev *blockmax.Table, shared map[int]int) ([][]byte, error) {
	bufs = slices.Grow(bufs[:0], len(specs))[:len(specs)]
	read := make([]bool, len(lay.Docs))
	for i, r := range specs {
		if bufs[i] == nil {
			bufs[i] = make([]byte, lay.Blocks)
		}
		row := bufs[i]
		clear(row)
		if old := prev.Row(r.key); old != nil {
			for k := range lay.Docs {
				if pk, ok := shared[k]; ok {
					lo, hi := lay.SegmentBlocks(k)
					plo, _ := prev.SegmentBlocks(pk)
					copy(row[lo:hi], old[plo:])
				} else {
					read[k] = true
				}
			}
		} else {
			for k := range read {
				read[k] = true
			}
		}
	}
	var todo []int
	for k, r := range read {
		if r {
			todo = append(todo, k)
		}
	}
	if len(todo) == 0 {
		return bufs, nil
	}
	if err := p.read(segs, lay, todo, s, forms); err != nil {
		return nil, err
	}
	for i, r := range specs {
		if err := p.maxima(segs, bufs[i], lay, avg, r); err != nil {
			return nil, fmt.Errorf("%s: %w", r.key, err)
		}
	}
	return bufs, nil
}

// reusable returns the block maxima of the generation in the folder from,
// when they hold for g, whose average length is avg, and which of g's
// segments (by index in lay) they cover, mapped to their index in from's.
func (g *Generation) reusable(from string, avg float64, lay blockmax.Layout) (*blockmax.Table, map[int]int) {
	if from == "" {
		return nil, nil
	}
	prev, _, err := blockmax.Read(filepath.Join(from, blockmax.File))
	if err != nil || avg > prev.Avg {
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			g.opts.Log.Warn("block maxima of the previous generation unusable", "err", err)
		}
		if prev != nil {
			prev.Close()
		}
		return nil, nil
	}
	return prev, prev.Shared(lay)
}

// readImpacts reads the block maxima written for g, or returns nil when
// there are none for g's segments and statistics: searches then bound each
// word by what any article could score.
func (g *Generation) readImpacts() *blockmax.Table {
	avg, ok := g.averageLength()
	if !ok {
		return nil
	}
	im, fp, err := blockmax.Read(filepath.Join(g.path, blockmax.File))
	switch {
	case err == nil && (fp != g.Fingerprint() || avg > im.Avg):
		im.Close()
		err = sidecar.ErrStale
	case err == nil:
		return im
	}
	if !errors.Is(err, fs.ErrNotExist) {
		// The next update writes them (an index written before blocks of
		// 32 has maxima of blocks of 128: stale).
		g.opts.Log.Warn("block maxima unusable; searching without until the next update writes them", "err", err)
	}
	return nil
}

// stemPostings are one stem's postings in the fields its group sums, by
// the content postings' articles.
type stemPostings struct {
	docs    []uint64
	content []float32 // occurrences in content
	length  []float32 // content length
	title   []float32 // occurrences in the title
	formMax []float32 // occurrences of the form held most, of those in exact
	formSum []float32 // occurrences of all its forms in exact
	strays  []uint64  // articles of title or exact postings without content ones
	lay     *blockmax.Layout
	todo    []int // the segments read
}

// read reads the postings of stem s and of its exact forms, in the
// segments todo of lay.
func (p *stemPostings) read(segs []*scorch.SegmentSnapshot, lay *blockmax.Layout, todo []int, s string, forms []string) error {
	p.docs, p.content, p.length = p.docs[:0], p.content[:0], p.length[:0]
	p.strays = p.strays[:0]
	p.lay, p.todo = lay, todo
	err := p.each(segs, schema.Content, s, true, func(doc uint64, tf, length float64) {
		p.docs = append(p.docs, doc)
		p.content = append(p.content, float32(tf))
		p.length = append(p.length, float32(length))
	})
	if err != nil {
		return err
	}
	p.title = zeroed(p.title, len(p.docs))
	p.formMax = zeroed(p.formMax, len(p.docs))
	p.formSum = zeroed(p.formSum, len(p.docs))
	at := func(doc uint64) int {
		i, ok := slices.BinarySearch(p.docs, doc)
		if !ok {
			p.strays = append(p.strays, doc)
			return -1
		}
		return i
	}
	if err := p.each(segs, schema.Title, s, false, func(doc uint64, tf, _ float64) {
		if i := at(doc); i >= 0 {
			p.title[i] += float32(tf)
		}
	}); err != nil {
		return err
	}
	for _, f := range forms {
		if err := p.each(segs, schema.Exact, f, false, func(doc uint64, tf, _ float64) {
			if i := at(doc); i >= 0 {
				p.formMax[i] = max(p.formMax[i], float32(tf))
				p.formSum[i] += float32(tf)
			}
		}); err != nil {
			return err
		}
	}
	return nil
}

// each calls fn with every posting of term in field in p's segments: its
// article, its occurrences and, with norms, the field's length there.
func (p *stemPostings) each(segs []*scorch.SegmentSnapshot, field, term string, norms bool, fn func(doc uint64, tf, length float64)) error {
	// Each segment read is asked for its postings alone: bleve's term
	// reader would open the term's postings in every segment, when an
	// update reads one or two of them.
	for _, k := range p.todo {
		dict, err := segs[k].Segment().Dictionary(field)
		if err != nil {
			return err
		}
		pl, err := dict.PostingsList([]byte(term), segs[k].Deleted(), nil)
		if err != nil {
			return err
		}
		it := pl.Iterator(true, norms, false, nil)
		for {
			ps, err := it.Next()
			if err != nil {
				return err
			}
			if ps == nil {
				break
			}
			fn(p.lay.Base[k]+ps.Number(), float64(ps.Frequency()), bm25.NormLength(ps.Norm()))
		}
	}
	return nil
}

// maxima writes into row each block's largest factor (of the whole group,
// or of the content occurrences alone), with average length avg, rounded
// up to a 255th, of the articles read, or, with a pair, of those holding
// it in the pairs field: a block with an article that holds the stem in
// its title or exact field but not in its content (which holds the title
// too, so none should), or the pair but not the stem, gets the largest
// there is.
func (p *stemPostings) maxima(segs []*scorch.SegmentSnapshot, row []byte, lay *blockmax.Layout, avg float64, r rowSpec) error {
	if r.pair == "" {
		for i, doc := range p.docs {
			if q, j := p.factor(i, avg, r.content), blockOf(lay, doc); q > row[j] {
				row[j] = q
			}
		}
		for _, doc := range p.strays {
			row[blockOf(lay, doc)] = 255
		}
		return nil
	}
	i := 0 // the pair's articles come in document order, as the stem's
	return p.each(segs, schema.Pairs, r.pair, false, func(doc uint64, _, _ float64) {
		q := byte(255)
		for i < len(p.docs) && p.docs[i] < doc {
			i++
		}
		if i < len(p.docs) && p.docs[i] == doc {
			q = p.factor(i, avg, r.content)
		}
		if j := blockOf(lay, doc); q > row[j] {
			row[j] = q
		}
	})
}

// blockOf returns the block of document doc in lay.
func blockOf(lay *blockmax.Layout, doc uint64) int {
	j, _ := lay.Block(doc)
	return j
}

// factor returns the factor of the stem in the i-th article read (of its
// whole group, or of its content occurrences alone), with average length
// avg, rounded up to a 255th.
func (p *stemPostings) factor(i int, avg float64, content bool) byte {
	x := float64(p.content[i])
	if !content {
		own := x - float64(p.formSum[i]) // the stem itself as a word
		x += titleBoost*float64(p.title[i]) + exactBoost*max(float64(p.formMax[i]), own)
	}
	return byte(min(255, math.Ceil(255*x/(x+bm25.K1*bm25.LengthNorm(float64(p.length[i]), avg)))))
}

// zeroed returns s resized to n zeros.
func zeroed(s []float32, n int) []float32 {
	s = slices.Grow(s[:0], n)[:n]
	clear(s)
	return s
}

// impactsKey is the context key of the *blockmax.Table a search's searchers bound
// blocks by.
type impactsKey struct{}
