package engine

import (
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
// With reuse, the documents of the segments reuse's table covers are
// copied from it, and only the others' doc values are read: after an
// update, what changed.
func buildFacetTable(r index.IndexReader, reuse *facet.Reuse) (*facet.Table, error) {
	live, err := r.DocCount()
	if err != nil {
		return nil, fmt.Errorf("facet table: %w", err)
	}
	builders := make([]*facet.Builder, len(facet.Groups))
	errs := make([]error, len(facet.Groups))
	var wg sync.WaitGroup
	for i, g := range facet.Groups {
		builders[i] = facet.NewBuilder(int(live), g.Dates, g.Kinds)
		builders[i].Reserve(reuse, int(live))
		wg.Go(func() { errs[i] = readDocValues(builders[i], r, reuse) })
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("facet table: %w", err)
	}
	return facet.Assemble(builders), nil
}

// readDocValues hands b the doc values of every live document of r, or its
// row in reuse's table.
func readDocValues(b *facet.Builder, r index.IndexReader, reuse *facet.Reuse) error {
	dv, err := r.DocValueReader(b.Fields())
	if err != nil {
		return err
	}
	all, err := r.DocIDReaderAll()
	if err != nil {
		return err
	}
	defer all.Close()
	visit := b.Visit
	for {
		id, err := all.Next()
		if err != nil || id == nil {
			return err
		}
		if len(id) != 8 {
			return fmt.Errorf("document %q: not a scorch index", id)
		}
		n := id.Value()
		if n >= math.MaxUint32 {
			return fmt.Errorf("document number %d beyond the table's range", n)
		}
		b.Doc(uint32(n))
		if from, ok := reuse.Find(uint32(n)); ok {
			b.Copy(reuse.Prev, from)
			continue
		}
		if err := dv.VisitDocValues(id, visit); err != nil {
			return fmt.Errorf("document %d: %w", n, err)
		}
	}
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
