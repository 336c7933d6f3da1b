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
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/fsnotify/fsnotify"
	"github.com/newsfind/newsfind/internal/article"
	"github.com/newsfind/newsfind/internal/index/gen"
	"github.com/newsfind/newsfind/internal/search"
)

// ErrExists is returned when a different article already has the name.
var ErrExists = fmt.Errorf("a different article already has this name: %w", search.ErrConflict)

// ErrRebuildRunning is returned when a full rebuild is already under way.
var ErrRebuildRunning = fmt.Errorf("a rebuild is already running: %w", search.ErrConflict)

// ErrClosed is returned by what is asked of a Corpus after Close.
var ErrClosed = errors.New("corpus is closed")

// Config says which folder and index to keep in step.
type Config struct {
	Articles string
	Index    string
	Log      *slog.Logger
	// Published is called after each update that published a new
	// generation, e.g. to make a serving index swap to it at once.
	Published func() error
	// Tables writes a generation's derived tables before it is published
	// (gen.Config.Tables; index.WriteTables); nil: none are written.
	Tables func(ctx context.Context, gen, from string) error

	// hooks let this package's tests see and hold what a Corpus does at
	// chosen points; they are nil everywhere else.
	hooks hooks
}

// hooks are the points where tests look into a Corpus. Each nil hook is
// skipped (after: time.After).
type hooks struct {
	// updating is called as each update starts, holding the update lock,
	// with the update's context and configuration.
	updating func(ctx context.Context, cfg gen.Config)
	// event is called once the watcher has handled a file event.
	event func(ev fsnotify.Event)
	// after starts one of the watcher's debounce timers.
	after func(d time.Duration) <-chan time.Time
}

// Corpus is an articles folder and the index kept up to date with it. It is
// safe for concurrent use; updates run one at a time (across processes too,
// through the index folder's lock). Close stops what it is doing.
type Corpus struct {
	cfg Config
	// updating serializes updates in this process: a slot taken for the
	// length of one, so that waiting for it can end with a context.
	updating chan struct{}

	// closing ends when Close is called, and with it the context of every
	// update, rebuild and watch; running counts those, for Close to wait.
	closing context.Context
	stopAll context.CancelFunc
	running sync.WaitGroup

	statusMu sync.Mutex // guards status, unindexed and closed
	status   search.UpdateStatus
	closed   bool
	// unindexed are files Add saved but could not index; every update
	// takes them along until one succeeds.
	unindexed map[string]bool
}

// New returns a Corpus for cfg.
func New(cfg Config) *Corpus {
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	if cfg.hooks.after == nil {
		cfg.hooks.after = time.After
	}
	closing, stopAll := context.WithCancel(context.Background())
	return &Corpus{cfg: cfg, updating: make(chan struct{}, 1), closing: closing, stopAll: stopAll}
}

// Close cancels the updates, rebuild and watch under way and waits for them
// to stop; afterwards they fail with ErrClosed. It does not touch the index
// a caller serves.
func (c *Corpus) Close() error {
	c.statusMu.Lock()
	c.closed = true
	c.statusMu.Unlock()
	c.stopAll()
	c.running.Wait()
	return nil
}

// begin counts one piece of work for Close to wait on, and returns ctx
// ended by Close too, and what the work calls when it is done.
func (c *Corpus) begin(ctx context.Context) (context.Context, func(), error) {
	c.statusMu.Lock()
	defer c.statusMu.Unlock()
	if c.closed {
		return nil, nil, ErrClosed
	}
	c.running.Add(1)
	ctx, cancel := context.WithCancel(ctx)
	stop := context.AfterFunc(c.closing, cancel)
	return ctx, func() {
		stop()
		cancel()
		c.running.Done()
	}, nil
}

// lockUpdates waits for the updates under way in this process to finish,
// or for ctx, and returns what ends the caller's turn.
func (c *Corpus) lockUpdates(ctx context.Context) (unlock func(), err error) {
	select {
	case c.updating <- struct{}{}:
		return func() { <-c.updating }, nil
	case <-ctx.Done():
		return nil, fmt.Errorf("wait for the update under way: %w", ctx.Err())
	}
}

// Status returns what the latest updates did.
func (c *Corpus) Status() search.UpdateStatus {
	c.statusMu.Lock()
	defer c.statusMu.Unlock()
	return c.status
}

// Update brings the index up to date with the named files (slash-separated,
// relative to the articles folder) and reports what it did. No paths, no
// update: looking at the whole folder is Scan.
func (c *Corpus) Update(ctx context.Context, paths []string) (search.UpdateStats, error) {
	if len(paths) == 0 {
		return search.UpdateStats{}, nil
	}
	return c.update(ctx, gen.Config{Paths: paths})
}

// Scan brings the index up to date with the whole articles folder, looking
// at every file, and reports what it did.
func (c *Corpus) Scan(ctx context.Context) (search.UpdateStats, error) {
	return c.update(ctx, gen.Config{})
}

// CatchUp starts one Scan in the background and returns at once: the
// index catches up with files that reached the folder while nothing
// indexed them (saved by an ingest that was killed before indexing, copied
// in while searchd was down). The scan reads only files whose size or time
// changed; its outcome is logged and shown by Status. Close cancels it.
// Watch does the same as it starts, so call CatchUp only without Watch.
func (c *Corpus) CatchUp() error {
	ctx, done, err := c.begin(context.Background())
	if err != nil {
		return err
	}
	go func() {
		defer done()
		st, err := c.Scan(ctx)
		switch {
		case err != nil && c.closing.Err() != nil:
			c.cfg.Log.Info("catch-up scan stopped by Close", "err", err)
		case err != nil:
			c.cfg.Log.Error("catch-up scan failed", "err", err)
		default:
			c.cfg.Log.Info("caught up with the articles folder", "files", st.Files, "added", st.Added,
				"updated", st.Updated, "deleted", st.Deleted, "skipped", st.Skipped)
		}
	}()
	return nil
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
	_, err := c.update(ctx, gen.Config{Full: true, Progress: func(st search.UpdateStats) {
		c.statusMu.Lock()
		c.status.Rebuild = &st
		c.statusMu.Unlock()
	}})
	switch {
	case err != nil && c.closing.Err() != nil:
		c.cfg.Log.Info("rebuild stopped by Close", "err", err)
	case err != nil:
		c.cfg.Log.Error("rebuild failed", "err", err)
	}
}

func (c *Corpus) update(ctx context.Context, cfg gen.Config) (search.UpdateStats, error) {
	ctx, done, err := c.begin(ctx)
	if err != nil {
		return search.UpdateStats{}, err
	}
	defer done()
	unlock, err := c.lockUpdates(ctx)
	if err != nil {
		return search.UpdateStats{}, err
	}
	defer unlock()
	return c.updateLocked(ctx, cfg)
}

// updateLocked runs one update; the caller holds the update lock.
func (c *Corpus) updateLocked(ctx context.Context, cfg gen.Config) (search.UpdateStats, error) {
	cfg.Articles, cfg.Index, cfg.Tables = c.cfg.Articles, c.cfg.Index, c.cfg.Tables
	cfg.Skipped = func(p string, err error) {
		c.cfg.Log.Warn("article skipped", "path", p, "err", err)
	}
	cfg.Cut = func(p string, cuts []string) {
		c.cfg.Log.Warn("article cut to the caps on one article", "path", p, "cuts", strings.Join(cuts, "; "))
	}
	owed := c.owed()
	if cfg.Paths != nil {
		cfg.Paths = append(slices.Clone(cfg.Paths), owed...) // a scan of the folder sees them anyway
	}
	if c.cfg.hooks.updating != nil {
		c.cfg.hooks.updating(ctx, cfg)
	}
	st, err := gen.Update(ctx, cfg)
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
	c.count(st, cfg.Full || st.Full, err)
	if err == nil {
		for _, p := range owed {
			delete(c.unindexed, p)
		}
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

// count adds an update's outcome to the totals (full: it was a rebuild
// from scratch); the caller holds statusMu.
func (c *Corpus) count(st search.UpdateStats, full bool, err error) {
	t := &c.status.Totals
	t.Updates++
	if err != nil {
		t.Failed++
	}
	if full {
		t.Rebuilds++
	}
	if st.Generation != "" {
		t.Published++
	}
	t.Indexed += uint64(st.Indexed)
	t.Skipped += uint64(st.Skipped)
	t.Deleted += uint64(st.Deleted)
}

// owed returns the files saved by Add that no update has indexed yet.
func (c *Corpus) owed() []string {
	c.statusMu.Lock()
	defer c.statusMu.Unlock()
	var paths []string
	for p := range c.unindexed {
		paths = append(paths, p)
	}
	return paths
}

// Add saves an article file under name (a slash-separated path relative to
// the articles folder, with an extension the readers know) and indexes it.
// When it returns without error, the article is searchable. Saving the same
// bytes again is a no-op; different bytes under an existing name are
// refused with ErrExists, never overwritten. Data that does not parse as an
// article is refused before anything is written. When the file was saved
// but could not be indexed (another update held the index until ctx was
// done), Add returns its articles and an error wrapping search.ErrPending;
// the next update of this Corpus, whatever it is for, indexes the file.
func (c *Corpus) Add(ctx context.Context, name string, data []byte) ([]search.Article, error) {
	name, err := cleanName(name)
	if err != nil {
		return nil, err
	}
	if limit := article.MaxSize(name); int64(len(data)) > limit {
		return nil, search.Invalid("%s is %d bytes, over the %d-byte cap on one article file", name, len(data), limit)
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
		c.statusMu.Lock()
		if c.unindexed == nil {
			c.unindexed = map[string]bool{}
		}
		c.unindexed[name] = true
		c.statusMu.Unlock()
		return arts, fmt.Errorf("%s: %w (%v); the next update indexes it", name, search.ErrPending, err)
	}
	if st.Skipped > 0 {
		return nil, fmt.Errorf("saved %s, but the indexer skipped it", name)
	}
	return arts, nil
}

// Check reads an article file as Add would, without saving it: the
// articles Add would index, or the error (a bad name or a file no reader
// can read, wrapping search.ErrInvalid) Add would return for them.
func (c *Corpus) Check(name string, data []byte) ([]search.Article, error) {
	name, err := cleanName(name)
	if err != nil {
		return nil, err
	}
	arts, err := article.Parse(name, data)
	if err != nil {
		return nil, search.Invalid("%v", err)
	}
	return arts, nil
}

// Delete removes the article file with the given ID from the folder and
// the index. It is all or nothing: when the index cannot be updated (another
// update holds it until ctx is done), the file is put back and the error
// says nothing was deleted.
func (c *Corpus) Delete(ctx context.Context, id string) error {
	name, err := cleanName(id)
	if err != nil {
		if strings.Contains(id, "#") {
			return search.Invalid("%s is one line of a multi-article file; edit or delete the file itself", id)
		}
		return err
	}
	ctx, done, err := c.begin(ctx)
	if err != nil {
		return err
	}
	defer done()
	unlock, err := c.lockUpdates(ctx)
	if err != nil {
		return fmt.Errorf("delete %s: nothing deleted: %w", id, err)
	}
	defer unlock()
	// Set the file aside under a hidden name, which no update reads, and
	// remove it for good only once the index no longer holds its articles.
	// The index's own lock is taken inside the update, so this is what
	// lets a failed update leave everything as it was. All of it goes
	// through an os.Root: no id, however built, touches a file outside.
	root, err := c.openRoot()
	if err != nil {
		return fmt.Errorf("delete %s: %w", id, err)
	}
	defer root.Close()
	if err := checkFolders(root, name); err != nil {
		return fmt.Errorf("article %s: %w", id, search.ErrNotFound) // behind a link or a file: not an article of the folder
	}
	if fi, err := root.Lstat(name); err == nil && !fi.Mode().IsRegular() {
		return fmt.Errorf("article %s: %w", id, search.ErrNotFound) // a folder or link, not an article file
	}
	aside := hiddenName(name, "deleting")
	if err := root.Rename(name, aside); errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("article %s: %w", id, search.ErrNotFound)
	} else if err != nil {
		return fmt.Errorf("delete %s: %w", id, err)
	}
	if _, err := c.updateLocked(ctx, gen.Config{Paths: []string{name}}); err != nil {
		if rerr := restore(root, aside, name); rerr != nil {
			// The update's error is left unwrapped: this is not a
			// timeout to retry but a file to recover by hand.
			c.cfg.Log.Error("delete failed and the file could not be put back", "path", name, "aside", aside, "err", rerr)
			return fmt.Errorf("delete %s: %v; putting the file back failed, it is at %s: %w", id, err, aside, rerr)
		}
		return fmt.Errorf("delete %s: nothing deleted: %w", id, err)
	}
	if err := root.Remove(aside); err != nil {
		c.cfg.Log.Warn("deleted article's file left aside", "path", aside, "err", err) // hidden: never indexed
	}
	return nil
}

// openRoot opens the articles folder as an os.Root, through which every
// file the corpus writes, moves or removes is named: a path that climbs
// out of it, by ".." or by a link, fails.
func (c *Corpus) openRoot() (*os.Root, error) {
	root, err := os.OpenRoot(c.cfg.Articles)
	if err != nil {
		return nil, fmt.Errorf("articles folder: %w", err)
	}
	return root, nil
}

// checkFolders refuses a name whose folders include a symbolic link (the
// walk does not follow linked folders, and one may lead outside) or a file
// ("existing.txt/x.txt"): a 400 naming the element. Folders that do not
// exist yet are fine; they are created.
func checkFolders(root *os.Root, name string) error {
	for i := range len(name) {
		if name[i] != '/' {
			continue
		}
		info, err := root.Lstat(name[:i])
		switch {
		case errors.Is(err, fs.ErrNotExist):
			return nil
		case err != nil:
			return fmt.Errorf("folder %s: %w", name[:i], err)
		case info.Mode()&fs.ModeSymlink != 0:
			return search.Invalid("file name %q: %s is a symbolic link; articles are saved only into real folders of the articles folder", name, name[:i])
		case !info.IsDir():
			return search.Invalid("file name %q: %s is a file, not a folder", name, name[:i])
		}
	}
	return nil
}

// restore puts a file set aside back under its name, unless a new file
// took the name meanwhile: that one is newer and stays.
func restore(root *os.Root, aside, name string) error {
	if err := root.Link(aside, name); err != nil && !errors.Is(err, fs.ErrExist) {
		return err
	}
	return root.Remove(aside)
}

// hiddenName returns a name beside name (slash-separated) that no reader
// lists (a leading dot) and nothing else uses (a random part), ending in
// suffix.
func hiddenName(name, suffix string) string {
	var rnd [8]byte
	rand.Read(rnd[:])
	return path.Join(path.Dir(name), "."+path.Base(name)+"."+hex.EncodeToString(rnd[:])+"."+suffix)
}

// cleanName checks that name is a file path the corpus may hold: relative,
// inside the folder, not hidden, with a known extension, within the caps on
// names (article.CheckPath: no control characters such as NUL, no name
// over article.MaxNameBytes, no deeper than article.MaxDepth folders).
func cleanName(name string) (string, error) {
	clean := path.Clean(strings.TrimPrefix(filepath.ToSlash(name), "./"))
	switch {
	case name == "" || clean == ".":
		return "", search.Invalid("a file name is required (e.g. filename=2024/my-article.txt)")
	case !filepath.IsLocal(filepath.FromSlash(clean)) || strings.HasPrefix(name, "/"):
		return "", search.Invalid("file name %q must be a relative path inside the articles folder", name)
	}
	if err := article.CheckPath(clean); err != nil {
		return "", search.Invalid("%v", err)
	}
	switch {
	case !article.Listed(clean):
		return "", search.Invalid("file name %q is hidden or temporary and would never be indexed", name)
	case !article.Supported(clean):
		return "", search.Invalid("file name %q has an extension no reader handles", name)
	}
	return clean, nil
}

// write stores data under name atomically and without overwriting: it
// writes a hidden temporary file, syncs it, then hard-links it into place,
// which fails if the name exists. Readers never see a partial file. Every
// step goes through an os.Root on the articles folder, and a name whose
// folders hold a link or a file is refused (400) before anything is
// written.
func (c *Corpus) write(name string, data []byte) error {
	root, err := c.openRoot()
	if err != nil {
		return fmt.Errorf("save %s: %w", name, err)
	}
	defer root.Close()
	if err := checkFolders(root, name); err != nil {
		return err
	}
	if fi, err := root.Lstat(name); err == nil && !fi.Mode().IsRegular() {
		return search.Invalid("file name %q is taken by a folder or a link, not an article file", name)
	}
	if old, err := root.ReadFile(name); err == nil {
		if bytes.Equal(old, data) {
			return nil
		}
		return fmt.Errorf("%s: %w", name, ErrExists)
	}
	dir := path.Dir(name)
	if err := root.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("save %s: %w", name, err)
	}
	tmp := hiddenName(name, "tmp")
	f, err := root.OpenFile(tmp, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644)
	if err != nil {
		return fmt.Errorf("save %s: %w", name, err)
	}
	defer root.Remove(tmp)
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
	if err := root.Link(tmp, name); err != nil {
		if errors.Is(err, fs.ErrExist) {
			if old, rerr := root.ReadFile(name); rerr == nil && bytes.Equal(old, data) {
				return nil // the same article won a race with us
			}
			return fmt.Errorf("%s: %w", name, ErrExists)
		}
		return fmt.Errorf("save %s: %w", name, err)
	}
	if d, err := root.Open(dir); err == nil {
		d.Sync() // make the new name durable; best effort
		d.Close()
	}
	return nil
}

// StartRebuild begins a full rebuild in the background and returns at once;
// Status reports its progress. Only one rebuild runs at a time.
func (c *Corpus) StartRebuild() error {
	c.statusMu.Lock()
	defer c.statusMu.Unlock()
	switch {
	case c.closed:
		return ErrClosed
	case c.status.Rebuild != nil:
		return ErrRebuildRunning
	}
	c.status.Rebuild = &search.UpdateStats{Full: true}
	c.running.Add(1)
	go func() {
		defer c.running.Done()
		c.rebuild(c.closing) // its update ends with Close
	}()
	return nil
}
