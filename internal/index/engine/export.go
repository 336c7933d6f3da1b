package engine

import (
	"context"
	"fmt"

	bsearch "github.com/blevesearch/bleve/v2/search"

	"github.com/newsfind/newsfind/internal/index/schema"
	"github.com/newsfind/newsfind/internal/search"
)

// exportFields are the stored fields an export hands over.
var exportFields = []string{schema.Title, schema.Date, schema.Source,
	schema.Section, schema.URL, schema.Person, schema.Place, schema.Org}

// Export runs a validated request on g, as Search does but for every
// match: one pass ranks the best limit of them (their ranks only, in a
// heap of at most limit), then each is loaded and handed to out in turn,
// its stored fields read one article at a time.
func (g *Generation) Export(ctx context.Context, req search.Request, limit int, out search.ExportRow) error {
	parsed, _, searched, err := g.parse(ctx, req)
	if err != nil {
		return err
	}
	fail := func(err error) error { return fmt.Errorf("export %q: %w", search.Abbrev(req.Query), err) }
	var top *topHits
	var total uint64 // exact: the pass has no limit, so it counts every match
	for _, relaxed := range []bool{false, true} {
		c := compile(parsed, req.Filters, g.analyzer, relaxed, searched)
		top = &topHits{k: limit, order: hitOrder(req.Sort, c.positive), table: g.table}
		p := pass{query: c.query, everything: everything(c, req.Filters), score: c.positive, top: top}
		t, err := g.run(ctx, p)
		if err != nil {
			return fail(err)
		}
		total = t.n
		if total > 0 || !c.strict {
			break // else nothing has the exact phrase or field term: the words, as Search does
		}
	}
	if err := out.Start(total); err != nil {
		return err
	}
	for _, h := range top.sorted() {
		if err := ctx.Err(); err != nil {
			return fail(err)
		}
		if err := g.load([]*bsearch.DocumentMatch{h}, exportFields); err != nil {
			return fail(err)
		}
		a := schema.Stored(h.ID, h.Fields)
		h.Fields = nil // one article's fields at a time
		if err := out.Row(a); err != nil {
			return err
		}
	}
	return nil
}
