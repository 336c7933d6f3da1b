// Package corpus keeps an articles folder and its index in step: it saves
// articles sent to the API into the folder, watches the folder for files
// that arrive, change or go, and updates the index for each change. The
// folder is the source of truth: an article is written there before it is
// indexed, so a crash can delay it but never lose it.
package corpus

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/newsfind/newsfind/internal/article"
	"github.com/newsfind/newsfind/internal/index"
	"github.com/newsfind/newsfind/internal/search"
)

// ErrExists is returned when a different article already has the name.
var ErrExists = fmt.Errorf("a different article already has this name: %w", search.ErrConflict)

// ErrRebuildRunning is returned when a full rebuild is already under way.
var ErrRebuildRunning = fmt.Errorf("a rebuild is already running: %w", search.ErrConflict)

// Config says which folder and index to keep in step.
type Config struct {
	Articles string
	Index    string
	Log      *slog.Logger
	// Published is called after each update that published a new
	// generation, e.g. to make a serving index swap to it at once.
	Published func() error
}

// Corpus is an articles folder and the index kept up to date with it. It is
// safe for concurrent use; updates run one at a time (across processes too,
// through the index folder's lock).
type Corpus struct {
	cfg Config
	mu  sync.Mutex // serializes updates in this process

	statusMu sync.Mutex
	status   search.UpdateStatus
}

// New returns a Corpus for cfg.
func New(cfg Config) *Corpus {
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	return &Corpus{cfg: cfg}
}

// Status returns what the latest updates did.
func (c *Corpus) Status() search.UpdateStatus {
	c.statusMu.Lock()
	defer c.statusMu.Unlock()
	return c.status
}

// Update brings the index up to date with the named files (slash-separated,
// relative to the articles folder), or with the whole folder when paths is
// nil, and reports what it did.
func (c *Corpus) Update(ctx context.Context, paths []string) (search.UpdateStats, error) {
	return c.update(ctx, index.BuildConfig{Paths: paths})
}

// rebuild rebuilds the index from scratch in a new generation, searches
// going on against the old one until it is published. The caller has
// marked the rebuild in the status; rebuild clears it when done.
func (c *Corpus) rebuild(ctx context.Context) {
	defer func() {
		c.statusMu.Lock()
		c.status.Rebuild = nil
		c.statusMu.Unlock()
	}()
	_, err := c.update(ctx, index.BuildConfig{Full: true, Progress: func(st search.UpdateStats) {
		c.statusMu.Lock()
		c.status.Rebuild = &st
		c.statusMu.Unlock()
	}})
	if err != nil {
		c.cfg.Log.Error("rebuild failed", "err", err)
	}
}

func (c *Corpus) update(ctx context.Context, cfg index.BuildConfig) (search.UpdateStats, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	cfg.Articles, cfg.Index = c.cfg.Articles, c.cfg.Index
	cfg.Skipped = func(p string, err error) {
		c.cfg.Log.Warn("article skipped", "path", p, "err", err)
	}
	st, err := index.Update(ctx, cfg)
	if err == nil && st.Generation != "" && c.cfg.Published != nil {
		err = c.cfg.Published()
	}
	c.statusMu.Lock()
	c.status.LastUpdate = time.Now().UTC()
	c.status.LastStats = &st
	c.status.LastError = ""
	if err != nil {
		c.status.LastError = err.Error()
	}
	c.statusMu.Unlock()
	if err != nil {
		return st, fmt.Errorf("update index: %w", err)
	}
	if st.Generation != "" {
		c.cfg.Log.Info("index updated", "full", st.Full, "added", st.Added, "updated", st.Updated,
			"deleted", st.Deleted, "skipped", st.Skipped, "seconds", st.Elapsed.Seconds(), "generation", filepath.Base(st.Generation))
	}
	return st, nil
}

// Add saves an article file under name (a slash-separated path relative to
// the articles folder, with an extension the readers know) and indexes it.
// When it returns without error, the article is searchable. Saving the same
// bytes again is a no-op; different bytes under an existing name are
// refused with ErrExists, never overwritten. Data that does not parse as an
// article is refused before anything is written. When the file was saved
// but could not be indexed (another update held the index until ctx was
// done), Add returns its articles and an error wrapping search.ErrPending.
func (c *Corpus) Add(ctx context.Context, name string, data []byte) ([]search.Article, error) {
	name, err := cleanName(name)
	if err != nil {
		return nil, err
	}
	arts, err := article.Parse(name, data)
	if err != nil {
		return nil, search.Invalid("%v", err)
	}
	if err := c.write(name, data); err != nil {
		return nil, err
	}
	st, err := c.Update(ctx, []string{name})
	if err != nil {
		c.cfg.Log.Warn("article saved but not indexed yet", "path", name, "err", err)
		return arts, fmt.Errorf("%s: %w (%v); the next update indexes it", name, search.ErrPending, err)
	}
	if st.Skipped > 0 {
		return nil, fmt.Errorf("saved %s, but the indexer skipped it", name)
	}
	return arts, nil
}

// Delete removes the article file with the given ID from the folder and
// the index.
func (c *Corpus) Delete(ctx context.Context, id string) error {
	name, err := cleanName(id)
	if err != nil {
		if strings.Contains(id, "#") {
			return search.Invalid("%s is one line of a multi-article file; edit or delete the file itself", id)
		}
		return err
	}
	p := filepath.Join(c.cfg.Articles, filepath.FromSlash(name))
	if err := os.Remove(p); errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("article %s: %w", id, search.ErrNotFound)
	} else if err != nil {
		return fmt.Errorf("delete %s: %w", id, err)
	}
	_, err = c.Update(ctx, []string{name})
	return err
}

// cleanName checks that name is a file path the corpus may hold: relative,
// inside the folder, not hidden, with a known extension.
func cleanName(name string) (string, error) {
	clean := path.Clean(strings.TrimPrefix(filepath.ToSlash(name), "./"))
	switch {
	case name == "" || clean == ".":
		return "", search.Invalid("a file name is required (e.g. filename=2024/my-article.txt)")
	case !filepath.IsLocal(filepath.FromSlash(clean)) || strings.HasPrefix(name, "/"):
		return "", search.Invalid("file name %q must be a relative path inside the articles folder", name)
	case !article.Listed(clean):
		return "", search.Invalid("file name %q is hidden or temporary and would never be indexed", name)
	case !article.Supported(clean):
		return "", search.Invalid("file name %q has an extension no reader handles", name)
	}
	return clean, nil
}

// write stores data under name atomically and without overwriting: it
// writes a hidden temporary file, syncs it, then hard-links it into place,
// which fails if the name exists. Readers never see a partial file.
func (c *Corpus) write(name string, data []byte) error {
	final := filepath.Join(c.cfg.Articles, filepath.FromSlash(name))
	if old, err := os.ReadFile(final); err == nil {
		if bytes.Equal(old, data) {
			return nil
		}
		return fmt.Errorf("%s: %w", name, ErrExists)
	}
	dir := filepath.Dir(final)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("save %s: %w", name, err)
	}
	var rnd [8]byte
	rand.Read(rnd[:])
	tmp := filepath.Join(dir, "."+filepath.Base(final)+"."+hex.EncodeToString(rnd[:])+".tmp")
	f, err := os.OpenFile(tmp, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644)
	if err != nil {
		return fmt.Errorf("save %s: %w", name, err)
	}
	defer os.Remove(tmp)
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("save %s: %w", name, err)
	}
	if err := os.Link(tmp, final); err != nil {
		if errors.Is(err, fs.ErrExist) {
			if old, rerr := os.ReadFile(final); rerr == nil && bytes.Equal(old, data) {
				return nil // the same article won a race with us
			}
			return fmt.Errorf("%s: %w", name, ErrExists)
		}
		return fmt.Errorf("save %s: %w", name, err)
	}
	if d, err := os.Open(dir); err == nil {
		d.Sync() // make the new name durable; best effort
		d.Close()
	}
	return nil
}

// StartRebuild begins a full rebuild in the background and returns at once;
// Status reports its progress. Only one rebuild runs at a time.
func (c *Corpus) StartRebuild() error {
	c.statusMu.Lock()
	if c.status.Rebuild != nil {
		c.statusMu.Unlock()
		return ErrRebuildRunning
	}
	c.status.Rebuild = &search.UpdateStats{Full: true}
	c.statusMu.Unlock()
	go c.rebuild(context.Background())
	return nil
}
