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
// document r holds, and its stories: passes over their doc values in
// document order (which reads each compressed chunk once), one per group
// of fields, at once.
func buildFacetTable(r index.IndexReader) (*facet.Table, *facet.Stories, error) {
	live, err := r.DocCount()
	if err != nil {
		return nil, nil, fmt.Errorf("facet table: %w", err)
	}
	builders := make([]*facet.Builder, len(facet.Groups))
	errs := make([]error, len(facet.Groups)+1)
	var wg sync.WaitGroup
	for i, g := range facet.Groups {
		builders[i] = facet.NewBuilder(int(live), g.Dates, g.Kinds)
		wg.Go(func() { errs[i] = readDocValues(builders[i], r) })
	}
	stories := facet.NewStoriesBuilder(int(live))
	wg.Go(func() { errs[len(facet.Groups)] = readDocValues(stories, r) })
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, nil, fmt.Errorf("facet table: %w", err)
	}
	t := facet.Assemble(builders)
	return t, stories.Stories(t.Docs), nil
}

// docValueSink is what readDocValues hands doc values to.
type docValueSink interface {
	Fields() []string
	Doc(n uint32)
	Visit(field string, term []byte)
}

// readDocValues hands b the doc values of every live document of r.
func readDocValues(b docValueSink, r index.IndexReader) error {
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
