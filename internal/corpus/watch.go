package corpus

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/fsnotify/fsnotify"
	"github.com/newsfind/newsfind/internal/article"
)

// Debouncing of file events: an update starts once the folder has been
// quiet for watchQuiet, or watchMaxDelay after the first event of a burst,
// whichever comes first. Copying 1,000 files in at once is then one or a few
// updates, not 1,000, and a new file is searchable within about a second.
const (
	watchQuiet    = 200 * time.Millisecond
	watchMaxDelay = time.Second
)

// Watch keeps the index up to date with the articles folder until ctx is
// done: it first catches up with changes made while nobody watched, then
// updates the index for each burst of created, changed, moved or deleted
// files. Folders created later are watched too. Update errors are logged and
// the paths retried with the next burst; a lost event queue (overflow) is
// recovered by a full scan. Close stops it too; after Close it returns
// ErrClosed.
func (c *Corpus) Watch(ctx context.Context) error {
	ctx, done, err := c.begin(ctx)
	if err != nil {
		return err
	}
	defer done()
	w, err := fsnotify.NewWatcher()
	if err != nil {
		return fmt.Errorf("watch %s: %w", c.cfg.Articles, err)
	}
	defer w.Close()
	if err := c.watchTree(w, c.cfg.Articles, nil); err != nil {
		return err
	}
	if _, err := c.Scan(ctx); err != nil {
		c.cfg.Log.Error("catch-up update failed", "err", err)
	}
	c.cfg.Log.Info("watching for new articles", "folder", c.cfg.Articles)

	pending := map[string]bool{}
	fullScan := false
	var quiet, deadline <-chan time.Time // nil until a burst starts
	for {
		select {
		case <-ctx.Done():
			return nil
		case ev, ok := <-w.Events:
			if !ok {
				return nil
			}
			c.statusMu.Lock()
			c.status.Totals.WatchEvents++
			c.statusMu.Unlock()
			// A file the reader ignores (an editor's swap file, .DS_Store)
			// starts no burst: at a million files, a scan it set off would
			// walk the whole archive for nothing.
			if c.noteEvent(w, ev, pending) {
				if deadline == nil {
					deadline = c.cfg.hooks.after(watchMaxDelay)
				}
				quiet = c.cfg.hooks.after(watchQuiet)
			}
			if c.cfg.hooks.event != nil {
				c.cfg.hooks.event(ev)
			}
			continue
		case err, ok := <-w.Errors:
			if !ok {
				return nil
			}
			c.cfg.Log.Warn("watch error", "err", err)
			if !errors.Is(err, fsnotify.ErrEventOverflow) {
				continue
			}
			fullScan = true // events were lost: look at everything
		case <-quiet:
		case <-deadline:
		}
		// The whole folder only when asked for; else the files noted, if any.
		var err error
		if fullScan {
			_, err = c.Scan(ctx)
		} else {
			_, err = c.Update(ctx, slices.Collect(maps.Keys(pending)))
		}
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			c.cfg.Log.Error("update after file changes; will retry", "files", len(pending), "err", err)
			quiet, deadline = nil, c.cfg.hooks.after(watchMaxDelay) // keep pending
			continue
		}
		clear(pending)
		fullScan = false
		quiet, deadline = nil, nil
	}
}

// noteEvent records the path an event is about, and reports whether it
// did: not for files the reader ignores. A new folder is watched at once,
// and the files copied into it before the watch was in place are recorded
// too.
func (c *Corpus) noteEvent(w *fsnotify.Watcher, ev fsnotify.Event, pending map[string]bool) bool {
	rel, ok := c.relative(ev.Name)
	if !ok {
		return false
	}
	pending[rel] = true
	if !ev.Has(fsnotify.Create) {
		return true
	}
	err := c.watchTree(w, ev.Name, func(f string) { pending[f] = true })
	if err != nil {
		c.cfg.Log.Warn("watch new folder", "path", rel, "err", err)
	}
	return true
}

// relative returns the watched path as a corpus-relative slash path, and
// false for the folder itself and for files the reader would ignore.
func (c *Corpus) relative(name string) (string, bool) {
	rel, err := filepath.Rel(c.cfg.Articles, name)
	if err != nil || rel == "." || !filepath.IsLocal(rel) {
		return "", false
	}
	rel = filepath.ToSlash(rel)
	return rel, article.Listed(rel)
}

// watchTree adds watches on root and every folder below it that the reader
// would visit (not past article.MaxDepth: a deeper folder is skipped with a
// message, so nested folders cannot use up the inotify watches), and, when found is set, passes it each file (corpus-relative).
func (c *Corpus) watchTree(w *fsnotify.Watcher, root string, found func(string)) error {
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == root && errors.Is(err, fs.ErrNotExist) {
				return nil // gone again already
			}
			return err
		}
		if p != root {
			if _, ok := c.relative(p); !ok {
				if d.IsDir() {
					return filepath.SkipDir
				}
				return nil
			}
		}
		if d.IsDir() {
			if rel, ok := c.relative(p); ok && strings.Count(rel, "/")+1 > article.MaxDepth {
				c.cfg.Log.Warn("folder not watched: deeper than the cap", "path", rel, "max_depth", article.MaxDepth)
				return filepath.SkipDir
			}
			if err := w.Add(p); err != nil {
				return fmt.Errorf("watch %s: %w", p, err)
			}
			return nil
		}
		if rel, ok := c.relative(p); ok && found != nil {
			found(rel)
		}
		return nil
	})
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	return nil
}
