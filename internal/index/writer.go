package index

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/document"
)

// writer fills one new generation in batches, counting the tokens it
// indexes for the generation's BM25 statistics.
type writer struct {
	gen       string
	idx       bleve.Index
	batch     *bleve.Batch
	batchSize int
	flushed   func() // called after each batch reaches the index

	stats      termStats
	statsValid bool // false when starting from a generation without statistics
	inBatch    []counted
}

// counted is a document in the current batch and the manifest record whose
// token counts it adds to.
type counted struct {
	doc *document.Document
	rec *fileRecord
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
	var stats *termStats
	if from == "" {
		idx, err = bleve.NewUsing(gen, NewMapping(), bleve.Config.DefaultIndexType, bleve.Config.DefaultKVStore, nil)
		stats = &termStats{}
	} else if err = cloneGeneration(from, gen); err == nil {
		if idx, err = bleve.Open(gen); err == nil {
			stats, err = readStats(idx)
		}
	}
	if err != nil {
		if idx != nil {
			idx.Close()
		}
		os.RemoveAll(gen)
		return nil, fmt.Errorf("new generation %s: %w", gen, err)
	}
	w := &writer{gen: gen, idx: idx, batch: idx.NewBatch(), batchSize: DefaultBatchSize, statsValid: stats != nil}
	if stats != nil {
		w.stats = *stats
	}
	return w, nil
}

// index adds or replaces a document; once analyzed, its tokens are counted
// into the generation's statistics and into rec.
func (w *writer) index(id string, data map[string]any, rec *fileRecord) error {
	doc := document.NewDocument(id)
	if err := w.idx.Mapping().MapDocument(doc, data); err != nil {
		return fmt.Errorf("index %s: %w", id, err)
	}
	if err := w.batch.IndexAdvanced(doc); err != nil {
		return fmt.Errorf("index %s: %w", id, err)
	}
	w.inBatch = append(w.inBatch, counted{doc, rec})
	return w.flushIfFull()
}

// forget takes what an earlier version of a file contributed out of the
// statistics; its documents are deleted or replaced separately.
func (w *writer) forget(rec fileRecord) {
	w.stats.add(-int64(len(rec.IDs)), rec.Tokens)
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

func (w *writer) flush() error {
	if w.batch.Size() == 0 {
		return nil
	}
	if err := w.idx.Batch(w.batch); err != nil {
		return fmt.Errorf("index batch: %w", err)
	}
	for _, c := range w.inBatch { // analyzed now: count their tokens
		t := docTokens(c.doc)
		w.stats.add(1, t)
		if c.rec.Tokens == nil {
			c.rec.Tokens = map[string]int64{}
		}
		for f, n := range t {
			c.rec.Tokens[f] += n
		}
	}
	w.inBatch = w.inBatch[:0]
	// A new batch rather than Reset: scorch's analysis goroutine may still
	// be reading the old batch's map when Batch returns (a race -race sees).
	w.batch = w.idx.NewBatch()
	if w.flushed != nil {
		w.flushed()
	}
	return nil
}

// commit writes the last batch and closes the generation, which persists it.
func (w *writer) commit() error {
	if err := w.flush(); err != nil {
		return err
	}
	if w.statsValid {
		if err := writeStats(w.idx, w.stats); err != nil {
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
	w.idx.Close()
	os.RemoveAll(w.gen)
}

// cloneGeneration makes dst a copy of the generation src: segment files
// (*.zap) are hard-linked, everything else is copied.
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
		if strings.HasSuffix(p, ".zap") {
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
