package engine

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"path/filepath"
	"slices"

	index "github.com/blevesearch/bleve_index_api"

	"github.com/newsfind/newsfind/internal/analyze"
	"github.com/newsfind/newsfind/internal/index/facet"
	"github.com/newsfind/newsfind/internal/index/schema"
	"github.com/newsfind/newsfind/internal/index/sidecar"
)

// Block maxima (block-max MaxScore, as Lucene's impacts and PISA's block-max
// indexes): past the exact count, a search for the best k articles skips
// every block of blockSize document numbers in which no article can score
// above the k-th best so far. What an article can score for a word is
// bounded by its word's block maximum, stored when the generation is built
// for the stems common enough to be worth it: the largest, over the block's
// articles holding the stem, of the BM25 factor tf/(tf + k1·norm) of the
// stem's whole group as bm25Searcher.score sums it. A bound from each
// block's largest tf and shortest article taken apart skips nothing on a
// common word: the ten best scores of one sit within a few percent of its
// largest.
//
// A group's tf is its content occurrences, plus titleBoost times its title
// occurrences, plus exactBoost times the occurrences of one form of it (the
// typed one, or the stem itself for a word that is its own stem, whose
// siblings are taken away): the stored tf counts the form the article holds
// most of, so the bound holds whichever form is typed. A group summed
// otherwise (several forms of one stem typed, other fields, heavier
// weights) has no block maxima and keeps the bound of any article.
//
// Blocks are numbered within each segment, so that an update copies the
// maxima of the segments its generation shares with the one it was copied
// from and computes only the others': it pays for what changed. The factor
// grows with the average length, so maxima are computed with an average
// impactsSlack above the generation's, and copied while the average stays
// below that.
const (
	blockShift = 7 // blocks of 128 document numbers, Lucene's
	// impactsMinShare: stems held by at least 1/impactsMinShare of the
	// articles get block maxima; rarer ones are read whole in little time.
	impactsMinShare = 64
	impactsMinDocs  = 16
	impactsSlack    = 0.01
)

// impactsFile holds a generation's block maxima, written when it is built.
const impactsFile = "impacts.table"

// The layout WriteImpacts writes.
const (
	impactsKind    = "block maxima"
	impactsVersion = 1
)

// impacts are the block maxima of one generation's common stems: stem i's
// maximum in block j, rounded up to a 255th, is rows[i*blocks+j] (0: no
// article of the block holds it), blocks as layout numbers them.
type impacts struct {
	layout
	avg   float64            // the average length the maxima were computed with
	stems sidecar.StringList // sorted
	rows  []byte
	file  *sidecar.File
}

// layout numbers the blocks of a snapshot's segments, segment after
// segment: a block never spans two.
type layout struct {
	ids, docs []int64  // each segment's id and document numbers
	base      []uint64 // each segment's first document number
	start     []int    // each segment's first block
	blocks    int
}

func newLayout(ids, docs []int64) layout {
	l := layout{ids: ids, docs: docs}
	var base uint64
	for _, n := range docs {
		l.base = append(l.base, base)
		l.start = append(l.start, l.blocks)
		base += uint64(n)
		l.blocks += int((n + 1<<blockShift - 1) >> blockShift)
	}
	return l
}

// layoutOf returns the layout of segs.
func layoutOf(segs []facet.Segment) layout {
	ids, docs := make([]int64, len(segs)), make([]int64, len(segs))
	for k, s := range segs {
		ids[k], docs[k] = int64(s.ID), int64(s.Docs)
	}
	return newLayout(ids, docs)
}

// segment returns the segment of document doc.
func (l *layout) segment(doc uint64) int {
	k, _ := slices.BinarySearch(l.base, doc+1)
	return k - 1
}

// block returns the block of document doc and the first document number
// past it.
func (l *layout) block(doc uint64) (int, uint64) {
	k := l.segment(doc)
	local := (doc - l.base[k]) >> blockShift
	end := min(l.base[k]+(local+1)<<blockShift, l.base[k]+uint64(l.docs[k]))
	return l.start[k] + int(local), end
}

// segmentBlocks returns the blocks of segment k.
func (l *layout) segmentBlocks(k int) (int, int) {
	return l.start[k], l.start[k] + int((l.docs[k]+1<<blockShift-1)>>blockShift)
}

// row returns the block maxima of stem t, or nil when it has none.
func (im *impacts) row(t string) []byte {
	if im == nil {
		return nil
	}
	i, ok := im.stems.Search(t)
	if !ok {
		return nil
	}
	return im.rows[i*im.blocks : (i+1)*im.blocks]
}

// close releases the file im was read from.
func (im *impacts) close() error {
	if im == nil {
		return nil
	}
	return im.file.Close()
}

// averageLength returns the primary field's average length searches use,
// and whether g has the statistics that give it.
func (g *Generation) averageLength() (float64, bool) {
	if g.bm25 == nil || g.bm25.DocCount <= 0 {
		return 0, false
	}
	return float64(g.bm25.FieldCardinality[schema.Content]) / g.bm25.DocCount, true
}

// WriteImpacts computes the block maxima of g's common stems and writes
// them into g's folder, where opening the generation reads them. It walks
// the postings of those stems in the content, title and exact fields:
// most of the index's postings (~2 s on 2 cores at 100,000 articles), or,
// when g is a copy of the generation in the folder from, only those of the
// segments from's maxima do not cover. It returns how many segments' maxima
// it copied.
func (g *Generation) WriteImpacts(from string) (copied int, err error) {
	avg, ok := g.averageLength()
	if !ok {
		return 0, nil // searches use bleve's estimates: no bound to store
	}
	lay := layoutOf(g.segments)
	minDocs := uint64(max(g.table.Docs/impactsMinShare, impactsMinDocs))
	var stems []string
	if err := g.Terms(schema.Content, func(t string, docs uint64) {
		if docs >= minDocs {
			stems = append(stems, t)
		}
	}); err != nil {
		return 0, err
	}
	forms := map[string][]string{}
	for _, s := range stems {
		forms[s] = nil
	}
	if err := g.Terms(schema.Exact, func(f string, _ uint64) {
		if s := analyze.Stem(f); s != f {
			if fs, ok := forms[s]; ok {
				forms[s] = append(fs, f)
			}
		}
	}); err != nil {
		return 0, err
	}
	prev, shared := g.reusable(from, avg, lay)
	if prev != nil {
		defer prev.close()
		avg = prev.avg
		copied = len(shared)
	} else {
		avg *= 1 + impactsSlack
	}
	rows := make([]byte, len(stems)*lay.blocks)
	var p stemPostings
	for i, s := range stems {
		row := rows[i*lay.blocks : (i+1)*lay.blocks]
		old := prev.row(s)
		var todo []int // segments to read
		for k := range lay.docs {
			if pk, ok := shared[k]; ok && old != nil {
				lo, hi := lay.segmentBlocks(k)
				plo, _ := prev.segmentBlocks(pk)
				copy(row[lo:hi], old[plo:])
			} else {
				todo = append(todo, k)
			}
		}
		if len(todo) == 0 {
			continue
		}
		if err := p.read(g.reader, &lay, todo, s, forms[s]); err != nil {
			return 0, fmt.Errorf("block maxima of %s: %w", s, err)
		}
		p.maxima(row, &lay, avg)
	}
	path := filepath.Join(g.path, impactsFile)
	return copied, sidecar.Write(path, impactsKind, impactsVersion, g.Fingerprint(), func(e *sidecar.Encoder) {
		e.Uint64(blockShift)
		e.Uint64(math.Float64bits(avg))
		e.Int64s(lay.ids)
		e.Int64s(lay.docs)
		e.StringList(sidecar.NewStringList(stems))
		e.Bytes(rows)
	})
}

// reusable returns the block maxima of the generation in the folder from,
// when they hold for g, whose average length is avg, and which of g's
// segments (by index) they cover, mapped to their index in from's.
func (g *Generation) reusable(from string, avg float64, lay layout) (*impacts, map[int]int) {
	if from == "" {
		return nil, nil
	}
	prev, _, err := readImpacts(filepath.Join(from, impactsFile))
	if err != nil || avg > prev.avg {
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			g.opts.Log.Warn("block maxima of the previous generation unusable", "err", err)
		}
		if prev != nil {
			prev.close()
		}
		return nil, nil
	}
	at := map[int64]int{}
	for pk, id := range prev.ids {
		at[id] = pk
	}
	shared := map[int]int{}
	for k, id := range lay.ids {
		if pk, ok := at[id]; ok && prev.docs[pk] == lay.docs[k] {
			shared[k] = pk
		}
	}
	return prev, shared
}

// readImpacts reads the block maxima in the file path, and the fingerprint
// of the snapshot they were written for.
func readImpacts(path string) (*impacts, string, error) {
	im := &impacts{}
	var fp string
	f, err := sidecar.ReadAny(path, impactsKind, impactsVersion, func(fingerprint string, d *sidecar.Decoder) error {
		fp = fingerprint
		shift, bits := d.Uint64(), d.Uint64()
		ids, docs := d.Int64s(), d.Int64s()
		im.stems, im.rows = d.StringList(), d.Bytes()
		if err := d.Err(); err != nil {
			return err
		}
		if shift != blockShift {
			return sidecar.ErrStale
		}
		if len(ids) != len(docs) || slices.ContainsFunc(docs, func(n int64) bool { return n < 0 }) {
			return errors.New("block maxima: bad segments")
		}
		im.layout, im.avg = newLayout(ids, docs), math.Float64frombits(bits)
		if len(im.rows) != im.stems.Len()*im.blocks {
			return fmt.Errorf("block maxima: %d bytes for %d stems of %d blocks", len(im.rows), im.stems.Len(), im.blocks)
		}
		return nil
	})
	if err != nil {
		return nil, "", err
	}
	im.file = f
	return im, fp, nil
}

// readImpacts reads the block maxima written for g, or returns nil when
// there are none for g's segments and statistics: searches then bound each
// word by what any article could score.
func (g *Generation) readImpacts() *impacts {
	avg, ok := g.averageLength()
	if !ok {
		return nil
	}
	im, fp, err := readImpacts(filepath.Join(g.path, impactsFile))
	switch {
	case err == nil && (fp != g.Fingerprint() || avg > im.avg):
		im.close()
		err = sidecar.ErrStale
	case err == nil:
		return im
	}
	if !errors.Is(err, fs.ErrNotExist) {
		g.opts.Log.Warn("block maxima unusable; searching without", "err", err)
	}
	return nil
}

// stemPostings are one stem's postings in the fields its group sums, by
// the content postings' articles.
type stemPostings struct {
	docs    []uint64
	content []float64 // occurrences in content
	length  []float64 // content length
	title   []float64 // occurrences in the title
	formMax []float64 // occurrences of the form held most, of those in exact
	formSum []float64 // occurrences of all its forms in exact
	strays  []uint64  // articles of title or exact postings without content ones
	lay     *layout
	todo    []int // the segments read
	tfd     index.TermFieldDoc
	id      index.IndexInternalID
}

// read reads the postings of stem s and of its exact forms, in the
// segments todo of lay.
func (p *stemPostings) read(r index.IndexReader, lay *layout, todo []int, s string, forms []string) error {
	p.docs, p.content, p.length = p.docs[:0], p.content[:0], p.length[:0]
	p.strays = p.strays[:0]
	p.lay, p.todo = lay, todo
	err := p.each(r, schema.Content, s, true, func(doc uint64, tf, length float64) {
		p.docs = append(p.docs, doc)
		p.content = append(p.content, tf)
		p.length = append(p.length, length)
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
	if err := p.each(r, schema.Title, s, false, func(doc uint64, tf, _ float64) {
		if i := at(doc); i >= 0 {
			p.title[i] += tf
		}
	}); err != nil {
		return err
	}
	for _, f := range forms {
		if err := p.each(r, schema.Exact, f, false, func(doc uint64, tf, _ float64) {
			if i := at(doc); i >= 0 {
				p.formMax[i] = max(p.formMax[i], tf)
				p.formSum[i] += tf
			}
		}); err != nil {
			return err
		}
	}
	return nil
}

// each calls fn with every posting of term in field in p's segments: its
// article, its occurrences and, with norms, the field's length there.
func (p *stemPostings) each(r index.IndexReader, field, term string, norms bool, fn func(doc uint64, tf, length float64)) error {
	tr, err := r.TermFieldReader(context.Background(), []byte(term), field, true, norms, false)
	if err != nil {
		return err
	}
	defer tr.Close()
	for _, k := range p.todo {
		lo, hi := p.lay.base[k], p.lay.base[k]+uint64(p.lay.docs[k])
		p.id = binary.BigEndian.AppendUint64(p.id[:0], lo)
		d, err := tr.Advance(p.id, p.tfd.Reset())
		for ; err == nil && d != nil; d, err = tr.Next(p.tfd.Reset()) {
			doc := d.ID.Value()
			if doc >= hi {
				break
			}
			fn(doc, float64(d.Freq), normLength(d.Norm))
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// maxima writes into row each block's largest factor, with average length
// avg, rounded up to a 255th: a block with an article that holds the stem
// in its title or exact field but not in its content (which holds the
// title too, so none should) gets the largest there is.
func (p *stemPostings) maxima(row []byte, lay *layout, avg float64) {
	for i, doc := range p.docs {
		own := p.content[i] - p.formSum[i] // the stem itself as a word
		x := p.content[i] + titleBoost*p.title[i] + exactBoost*max(p.formMax[i], own)
		q := byte(min(255, math.Ceil(255*x/(x+bm25K1*lengthNorm(p.length[i], avg)))))
		if j, _ := lay.block(doc); q > row[j] {
			row[j] = q
		}
	}
	for _, doc := range p.strays {
		j, _ := lay.block(doc)
		row[j] = 255
	}
}

// zeroed returns s resized to n zeros.
func zeroed(s []float64, n int) []float64 {
	s = slices.Grow(s[:0], n)[:n]
	clear(s)
	return s
}

// impactsKey is the context key of the *impacts a search's searchers bound
// blocks by.
type impactsKey struct{}
