package index

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/blevesearch/bleve/v2"
)

// writer fills one new generation in batches.
type writer struct {
	gen       string
	idx       bleve.Index
	batch     *bleve.Batch
	batchSize int
	flushed   func() // called after each batch reaches the index
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
	if from == "" {
		idx, err = bleve.NewUsing(gen, NewMapping(), bleve.Config.DefaultIndexType, bleve.Config.DefaultKVStore, nil)
	} else if err = cloneGeneration(from, gen); err == nil {
		idx, err = bleve.Open(gen)
	}
	if err != nil {
		os.RemoveAll(gen)
		return nil, fmt.Errorf("new generation %s: %w", gen, err)
	}
	return &writer{gen: gen, idx: idx, batch: idx.NewBatch(), batchSize: DefaultBatchSize}, nil
}

func (w *writer) index(id string, doc map[string]any) error {
	if err := w.batch.Index(id, doc); err != nil {
		return fmt.Errorf("index %s: %w", id, err)
	}
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

func (w *writer) flush() error {
	if w.batch.Size() == 0 {
		return nil
	}
	if err := w.idx.Batch(w.batch); err != nil {
		return fmt.Errorf("index batch: %w", err)
	}
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
