package search

import "context"

// MaxExportRows bounds an export: the matches an Exporter hands over for
// one request. A search matching more is cut at it, and says so.
const MaxExportRows = 10_000

// ExportRow receives the matches of an export. Start is called once,
// before any row, with the number of articles that matched (more than the
// rows to come when the export is cut at its limit); Row is called with
// each match in turn. An error from either ends the export and is
// returned by Export.
type ExportRow interface {
	Start(total uint64) error
	Row(a Article) error
}

// Exporter streams every match of a search, not one page of them: for
// downloads (CSV, JSON Lines) of a whole result. The articles it hands
// over carry the fields of a result list — ID, title, date, source,
// section, URL and the entity lists — not the body.
type Exporter interface {
	// Export runs req (its page and size do not apply) and hands out at
	// most limit of its matches, in the search's order: relevance, or by
	// date as req.Sort asks (without the recency blend or feedback of a
	// result page). It holds only the rows' ranks in memory and stops at
	// ctx's end.
	Export(ctx context.Context, req Request, limit int, out ExportRow) error
}
