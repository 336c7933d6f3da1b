package fts5

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/newsfind/newsfind/bench/internal/peer"
	"github.com/newsfind/newsfind/internal/search"
)

// Archive is a news archive as a careful SQLite user would build one to
// answer newsfind's searches, the peer of newsfind's own index in
// performance benchmarks: the articles in an ordinary table (metadata
// first, then the text), B-tree indexes for the date order, the year and
// source filters and their facets, and an external-content FTS5 index over
// title, body and source, so the text is stored once and snippets are cut
// from it. Ranking is bm25 with the title weighted as in DefaultWeights.
//
// Unlike Index, which answers ranked word lists for relevance evaluation,
// Archive answers a whole search.Request: phrases, exclusions, field terms,
// filters, sorting, paging, highlighted fragments and facet counts.
type Archive struct {
	db        *sql.DB
	batchSize int
	stop      map[string]bool
}

// Names in an Archive's database.
const (
	archiveTable = "articles"
	archiveFTS   = "articles_fts"
)

// archiveSchema creates the tables. Metadata columns come before the text
// so that reading them (for filters and facets) does not read the body.
var archiveSchema = []string{
	`CREATE TABLE articles(
		docid INTEGER PRIMARY KEY,
		id TEXT NOT NULL UNIQUE,
		date TEXT,
		year INTEGER,
		source TEXT,
		title TEXT NOT NULL,
		body TEXT NOT NULL)`,
	`CREATE INDEX articles_date ON articles(date)`,
	`CREATE INDEX articles_year_source ON articles(year, source)`,
	`CREATE INDEX articles_source_year ON articles(source, year)`,
	`CREATE VIRTUAL TABLE articles_fts USING fts5(title, body, source,
		content = 'articles', content_rowid = 'docid', tokenize = %s)`,
	// rank is bm25 with these column weights (title, body, source).
	`INSERT INTO articles_fts(articles_fts, rank) VALUES ('rank', 'bm25(%g, %g, 0)')`,
}

// Result list shape, as close to newsfind's as FTS5 allows: a highlighted
// title, one body snippet of about 200 bytes (FTS5 makes one per column),
// and the lead of the body when there is nothing to highlight.
const (
	snippetTokens   = 32
	leadBytes       = 240
	sourceFacetSize = 10
	yearFacetSize   = 30
)

// CreateArchive makes a new, empty Archive at cfg.Path; it refuses to
// overwrite an existing file. cfg.BatchSize is articles per transaction in
// Add.
func CreateArchive(ctx context.Context, cfg Config) (*Archive, error) {
	if _, err := os.Stat(cfg.Path); err == nil {
		return nil, fmt.Errorf("create fts5 archive %s: file exists", cfg.Path)
	}
	ix, err := open(ctx, cfg)
	if err != nil {
		removeDatabase(cfg.Path)
		return nil, err
	}
	tok := cfg.Tokenizer
	if tok == "" {
		tok = DefaultTokenizer
	}
	for i, stmt := range archiveSchema {
		switch i {
		case len(archiveSchema) - 2:
			stmt = fmt.Sprintf(stmt, sqlString(tok))
		case len(archiveSchema) - 1:
			stmt = fmt.Sprintf(stmt, DefaultWeights.Title, DefaultWeights.Body)
		}
		if _, err := ix.db.ExecContext(ctx, stmt); err != nil {
			ix.db.Close()
			removeDatabase(cfg.Path)
			return nil, fmt.Errorf("create fts5 archive %s: %w", cfg.Path, err)
		}
	}
	return newArchive(ix), nil
}

// OpenArchive opens an Archive that CreateArchive made.
func OpenArchive(ctx context.Context, cfg Config) (*Archive, error) {
	if _, err := os.Stat(cfg.Path); err != nil {
		return nil, fmt.Errorf("open fts5 archive: %w", err)
	}
	ix, err := open(ctx, cfg)
	if err != nil {
		return nil, err
	}
	var n int
	if err := ix.db.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_master WHERE name = ?`, archiveFTS).Scan(&n); err != nil || n == 0 {
		ix.db.Close()
		if err == nil {
			err = errors.New("no " + archiveFTS + " table: not an archive")
		}
		return nil, fmt.Errorf("open fts5 archive %s: %w", cfg.Path, err)
	}
	return newArchive(ix), nil
}

func newArchive(ix *Index) *Archive {
	return &Archive{db: ix.db, batchSize: ix.batchSize, stop: EnglishStopWords()}
}

// removeDatabase removes what a failed create wrote, so the path stays free.
func removeDatabase(path string) {
	for _, suffix := range []string{"", "-wal", "-shm"} {
		os.Remove(path + suffix) // best effort: it may not exist
	}
}

// Close closes the database.
func (a *Archive) Close() error {
	if err := a.db.Close(); err != nil {
		return fmt.Errorf("close fts5 archive: %w", err)
	}
	return nil
}

// Count returns the number of articles.
func (a *Archive) Count(ctx context.Context) (int, error) {
	var n int
	if err := a.db.QueryRowContext(ctx, `SELECT count(*) FROM `+archiveTable).Scan(&n); err != nil {
		return 0, fmt.Errorf("fts5 archive count: %w", err)
	}
	return n, nil
}

// Add stores and indexes docs, committing one transaction per batch of
// cfg.BatchSize. On error the batches committed before it stay.
func (a *Archive) Add(ctx context.Context, docs []peer.Doc) error {
	for start := 0; start < len(docs); start += a.batchSize {
		if err := a.addBatch(ctx, docs[start:min(start+a.batchSize, len(docs))]); err != nil {
			return err
		}
	}
	return nil
}

func (a *Archive) addBatch(ctx context.Context, docs []peer.Doc) (err error) {
	tx, err := a.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("fts5 archive begin: %w", err)
	}
	defer func() {
		if err != nil {
			tx.Rollback() // the error being returned says what went wrong
		}
	}()
	row, err := tx.PrepareContext(ctx, `INSERT INTO articles(id, date, year, source, title, body) VALUES (?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return fmt.Errorf("fts5 archive prepare: %w", err)
	}
	defer row.Close()
	text, err := tx.PrepareContext(ctx, `INSERT INTO articles_fts(rowid, title, body, source) VALUES (?, ?, ?, ?)`)
	if err != nil {
		return fmt.Errorf("fts5 archive prepare: %w", err)
	}
	defer text.Close()
	for _, d := range docs {
		var date, source sql.NullString
		var year sql.NullInt64
		if !d.Date.IsZero() {
			date = sql.NullString{String: d.Date.UTC().Format(time.RFC3339), Valid: true}
			year = sql.NullInt64{Int64: int64(d.Date.UTC().Year()), Valid: true}
		}
		if d.Source != "" {
			source = sql.NullString{String: d.Source, Valid: true}
		}
		res, err := row.ExecContext(ctx, d.ID, date, year, source, d.Title, d.Body)
		if err != nil {
			return fmt.Errorf("fts5 archive insert %s: %w", d.ID, err)
		}
		docid, err := res.LastInsertId()
		if err != nil {
			return fmt.Errorf("fts5 archive insert %s: %w", d.ID, err)
		}
		if _, err := text.ExecContext(ctx, docid, d.Title, d.Body, source); err != nil {
			return fmt.Errorf("fts5 archive index %s: %w", d.ID, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("fts5 archive commit: %w", err)
	}
	return nil
}

// Search answers req as newsfind's index does: search.Parse's syntax (plain
// words any of which may match, required "phrases" and field terms,
// -exclusions), the year and source filters, relevance or date order, one
// page of hits with a highlighted title and body snippet, and source and
// year facets over every match. Text with nothing to search lists articles
// newest first.
func (a *Archive) Search(ctx context.Context, req search.Request) (search.Result, error) {
	start := time.Now()
	if err := req.Validate(); err != nil {
		return search.Result{}, err
	}
	m := CompileMatch(search.Parse(req.Query), a.stop)
	sort := req.Sort
	if m.Match == "" && sort == search.SortRelevance {
		sort = search.SortNewest // nothing to rank by
	}
	q := newArchiveQuery(m, req.Filters)

	out := search.Result{Query: req.Query, Page: req.Page, Size: req.Size, Hits: []search.Hit{}}
	facets, total, err := a.facets(ctx, q)
	if err != nil {
		return search.Result{}, fmt.Errorf("fts5 archive search %q: %w", req.Query, err)
	}
	out.Total, out.Facets = total, facets
	if out.Hits, err = a.page(ctx, q, sort, req.Size, (req.Page-1)*req.Size); err != nil {
		return search.Result{}, fmt.Errorf("fts5 archive search %q: %w", req.Query, err)
	}
	out.TookMS = float64(time.Since(start).Microseconds()) / 1000
	return out, nil
}

// archiveQuery is the FROM and WHERE of one search, with their arguments.
type archiveQuery struct {
	match bool
	from  string
	where []string
	args  []any
}

func newArchiveQuery(m Match, f search.Filters) archiveQuery {
	q := archiveQuery{from: `articles a`}
	if m.Match != "" {
		// FTS5 first: it yields the matches, each joined to its row by key.
		q.match = true
		q.from = `articles_fts CROSS JOIN articles a ON a.docid = articles_fts.rowid`
		q.where = append(q.where, `articles_fts MATCH ?`)
		q.args = append(q.args, m.Match)
	} else if m.Exclude != "" {
		q.where = append(q.where, `a.docid NOT IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?)`)
		q.args = append(q.args, m.Exclude)
	}
	in := func(col string, n int) string {
		return col + " IN (" + strings.TrimSuffix(strings.Repeat("?, ", n), ", ") + ")"
	}
	if len(f.Sources) > 0 {
		q.where = append(q.where, in("a.source", len(f.Sources)))
		for _, s := range f.Sources {
			q.args = append(q.args, s)
		}
	}
	if len(f.Years) > 0 {
		q.where = append(q.where, in("a.year", len(f.Years)))
		for _, y := range f.Years {
			q.args = append(q.args, y)
		}
	}
	if !f.DateFrom.IsZero() {
		q.where = append(q.where, `a.date >= ?`)
		q.args = append(q.args, f.DateFrom.UTC().Format(time.RFC3339))
	}
	if !f.DateTo.IsZero() {
		q.where = append(q.where, `a.date < ?`) // the whole day of DateTo
		q.args = append(q.args, f.DateTo.UTC().Truncate(24*time.Hour).AddDate(0, 0, 1).Format(time.RFC3339))
	}
	return q
}

func (q archiveQuery) whereSQL() string {
	if len(q.where) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(q.where, " AND ")
}

// facets counts every match by source and year in one pass, and the total
// from the same counts.
func (a *Archive) facets(ctx context.Context, q archiveQuery) (map[string][]search.Facet, uint64, error) {
	rows, err := a.db.QueryContext(ctx, `SELECT a.source, a.year, count(*) FROM `+q.from+q.whereSQL()+` GROUP BY a.source, a.year`, q.args...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	sources, years := map[string]int{}, map[string]int{}
	var total uint64
	for rows.Next() {
		var source sql.NullString
		var year sql.NullInt64
		var n int
		if err := rows.Scan(&source, &year, &n); err != nil {
			return nil, 0, err
		}
		total += uint64(n)
		if source.Valid && source.String != "" {
			sources[source.String] += n
		}
		if year.Valid {
			years[strconv.FormatInt(year.Int64, 10)] += n
		}
	}
	if err := rows.Err(); err != nil {
		return nil, 0, err
	}
	return map[string][]search.Facet{
		"source": peer.TopFacets(sources, sourceFacetSize),
		"year":   peer.TopFacets(years, yearFacetSize),
	}, total, nil
}

// page returns one page of hits. Ranked by relevance, FTS5 orders the
// matches itself and SQLite cuts snippets for the rows of the page only.
// Ordered by date, the page's rows are chosen first and their snippets cut
// by a second query, so no snippet is made for a row that is not shown.
func (a *Archive) page(ctx context.Context, q archiveQuery, sort search.Sort, limit, offset int) ([]search.Hit, error) {
	order := map[search.Sort]string{
		search.SortRelevance: `articles_fts.rank`,
		search.SortNewest:    `a.date DESC, a.docid`,
		search.SortOldest:    `a.date ASC, a.docid`,
	}[sort]
	if !q.match {
		// Nothing to highlight: the lead of each body.
		return a.hits(ctx, `SELECT a.docid, a.id, a.title, a.date, a.source, 0, '', substr(a.body, 1, ?) FROM `+q.from+q.whereSQL()+
			` ORDER BY `+order+` LIMIT ? OFFSET ?`, append(append([]any{leadBytes}, q.args...), limit, offset)...)
	}
	cols := fmt.Sprintf(`a.docid, a.id, a.title, a.date, a.source, articles_fts.rank, `+
		`highlight(articles_fts, 0, '%[1]s', '%[2]s'), snippet(articles_fts, 1, '%[1]s', '%[2]s', '…', %[3]d)`,
		markOpen, markClose, snippetTokens)
	if sort == search.SortRelevance {
		return a.hits(ctx, `SELECT `+cols+` FROM `+q.from+q.whereSQL()+` ORDER BY `+order+` LIMIT ? OFFSET ?`,
			append(q.args, limit, offset)...)
	}
	rows, err := a.db.QueryContext(ctx, `SELECT a.docid FROM `+q.from+q.whereSQL()+` ORDER BY `+order+` LIMIT ? OFFSET ?`,
		append(q.args, limit, offset)...)
	if err != nil {
		return nil, err
	}
	var docids []any
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, err
		}
		docids = append(docids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(docids) == 0 {
		return []search.Hit{}, err
	}
	q.where = append(slices.Clone(q.where), `articles_fts.rowid IN (`+strings.TrimSuffix(strings.Repeat("?, ", len(docids)), ", ")+`)`)
	q.args = append(slices.Clone(q.args), docids...)
	return a.hits(ctx, `SELECT `+cols+` FROM `+q.from+q.whereSQL()+` ORDER BY `+order, q.args...)
}

// hits runs a query whose columns are docid, id, title, date, source, rank,
// the highlighted title and the body fragment, and makes hits of its rows.
func (a *Archive) hits(ctx context.Context, query string, args ...any) ([]search.Hit, error) {
	rows, err := a.db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []search.Hit{}
	for rows.Next() {
		var h search.Hit
		var docid int64
		var date, source sql.NullString
		var rank float64
		var title, body string
		if err := rows.Scan(&docid, &h.ID, &h.Title, &date, &source, &rank, &title, &body); err != nil {
			return nil, err
		}
		h.Score = -rank // bm25 is lower-is-better
		h.Source = source.String
		if date.Valid {
			h.Date, _ = time.Parse(time.RFC3339, date.String) // written by Add in this form
		}
		h.Fragments = map[string][]string{"title": {}, "body": {}}
		if strings.Contains(title, markOpen) {
			h.Fragments["title"] = []string{markSnippet(title)}
		}
		if body != "" {
			h.Fragments["body"] = []string{markSnippet(body)}
		}
		out = append(out, h)
	}
	return out, rows.Err()
}

// Match is a search.Query as FTS5 MATCH expressions.
type Match struct {
	// Match selects and ranks; "" when the query has nothing positive.
	Match string
	// Exclude is what a query with only exclusions removes (OR of them);
	// "" otherwise (exclusions are then inside Match).
	Exclude string
}

// flatten returns the clauses of q in order, its operators and groups
// dropped: the FTS5 peer searches a query with AND, OR, NOT or parentheses
// as its words (newsfind's operators are not translated).
func flatten(q search.Query, out []search.Clause) []search.Clause {
	for _, p := range q.Parts {
		out = flatten(p, out)
	}
	for _, c := range q.Clauses {
		if c.Group == nil {
			out = append(out, c)
			continue
		}
		for _, gc := range flatten(*c.Group, nil) {
			gc.Exclude = gc.Exclude || c.Exclude
			out = append(out, gc)
		}
	}
	return out
}

// CompileMatch translates a parsed search into FTS5 MATCH syntax with
// newsfind's meaning: plain words search title and body and any may match;
// phrases and field terms are required; exclusions remove. When required
// clauses exist the plain words only rank, as in newsfind: "req AND (words
// OR req)" selects what req selects and lets bm25 count the words. Words in
// stop (lower case) are dropped, as newsfind's analyzer drops them; a typed
// word FTS5 splits in several tokens ("Blair's") is searched as a phrase.
func CompileMatch(q search.Query, stop map[string]bool) Match {
	var words, required, excluded []string
	for _, c := range flatten(q, nil) {
		toks := strings.FieldsFunc(c.Text, isSeparator)
		if len(toks) == 0 {
			continue
		}
		col := "{title body}"
		if c.Field != "" {
			col = c.Field
		}
		// A phrase, or one typed word, which FTS5 may split in several
		// tokens: either is an FTS5 phrase (tokens quoted together).
		phrase := `"` + strings.Join(toks, " ") + `"`
		if c.Field == "" && !c.Phrase && !c.Exclude {
			if len(toks) > 1 || !stop[strings.ToLower(toks[0])] {
				words = append(words, phrase)
			}
			continue
		}
		expr := col + " : " + phrase
		if c.Exclude {
			excluded = append(excluded, expr)
		} else {
			required = append(required, expr)
		}
	}
	var m Match
	req := strings.Join(required, " AND ")
	var any string
	if len(words) > 0 {
		any = "{title body} : (" + strings.Join(words, " OR ") + ")"
	}
	switch {
	case req != "" && any != "":
		m.Match = "(" + req + ") AND (" + any + " OR " + req + ")"
	case req != "":
		m.Match = req
	default:
		m.Match = any
	}
	if len(excluded) > 0 {
		if m.Match == "" {
			m.Exclude = strings.Join(excluded, " OR ")
		} else {
			m.Match = "(" + m.Match + ") NOT (" + strings.Join(excluded, " OR ") + ")"
		}
	}
	return m
}
