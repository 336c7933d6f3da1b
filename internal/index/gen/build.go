package gen

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/blevesearch/bleve/v2/document"
	"github.com/newsfind/newsfind/internal/article"
	"github.com/newsfind/newsfind/internal/index/schema"
	"github.com/newsfind/newsfind/internal/search"
)

// DefaultBatchSize is how many articles go into one bleve batch. The live
// heap of a build is mostly the analysed tokens of the batch in flight and
// of the one being filled, and the indexer's soft memory limit makes the
// collector run nearly without pause once that live heap nears it.
// Measured (user CPU, synthetic corpora, one run each): 10k: 1,000 43.8 s,
// 500 22.9 s, 250 26.1 s; 100k: 1,000 589 s, 500 249-259 s, 250 273 s.
// Larger batches do not index faster and multiply memory.
const DefaultBatchSize = 500

// manifestChunk is how many manifest records a full build writes at a time.
// Writing them waits for the batches in flight, so it is done rarely.
const manifestChunk = 10_000

// Config says what to index and where.
type Config struct {
	// Articles is the corpus folder; Index the index folder.
	Articles string
	Index    string
	// Full rebuilds from scratch even when an index exists.
	Full bool
	// Paths, when set, limits an update to these files (slash-separated,
	// relative to Articles): each is added, re-indexed or deleted as it is
	// now. Without Paths an update looks at the whole folder.
	Paths []string
	// BatchSize defaults to DefaultBatchSize.
	BatchSize int
	// Progress, when set, is called after each batch with the stats so far.
	Progress func(search.UpdateStats)
	// Skipped, when set, is called for each file that was not indexed.
	Skipped func(path string, err error)
	// Cut, when set, is called for each file indexed with fields cut to
	// their caps (article.MaxBodyBytes, ...), with what was cut.
	Cut func(path string, cuts []string)
	// Waiting, when set, is called once if another update holds the index
	// folder; Update waits for it (or for ctx).
	Waiting func()
	// Tables, when set, is called with each complete generation before it
	// is published, and the generation it was copied from ("" for a full
	// build), to write the files derived from it that opening it would
	// otherwise build (index.WriteTables). Their names end in
	// TableSuffix: they describe one generation's exact segments, so the
	// copy of a generation an update starts from leaves them behind.
	Tables func(ctx context.Context, gen, from string) error
	// noStories leaves stories out, for measuring what they cost
	// (BenchmarkStoriesBBC): an index without them shows every version.
	noStories bool
	// storySearches, when set, is given how many times the update
	// searched the index for an article's story.
	storySearches *int
}

// TableSuffix ends the names of the files Config.Tables writes.
const TableSuffix = ".table"

// Build rebuilds the index in cfg.Index from every article under
// cfg.Articles. It is Update with Full set.
func Build(ctx context.Context, cfg Config) (search.UpdateStats, error) {
	cfg.Full = true
	return Update(ctx, cfg)
}

// Update brings the index in cfg.Index up to date with the articles under
// cfg.Articles: new files are added, changed files (by content hash)
// re-indexed, deleted files removed; nothing is written when nothing changed.
// Without an index, or with cfg.Full, it builds one from scratch.
//
// Either way, changes go into a new generation — a fresh one for a full
// build, or one sharing the current one's immutable segment files for an
// update — published by an atomic switch of CURRENT once complete. The
// served generation is never modified, so searchd answers throughout, and a
// failed or killed update changes nothing. One bad file is reported through
// cfg.Skipped and never stops the rest.
func Update(ctx context.Context, cfg Config) (search.UpdateStats, error) {
	start := time.Now()
	u := &updater{cfg: cfg}
	if fi, err := os.Stat(cfg.Articles); err != nil || !fi.IsDir() {
		if err == nil {
			err = errors.New("not a folder")
		}
		return u.st, fmt.Errorf("articles folder %s: %w", cfg.Articles, err)
	}
	if u.cfg.BatchSize <= 0 {
		u.cfg.BatchSize = DefaultBatchSize
	}
	unlock, err := lockIndex(ctx, cfg.Index, cfg.Waiting)
	if err != nil {
		return u.st, err
	}
	defer unlock()
	u.start = start

	cur, err := Current(cfg.Index)
	_, statErr := os.Stat(manifestPath(cfg.Index))
	version := schema.Version
	if err == nil {
		if version, err = genVersion(cur); err != nil {
			return u.st, err
		}
	}
	switch {
	// A generation of another schema version holds terms the code no
	// longer makes (or lacks fields it searches): rebuild it.
	case cfg.Full || errors.Is(err, ErrNoIndex) || errors.Is(statErr, fs.ErrNotExist) || version != schema.Version:
		err = u.full(ctx)
	case err != nil:
		return u.st, err
	default:
		err = u.incremental(ctx, cur)
	}
	u.st.Elapsed = time.Since(start)
	if cfg.storySearches != nil && u.stories != nil {
		*cfg.storySearches = u.stories.searches
	}
	return u.st, err
}

// updater carries one Update.
type updater struct {
	cfg     Config
	st      search.UpdateStats
	start   time.Time
	w       *writer          // the new generation, opened on the first change
	stories *stories         // story assignments, over the new generation
	clone   string           // generation to start from; "" for a fresh one
	pending []manifestChange // manifest updates, applied once published
}

// full indexes every file into a fresh generation and writes a fresh
// manifest, which replaces the old one once the generation is published.
func (u *updater) full(ctx context.Context) error {
	u.st.Full = true
	built := manifestPath(u.cfg.Index) + ".new"
	os.Remove(built)
	m, err := openManifest(built)
	if err != nil {
		return err
	}
	defer func() {
		m.Close()
		os.Remove(built) // gone already when it replaced the old manifest
	}()
	if err := u.writer(); err != nil { // a fresh generation: u.clone is ""
		return err
	}
	err = walkPrefetched(ctx, u.cfg.Articles, u.w.docs.Document, func(f readFile) error {
		u.st.Files++
		if err := u.indexDocs(f.File, nil, f.docs, f.sigs); err != nil {
			return err
		}
		// Write manifest records in chunks, once the batches holding
		// their articles are in (token counts are known only then).
		if len(u.pending) >= manifestChunk && len(u.w.inBatch) == 0 {
			if err := u.w.drain(); err != nil {
				return err
			}
			u.stories.landed() // memory stays bounded
			err := m.apply(u.pending)
			u.pending = u.pending[:0]
			return err
		}
		return nil
	})
	if err == nil {
		err = u.w.flush()
	}
	if err == nil {
		err = u.w.drain() // the last batches' token counts complete their records
	}
	if err == nil {
		err = m.apply(u.pending)
	}
	if err != nil {
		u.w.abandon()
		return err
	}
	if err := u.publish(ctx); err != nil {
		return err
	}
	if err := m.Close(); err != nil {
		return fmt.Errorf("close manifest: %w", err)
	}
	return replaceManifest(u.cfg.Index, built)
}

// incremental applies what changed since the manifest was written.
func (u *updater) incremental(ctx context.Context, cur string) error {
	u.clone = cur
	m, err := openManifest(manifestPath(u.cfg.Index))
	if err != nil {
		return err
	}
	defer m.Close()
	if u.cfg.Paths != nil {
		err = u.paths(ctx, m)
	} else {
		err = u.scan(ctx, m)
	}
	if err != nil {
		if u.w != nil {
			u.w.abandon()
		}
		return err
	}
	if u.w != nil {
		if err := u.publish(ctx); err != nil {
			return err
		}
	}
	return m.apply(u.pending)
}

// scan walks the folder and the manifest side by side, both in path order:
// a path only in the folder is new, one only in the manifest was deleted.
func (u *updater) scan(ctx context.Context, m *manifest) error {
	c, err := m.cursor()
	if err != nil {
		return err
	}
	defer c.close()
	var unlisted []string // folders that could not be listed: keep what they held
	gone := func(stop string, last bool) error {
		for c.ok && (last || c.key < stop) {
			if !underAny(c.key, unlisted) {
				if err := u.remove(c.key, c.rec); err != nil {
					return err
				}
			}
			c.next()
		}
		return c.err
	}
	err = article.List(ctx, u.cfg.Articles, func(e article.Entry) error {
		if e.Err != nil {
			u.skip(e.Path, e.Err)
			unlisted = append(unlisted, e.Path+"/")
			return nil
		}
		u.st.Files++
		if err := gone(e.Path, false); err != nil {
			return err
		}
		var rec *fileRecord
		if c.ok && c.key == e.Path {
			r := c.rec
			rec = &r
			c.next()
		}
		return u.consider(e.Path, rec, e.Size, e.ModTime)
	})
	if err != nil {
		return err
	}
	return gone("", true)
}

// paths looks only at the files named in cfg.Paths.
func (u *updater) paths(ctx context.Context, m *manifest) error {
	paths := slices.Clone(u.cfg.Paths)
	for i, p := range paths {
		paths[i] = path.Clean(filepath.ToSlash(p))
	}
	slices.Sort(paths)
	for _, p := range slices.Compact(paths) {
		if err := ctx.Err(); err != nil {
			return err
		}
		if !filepath.IsLocal(filepath.FromSlash(p)) || !article.Listed(p) {
			continue
		}
		rec, known, err := m.get(p)
		if err != nil {
			return err
		}
		info, err := article.Stat(u.cfg.Articles, p)
		switch {
		case (errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR)) && known:
			err = u.remove(p, rec)
		case errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR):
			err = u.removeFolder(m, p) // a folder that was deleted or moved away
		case errors.Is(err, article.ErrOutside) && known:
			u.skip(p, err) // a file replaced by a link that leads out: its articles go
			err = u.remove(p, rec)
		case err != nil:
			u.skip(p, err)
			err = nil
		case info.Mode().IsRegular():
			u.st.Files++
			var r *fileRecord
			if known {
				r = &rec
			}
			err = u.consider(p, r, info.Size(), info.ModTime())
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// consider brings one existing file up to date, given its manifest record.
func (u *updater) consider(p string, rec *fileRecord, size int64, mod time.Time) error {
	if rec != nil && rec.sameStat(size, mod) {
		u.st.Unchanged++
		return nil
	}
	f := article.ReadFile(u.cfg.Articles, p)
	if rec != nil && f.Err == nil && !f.Unsupported && f.Hash == rec.Hash {
		u.st.Unchanged++ // touched, not changed: remember the new time
		r := *rec
		r.Size, r.ModTime = f.Size, f.ModTime.UnixNano()
		u.pending = append(u.pending, manifestChange{p, &r})
		return nil
	}
	return u.index(f, rec)
}

// index writes the articles of a file that was read, replacing what an
// earlier version of the file (rec) produced.
func (u *updater) index(f article.File, rec *fileRecord) error {
	return u.indexDocs(f, rec, nil, nil)
}

// indexDocs is index with the documents of f's articles, and their
// signatures, already built (nil: made here).
func (u *updater) indexDocs(f article.File, rec *fileRecord, docs []*document.Document, sigs []signature) error {
	switch {
	case f.Unsupported:
		u.st.Unsupported++
		return nil
	case f.Err != nil:
		u.skip(f.Path, f.Err) // an older version, if indexed, stays
		return nil
	}
	if len(f.Cuts) > 0 && u.cfg.Cut != nil {
		u.cfg.Cut(f.Path, f.Cuts)
	}
	for _, err := range f.LineErrors { // bad lines of a .jsonl: the good ones go on
		u.st.BadLines++
		if u.cfg.Skipped != nil {
			u.cfg.Skipped(f.Path, err)
		}
	}
	if err := u.writer(); err != nil {
		return err
	}
	next := &fileRecord{Size: f.Size, ModTime: f.ModTime.UnixNano(), Hash: f.Hash}
	for i, a := range f.Articles {
		var doc *document.Document
		if i < len(docs) {
			doc = docs[i]
		} else {
			doc = u.w.docs.Document(a)
		}
		if err := u.story(a, doc, i, sigs); err != nil {
			return err
		}
		// Counted first: the batch this one fills reports progress.
		u.st.Indexed++
		u.st.Bytes += int64(len(a.Title) + len(a.Body))
		if err := u.w.index(doc, next); err != nil {
			return err
		}
		next.IDs = append(next.IDs, a.ID)
	}
	if rec != nil {
		u.w.forget(*rec)
		for _, id := range rec.IDs {
			if !slices.Contains(next.IDs, id) {
				u.stories.remove(id)
				if err := u.w.delete(id); err != nil {
					return err
				}
			}
		}
		u.st.Updated++
	} else {
		u.st.Added++
	}
	u.pending = append(u.pending, manifestChange{f.Path, next}) // token counts fill in as batches flush
	return nil
}

// story gives doc, the document of a, its story; sigs, when it holds the
// i-th, has a's signature.
func (u *updater) story(a search.Article, doc *document.Document, i int, sigs []signature) error {
	if u.cfg.noStories {
		return nil
	}
	var sig signature
	if i < len(sigs) {
		sig = sigs[i]
	} else {
		sig = sign(a)
	}
	label, err := u.stories.assign(a.ID, sig.sig, sig.ok)
	if err != nil {
		return err
	}
	u.w.docs.SetStory(doc, label, storySig(sig.sig))
	return nil
}

// remove deletes the articles of a file that is gone.
func (u *updater) remove(p string, rec fileRecord) error {
	if err := u.writer(); err != nil {
		return err
	}
	u.w.forget(rec)
	for _, id := range rec.IDs {
		u.stories.remove(id)
		if err := u.w.delete(id); err != nil {
			return err
		}
	}
	u.st.Deleted++
	u.pending = append(u.pending, manifestChange{path: p})
	return nil
}

// removeFolder removes every file the manifest holds under folder p.
func (u *updater) removeFolder(m *manifest, p string) error {
	c, err := m.cursor()
	if err != nil {
		return err
	}
	defer c.close()
	prefix := p + "/"
	for c.seek(prefix); c.ok && strings.HasPrefix(c.key, prefix); c.next() {
		if err := u.remove(c.key, c.rec); err != nil {
			return err
		}
	}
	return c.err
}

func (u *updater) skip(p string, err error) {
	u.st.Skipped++
	if u.cfg.Skipped != nil {
		u.cfg.Skipped(p, err)
	}
}

// writer opens the new generation on first use.
func (u *updater) writer() error {
	if u.w != nil {
		return nil
	}
	w, err := newWriter(u.cfg.Index, u.clone)
	if err != nil {
		return err
	}
	w.batchSize = u.cfg.BatchSize
	w.flushed = func() {
		u.stories.handedOff(maxInFlight)
		u.st.Elapsed = time.Since(u.start)
		if u.cfg.Progress != nil {
			u.cfg.Progress(u.st)
		}
	}
	u.w = w
	u.stories = newStories(w.idx, w.bands, u.clone == "")
	return nil
}

// publish completes the new generation and makes it current.
func (u *updater) publish(ctx context.Context) error {
	if err := u.w.commit(); err != nil {
		u.w.abandon()
		return err
	}
	// The stories' maps and Bloom filters (39 MB at a million articles)
	// are not needed to write the tables, which build the generation's
	// whole facet table in the same memory limit.
	if u.cfg.storySearches != nil {
		*u.cfg.storySearches = u.stories.searches
	}
	u.stories = nil
	if u.cfg.Tables != nil {
		if err := u.cfg.Tables(ctx, u.w.gen, u.clone); err != nil {
			os.RemoveAll(u.w.gen)
			return err
		}
	}
	if err := publish(u.cfg.Index, u.w.gen); err != nil {
		return err
	}
	u.st.Generation = u.w.gen
	return nil
}

func underAny(p string, prefixes []string) bool {
	for _, pre := range prefixes {
		if strings.HasPrefix(p, pre) {
			return true
		}
	}
	return false
}

// ErrBuildRunning is returned when another update holds the index folder
// and the caller's context ends before it finishes.
var ErrBuildRunning = errors.New("another indexer is updating this index")

// lockIndex takes the exclusive lock on the index folder that every writer
// (indexer, searchd's ingest and watcher) holds for one update, waiting for
// it until ctx is done. The kernel drops the lock when its process dies, so
// a killed update never leaves a stale lock behind.
func lockIndex(ctx context.Context, dir string, waiting func()) (unlock func(), err error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("create index folder: %w", err)
	}
	f, err := os.OpenFile(filepath.Join(dir, "LOCK"), os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, fmt.Errorf("lock index folder: %w", err)
	}
	wait := time.NewTicker(20 * time.Millisecond)
	defer wait.Stop()
	for told := false; ; {
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		if err == nil {
			return func() { f.Close() }, nil
		}
		if !errors.Is(err, syscall.EWOULDBLOCK) {
			f.Close()
			return nil, fmt.Errorf("lock index folder: %w", err)
		}
		if !told && waiting != nil {
			waiting()
			told = true
		}
		select {
		case <-ctx.Done():
			f.Close()
			return nil, fmt.Errorf("%s: %w (%w)", dir, ErrBuildRunning, ctx.Err())
		case <-wait.C:
		}
	}
}
