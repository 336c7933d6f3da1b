package index

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/newsfind/newsfind/internal/article"
)

// DefaultBatchSize is how many articles go into one bleve batch. Measured:
// larger batches do not index faster and multiply memory.
const DefaultBatchSize = 1000

// BuildConfig says what to index and where.
type BuildConfig struct {
	// Articles is the corpus folder; Index the index folder.
	Articles string
	Index    string
	// BatchSize defaults to DefaultBatchSize.
	BatchSize int
	// Progress, when set, is called after each batch with the stats so far.
	Progress func(Stats)
	// Skipped, when set, is called for each file that was not indexed.
	Skipped func(path string, err error)
}

// Stats counts what a build did.
type Stats struct {
	Files       int           // files seen
	Indexed     int           // articles indexed
	Skipped     int           // files reported and skipped (unreadable, unparsable)
	Unsupported int           // files with an extension no reader handles
	Bytes       int64         // article text indexed (title and body), in bytes
	Elapsed     time.Duration // wall time so far
	Generation  string        // the generation folder written
}

// Build indexes every article under cfg.Articles into a new generation of the
// index in cfg.Index and publishes it once complete. The index being served
// is not touched until the final atomic switch, so searchd keeps answering
// throughout and a failed or killed build changes nothing. One bad file is
// reported through cfg.Skipped and never stops the build.
func Build(ctx context.Context, cfg BuildConfig) (Stats, error) {
	start := time.Now()
	var st Stats
	if fi, err := os.Stat(cfg.Articles); err != nil || !fi.IsDir() {
		if err == nil {
			err = errors.New("not a folder")
		}
		return st, fmt.Errorf("articles folder %s: %w", cfg.Articles, err)
	}
	if cfg.BatchSize <= 0 {
		cfg.BatchSize = DefaultBatchSize
	}
	unlock, err := lockBuild(cfg.Index)
	if err != nil {
		return st, err
	}
	defer unlock()

	gen, err := newGeneration(cfg.Index)
	if err != nil {
		return st, err
	}
	st.Generation = gen
	idx, err := bleve.NewUsing(gen, NewMapping(), bleve.Config.DefaultIndexType, bleve.Config.DefaultKVStore, nil)
	if err != nil {
		return st, fmt.Errorf("create index %s: %w", gen, err)
	}
	abandon := func(err error) (Stats, error) {
		idx.Close()
		os.RemoveAll(gen)
		return st, err
	}

	batch := idx.NewBatch()
	flush := func() error {
		if batch.Size() == 0 {
			return nil
		}
		if err := idx.Batch(batch); err != nil {
			return fmt.Errorf("index batch: %w", err)
		}
		batch.Reset()
		st.Elapsed = time.Since(start)
		if cfg.Progress != nil {
			cfg.Progress(st)
		}
		return nil
	}
	err = article.Walk(ctx, cfg.Articles, func(f article.File) error {
		st.Files++
		switch {
		case f.Unsupported:
			st.Unsupported++
			return nil
		case f.Err != nil:
			st.Skipped++
			if cfg.Skipped != nil {
				cfg.Skipped(f.Path, f.Err)
			}
			return nil
		}
		for _, a := range f.Articles {
			if err := batch.Index(a.ID, document(a, contentHash(a))); err != nil {
				return fmt.Errorf("index %s: %w", a.ID, err)
			}
			st.Indexed++
			st.Bytes += int64(len(a.Title) + len(a.Body))
		}
		if batch.Size() >= cfg.BatchSize {
			return flush()
		}
		return nil
	})
	if err == nil {
		err = flush()
	}
	if err != nil {
		return abandon(err)
	}
	if err := idx.Close(); err != nil {
		os.RemoveAll(gen)
		return st, fmt.Errorf("close index %s: %w", gen, err)
	}
	if err := publish(cfg.Index, gen); err != nil {
		return st, err
	}
	st.Elapsed = time.Since(start)
	return st, nil
}

// contentHash identifies an article's indexed content, so a later update can
// tell a changed article from an unchanged one.
func contentHash(a article.Article) string {
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00%s\x00%s\x00%s\x00%s\x00%s", a.Title, a.Date.Format(time.RFC3339), a.Source, a.Author, a.ID, a.Body)
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// ErrBuildRunning is returned when another build holds the index folder.
var ErrBuildRunning = errors.New("another indexer is building this index")

// lockBuild takes an exclusive lock on the index folder for one build. The
// kernel drops the lock when the process dies, so a killed build never leaves
// a stale lock behind.
func lockBuild(dir string) (unlock func(), err error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("create index folder: %w", err)
	}
	f, err := os.OpenFile(filepath.Join(dir, "LOCK"), os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, fmt.Errorf("lock index folder: %w", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, fmt.Errorf("%s: %w", dir, ErrBuildRunning)
		}
		return nil, fmt.Errorf("lock index folder: %w", err)
	}
	return func() { f.Close() }, nil
}
