package engine

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"sync"

	"github.com/blevesearch/bleve/v2/index/scorch"
	index "github.com/blevesearch/bleve_index_api"

	"github.com/newsfind/newsfind/internal/index/facet"
)

// buildFacetTable uninverts the facet fields and dates of every live
// document r holds: passes over their doc values in document order (which
// reads each compressed chunk once), one per group of fields, at once.
//
// With reuse, only the documents of the segments reuse's table does not
// cover are read, and the table is derived from reuse's and theirs
// (facet.Derive): after an update, what changed.
func buildFacetTable(r index.IndexReader, reuse *facet.Reuse) (*facet.Table, error) {
	live, err := liveDocs(r)
	if err != nil {
		return nil, fmt.Errorf("facet table: %w", err)
	}
	read := live
	if reuse != nil {
		read = reuse.Unshared(live)
	}
	builders := make([]*facet.Builder, len(facet.Groups))
	errs := make([]error, len(facet.Groups))
	var wg sync.WaitGroup
	for i, g := range facet.Groups {
		builders[i] = facet.NewBuilder(len(read), g.Dates, g.Kinds)
		wg.Go(func() { errs[i] = readDocValues(builders[i], r, read) })
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("facet table: %w", err)
	}
	t := facet.Assemble(builders)
	if reuse == nil {
		return t, nil
	}
	return facet.Derive(reuse, t, live)
}

// readDocValues hands b the doc values of the documents docs of r, in
// order.
func readDocValues(b *facet.Builder, r index.IndexReader, docs []uint32) error {
	dv, err := r.DocValueReader(b.Fields())
	if err != nil {
		return err
	}
	id := make(index.IndexInternalID, 8)
	for _, n := range docs {
		binary.BigEndian.PutUint64(id, uint64(n))
		b.Doc(n)
		if err := dv.VisitDocValues(id, b.Visit); err != nil {
			return fmt.Errorf("document %d: %w", n, err)
		}
	}
	return nil
}

// liveDocs returns the numbers of r's live documents, ascending: each
// segment's numbers but its deleted ones, after those of the segments
// before it.
func liveDocs(r index.IndexReader) ([]uint32, error) {
	snap, ok := r.(*scorch.IndexSnapshot)
	if !ok {
		return nil, errors.New("not a scorch snapshot")
	}
	var live []uint32
	var base uint64
	for _, s := range snap.Segments() {
		n, del := uint64(s.FullSize()), s.Deleted()
		if base+n >= math.MaxUint32 {
			return nil, fmt.Errorf("document number %d beyond the table's range", base+n)
		}
		for i := range n {
			if del == nil || !del.Contains(uint32(i)) {
				live = append(live, uint32(base+i))
			}
		}
		base += n
	}
	return live, nil
}

// segments returns the segments of r's snapshot; nil when r is not a
// scorch snapshot, whose fingerprint no file matches.
func segments(r index.IndexReader) []facet.Segment {
	snap, ok := r.(*scorch.IndexSnapshot)
	if !ok {
		return nil
	}
	var segs []facet.Segment
	for _, s := range snap.Segments() {
		segs = append(segs, facet.Segment{ID: s.Id(), Docs: uint64(s.FullSize()), Live: uint64(s.LiveSize())})
	}
	return segs
}
