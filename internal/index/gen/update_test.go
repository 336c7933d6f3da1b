package gen_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/newsfind/newsfind/internal/index"
	"github.com/newsfind/newsfind/internal/index/gen"
	"github.com/newsfind/newsfind/internal/index/indextest"
	"github.com/newsfind/newsfind/internal/search"
)

var (
	update     = indextest.Update
	ids        = indextest.IDs
	writeFile  = indextest.WriteFile
	mustSearch = indextest.Search
)

func allIDs(t *testing.T, dir string) []string {
	t.Helper()
	ix, err := index.Open(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	res, err := ix.Search(context.Background(), search.Request{Size: search.MaxSize})
	if err != nil {
		t.Fatal(err)
	}
	return ids(res)
}

func TestIncrementalUpdate(t *testing.T) {
	articles := indextest.Corpus(t, nil)
	dir := filepath.Join(t.TempDir(), "index")
	cfg := gen.Config{Articles: articles, Index: dir}

	st := update(t, cfg) // no index yet: a full build
	if !st.Full || st.Added != 5 || st.Generation == "" {
		t.Fatalf("first run = %+v, want a full build of 5", st)
	}
	first := st.Generation

	st = update(t, cfg)
	if st.Full || st.Unchanged != 5 || st.Added+st.Updated+st.Deleted != 0 || st.Generation != "" {
		t.Errorf("re-run with nothing changed = %+v, want 5 unchanged and no new generation", st)
	}

	// Touched but identical: still unchanged, no write.
	now := time.Now().Add(time.Minute)
	if err := os.Chtimes(filepath.Join(articles, indextest.SeedAlimov), now, now); err != nil {
		t.Fatal(err)
	}
	if st = update(t, cfg); st.Unchanged != 5 || st.Generation != "" {
		t.Errorf("after touch = %+v, want 5 unchanged", st)
	}

	// Add one, change one, delete one.
	writeFile(t, filepath.Join(articles, "new/added.txt"), "Added headline\n\nA fresh article about Norov.\n")
	writeFile(t, filepath.Join(articles, indextest.SeedDushanbe), "Changed headline\n\nThe Dushanbe article was rewritten.\n")
	if err := os.Remove(filepath.Join(articles, indextest.SeedNorovVice)); err != nil {
		t.Fatal(err)
	}
	st = update(t, cfg)
	if st.Added != 1 || st.Updated != 1 || st.Deleted != 1 || st.Unchanged != 3 || st.Generation == "" || st.Full {
		t.Errorf("update = %+v, want 1 added, 1 updated, 1 deleted, 3 unchanged", st)
	}
	got := allIDs(t, dir)
	slices.Sort(got)
	want := []string{indextest.SeedAlimov, indextest.SeedNorovOut, indextest.SeedDushanbe, indextest.SeedQinZhang, "new/added.txt"}
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("index holds %v, want %v", got, want)
	}
	ix, err := index.Open(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	a, err := ix.Article(context.Background(), indextest.SeedDushanbe)
	if err != nil || a.Title != "Changed headline" {
		t.Errorf("changed article = %+v, %v", a, err)
	}
	if res := mustSearch(t, ix, search.Request{Query: "Norov"}); !slices.Contains(ids(res), "new/added.txt") || slices.Contains(ids(res), indextest.SeedNorovVice) {
		t.Errorf("Norov finds %v: want the added article and not the deleted one", ids(res))
	}
	// The replaced generation stays for readers that have not swapped yet;
	// older ones go.
	if _, err := os.Stat(first); err != nil {
		t.Errorf("previous generation %s removed while readers may use it: %v", first, err)
	}
	writeFile(t, filepath.Join(articles, "new/second.txt"), "Second headline\n\nAnother one.\n")
	update(t, cfg)
	if _, err := os.Stat(first); !os.IsNotExist(err) {
		t.Errorf("generation %s still on disk two publishes later", first)
	}
}

func TestUpdatePaths(t *testing.T) {
	articles := indextest.Corpus(t, nil)
	dir := filepath.Join(t.TempDir(), "index")
	update(t, gen.Config{Articles: articles, Index: dir})

	writeFile(t, filepath.Join(articles, "a.txt"), "A headline\n\nBody.\n")
	writeFile(t, filepath.Join(articles, "not-asked.txt"), "Other\n\nBody.\n")
	writeFile(t, filepath.Join(articles, ".hidden.txt"), "Hidden\n\nBody.\n")
	if err := os.Remove(filepath.Join(articles, indextest.SeedAlimov)); err != nil {
		t.Fatal(err)
	}
	st := update(t, gen.Config{Articles: articles, Index: dir,
		Paths: []string{"a.txt", indextest.SeedAlimov, "never-existed.txt", ".hidden.txt", "../escape.txt", "a.txt"}})
	if st.Added != 1 || st.Deleted != 1 || st.Files != 1 {
		t.Errorf("stats = %+v, want a.txt added and the seed deleted, nothing else looked at", st)
	}
	got := allIDs(t, dir)
	if !slices.Contains(got, "a.txt") || slices.Contains(got, indextest.SeedAlimov) || slices.Contains(got, "not-asked.txt") {
		t.Errorf("index holds %v", got)
	}
	// A full scan then picks up the file the paths update was not told of.
	if st := update(t, gen.Config{Articles: articles, Index: dir}); st.Added != 1 || st.Unchanged != 5 {
		t.Errorf("scan after paths update = %+v, want not-asked.txt added", st)
	}
}

// A file that turns bad keeps its indexed version; nothing is lost.
func TestUpdateKeepsLastGoodVersionOfABrokenFile(t *testing.T) {
	articles := indextest.Corpus(t, nil)
	dir := filepath.Join(t.TempDir(), "index")
	update(t, gen.Config{Articles: articles, Index: dir})
	writeFile(t, filepath.Join(articles, indextest.SeedQinZhang), "\x00\x01binary junk\xff")
	var skipped []string
	st := update(t, gen.Config{Articles: articles, Index: dir,
		Skipped: func(p string, err error) { skipped = append(skipped, p) }})
	if st.Skipped != 1 || !slices.Equal(skipped, []string{indextest.SeedQinZhang}) {
		t.Errorf("stats %+v, skipped %v", st, skipped)
	}
	if !slices.Contains(allIDs(t, dir), indextest.SeedQinZhang) {
		t.Error("the last good version of the broken file left the index")
	}
}

func TestFullRebuildReplacesManifest(t *testing.T) {
	articles := indextest.Corpus(t, nil)
	dir := filepath.Join(t.TempDir(), "index")
	update(t, gen.Config{Articles: articles, Index: dir})
	if err := os.Remove(filepath.Join(articles, indextest.SeedAlimov)); err != nil {
		t.Fatal(err)
	}
	if st := update(t, gen.Config{Articles: articles, Index: dir, Full: true}); !st.Full || st.Added != 4 {
		t.Errorf("full = %+v", st)
	}
	if st := update(t, gen.Config{Articles: articles, Index: dir}); st.Unchanged != 4 || st.Deleted != 0 || st.Generation != "" {
		t.Errorf("update after full = %+v, want 4 unchanged and nothing else", st)
	}
}

func TestUpdateWaitsForTheLock(t *testing.T) {
	articles := indextest.Corpus(t, nil)
	dir := filepath.Join(t.TempDir(), "index")
	update(t, gen.Config{Articles: articles, Index: dir})
	// Two updates at once: both finish, one after the other.
	errs := make(chan error, 2)
	for range 2 {
		go func() {
			_, err := gen.Update(context.Background(), gen.Config{Articles: articles, Index: dir, Full: true})
			errs <- err
		}()
	}
	for range 2 {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
	// While another process holds the lock, a caller waits, is told so,
	// and gets a clear error when it gives up.
	lock, err := os.OpenFile(filepath.Join(dir, "LOCK"), os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer lock.Close()
	if err := syscall.Flock(int(lock.Fd()), syscall.LOCK_EX); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	told := false
	_, err = gen.Update(ctx, gen.Config{Articles: articles, Index: dir, Waiting: func() { told = true }})
	if !errors.Is(err, gen.ErrBuildRunning) || !told {
		t.Errorf("Update under a held lock: err %v, told %v; want ErrBuildRunning after being told", err, told)
	}
}

func TestUpdatePathsOfADeletedFolder(t *testing.T) {
	articles := indextest.Corpus(t, map[string]string{"sub/a.txt": "A\n\nBody a.\n", "sub/b/c.txt": "C\n\nBody c.\n", "sub-x.txt": "X\n\nBody x.\n"})
	dir := filepath.Join(t.TempDir(), "index")
	update(t, gen.Config{Articles: articles, Index: dir})
	if err := os.RemoveAll(filepath.Join(articles, "sub")); err != nil {
		t.Fatal(err)
	}
	if st := update(t, gen.Config{Articles: articles, Index: dir, Paths: []string{"sub"}}); st.Deleted != 2 {
		t.Errorf("stats = %+v, want the 2 files under sub/ deleted", st)
	}
	if got := allIDs(t, dir); len(got) != 6 || !slices.Contains(got, "sub-x.txt") {
		t.Errorf("index holds %v, want the seeds and sub-x.txt", got)
	}
}

// Scores do not depend on how the index was built: one batch, many small
// batches, or incremental updates with deletions along the way.
func TestScoresIndependentOfHowTheIndexWasBuilt(t *testing.T) {
	articles := indextest.Corpus(t, map[string]string{"extra.txt": "Extra headline\n\nCooperation again and again.\n"})
	one := filepath.Join(t.TempDir(), "one")
	update(t, gen.Config{Articles: articles, Index: one})

	steps := filepath.Join(t.TempDir(), "steps")
	staged := indextest.Corpus(t, map[string]string{"tmp.txt": "Temporary\n\nA cooperation article that goes away.\n"})
	update(t, gen.Config{Articles: staged, Index: steps, BatchSize: 1})
	if err := os.Remove(filepath.Join(staged, "tmp.txt")); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(staged, "extra.txt"), "Extra headline\n\nCooperation again and again.\n")
	update(t, gen.Config{Articles: staged, Index: steps, BatchSize: 1})

	scores := func(dir string) map[string]float64 {
		ix, err := index.Open(dir, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer ix.Close()
		out := map[string]float64{}
		for _, h := range mustSearch(t, ix, search.Request{Query: "cooperation organization"}).Hits {
			out[h.ID] = h.Score
		}
		return out
	}
	a, b := scores(one), scores(steps)
	if len(a) != 6 || len(b) != 6 {
		t.Fatalf("hits: %v and %v, want 6 each", a, b)
	}
	for id, s := range a {
		if d := s - b[id]; d > 1e-9 || d < -1e-9 {
			t.Errorf("%s: score %v built at once, %v built in steps", id, s, b[id])
		}
	}
}

// A JSONL file with a broken line in the middle: the good lines are
// indexed, the bad one reported with its line number.
func TestJSONLWithABrokenLine(t *testing.T) {
	articles := indextest.Corpus(t, map[string]string{"feed.jsonl": `{"title":"First feed article","date":"2024-01-02","source":"Feed","body":"Alpha body about the SCO."}
{"title": broken
{"title":"Third feed article","date":"2024-01-03","source":"Feed","body":"Gamma body about the SCO."}
`})
	var reported []string
	st, err := gen.Build(context.Background(), gen.Config{Articles: articles, Index: filepath.Join(t.TempDir(), "ix"),
		Skipped: func(p string, err error) { reported = append(reported, err.Error()) }})
	if err != nil {
		t.Fatal(err)
	}
	if st.Indexed != 7 || st.BadLines != 1 || len(reported) != 1 || !strings.Contains(reported[0], "2") {
		t.Errorf("stats %+v, reported %q; want 7 articles and line 2 reported", st, reported)
	}
}

// A generation built before the schema's current version (here: one that
// records no version, as generations before versions were recorded) is
// rebuilt by an update, not updated in place; the rebuilt one records the
// version, and the next update is incremental again.
func TestSchemaVersionChangeRebuilds(t *testing.T) {
	articles := indextest.Corpus(t, nil)
	dir := filepath.Join(t.TempDir(), "index")
	cfg := gen.Config{Articles: articles, Index: dir}
	update(t, cfg)
	cur, err := gen.Current(dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(filepath.Join(cur, "newsfind-schema")); err != nil {
		t.Fatalf("the generation records no schema version: %v", err)
	}
	if st := update(t, cfg); !st.Full || st.Added != 5 {
		t.Fatalf("update of an old-schema generation = %+v, want a full rebuild of 5", st)
	}
	if st := update(t, cfg); st.Full || st.Unchanged != 5 {
		t.Errorf("update after the rebuild = %+v, want 5 unchanged", st)
	}
	if got := allIDs(t, dir); len(got) != 5 {
		t.Errorf("%d articles after the rebuild, want 5", len(got))
	}
}

// A full build, like an update, reports progress after each batch of
// BatchSize articles (the indexer's progress display and -batch rely on it).
func TestFullBuildReportsProgressPerBatch(t *testing.T) {
	var seen []search.UpdateStats
	st, err := gen.Build(context.Background(), gen.Config{
		Articles: indextest.Corpus(t, nil), Index: filepath.Join(t.TempDir(), "index"), BatchSize: 2,
		Progress: func(st search.UpdateStats) { seen = append(seen, st) }})
	if err != nil {
		t.Fatal(err)
	}
	if len(seen) < st.Indexed/2 || len(seen) < 2 || seen[0].Indexed != 2 || seen[0].Elapsed <= 0 {
		t.Errorf("%d articles, progress %+v; want a report per batch of 2", st.Indexed, seen)
	}
	for i := 1; i < len(seen); i++ {
		if seen[i].Files < seen[i-1].Files || seen[i].Indexed < seen[i-1].Indexed {
			t.Errorf("progress went back: %+v then %+v", seen[i-1], seen[i])
		}
	}
}
