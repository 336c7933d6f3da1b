// Package fts5 is a reference search engine built on SQLite's FTS5 full-text
// index with bm25 ranking: the "what would a plain database give us" peer
// that newsfind's ranking quality (internal/eval) and speed are measured
// against. It is not used to serve searches.
//
// It uses github.com/mattn/go-sqlite3, which compiles SQLite with cgo. FTS5
// is compiled in only with the build tag sqlite_fts5 (the Makefile passes
// -tags sqlite_fts5 wherever it builds or tests this module). Without the tag the package still builds, and
// Create and Open fail with an error wrapping ErrNoFTS5.
package fts5

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"html"
	"os"
	"strings"
	"time"

	_ "github.com/mattn/go-sqlite3" // registers the "sqlite3" database/sql driver

	"github.com/newsfind/newsfind/bench/internal/peer"
)

// ErrNoFTS5 means the SQLite linked into this binary has no FTS5 (it was
// built without -tags sqlite_fts5) or no SQLite at all (built without cgo).
var ErrNoFTS5 = errors.New("SQLite FTS5 unavailable: built without -tags sqlite_fts5 (or without cgo)")

// Defaults for Config and Query.
const (
	// DefaultTokenizer stems English words (porter) over Unicode-aware
	// word splitting with case and diacritics folded (unicode61).
	DefaultTokenizer = "porter unicode61"
	// DefaultBatchSize is how many documents go into one transaction.
	DefaultBatchSize = 1000
)

// DefaultWeights are the bm25 column weights: a title word counts twice a
// body word. On CISI (cmd/eval -sweep: title weights 0.5 to 10 against body
// 1, with and without stop words) every weight from 1 to 10 scores within
// 0.005 MAP and nDCG@10 of the others, so 2 is kept as the conventional
// choice; 0.5 is measurably worse. FTS5's bm25 sums weighted term counts
// before saturating them, which makes it insensitive to the weight.
var DefaultWeights = Weights{Title: 2, Body: 1}

// table is the name of the FTS5 table. Its columns, in this order, are the
// ones bm25() takes weights for.
const table = "docs"

// Config says where the database lives and how it tokenizes.
type Config struct {
	// Path is the SQLite database file.
	Path string
	// Tokenizer is an FTS5 tokenize= value; DefaultTokenizer when empty.
	Tokenizer string
	// BatchSize is documents per transaction in Add; DefaultBatchSize
	// when 0.
	BatchSize int
}

// Weights are bm25 column weights: how much a match in each field counts.
type Weights struct {
	Title float64 `json:"title"`
	Body  float64 `json:"body"`
}

// Query is one search.
type Query struct {
	// Text is what a person typed. Any text is valid: see MatchExpr.
	Text string
	// Limit is the maximum number of hits; 10 when 0.
	Limit int
	// Weights are the bm25 weights; DefaultWeights when zero.
	Weights Weights
	// StopWords, when set, are words (lower case) dropped from Text before
	// matching, e.g. EnglishStopWords(). FTS5 has no stop-word list of its
	// own: every word of a question counts, "what" and "the" included.
	StopWords map[string]bool
	// Snippets asks for a highlighted passage per hit. It costs time in
	// proportion to Limit.
	Snippets bool
}

// Index is an FTS5 database of documents. It is safe for concurrent use by
// several goroutines (database/sql pools connections).
type Index struct {
	db        *sql.DB
	batchSize int
}

// Create makes a new database at cfg.Path with an empty FTS5 table. It
// refuses to overwrite an existing file.
func Create(ctx context.Context, cfg Config) (*Index, error) {
	if _, err := os.Stat(cfg.Path); err == nil {
		return nil, fmt.Errorf("create fts5 database %s: file exists", cfg.Path)
	}
	// Remove what a failed Create wrote, so the path stays free.
	cleanup := func() {
		for _, suffix := range []string{"", "-wal", "-shm"} {
			os.Remove(cfg.Path + suffix) // best effort: it may not exist
		}
	}
	ix, err := open(ctx, cfg)
	if err != nil {
		cleanup()
		return nil, err
	}
	tok := cfg.Tokenizer
	if tok == "" {
		tok = DefaultTokenizer
	}
	ddl := fmt.Sprintf(`CREATE VIRTUAL TABLE %s USING fts5(
		id UNINDEXED, title, body, date UNINDEXED, source UNINDEXED,
		tokenize = %s)`, table, sqlString(tok))
	if _, err := ix.db.ExecContext(ctx, ddl); err != nil {
		ix.db.Close()
		cleanup()
		return nil, fmt.Errorf("create fts5 table in %s: %w", cfg.Path, err)
	}
	return ix, nil
}

// Open opens a database that Create made.
func Open(ctx context.Context, cfg Config) (*Index, error) {
	if _, err := os.Stat(cfg.Path); err != nil {
		return nil, fmt.Errorf("open fts5 database: %w", err)
	}
	return open(ctx, cfg)
}

func open(ctx context.Context, cfg Config) (*Index, error) {
	// WAL and synchronous=NORMAL: durable enough for a peer benchmark and
	// the settings a real deployment would choose for bulk loading.
	dsn := "file:" + cfg.Path + "?_journal_mode=WAL&_synchronous=NORMAL"
	db, err := sql.Open("sqlite3", dsn)
	if err != nil {
		return nil, fmt.Errorf("open fts5 database %s: %w", cfg.Path, err)
	}
	var hasFTS5 bool
	if err := db.QueryRowContext(ctx, `SELECT sqlite_compileoption_used('ENABLE_FTS5')`).Scan(&hasFTS5); err != nil {
		db.Close()
		return nil, fmt.Errorf("open fts5 database %s: %w (%w)", cfg.Path, ErrNoFTS5, err)
	}
	if !hasFTS5 {
		db.Close()
		return nil, fmt.Errorf("open fts5 database %s: %w", cfg.Path, ErrNoFTS5)
	}
	n := cfg.BatchSize
	if n <= 0 {
		n = DefaultBatchSize
	}
	return &Index{db: db, batchSize: n}, nil
}

// Close closes the database.
func (ix *Index) Close() error {
	if err := ix.db.Close(); err != nil {
		return fmt.Errorf("close fts5 database: %w", err)
	}
	return nil
}

// Add indexes docs, committing one transaction per batch. On error the
// batches committed before it stay in the index.
func (ix *Index) Add(ctx context.Context, docs []peer.Doc) error {
	for start := 0; start < len(docs); start += ix.batchSize {
		end := min(start+ix.batchSize, len(docs))
		if err := ix.addBatch(ctx, docs[start:end]); err != nil {
			return err
		}
	}
	return nil
}

func (ix *Index) addBatch(ctx context.Context, docs []peer.Doc) (err error) {
	tx, err := ix.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("fts5 begin: %w", err)
	}
	defer func() {
		if err != nil {
			tx.Rollback() // the error being returned says what went wrong
		}
	}()
	stmt, err := tx.PrepareContext(ctx, `INSERT INTO `+table+`(id, title, body, date, source) VALUES (?, ?, ?, ?, ?)`)
	if err != nil {
		return fmt.Errorf("fts5 prepare insert: %w", err)
	}
	defer stmt.Close()
	for _, d := range docs {
		var date string
		if !d.Date.IsZero() {
			date = d.Date.UTC().Format(time.RFC3339)
		}
		if _, err := stmt.ExecContext(ctx, d.ID, d.Title, d.Body, date, d.Source); err != nil {
			return fmt.Errorf("fts5 insert %s: %w", d.ID, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("fts5 commit: %w", err)
	}
	return nil
}

// Optimize merges the index's b-trees into one, which makes queries after a
// bulk load faster. It is optional.
func (ix *Index) Optimize(ctx context.Context) error {
	if _, err := ix.db.ExecContext(ctx, `INSERT INTO `+table+`(`+table+`) VALUES ('optimize')`); err != nil {
		return fmt.Errorf("fts5 optimize: %w", err)
	}
	return nil
}

// Snippet markers: control characters that never survive HTML escaping
// unchanged, replaced by <mark> tags after escaping.
const (
	markOpen  = "\x02"
	markClose = "\x03"
)

// Search returns the best hits for q, best first. Text with no searchable
// words (only punctuation, or only stop words) has no hits.
func (ix *Index) Search(ctx context.Context, q Query) ([]peer.Hit, error) {
	expr := MatchExpr(q.Text, q.StopWords)
	if expr == "" {
		return nil, nil
	}
	limit := q.Limit
	if limit <= 0 {
		limit = 10
	}
	w := q.Weights
	if w == (Weights{}) {
		w = DefaultWeights
	}
	snippet := "''"
	if q.Snippets {
		snippet = fmt.Sprintf("snippet(%s, -1, '%s', '%s', '…', 16)", table, markOpen, markClose)
	}
	// bm25() is lower-is-better with one weight per column, unindexed
	// ones included. Ties go to the lower id, for a stable order.
	sqlText := fmt.Sprintf(`SELECT id, bm25(%[1]s, 0, %[2]g, %[3]g, 0, 0) AS score, %[4]s
		FROM %[1]s WHERE %[1]s MATCH ? ORDER BY score, id LIMIT ?`, table, w.Title, w.Body, snippet)
	rows, err := ix.db.QueryContext(ctx, sqlText, expr, limit)
	if err != nil {
		return nil, fmt.Errorf("fts5 search %q: %w", expr, err)
	}
	defer rows.Close()
	var hits []peer.Hit
	for rows.Next() {
		var h peer.Hit
		var snip string
		if err := rows.Scan(&h.ID, &h.Score, &snip); err != nil {
			return nil, fmt.Errorf("fts5 search %q: %w", expr, err)
		}
		h.Score = -h.Score // higher is better, as peer.Hit says
		if q.Snippets {
			h.Snippet = markSnippet(snip)
		}
		hits = append(hits, h)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("fts5 search %q: %w", expr, err)
	}
	return hits, nil
}

// markSnippet HTML-escapes an FTS5 snippet and turns its markers into
// <mark> tags.
func markSnippet(s string) string {
	s = html.EscapeString(s)
	return strings.NewReplacer(markOpen, "<mark>", markClose, "</mark>").Replace(s)
}

// sqlString quotes s as an SQL string literal.
func sqlString(s string) string {
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}
