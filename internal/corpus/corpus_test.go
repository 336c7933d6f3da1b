package corpus

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/fsnotify/fsnotify"
	"github.com/newsfind/newsfind/internal/index"
	"github.com/newsfind/newsfind/internal/index/gen"
	"github.com/newsfind/newsfind/internal/index/indextest"
	"github.com/newsfind/newsfind/internal/search"
)

// fixture is a corpus over a copy of the seeds with a served index that
// reloads on every publish, as searchd wires it.
type fixture struct {
	articles, indexDir string
	ix                 *index.Index
	c                  *Corpus
	publishes          atomic.Int64
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	return newFixtureWith(t, hooks{})
}

// newFixtureWith is newFixture with the corpus's test hooks h.
func newFixtureWith(t *testing.T, h hooks) *fixture {
	t.Helper()
	f := &fixture{articles: indextest.Corpus(t, nil), indexDir: filepath.Join(t.TempDir(), "index")}
	if _, err := gen.Build(context.Background(), gen.Config{Articles: f.articles, Index: f.indexDir}); err != nil {
		t.Fatal(err)
	}
	ix, err := index.Open(f.indexDir, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	f.ix = ix
	f.c = New(Config{Articles: f.articles, Index: f.indexDir, Published: func() error {
		f.publishes.Add(1)
		_, err := ix.Reload()
		return err
	}, hooks: h})
	return f
}

// watch runs Watch until the test ends, and waits for its catch-up update.
func (f *fixture) watch(t *testing.T) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- f.c.Watch(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Watch: %v", err)
		}
	})
	indextest.WaitFor(t, 10*time.Second, "the watch to start", func() bool { return f.c.Status().LastStats != nil })
}

func (f *fixture) hits(t *testing.T, q string) []string {
	t.Helper()
	res, err := f.ix.Search(context.Background(), search.Request{Query: q, Size: search.MaxSize})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, h := range res.Hits {
		ids = append(ids, h.ID)
	}
	return ids
}

func TestAddIsSearchableWhenItReturns(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	body := []byte("Zebrafish summit opens\n\nDelegates discussed zebrafish research.\n")
	arts, err := f.c.Add(ctx, "2024/zebra.txt", body)
	if err != nil || len(arts) != 1 || arts[0].ID != "2024/zebra.txt" {
		t.Fatalf("Add = %+v, %v", arts, err)
	}
	if got := f.hits(t, "zebrafish"); !slices.Equal(got, []string{"2024/zebra.txt"}) {
		t.Errorf("search after Add = %v", got)
	}
	// The same bytes again: fine, nothing changes.
	if _, err := f.c.Add(ctx, "2024/zebra.txt", body); err != nil {
		t.Errorf("re-adding the same article: %v", err)
	}
	// Different bytes under the name: refused, file untouched.
	if _, err := f.c.Add(ctx, "2024/zebra.txt", []byte("Other\n\nOther body.\n")); !errors.Is(err, search.ErrConflict) {
		t.Errorf("different article under an existing name: err %v, want a conflict", err)
	}
	if b, _ := os.ReadFile(filepath.Join(f.articles, "2024/zebra.txt")); string(b) != string(body) {
		t.Errorf("file was overwritten: %q", b)
	}
	// No temporary files left behind.
	left, _ := filepath.Glob(filepath.Join(f.articles, "2024", ".*"))
	if len(left) > 0 {
		t.Errorf("temporary files left: %v", left)
	}
	// It survives a restart: a fresh Open sees it.
	ix2, err := index.Open(f.indexDir, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ix2.Close()
	if _, err := ix2.Article(ctx, "2024/zebra.txt"); err != nil {
		t.Errorf("after reopening: %v", err)
	}
}

var holdIndexLock = indextest.HoldLock

// An article saved while another update held the index is indexed by the
// next update, whatever that update is about.
func TestAddWhileTheIndexIsBusyIsIndexedNext(t *testing.T) {
	f := newFixture(t)
	release := holdIndexLock(t, f.indexDir)
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	arts, err := f.c.Add(ctx, "2024/okapi.txt", []byte("Okapi calf born\n\nAn okapi calf was born.\n"))
	if !errors.Is(err, search.ErrPending) || len(arts) != 1 || arts[0].ID != "2024/okapi.txt" {
		t.Fatalf("Add while the index is busy = %+v, %v; want the article and ErrPending", arts, err)
	}
	if got := f.hits(t, "okapi"); len(got) != 0 {
		t.Fatalf("searchable while the index was busy: %v", got)
	}
	release()
	if _, err := f.c.Add(context.Background(), "2024/tapir.txt", []byte("Tapir seen\n\nA tapir was seen.\n")); err != nil {
		t.Fatal(err)
	}
	if got := f.hits(t, "okapi"); !slices.Equal(got, []string{"2024/okapi.txt"}) {
		t.Errorf("after the next update okapi finds %v, want the article saved while the index was busy", got)
	}
}

func TestAddRefusesBadInput(t *testing.T) {
	f := newFixture(t)
	for _, tt := range []struct{ name, body string }{
		{"", "T\n\nB\n"},
		{"../escape.txt", "T\n\nB\n"},
		{"/abs.txt", "T\n\nB\n"},
		{".hidden.txt", "T\n\nB\n"},
		{"x.tmp", "T\n\nB\n"},
		{"x.exe", "T\n\nB\n"},
		{"empty.txt", ""},
		{"binary.txt", "\x00\x01\x02"},
	} {
		if _, err := f.c.Add(context.Background(), tt.name, []byte(tt.body)); !errors.Is(err, search.ErrInvalid) {
			t.Errorf("Add(%q): err %v, want ErrInvalid", tt.name, err)
		}
	}
	if entries, _ := os.ReadDir(f.articles); len(entries) != 5 {
		t.Errorf("the folder holds %d entries, want the 5 seeds only", len(entries))
	}
}

func TestDelete(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	const id = "001_61ab04e02ec4d748.txt"
	if err := f.c.Delete(ctx, id); err != nil {
		t.Fatal(err)
	}
	if got := f.hits(t, "Norov"); slices.Contains(got, id) {
		t.Errorf("deleted article still found: %v", got)
	}
	if _, err := os.Stat(filepath.Join(f.articles, id)); !os.IsNotExist(err) {
		t.Errorf("file still there: %v", err)
	}
	if err := f.c.Delete(ctx, id); !errors.Is(err, search.ErrNotFound) {
		t.Errorf("deleting again: %v, want ErrNotFound", err)
	}
	if err := f.c.Delete(ctx, "../../etc/passwd"); !errors.Is(err, search.ErrInvalid) {
		t.Errorf("deleting outside the folder: %v, want ErrInvalid", err)
	}
	// A folder is not an article file, whatever its name.
	indextest.WriteFile(t, filepath.Join(f.articles, "odd.txt", "inner.txt"), "Inner\n\nAn inner article.\n")
	if err := f.c.Delete(ctx, "odd.txt"); !errors.Is(err, search.ErrNotFound) {
		t.Errorf("deleting a folder: %v, want ErrNotFound", err)
	}
	if _, err := os.Stat(filepath.Join(f.articles, "odd.txt", "inner.txt")); err != nil {
		t.Errorf("deleting a folder's name touched what it holds: %v", err)
	}
}

// A delete that waits past its deadline for an update of this process
// (here a rebuild) returns then, and changes nothing.
func TestDeleteWhileARebuildRunsChangesNothing(t *testing.T) {
	started, release := make(chan struct{}), make(chan struct{})
	f := newFixtureWith(t, hooks{updating: func(_ context.Context, cfg gen.Config) {
		if cfg.Full {
			close(started)
			<-release
		}
	}})
	if err := f.c.StartRebuild(); err != nil {
		t.Fatal(err)
	}
	<-started
	const id = "001_61ab04e02ec4d748.txt"
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	deleted := make(chan error, 1)
	go func() { deleted <- f.c.Delete(ctx, id) }()
	select {
	case err := <-deleted:
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("Delete during a rebuild: %v, want its deadline exceeded", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Delete waited for the rebuild past its deadline")
	}
	close(release)
	if _, err := os.Stat(filepath.Join(f.articles, id)); err != nil {
		t.Errorf("the file is gone after a delete that failed: %v", err)
	}
	indextest.WaitFor(t, 30*time.Second, "the rebuild to finish", func() bool { return f.c.Status().Rebuild == nil })
	if got := f.hits(t, "Norov"); !slices.Contains(got, id) {
		t.Errorf("the article is not searchable after a delete that failed: %v", got)
	}
}

func TestRebuildStatus(t *testing.T) {
	f := newFixture(t)
	if err := f.c.StartRebuild(); err != nil {
		t.Fatal(err)
	}
	indextest.WaitFor(t, 30*time.Second, "rebuild to finish", func() bool {
		st := f.c.Status()
		return st.Rebuild == nil && st.LastStats != nil && st.LastStats.Full
	})
	if st := f.c.Status(); st.LastError != "" || st.LastStats.Added != 5 {
		t.Errorf("status after rebuild = %+v", st)
	}
	if got := f.hits(t, "SCO"); len(got) != 5 {
		t.Errorf("after rebuild SCO finds %v", got)
	}
}

// Close cancels a rebuild under way and returns only once it has stopped;
// nothing starts after it.
func TestCloseCancelsTheRebuildAndWaitsForIt(t *testing.T) {
	started, cancelled, release := make(chan struct{}), make(chan struct{}), make(chan struct{})
	f := newFixtureWith(t, hooks{updating: func(ctx context.Context, cfg gen.Config) {
		if !cfg.Full {
			return
		}
		close(started)
		select { // hold the rebuild until it is cancelled…
		case <-ctx.Done():
			close(cancelled)
		case <-time.After(10 * time.Second):
			return // never cancelled: the test fails below
		}
		<-release // …and then until the test has looked at Close
	}})
	if err := f.c.StartRebuild(); err != nil {
		t.Fatal(err)
	}
	<-started
	closed := make(chan error, 1)
	go func() { closed <- f.c.Close() }()
	select {
	case <-cancelled:
	case err := <-closed:
		t.Fatalf("Close returned (%v) while the rebuild was held: it must cancel the rebuild and wait for it", err)
	}
	select {
	case err := <-closed:
		t.Fatalf("Close returned (%v) while the cancelled rebuild was still running", err)
	default:
	}
	close(release)
	if err := <-closed; err != nil {
		t.Fatalf("Close: %v", err)
	}
	// Once Close has returned, the rebuild is over and says it was stopped.
	if st := f.c.Status(); st.Rebuild != nil || !strings.Contains(st.LastError, "context canceled") {
		t.Errorf("status after Close = rebuild %+v, last error %q; want no rebuild running, stopped by cancellation", st.Rebuild, st.LastError)
	}
	if err := f.c.StartRebuild(); !errors.Is(err, ErrClosed) {
		t.Errorf("StartRebuild after Close: %v, want ErrClosed", err)
	}
	if err := f.c.Watch(context.Background()); !errors.Is(err, ErrClosed) {
		t.Errorf("Watch after Close: %v, want ErrClosed", err)
	}
}

// Close stops a watch and waits for it to return.
func TestCloseStopsTheWatch(t *testing.T) {
	f := newFixture(t)
	done := make(chan error, 1)
	go func() { done <- f.c.Watch(context.Background()) }()
	indextest.WaitFor(t, 10*time.Second, "the watch to start", func() bool { return f.c.Status().LastStats != nil })
	if err := f.c.Close(); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Watch stopped by Close: %v, want nil", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Close did not stop the watch")
	}
}

func TestWatchIndexesNewChangedAndDeletedFiles(t *testing.T) {
	f := newFixture(t)
	f.watch(t)

	// A new file, written the way a copy would be.
	indextest.WriteFile(t, filepath.Join(f.articles, "new/quokka.txt"), "Quokka census\n\nQuokka numbers rose.\n")
	indextest.WaitFor(t, 5*time.Second, "the new file to be searchable", func() bool { return len(f.hits(t, "quokka")) == 1 })

	indextest.WriteFile(t, filepath.Join(f.articles, "new/quokka.txt"), "Wombat census\n\nWombat numbers rose.\n")
	indextest.WaitFor(t, 5*time.Second, "the change to be searchable", func() bool {
		return len(f.hits(t, "wombat")) == 1 && len(f.hits(t, "quokka")) == 0
	})

	if err := os.RemoveAll(filepath.Join(f.articles, "new")); err != nil {
		t.Fatal(err)
	}
	indextest.WaitFor(t, 5*time.Second, "the deletion to be searchable", func() bool { return len(f.hits(t, "wombat")) == 0 })
}

// Copying many files at once is a few updates, not one per file.
func TestWatchBatchesBursts(t *testing.T) {
	f := newFixture(t)
	f.watch(t)
	before := f.publishes.Load()

	const n = 500
	staging := t.TempDir()
	for i := range n {
		indextest.WriteFile(t, filepath.Join(staging, fmt.Sprintf("%03d.txt", i)), fmt.Sprintf("Burst article %d\n\nThe burstprobe body %d.\n", i, i))
	}
	// Move the folder in, as a copy tool finishing would, plus loose files.
	if err := os.Rename(staging, filepath.Join(f.articles, "burst")); err != nil {
		t.Fatal(err)
	}
	for i := range 50 {
		indextest.WriteFile(t, filepath.Join(f.articles, fmt.Sprintf("loose-%02d.txt", i)), fmt.Sprintf("Loose %d\n\nburstprobe loose %d.\n", i, i))
	}
	// A generous deadline: under -race on 2 busy cores, reading 550
	// articles' header lines (internal/article/date's rules) alone takes
	// several seconds; what is checked is the number of updates.
	indextest.WaitFor(t, 60*time.Second, "all files to be searchable", func() bool {
		res, err := f.ix.Search(context.Background(), search.Request{Query: "burstprobe"})
		return err == nil && res.Total == n+50
	})
	if updates := f.publishes.Load() - before; updates > 10 {
		t.Errorf("%d files arrived in %d index updates, want a few", n+50, updates)
	}
}

// watchProbe drives a watch through the corpus's hooks: the debounce
// timers are the test's to fire, and it sees each event the watcher has
// handled and each update that starts.
type watchProbe struct {
	mu      sync.Mutex
	timers  []chan time.Time
	fired   int // timers before this one are fired or replaced
	events  []string
	updates []string
}

func (p *watchProbe) hooks() hooks {
	return hooks{
		after: func(time.Duration) <-chan time.Time {
			ch := make(chan time.Time) // unbuffered: a send returns once the watcher took it
			p.mu.Lock()
			p.timers = append(p.timers, ch)
			p.mu.Unlock()
			return ch
		},
		event: func(ev fsnotify.Event) {
			p.mu.Lock()
			p.events = append(p.events, ev.Name)
			p.mu.Unlock()
		},
		updating: func(_ context.Context, cfg gen.Config) {
			what := "scan"
			switch {
			case cfg.Full:
				what = "rebuild"
			case cfg.Paths != nil:
				paths := slices.Sorted(slices.Values(cfg.Paths))
				what = "paths " + strings.Join(paths, ",")
			}
			p.mu.Lock()
			p.updates = append(p.updates, what)
			p.mu.Unlock()
		},
	}
}

// waitEvent waits until the watcher has handled an event about path, and
// so every event before it.
func (p *watchProbe) waitEvent(t *testing.T, path string) {
	t.Helper()
	indextest.WaitFor(t, 10*time.Second, "an event about "+path, func() bool {
		p.mu.Lock()
		defer p.mu.Unlock()
		return slices.Contains(p.events, path)
	})
}

// fireLatest fires the debounce timer started last, as the clock would,
// once the watcher takes it; it reports whether there was one to fire.
func (p *watchProbe) fireLatest(t *testing.T) bool {
	t.Helper()
	p.mu.Lock()
	if p.fired == len(p.timers) {
		p.mu.Unlock()
		return false
	}
	ch := p.timers[len(p.timers)-1]
	p.fired = len(p.timers)
	p.mu.Unlock()
	select {
	case ch <- time.Now():
		return true
	case <-time.After(10 * time.Second):
		t.Fatal("the watcher is not waiting for its latest timer")
		return false
	}
}

func (p *watchProbe) updatesRun() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return slices.Clone(p.updates)
}

// Files the reader ignores start no update, least of all a scan of the
// whole folder; an article saved beside them is indexed by an update of
// its own path.
func TestWatchIgnoresHiddenAndTemporaryFiles(t *testing.T) {
	var p watchProbe
	f := newFixtureWith(t, p.hooks())
	f.watch(t)
	if got := p.updatesRun(); !slices.Equal(got, []string{"scan"}) {
		t.Fatalf("updates as the watch starts = %v, want the catch-up scan", got)
	}

	// What an editor, a file manager, a download and an office suite leave
	// beside the articles.
	swap := filepath.Join(f.articles, ".001_61ab04e02ec4d748.txt.swp")
	indextest.WriteFile(t, swap, "swap")
	indextest.WriteFile(t, filepath.Join(f.articles, ".DS_Store"), "finder")
	indextest.WriteFile(t, filepath.Join(f.articles, "download.tmp"), "partial")
	indextest.WriteFile(t, filepath.Join(f.articles, ".git", "HEAD"), "ref")
	indextest.WriteFile(t, swap, "swap again")
	last := filepath.Join(f.articles, ".~lock.notes.odt#")
	indextest.WriteFile(t, last, "lock")
	p.waitEvent(t, last)
	p.fireLatest(t) // as the clock would, had they started a burst

	// A new article, moved into place as copy tools do.
	tmp := filepath.Join(f.articles, ".quokka.txt.part")
	indextest.WriteFile(t, tmp, "Quokka census\n\nQuokka numbers rose.\n")
	quokka := filepath.Join(f.articles, "quokka.txt")
	if err := os.Rename(tmp, quokka); err != nil {
		t.Fatal(err)
	}
	p.waitEvent(t, quokka)
	if !p.fireLatest(t) {
		t.Fatal("a new article started no update")
	}
	indextest.WaitFor(t, 10*time.Second, "the new article to be searchable", func() bool { return len(f.hits(t, "quokka")) == 1 })
	if got := p.updatesRun(); !slices.Equal(got, []string{"scan", "paths quokka.txt"}) {
		t.Errorf("updates = %v, want the catch-up scan and one for the new article", got)
	}
}

// The status's totals add up what every update did, for /metrics: they
// only grow, whatever the last update was.
func TestStatusTotalsAddUp(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	if _, err := f.c.Add(ctx, "2024/zebra.txt", []byte("Zebrafish summit\n\nDelegates met.\n")); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(f.articles, "broken.json"), []byte(`{"title": broken`), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := f.c.Update(ctx, []string{"broken.json"}); err != nil {
		t.Fatal(err)
	}
	if err := f.c.Delete(ctx, "2024/zebra.txt"); err != nil {
		t.Fatal(err)
	}
	want := search.UpdateTotals{Updates: 3, Published: 2, Indexed: 1, Skipped: 1, Deleted: 1}
	if got := f.c.Status().Totals; got != want {
		t.Errorf("totals after an add, a broken file and a delete = %+v, want %+v", got, want)
	}
	if err := f.c.StartRebuild(); err != nil {
		t.Fatal(err)
	}
	indextest.WaitFor(t, 30*time.Second, "the rebuild to finish", func() bool { return f.c.Status().Totals.Rebuilds == 1 })
	got := f.c.Status().Totals
	if got.Updates != 4 || got.Published != 3 || got.Indexed != 1+5 || got.Skipped != 2 || got.Failed != 0 {
		t.Errorf("totals after a rebuild of 5 articles and the broken file = %+v", got)
	}
}

// The watch counts the file events it receives.
func TestStatusCountsWatchEvents(t *testing.T) {
	f := newFixture(t)
	f.watch(t)
	indextest.WriteFile(t, filepath.Join(f.articles, "2024", "okapi.txt"), "Okapi calf born\n\nAt the zoo.\n")
	indextest.WaitFor(t, 10*time.Second, "the okapi to be indexed", func() bool { return len(f.hits(t, "okapi")) == 1 })
	if n := f.c.Status().Totals.WatchEvents; n == 0 {
		t.Error("no watch events counted after a file arrived")
	}
}
