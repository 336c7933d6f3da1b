package index

import (
	"context"
	"fmt"

	"github.com/newsfind/newsfind/internal/search"
)

var _ search.Exporter = (*Index)(nil)

// Export hands out up to limit matches of req, from the served generation
// (see search.Exporter); never from or into the result cache. The
// generation stays served to it until it returns.
func (ix *Index) Export(ctx context.Context, req search.Request, limit int, out search.ExportRow) error {
	if err := req.Validate(); err != nil {
		return err
	}
	if limit < 1 || limit > search.MaxExportRows {
		return search.Invalid("an export holds 1 to %d rows, not %d", search.MaxExportRows, limit)
	}
	g, err := ix.acquire()
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	defer g.release()
	return g.eng.Export(ctx, req, limit, out)
}
