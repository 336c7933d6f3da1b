package eval

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/newsfind/newsfind/internal/index"
	"github.com/newsfind/newsfind/internal/index/gen"
	"github.com/newsfind/newsfind/internal/search"
)

var _ System = (*Newsfind)(nil)

// Newsfind evaluates newsfind through its real path end to end: documents
// are written as .txt article files and read back by internal/article, the
// index is built with gen.Build on disk and opened with index.Open, and
// each query's raw text goes through Index.Search exactly as the HTTP
// endpoint sends it (query parser, analysis, highlighting and facets
// included), paging 100 hits at a time.
type Newsfind struct {
	// BatchSize is passed to gen.Build; 0 means the production default.
	// It decides the index's segment layout, on which bleve's BM25 field
	// statistics, and so the ranking, depend.
	BatchSize int

	dir   string
	ix    *index.Index
	notes []string
}

// articleExt is the extension of the article files Newsfind writes; the
// article ID is the file name, so a document ID is the ID minus it.
const articleExt = ".txt"

// NewNewsfind returns a Newsfind that keeps its articles and index in dir,
// which it creates and which the caller removes.
func NewNewsfind(dir string) *Newsfind { return &Newsfind{dir: dir} }

// Name implements System.
func (n *Newsfind) Name() string {
	if n.BatchSize > 0 {
		return fmt.Sprintf("newsfind batch %d", n.BatchSize)
	}
	return "newsfind"
}

// Notes implements Noter: what the build skipped, and documents whose text
// came back from the index different from what was written.
func (n *Newsfind) Notes() []string { return n.notes }

// Index implements System. Each document becomes "<id>.txt" in the plain
// form the text reader expects: the title on the first line, a blank line,
// then the abstract as one paragraph.
func (n *Newsfind) Index(ctx context.Context, docs []Doc) error {
	articles := filepath.Join(n.dir, "articles")
	if err := os.MkdirAll(articles, 0o755); err != nil {
		return fmt.Errorf("create article folder: %w", err)
	}
	for _, d := range docs {
		text := d.Title + "\n\n" + d.Body + "\n"
		if err := os.WriteFile(filepath.Join(articles, d.ID+articleExt), []byte(text), 0o644); err != nil {
			return fmt.Errorf("write article %s: %w", d.ID, err)
		}
	}
	var skipped []string
	st, err := gen.Build(ctx, gen.Config{
		Articles:  articles,
		Index:     filepath.Join(n.dir, "index"),
		BatchSize: n.BatchSize,
		Tables:    index.WriteTables,
		Skipped:   func(path string, err error) { skipped = append(skipped, fmt.Sprintf("%s (%v)", path, err)) },
	})
	if err != nil {
		return fmt.Errorf("build newsfind index: %w", err)
	}
	if st.Indexed != len(docs) {
		n.notes = append(n.notes, fmt.Sprintf("indexed %d of %d documents; skipped: %s",
			st.Indexed, len(docs), strings.Join(skipped, ", ")))
	}
	if n.ix, err = index.Open(filepath.Join(n.dir, "index"), nil); err != nil {
		return fmt.Errorf("open newsfind index: %w", err)
	}
	return n.checkText(ctx, docs)
}

// checkText compares what the index stored for each document with what was
// written, since the article reader strips what it takes for page
// boilerplate and reads dates and bylines from the first lines: text it
// drops cannot be found, and the metrics would not say why.
func (n *Newsfind) checkText(ctx context.Context, docs []Doc) error {
	var changed []string
	for _, d := range docs {
		a, err := n.ix.Article(ctx, d.ID+articleExt)
		if errors.Is(err, search.ErrNotFound) {
			continue // skipped by the build, and noted
		}
		if err != nil {
			return fmt.Errorf("check indexed text: %w", err)
		}
		want := len(strings.Fields(d.Title)) + len(strings.Fields(d.Body))
		got := len(strings.Fields(a.Title)) + len(strings.Fields(a.Body))
		if got != want {
			changed = append(changed, fmt.Sprintf("%s (%d of %d words)", d.ID, got, want))
		}
	}
	if len(changed) > 0 {
		const show = 10
		total, more := len(changed), ""
		if total > show {
			more = fmt.Sprintf(" and %d more", len(changed)-show)
			changed = changed[:show]
		}
		n.notes = append(n.notes, fmt.Sprintf("%d documents lost or gained words between file and index: %s%s",
			total, strings.Join(changed, ", "), more))
	}
	return nil
}

// Search implements System, asking for pages of search.MaxSize hits until k
// are collected or the results run out. Like the web page, only the first
// page asks for facets.
func (n *Newsfind) Search(ctx context.Context, query string, k int) ([]string, error) {
	if k <= 0 {
		return nil, nil
	}
	size := min(k, search.MaxSize)
	var ids []string
	for page := 1; len(ids) < k; page++ {
		// A test collection judges documents, each version on its own, so
		// every version is listed: collapsed into stories, CISI's MAP is
		// 0.253 rather than 0.256 (its near-identical abstracts are judged
		// one by one).
		res, err := n.ix.Search(ctx, search.Request{Query: query, Page: page, Size: size, NoFacets: page > 1, NoCollapse: true})
		if err != nil {
			return ids, fmt.Errorf("newsfind search page %d: %w", page, err)
		}
		for _, h := range res.Hits {
			ids = append(ids, strings.TrimSuffix(h.ID, articleExt))
		}
		if len(res.Hits) < size || uint64(page*size) >= res.Total {
			break
		}
	}
	return ids[:min(k, len(ids))], nil
}

// Close implements System.
func (n *Newsfind) Close() error {
	if n.ix == nil {
		return nil
	}
	if err := n.ix.Close(); err != nil {
		return fmt.Errorf("close newsfind index: %w", err)
	}
	return nil
}
