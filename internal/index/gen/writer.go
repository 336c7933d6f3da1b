package gen

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/document"
	"github.com/newsfind/newsfind/internal/index/bands"
	"github.com/newsfind/newsfind/internal/index/schema"
)

// bandsDir is the folder of a generation that holds its articles' band
// keys (package bands).
const bandsDir = "bands"

// writer fills one new generation in batches, counting the tokens it
// indexes for the generation's BM25 statistics.
type writer struct {
	gen       string
	idx       bleve.Index
	batch     *bleve.Batch
	batchSize int
	flushed   func()          // called after each batch reaches the index
	docs      *schema.Builder // builds documents with idx's mapping
	bands     *bands.Set      // the articles' band keys, in the generation's bandsDir

	inBatch []counted     // documents of the batch being filled
	slots   chan struct{} // batches in flight
	wg      sync.WaitGroup

	mu         sync.Mutex       // guards what batches in flight update:
	stats      schema.TermStats // the generation's BM25 statistics
	statsValid bool             // false when starting from a generation without statistics
	err        error            // the first failed batch
}

// maxInFlight is how many batches bleve indexes at once, besides the one
// being filled. Two overlapped one batch's single-threaded segment build
// with the next one's analysis, but held twice the memory (peak RSS 0.55x
// with one on the synthetic 10k corpus) and, with the indexer's memory
// limit, made the GC thrash; with files read and documents built in
// parallel workers (walkPrefetched), one is as fast at 100k.
const maxInFlight = 1

// counted is a document in the current batch and the manifest record whose
// token counts it adds to.
type counted struct {
	doc *document.Document
	rec *fileRecord
}

// maxSegmentDocs caps how many articles scorch merges into one segment.
// The indexer's peak RSS beyond its capped heap is the segment files the
// last merges map in, which under scorch's default plan grow with the
// archive; capped, they do not. Synthetic 100k, back to back: default 671
// MB peak (12 segments), 50,000 575 MB (10), 25,000 493 MB (16) at the same
// speed. But a search opens a reader on each segment for each term: on a
// copy of the 100k index, 19 segments cost 17% more CPU per search than
// one, and opening readers was 12% of a search's CPU (session 7). So the
// cap is 50,000, not 12,500 as before: 100k built in 138 s instead of 167 s
// (the story look-ups and merge plans see fewer segments), 12 segments
// instead of 16, peak RSS 650 MB against 676 MB (mapped pages, not the
// indexer's own memory, which the memory limit bounds). At a million
// articles it leaves ~20-30 segments rather than ~80. It is kept in the
// generation's index_meta.json.
const maxSegmentDocs = 50_000

// scorchConfig is the configuration new generations are created with.
var scorchConfig = map[string]any{
	"scorchMergePlanOptions": map[string]any{"MaxSegmentSize": maxSegmentDocs},
}

// newWriter creates a new generation in dir: empty, or when from is set,
// starting as a copy of generation from. The copy hard-links from's segment
// files, which scorch never modifies once written, and copies only its small
// mutable files, so it costs what the index's metadata costs, not the index.
func newWriter(dir, from string) (*writer, error) {
	gen, err := newGeneration(dir)
	if err != nil {
		return nil, err
	}
	var idx bleve.Index
	var stats *schema.TermStats
	if from == "" {
		idx, err = bleve.NewUsing(gen, schema.Mapping(), bleve.Config.DefaultIndexType, bleve.Config.DefaultKVStore, scorchConfig)
		stats = &schema.TermStats{}
		if err == nil {
			err = writeVersion(gen)
		}
	} else if err = cloneGeneration(from, gen); err == nil {
		if idx, err = bleve.Open(gen); err == nil {
			stats, err = schema.ReadStats(idx)
		}
	}
	if err != nil {
		if idx != nil {
			idx.Close()
		}
		os.RemoveAll(gen)
		return nil, fmt.Errorf("new generation %s: %w", gen, err)
	}
	docs, err := schema.NewBuilder(idx.Mapping())
	var set *bands.Set
	if err == nil {
		set, err = bands.Open(filepath.Join(gen, bandsDir))
	}
	if err != nil {
		idx.Close()
		os.RemoveAll(gen)
		return nil, fmt.Errorf("new generation %s: %w", gen, err)
	}
	w := &writer{gen: gen, idx: idx, batch: idx.NewBatch(), batchSize: DefaultBatchSize, docs: docs, bands: set,
		slots: make(chan struct{}, maxInFlight), statsValid: stats != nil}
	if stats != nil {
		w.stats = *stats
	}
	return w, nil
}

// index adds or replaces a document built by w.docs; once analyzed, its
// tokens are counted into the generation's statistics and into rec.
func (w *writer) index(doc *document.Document, rec *fileRecord) error {
	if err := w.batch.IndexAdvanced(doc); err != nil {
		return fmt.Errorf("index %s: %w", doc.ID(), err)
	}
	w.inBatch = append(w.inBatch, counted{doc, rec})
	return w.flushIfFull()
}

func (w *writer) delete(id string) error {
	w.batch.Delete(id)
	return w.flushIfFull()
}

func (w *writer) flushIfFull() error {
	if w.batch.Size() < w.batchSize {
		return nil
	}
	return w.flush()
}

// flush hands the current batch to bleve and starts a new one, which is
// filled while bleve indexes the old one. Up to maxInFlight batches are
// indexed at once. Each document ID occurs in at most one batch of an
// update, so the order in which concurrent batches land does not matter.
func (w *writer) flush() error {
	if err := w.failed(); err != nil {
		return err
	}
	if w.batch.Size() == 0 {
		return nil
	}
	// A new batch rather than Reset: scorch's analysis goroutine may still
	// be reading the old batch's map when Batch returns (a race -race sees).
	batch, docs := w.batch, w.inBatch
	w.batch, w.inBatch = w.idx.NewBatch(), nil
	w.slots <- struct{}{}
	w.wg.Add(1)
	go func() {
		defer w.wg.Done()
		defer func() { <-w.slots }()
		err := w.idx.Batch(batch)
		w.mu.Lock()
		defer w.mu.Unlock()
		if err != nil {
			if w.err == nil {
				w.err = fmt.Errorf("index batch: %w", err)
			}
			return
		}
		for _, c := range docs { // analyzed now: count their tokens
			t := schema.DocTokens(c.doc)
			w.stats.Add(1, t)
			if c.rec.Tokens == nil {
				c.rec.Tokens = map[string]int64{}
			}
			for f, n := range t {
				c.rec.Tokens[f] += n
			}
		}
	}()
	if w.flushed != nil {
		w.flushed()
	}
	return nil
}

// drain waits for the batches in flight and reports the first error.
func (w *writer) drain() error {
	w.wg.Wait()
	return w.failed()
}

func (w *writer) failed() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.err
}

// forget takes what an earlier version of a file contributed out of the
// statistics; its documents are deleted or replaced separately.
func (w *writer) forget(rec fileRecord) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.stats.Add(-int64(len(rec.IDs)), rec.Tokens)
}

// commit writes the last batch and closes the generation, which persists it.
func (w *writer) commit() error {
	if err := w.flush(); err != nil {
		return err
	}
	if err := w.drain(); err != nil {
		return err
	}
	if err := errors.Join(w.bands.Flush(), w.bands.Close()); err != nil {
		return err
	}
	if w.statsValid {
		if err := w.stats.Write(w.idx); err != nil {
			return err
		}
	}
	if err := w.idx.Close(); err != nil {
		return fmt.Errorf("close generation %s: %w", w.gen, err)
	}
	return nil
}

// abandon drops an unfinished generation.
func (w *writer) abandon() {
	w.wg.Wait()
	w.idx.Close()
	w.bands.Close()
	os.RemoveAll(w.gen)
}

// cloneGeneration makes dst a copy of the generation src: segment files
// (*.zap) and runs of band keys, never written to once written, are
// hard-linked, everything else is copied but derived tables (TableSuffix),
// which the copy writes anew.
func cloneGeneration(src, dst string) error {
	return filepath.WalkDir(src, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, p)
		if err != nil {
			return err
		}
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		if strings.HasSuffix(rel, TableSuffix) {
			return nil
		}
		if strings.HasSuffix(p, ".zap") || strings.HasSuffix(p, bands.Suffix) {
			if err := os.Link(p, target); err == nil {
				return nil
			} // no hard links here (another device?): copy instead
		}
		return copyFile(p, target)
	})
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
