package engine

import (
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/mapping"
	bsearch "github.com/blevesearch/bleve/v2/search"
	index "github.com/blevesearch/bleve_index_api"

	"github.com/newsfind/newsfind/internal/analyze"
	"github.com/newsfind/newsfind/internal/index/blockmax"
	"github.com/newsfind/newsfind/internal/index/facet"
	"github.com/newsfind/newsfind/internal/index/lexicon"
	"github.com/newsfind/newsfind/internal/index/schema"
	"github.com/newsfind/newsfind/internal/index/spare"
)

// openTimeout bounds the wait for the file lock of an index generation.
const openTimeout = 5 * time.Second

// Options tune how a Generation searches. The zero value is what searchd
// runs; the fields exist so tests and benchmarks can compare the paths.
type Options struct {
	// Log receives what opening a generation did; nil discards it.
	Log *slog.Logger
	// NoPhraseProbe checks the phrase bonus with bleve's phrase searcher
	// instead of a phraseProbe (see phraseProbe).
	NoPhraseProbe bool
	// NoPairs finds the articles holding a phrase's common pairs by the
	// words' positions alone, as in a generation without a pairs field
	// (see pairGates).
	NoPairs bool
	// NoPairMaxima bounds a phrase's articles by its words' block maxima
	// alone, not by those over the articles holding its pairs (see
	// pairMaxima).
	NoPairMaxima bool
	// NoEstimate counts a quoted phrase's holders one by one up to
	// ExactCount however many articles hold it, rather than estimating
	// them from a sample of the articles with all its words (see
	// bm25Searcher.candidates).
	NoEstimate bool
	// NoDateFirst ranks a search sorted by date, or a browse of filters,
	// through every match, instead of only those dated among the page's
	// newest (see dateFirst and browse).
	NoDateFirst bool
	// FeedbackMinWords is how many distinct plain words a search needs to
	// be expanded by pseudo-relevance feedback (see rescore); 0 means
	// defaultFeedbackMinWords.
	FeedbackMinWords int
	// RerankWindow is how many of the best matches a recency blend or
	// feedback re-ranks; 0 means defaultRerankWindow.
	RerankWindow int
	// TablesFrom is the folder of the generation this one was copied
	// from, if any: without a facet table file of its own, the table is
	// derived from that generation's (see facet.Open).
	TablesFrom string
	// ExactCount is how many matches a search counts exactly, with their
	// facets, unless its request asks for all; 0 means defaultExactCount.
	ExactCount int
	// FacetSample is how many matches, spread over all, a search of words
	// past ExactCount counts the facets of; 0: facet.DefaultSample.
	FacetSample int
	// ReadingDocValues, when set, is called as opening reads the doc
	// values of the index (to build the facet table, with the stories):
	// tests check that a generation with its table file reads none.
	ReadingDocValues func()
	// SkippedBlocks, when set, is given how many blocks of articles each
	// pass of a search skipped by their block maxima (see impacts.go).
	SkippedBlocks func(n int)
	// Scored, when set, is given how many articles each ranked pass of a
	// search scored (those its skipping did not pass over).
	Scored func(n int)
	// Dropped, when set, is given how many words being typed each ranked
	// pass of a search stopped reading the expansions of (see
	// bm25Searcher.dropExpansions).
	Dropped func(n int)
	// Heaped, when set, is given how many times each ranked pass of a
	// search set a heap of its clauses up (see bm25Searcher.next);
	// NoHeap walks them one by one however many they are.
	Heaped func(n int)
	NoHeap bool
	// NoPruning scores every match in full, skipping none that could not
	// enter the page: what pruning must not change (tests compare).
	NoPruning bool
	// Cores, when set, counts the searches running on the process's
	// cores, shared by all its generations: a search that finds a core
	// spare ranks half of its matches there (see split.go). nil splits
	// nothing.
	Cores *spare.Cores
	// SplitMin is how many matches a ranking pass needs before it takes a
	// spare core; 0 means defaultSplitMin.
	SplitMin int
}

// Generation is one index generation opened for searching: its bleve
// index, one reader on its snapshot (a read-only generation never changes,
// so document numbers stay those of the facet table), its BM25 statistics
// and its facet table. It is safe for concurrent searches; Close must wait
// for them (package index holds a generation for each search).
type Generation struct {
	path     string
	idx      bleve.Index
	reader   index.IndexReader
	analyzer analysis.Analyzer
	bm25     *bsearch.BM25Stats // nil: bleve's own estimates
	table    *facet.Table
	// segments are those of the reader's snapshot: the table's document
	// numbers are theirs.
	segments []facet.Segment
	// bases are the number of each segment's first document.
	bases   []uint64
	stories *facet.Stories
	// impacts are the block maxima of common stems, nil when the
	// generation has none (see WriteImpacts).
	impacts *blockmax.Table
	// lex is the generation's lexicon, nil when its folder has none
	// written for its snapshot: prefixes then walk the dictionaries.
	lex *lexicon.Lexicon
	// pairs is the analyzer of the pairs field (see schema.Pairs), nil
	// when the generation has none (built before it existed).
	pairs  analysis.Analyzer
	counts sync.Pool // *facet.Counts sized for table, for reuse
	// live is the table's live documents as a bitmap, made on first use
	// (see liveSet).
	liveOnce sync.Once
	live     *roaring.Bitmap
	opts     Options
}

// liveSet returns the generation's live documents as a bitmap; callers
// must not change it.
func (g *Generation) liveSet() *roaring.Bitmap {
	g.liveOnce.Do(func() {
		g.live = roaring.BitmapOf(g.table.Live...)
		g.live.RunOptimize()
	})
	return g.live
}

// Open opens the generation at path read-only and builds what searching
// it needs: its statistics and its facet table.
func Open(path string, opts Options) (*Generation, error) {
	if opts.Log == nil {
		opts.Log = slog.New(slog.DiscardHandler)
	}
	if opts.FeedbackMinWords <= 0 {
		opts.FeedbackMinWords = defaultFeedbackMinWords
	}
	if opts.RerankWindow <= 0 {
		opts.RerankWindow = defaultRerankWindow
	}
	if opts.SplitMin <= 0 {
		opts.SplitMin = defaultSplitMin
	}
	if opts.ExactCount <= 0 {
		opts.ExactCount = defaultExactCount
	}
	idx, err := bleve.OpenUsing(path, map[string]any{
		"read_only":    true,
		"bolt_timeout": openTimeout.String(),
	})
	if err != nil {
		return nil, fmt.Errorf("open index %s (is another process holding it?): %w", path, err)
	}
	g := &Generation{path: path, idx: idx, opts: opts}
	if g.analyzer = schema.Mapping().AnalyzerNamed(analyze.Analyzer); g.analyzer == nil {
		idx.Close()
		return nil, fmt.Errorf("open generation %s: no analyzer %q", path, analyze.Analyzer)
	}
	if im, ok := idx.Mapping().(*mapping.IndexMappingImpl); ok && !opts.NoPairs && im.DefaultMapping != nil && im.DefaultMapping.Properties[schema.Pairs] != nil {
		g.pairs = im.AnalyzerNamed(im.AnalyzerNameForPath(schema.Pairs))
	}
	if err := g.prepare(); err != nil {
		idx.Close()
		return nil, fmt.Errorf("open generation %s: %w", path, err)
	}
	return g, nil
}

// prepare reads the statistics and the facet table (with the stories) of
// g's index.
func (g *Generation) prepare() error {
	st, err := schema.ReadStats(g.idx)
	if err != nil {
		g.opts.Log.Warn("index statistics unreadable; using bleve's estimates", "err", err)
	}
	g.bm25 = bm25Statistics(st)
	adv, err := g.idx.Advanced()
	if err != nil {
		return err
	}
	if g.reader, err = adv.Reader(); err != nil {
		return err
	}
	g.segments = segments(g.reader)
	var base uint64
	for _, s := range g.segments {
		g.bases = append(g.bases, base)
		base += s.Docs
	}
	g.table, err = facet.Open(g.path, g.segments, g.opts.TablesFrom, g.opts.Log, func(ru *facet.Reuse) (*facet.Table, error) {
		if g.opts.ReadingDocValues != nil {
			g.opts.ReadingDocValues()
		}
		return buildFacetTable(g.reader, ru)
	})
	if err != nil {
		g.reader.Close()
		return err
	}
	g.stories = g.table.Stories()
	g.impacts = g.readImpacts()
	g.lex = g.readLexicon()
	return nil
}

// Fingerprint identifies the snapshot of the index g serves: files
// derived from it (its facet table, the suggestion lists) are written for
// it.
func (g *Generation) Fingerprint() string { return facet.Fingerprint(g.segments) }

// bm25Statistics returns the statistics bleve's BM25 scorer takes in place
// of its own estimates: every field a query may score on must be present.
// Keyword fields hold one token per article.
func bm25Statistics(s *schema.TermStats) *bsearch.BM25Stats {
	if s == nil || s.Docs <= 0 {
		return nil
	}
	card := map[string]int{}
	for _, f := range schema.KeywordFields {
		card[f] = int(s.Docs) // filters: their scores are the same for every match
	}
	for _, f := range schema.CountedFields {
		card[f] = int(max(s.Tokens[f], 1))
	}
	return &bsearch.BM25Stats{DocCount: float64(s.Docs), FieldCardinality: card}
}

// Path returns the generation's folder.
func (g *Generation) Path() string { return g.path }

// Count returns the number of articles in the generation.
func (g *Generation) Count() (uint64, error) { return g.idx.DocCount() }

// Close closes the generation, and the mapped files of its facet table
// and block maxima. The caller makes sure no search is running on it.
func (g *Generation) Close() error {
	return errors.Join(g.impacts.Close(), g.table.Close(), g.lex.Close(), g.reader.Close(), g.idx.Close())
}

// newCounts returns zeroed facet counts for g's table.
func (g *Generation) newCounts() *facet.Counts {
	c, ok := g.counts.Get().(*facet.Counts)
	if !ok {
		return facet.NewCounts(g.table)
	}
	c.Clear()
	return c
}

// putCounts hands counts back for reuse once read.
func (g *Generation) putCounts(c *facet.Counts) {
	if c != nil {
		g.counts.Put(c)
	}
}

// Terms calls fn with each term of field, in byte order, and the number of
// articles holding it (deleted ones included until segments merge). In a
// field without positions the number can be wrong: zapx v16's dictionary
// iterator keeps a "1-hit" term's count for the terms after it in a merged
// segment (its PostingsList is reused without being reset), so read those
// counts through postings instead.
func (g *Generation) Terms(field string, fn func(term string, docs uint64)) error {
	dict, err := g.reader.FieldDict(field)
	if err != nil {
		return fmt.Errorf("terms of %s: %w", field, err)
	}
	defer dict.Close()
	for {
		e, err := dict.Next()
		if err != nil || e == nil {
			return err
		}
		fn(e.Term, e.Count)
	}
}

// Facets returns the generation's facet table.
func (g *Generation) Facets() *facet.Table { return g.table }
