package engine

import (
	"errors"
	"fmt"
	"math"
	"sync"

	index "github.com/blevesearch/bleve_index_api"

	"github.com/newsfind/newsfind/internal/index/facet"
)

// buildFacetTable uninverts the facet fields and dates of every live
// document r holds: passes over their doc values in document order (which
// reads each compressed chunk once), one per group of fields, at once.
func buildFacetTable(r index.IndexReader) (*facet.Table, error) {
	live, err := r.DocCount()
	if err != nil {
		return nil, fmt.Errorf("facet table: %w", err)
	}
	builders := make([]*facet.Builder, len(facet.Groups))
	errs := make([]error, len(facet.Groups))
	var wg sync.WaitGroup
	for i, g := range facet.Groups {
		builders[i] = facet.NewBuilder(int(live), g.Dates, g.Kinds)
		wg.Go(func() { errs[i] = readDocValues(builders[i], r) })
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("facet table: %w", err)
	}
	return facet.Assemble(builders), nil
}

// readDocValues hands b the doc values of every live document of r.
func readDocValues(b *facet.Builder, r index.IndexReader) error {
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
		if err := dv.VisitDocValues(id, visit); err != nil {
			return fmt.Errorf("document %d: %w", n, err)
		}
	}
}
