package engine

import (
	"errors"
	"fmt"
	"math"
	"sort"
	"strings"
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
func buildFacetTable(r index.IndexReader, reuse *tableReuse) (*facet.Table, error) {
	live, err := r.DocCount()
	if err != nil {
		return nil, fmt.Errorf("facet table: %w", err)
	}
	builders := make([]*facet.Builder, len(facet.Groups))
	errs := make([]error, len(facet.Groups))
	var wg sync.WaitGroup
	for i, g := range facet.Groups {
		builders[i] = facet.NewBuilder(int(live), g.Dates, g.Kinds)
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
func readDocValues(b *facet.Builder, r index.IndexReader, reuse *tableReuse) error {
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
		if from, ok := reuse.find(uint32(n)); ok {
			b.Copy(reuse.prev, from)
			continue
		}
		if err := dv.VisitDocValues(id, visit); err != nil {
			return fmt.Errorf("document %d: %w", n, err)
		}
	}
}

// tableReuse is the table of the generation another was copied from, and
// where the documents of the segments both share are in it.
type tableReuse struct {
	prev   *facet.Table
	ranges []docRange // ascending; the segments of the new snapshot prev covers
}

// docRange maps the document numbers [start, end) of a snapshot to
// from, from+1, … of a previous one.
type docRange struct{ start, end, from uint32 }

// planReuse returns how r's snapshot can reuse prev, the table of the
// snapshot with fingerprint prevFP: the segments whose ids both name are
// the same immutable files (deletions only grow, and the live documents
// are r's). Nil when they share none.
func planReuse(r index.IndexReader, prev *facet.Table, prevFP string) *tableReuse {
	snap, ok := r.(*scorch.IndexSnapshot)
	if !ok {
		return nil
	}
	type seg struct{ base, full uint64 }
	old := map[uint64]seg{}
	var base uint64
	for _, s := range strings.Split(prevFP, ";") {
		var id, full, live uint64
		if _, err := fmt.Sscanf(s, "%x:%d:%d", &id, &full, &live); err != nil {
			continue
		}
		old[id] = seg{base, full}
		base += full
	}
	ru := &tableReuse{prev: prev}
	base = 0
	for _, s := range snap.Segments() {
		full := uint64(s.FullSize())
		if o, ok := old[s.Id()]; ok && o.full == full && o.base+full <= uint64(prev.Docs) && base+full < math.MaxUint32 {
			ru.ranges = append(ru.ranges, docRange{uint32(base), uint32(base + full), uint32(o.base)})
		}
		base += full
	}
	if len(ru.ranges) == 0 {
		return nil
	}
	return ru
}

// find returns where document n is in the previous table, if its segment
// is shared.
func (ru *tableReuse) find(n uint32) (uint32, bool) {
	if ru == nil {
		return 0, false
	}
	i := sort.Search(len(ru.ranges), func(i int) bool { return ru.ranges[i].end > n })
	if i < len(ru.ranges) && ru.ranges[i].start <= n {
		r := ru.ranges[i]
		return r.from + n - r.start, true
	}
	return 0, false
}

// docs returns how many document numbers ru maps.
func (ru *tableReuse) docs() int {
	n := 0
	if ru != nil {
		for _, r := range ru.ranges {
			n += int(r.end - r.start)
		}
	}
	return n
}
