package engine

import (
	"context"
	"fmt"
	"slices"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/mapping"
	bsearch "github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	index "github.com/blevesearch/bleve_index_api"
	segment "github.com/blevesearch/scorch_segment_api/v2"
	zapx "github.com/blevesearch/zapx/v17"

	"github.com/newsfind/newsfind/internal/index/docset"
	"github.com/newsfind/newsfind/internal/index/zapread"
)

// postingsReader reads one term's postings in one field over a snapshot's
// segments, as scorch's term field reader does, except that Advance jumps
// to the zap chunk that holds its target (zapx's own Advance steps its
// roaring iterator over every posting before the target: on a common word
// most of a search's time past the exact count went there), and reads
// segments through internal/index/zapread where it can.
//
// zapx reads a postings list that way ("clean") only when nothing is taken
// from it: the reader opens every segment's postings without the deleted
// articles and leaves those out itself.
type postingsReader struct {
	segs    []segmentPostings
	k       int // the segment being read
	count   uint64
	freq    bool
	norm    bool
	vectors bool
	// positions: of the locations, positions only, when asked for (positionsOf)
	positions bool
	// lazy leaves a zap chunk's frequency and norm undecoded until entry
	// (a scorer moves many postings past what cannot enter its top hits);
	// pending is then the reader of the posting read last.
	lazy    bool
	pending *zapread.Reader
}

// segmentPostings is one segment's part of a postingsReader.
type segmentPostings struct {
	it      segment.PostingsIterator
	zap     *zapx.PostingsIterator // it, when zapx's
	chunks  *zapread.Reader        // what reads it, when set
	chunk   uint64                 // the size of its chunks; 0: not jumpable
	deleted *roaring.Bitmap
	base    uint64 // the segment's first document number
	at      uint64 // the local number of the posting last read
	read    bool   // whether one was
}

// openPositions is openPostings of locations for their positions alone,
// decoded for the postings asked about only (positionsOf): a phrase's
// terms land on postings they pass over, and read no offsets.
func openPositions(ctx context.Context, r index.IndexReader, term, field string, freq, norm bool) (index.TermFieldReader, error) {
	tr, err := openPostings(ctx, r, term, field, freq, norm, true)
	if p, ok := tr.(*postingsReader); ok {
		p.positions = true
	}
	return tr, err
}

// positionsOf appends to dst the positions of cur, the posting tr read
// last (opened by openPositions or with vectors).
func positionsOf(tr index.TermFieldReader, cur *index.TermFieldDoc, dst []uint64) ([]uint64, error) {
	if p, ok := tr.(*postingsReader); ok && p.positions && p.k < len(p.segs) && p.segs[p.k].chunks != nil {
		return p.segs[p.k].chunks.Positions(dst)
	}
	for _, v := range cur.Vectors {
		dst = append(dst, v.Pos)
	}
	return dst, nil
}

// openPostings returns a reader of term's postings in field: a
// postingsReader on a scorch snapshot, else r's own.
func openPostings(ctx context.Context, r index.IndexReader, term, field string, freq, norm, vectors bool) (index.TermFieldReader, error) {
	snap, ok := r.(*scorch.IndexSnapshot)
	if !ok {
		return r.TermFieldReader(ctx, []byte(term), field, freq, norm, vectors)
	}
	p := &postingsReader{freq: freq, norm: norm, vectors: vectors}
	var base uint64
	for _, s := range snap.Segments() {
		sp := segmentPostings{base: base, deleted: s.Deleted()}
		base += uint64(s.FullSize())
		dict, err := s.Segment().Dictionary(field)
		if err != nil {
			return nil, fmt.Errorf("dictionary of %s: %w", field, err)
		}
		pl, err := dict.PostingsList([]byte(term), nil, nil)
		if err != nil {
			return nil, fmt.Errorf("postings of %s:%s: %w", field, term, err)
		}
		// Of a zap list zapread reads (more than minChunkedPostings),
		// zapx's iterator only gives the bitmap: it is made without the
		// decoders of frequencies, norms and locations, which read every
		// chunk's offset (2 % of the bench's searches at a million
		// articles). Other lists, most of those a search opens, get one
		// iterator that reads them whole.
		n := pl.Count()
		zs, _ := s.Segment().(*zapx.Segment)
		if zs != nil && (freq || norm || vectors) && n > minChunkedPostings {
			sp.it = pl.Iterator(false, false, false, nil)
			if zit, _ := sp.it.(*zapx.PostingsIterator); zit != nil {
				sp.chunks = newZapChunks(zs, field, term, zit.ActualBM, vectors)
			}
		}
		if sp.chunks == nil {
			sp.it = pl.Iterator(freq, norm, vectors, nil)
		}
		zit, _ := sp.it.(*zapx.PostingsIterator)
		switch {
		case zit != nil && zs != nil:
			sp.zap = zit
			if zit.ActualBM != nil { // (nil: one posting, or none)
				sp.chunk = zapChunkSize(zs.ChunkMode(), zit.ActualBM.GetCardinality(), zs.Count())
			}
			if sp.deleted != nil {
				n -= sp.bitmap().AndCardinality(sp.deleted)
			}
		case sp.deleted != nil && n > 0:
			// Not zapx's: let the segment take the deleted out.
			if pl, err = dict.PostingsList([]byte(term), sp.deleted, nil); err != nil {
				return nil, fmt.Errorf("postings of %s:%s: %w", field, term, err)
			}
			sp.it, sp.deleted, n = pl.Iterator(freq, norm, vectors, nil), nil, pl.Count()
		}
		p.count += n
		p.segs = append(p.segs, sp)
	}
	return p, nil
}

// bitmap returns the articles of a zap segment's postings, deleted ones
// included, before they are read; nil when not zap's.
func (s *segmentPostings) bitmap() *roaring.Bitmap {
	switch {
	case s.zap == nil:
		return nil
	case s.zap.ActualBM != nil:
		return s.zap.ActualBM
	}
	bm := roaring.New()
	if doc, ok := s.zap.DocNum1Hit(); ok {
		bm.Add(uint32(doc))
	}
	return bm
}

// unionOf returns the live articles that any of readers holds, read from
// their postings bitmaps without reading a posting; nil unless every
// reader is a postingsReader of zap's postings, not yet read. Each
// segment's bitmaps are joined in one FastOr, which counts a container's
// articles once at its end rather than after each join (a query's terms
// and fields, and a word being typed's completions, are tens of bitmaps a
// segment), and the segments' unions by docset.Join.
func unionOf(readers []index.TermFieldReader) *roaring.Bitmap {
	if len(readers) == 0 {
		return nil
	}
	var segs [][]*roaring.Bitmap
	for i, r := range readers {
		p, ok := r.(*postingsReader)
		if !ok || i > 0 && len(p.segs) != len(segs) {
			return nil
		}
		if i == 0 {
			segs = make([][]*roaring.Bitmap, len(p.segs))
		}
		for k, s := range p.segs {
			bm := s.bitmap()
			if bm == nil || s.read {
				return nil
			}
			segs[k] = append(segs[k], bm)
		}
	}
	us := make([]*roaring.Bitmap, len(segs))
	bases := make([]uint64, len(segs))
	for k, s := range readers[0].(*postingsReader).segs {
		us[k], bases[k] = roaring.FastOr(segs[k]...), s.base // a new bitmap, even of one
		if s.deleted != nil {
			us[k].AndNot(s.deleted)
		}
	}
	return docset.Join(us, bases)
}

// zapChunkSize is the number of document numbers in each chunk of a zap
// postings list of card postings in a segment of docs documents, written
// in chunk mode mode, as zapx's getChunkSize computes it; 0 for a mode it
// does not know.
func zapChunkSize(mode uint32, card, docs uint64) uint64 {
	switch {
	case mode == 0:
		return 0
	case mode <= 1024:
		return uint64(mode)
	case mode == 1025:
		if card <= 1024 {
			return docs
		}
		return 1024
	case mode == 1026:
		return docs / (card/1024 + 1)
	}
	return 0
}

// Next implements index.TermFieldReader.
func (p *postingsReader) Next(pre *index.TermFieldDoc) (*index.TermFieldDoc, error) {
	return p.next(pre, nil, 0)
}

// Advance implements index.TermFieldReader. It moves forward only: a
// target at or before the posting last read gives the one after it.
func (p *postingsReader) Advance(id index.IndexInternalID, pre *index.TermFieldDoc) (*index.TermFieldDoc, error) {
	t := id.Value()
	if p.k+1 < len(p.segs) && p.segs[p.k+1].base <= t { // past the segment being read
		k, _ := slices.BinarySearchFunc(p.segs[p.k+1:], t+1, func(s segmentPostings, t uint64) int {
			if s.base < t {
				return -1
			}
			return 1
		})
		p.k += k
	}
	return p.next(pre, id, t)
}

// next reads the next posting, at or after document number t when id is
// set.
func (p *postingsReader) next(pre *index.TermFieldDoc, id index.IndexInternalID, t uint64) (*index.TermFieldDoc, error) {
	p.pending = nil
	for ; p.k < len(p.segs); p.k, id = p.k+1, nil {
		s := &p.segs[p.k]
		if s.chunks != nil {
			if d, err := p.nextChunked(s, pre, id, t); d != nil || err != nil {
				return d, err
			}
			continue
		}
		for {
			var (
				post segment.Posting
				err  error
			)
			if s.advances(id, t) {
				local := t - s.base
				if s.chunk > 0 && (!s.read || local/s.chunk > s.at/s.chunk) {
					// Jump to the target's chunk (see postingsReader).
					s.zap.Actual.AdvanceIfNeeded(uint32(local / s.chunk * s.chunk))
				}
				post, err = s.it.Advance(local)
			} else {
				post, err = s.it.Next()
			}
			if err != nil {
				return nil, err
			}
			if post == nil {
				break
			}
			s.at, s.read = post.Number(), true
			if s.deleted != nil && s.deleted.Contains(uint32(s.at)) {
				id = nil
				continue
			}
			return p.toDoc(post, s.base, pre), nil
		}
	}
	return nil, nil
}

// advances reports whether a read of s for document number t when id is
// set moves to t rather than to the next posting: t is in s, past the
// posting last read.
func (s *segmentPostings) advances(id index.IndexInternalID, t uint64) bool {
	return id != nil && t > s.base && (!s.read || s.at < t-s.base)
}

// nextChunked is next in segment s read by its zapread.Reader: nil at the
// segment's end.
func (p *postingsReader) nextChunked(s *segmentPostings, pre *index.TermFieldDoc, id index.IndexInternalID, t uint64) (*index.TermFieldDoc, error) {
	for {
		var (
			ok  bool
			err error
		)
		if s.advances(id, t) {
			ok, err = s.chunks.Advance(t - s.base)
		} else {
			ok, err = s.chunks.Next()
		}
		if err != nil || !ok {
			return nil, err
		}
		s.at, s.read = s.chunks.Doc(), true
		if s.deleted != nil && s.deleted.Contains(uint32(s.at)) {
			id = nil
			continue
		}
		if pre == nil {
			pre = &index.TermFieldDoc{}
		}
		pre.ID = index.NewIndexInternalID(pre.ID, s.at+s.base)
		if p.lazy {
			p.pending = s.chunks
			return pre, nil
		}
		if err := p.fill(s.chunks, pre); err != nil {
			return nil, err
		}
		return pre, nil
	}
}

// entry fills pre, the posting p read last, with what lazy p left undecoded.
func (p *postingsReader) entry(pre *index.TermFieldDoc) error {
	z := p.pending
	if p.pending = nil; z == nil {
		return nil
	}
	return p.fill(z, pre)
}

// fill fills pre with the posting z is at: its frequency and norm, as
// asked, and its locations when p reads them.
func (p *postingsReader) fill(z *zapread.Reader, pre *index.TermFieldDoc) error {
	if err := z.Entry(); err != nil {
		return err
	}
	if p.freq || p.lazy { // (a lazy reader is a scorer's, or a locator's)
		pre.Freq = z.Freq()
	}
	if p.norm || p.lazy {
		pre.Norm = z.Norm()
	}
	if p.positions {
		pre.Vectors = pre.Vectors[:0] // (see positionsOf)
	} else if p.vectors {
		locs, err := z.Locations()
		if err != nil {
			return err
		}
		v := vectors(pre, len(locs))
		for i, l := range locs {
			*v[i] = index.TermFieldVector{Field: l.Field, Pos: l.Pos, Start: l.Start, End: l.End, ArrayPositions: l.ArrayPositions}
		}
	}
	return nil
}

// toDoc fills pre (or a new TermFieldDoc) with post, of the segment whose
// first document number is base, as scorch's reader does.
func (p *postingsReader) toDoc(post segment.Posting, base uint64, pre *index.TermFieldDoc) *index.TermFieldDoc {
	if pre == nil {
		pre = &index.TermFieldDoc{}
	}
	pre.ID = index.NewIndexInternalID(pre.ID, post.Number()+base)
	if p.freq {
		pre.Freq = post.Frequency()
	}
	if p.norm {
		pre.Norm = post.Norm()
	}
	if p.vectors {
		locs := post.Locations()
		v := vectors(pre, len(locs))
		for i, l := range locs {
			*v[i] = index.TermFieldVector{Field: l.Field(), Pos: l.Pos(), Start: l.Start(), End: l.End(), ArrayPositions: l.ArrayPositions()}
		}
	}
	return pre
}

// vectors sets pre's term vectors to n, reusing their room, as scorch's
// reader does, and returns them.
func vectors(pre *index.TermFieldDoc, n int) []*index.TermFieldVector {
	if cap(pre.Vectors) < n {
		pre.Vectors = make([]*index.TermFieldVector, n)
		backing := make([]index.TermFieldVector, n)
		for i := range backing {
			pre.Vectors[i] = &backing[i]
		}
	}
	pre.Vectors = pre.Vectors[:n]
	return pre.Vectors
}

// Count implements index.TermFieldReader: the articles that hold the term.
func (p *postingsReader) Count() uint64 { return p.count }

// Close implements index.TermFieldReader.
func (p *postingsReader) Close() error {
	for _, s := range p.segs {
		s.chunks.Close() // (nil when zapx's iterator reads the segment)
	}
	return nil
}

// Size implements index.TermFieldReader.
func (p *postingsReader) Size() int { return 0 }

// filterSet is the filters of values a bm25Query keeps to, and the
// searches it excludes ("-word"), with the articles that pass them and
// those excluded, read once for all the searchers a search creates from
// the query (its pass, locating its hits, feedback).
type filterSet struct {
	groups  []filterGroup
	exclude []query.Query
	read    bool
	docs    *roaring.Bitmap // the articles that pass; nil: all
	out     *roaring.Bitmap // the articles excluded, where docs is nil
}

// articles returns the articles that pass f's filters in r and are not
// excluded (nil when there is no filter), and the articles excluded that
// it could not take out of those (nil when none); searchers must not
// change them.
func (f *filterSet) articles(ctx context.Context, r index.IndexReader, m mapping.IndexMapping) (allowed, excluded *roaring.Bitmap, err error) {
	if f.read {
		return f.docs, f.out, nil
	}
	var docs, out *roaring.Bitmap
	if len(f.groups) > 0 {
		if docs, err = passing(ctx, r, m, f.groups); err != nil {
			return nil, nil, err
		}
	}
	for _, q := range f.exclude {
		bm, err := searcherSet(ctx, r, m, q)
		if err != nil {
			return nil, nil, fmt.Errorf("excluded: %w", err)
		}
		if out == nil {
			out = bm
		} else {
			out.Or(bm)
		}
	}
	if docs != nil && out != nil {
		docs.AndNot(out)
		out = nil
	}
	f.docs, f.out, f.read = docs, out, true
	return docs, out, nil
}

// passing returns the articles that pass every filter of filters: each
// the union of its values' postings bitmaps (see unionOf), or, where those
// cannot be read so, the matches of bleve's searcher of it.
func passing(ctx context.Context, r index.IndexReader, m mapping.IndexMapping, filters []filterGroup) (*roaring.Bitmap, error) {
	var set *roaring.Bitmap
	for _, f := range filters {
		readers := make([]index.TermFieldReader, len(f.values))
		var err error
		for i, v := range f.values {
			if readers[i], err = openPostings(ctx, r, v, f.field, false, false, false); err != nil {
				return nil, err
			}
		}
		bm := unionOf(readers)
		if bm == nil {
			if bm, err = searcherSet(ctx, r, m, f.query()); err != nil {
				return nil, err
			}
		}
		if set == nil {
			set = bm
		} else {
			set.And(bm)
		}
	}
	return set, nil
}

// searcherSet returns the articles q matches, from bleve's searcher of it.
func searcherSet(ctx context.Context, r index.IndexReader, m mapping.IndexMapping, q query.Query) (*roaring.Bitmap, error) {
	s, err := q.Searcher(ctx, r, m, bsearch.SearcherOptions{Score: "none"})
	if err != nil {
		return nil, fmt.Errorf("searcher: %w", err)
	}
	defer s.Close()
	if bs, ok := s.(*bm25Searcher); ok {
		if m := bs.matches(); m != nil {
			return m, nil // from the postings' bitmaps
		}
	}
	sc := &bsearch.SearchContext{DocumentMatchPool: bsearch.NewDocumentMatchPool(s.DocumentMatchPoolSize(), 0), IndexReader: r}
	set := roaring.New()
	for n := 0; ; n++ {
		if n%checkDoneEvery == 0 && ctx.Err() != nil {
			return nil, ctx.Err()
		}
		d, err := s.Next(sc)
		if err != nil || d == nil {
			return set, err
		}
		set.Add(uint32(d.IndexInternalID.Value()))
		sc.DocumentMatchPool.Put(d)
	}
}
