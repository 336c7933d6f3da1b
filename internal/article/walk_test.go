package article

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// writeTree creates files (slash-separated path → content) under a new
// temporary folder and returns it.
func writeTree(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// outcome summarizes a File for comparison: "path ok N", "path unsupported"
// or "path error".
func outcome(f File) string {
	switch {
	case f.Unsupported:
		return f.Path + " unsupported"
	case f.Err != nil:
		return f.Path + " error"
	}
	return f.Path + " ok " + f.Articles[0].Title
}

func TestWalk(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"good.txt":        "Good title\n\nBody.",
		"empty.txt":       "",
		"binary.txt":      "\x00\x01\x02\xff\xfe",
		"photo.png":       "\x89PNG\r\n\x1a\n",
		"UPPER.TXT":       "Upper title\n\nBody.",
		"a-b.txt":         "Dash title\n\nBody.",
		"a/x.txt":         "Nested title\n\nBody.",
		"a/deeper/y.txt":  "Deeper title\n\nBody.",
		".hidden.txt":     "Hidden\n\nBody.",
		".git/config.txt": "Hidden folder\n\nBody.",
		"a/.cache/z.txt":  "Hidden folder\n\nBody.",
		"draft.txt.tmp":   "Temporary\n\nBody.",
		"partial.TMP":     "Temporary\n\nBody.",
		"notes/readme":    "no extension",
		"latin1.txt":      "Caf\xe9 title\n\nCosts \xa35.",
		"nested/more.xml": "<feed/>",
	})
	var got []string
	err := Walk(context.Background(), dir, func(f File) error {
		got = append(got, outcome(f))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// Lexical order of the slash paths: "a-b.txt" < "a/x.txt" because
	// '-' < '/', and upper case before lower case.
	want := []string{
		"UPPER.TXT ok Upper title",
		"a-b.txt ok Dash title",
		"a/deeper/y.txt ok Deeper title",
		"a/x.txt ok Nested title",
		"binary.txt error",
		"empty.txt error",
		"good.txt ok Good title",
		"latin1.txt ok Café title",
		"nested/more.xml unsupported",
		"notes/readme unsupported",
		"photo.png unsupported",
	}
	if !slices.Equal(got, want) {
		t.Errorf("Walk visited\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestWalkFileErrorsNameTheFile(t *testing.T) {
	dir := writeTree(t, map[string]string{"empty.txt": "", "binary.txt": "\x00junk"})
	err := Walk(context.Background(), dir, func(f File) error {
		if f.Err == nil || !strings.Contains(f.Err.Error(), f.Path) {
			t.Errorf("%s: err = %v, want an error naming the file", f.Path, f.Err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestWalkUnreadable(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("running as root: permissions do not stop reading")
	}
	dir := writeTree(t, map[string]string{"locked.txt": "Title\n\nBody.", "sub/in.txt": "Title\n\nBody."})
	for _, p := range []string{filepath.Join(dir, "locked.txt"), filepath.Join(dir, "sub")} {
		if err := os.Chmod(p, 0); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { os.Chmod(p, 0o755) })
	}
	var got []string
	if err := Walk(context.Background(), dir, func(f File) error {
		got = append(got, outcome(f))
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if want := []string{"locked.txt error", "sub error"}; !slices.Equal(got, want) {
		t.Errorf("Walk visited %q, want %q", got, want)
	}
}

func TestWalkFolderErrors(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "nope")
	err := Walk(context.Background(), missing, func(File) error { return nil })
	if !errors.Is(err, fs.ErrNotExist) || !strings.Contains(err.Error(), missing) {
		t.Errorf("missing folder: err = %v, want ErrNotExist naming %s", err, missing)
	}

	file := filepath.Join(writeTree(t, map[string]string{"a.txt": "T"}), "a.txt")
	err = Walk(context.Background(), file, func(File) error { return nil })
	if err == nil || !strings.Contains(err.Error(), file) || !strings.Contains(err.Error(), "not a folder") {
		t.Errorf("file as folder: err = %v, want an error naming %s", err, file)
	}
}

func TestWalkStops(t *testing.T) {
	dir := writeTree(t, map[string]string{"1.txt": "One", "2.txt": "Two", "3.txt": "Three"})

	stop := errors.New("stop")
	calls := 0
	err := Walk(context.Background(), dir, func(File) error {
		calls++
		return stop
	})
	if err != stop || calls != 1 {
		t.Errorf("fn error: err = %v after %d calls, want fn's error after 1", err, calls)
	}

	ctx, cancel := context.WithCancel(context.Background())
	calls = 0
	err = Walk(ctx, dir, func(File) error {
		calls++
		cancel()
		return nil
	})
	if !errors.Is(err, context.Canceled) || calls != 1 {
		t.Errorf("cancelled: err = %v after %d calls, want context.Canceled after 1", err, calls)
	}
}

func TestReadFile(t *testing.T) {
	dir := writeTree(t, map[string]string{"sub/a.txt": "Title\n\nBody.", "folder.txt/x.png": ""})
	if f := ReadFile(dir, "sub/a.txt"); f.Err != nil || f.Path != "sub/a.txt" || f.Articles[0].ID != "sub/a.txt" {
		t.Errorf("ReadFile = %+v", f)
	}
	if f := ReadFile(dir, "sub/missing.txt"); !errors.Is(f.Err, fs.ErrNotExist) || !strings.Contains(f.Err.Error(), "sub/missing.txt") {
		t.Errorf("missing file: %+v", f)
	}
	if f := ReadFile(dir, "../escape.txt"); f.Err == nil {
		t.Errorf("path outside the root: %+v, want an error", f)
	}
	if f := ReadFile(dir, "folder.txt"); f.Unsupported || f.Err == nil || !strings.Contains(f.Err.Error(), "not a regular file") {
		t.Errorf("folder: %+v, want a not-a-regular-file error", f)
	}
	if f := ReadFile(dir, "sub"); !f.Unsupported || f.Err != nil {
		t.Errorf("no extension: %+v, want unsupported", f)
	}
}

func TestReadFileRefusesHugeFiles(t *testing.T) {
	dir := t.TempDir()
	fh, err := os.Create(filepath.Join(dir, "huge.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if err := fh.Truncate(MaxFileSize + 1); err != nil { // sparse: no disk used
		t.Fatal(err)
	}
	if err := fh.Close(); err != nil {
		t.Fatal(err)
	}
	if f := ReadFile(dir, "huge.txt"); f.Err == nil || !strings.Contains(f.Err.Error(), "limit") {
		t.Errorf("ReadFile = %v, want a size error", f.Err)
	}
}

func TestReadFileSkipsCorpusDocs(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"README.TXT", "sub/License.txt", "readme.txt"} {
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), []byte("Title\n\nBody text.\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		if f := ReadFile(dir, name); !f.Unsupported || len(f.Articles) != 0 {
			t.Errorf("%s: %+v, want it counted as not an article", name, f)
		}
	}
	if f := ReadFile(dir, "readme-notes.txt"); f.Unsupported {
		t.Errorf("readme-notes.txt is an ordinary name, got Unsupported")
	}
}

func TestListMatchesWalkWithoutReading(t *testing.T) {
	dir := t.TempDir()
	for name, content := range map[string]string{"b.txt": "B\n\nbody b\n", "a/x.txt": "X\n\nbody x\n", "a-b.txt": "AB\n\nbody\n", "c.png": "png"} {
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var walked, listed []string
	if err := Walk(context.Background(), dir, func(f File) error {
		walked = append(walked, f.Path)
		if !f.Unsupported && (f.Hash == "" || f.Size == 0 || f.ModTime.IsZero()) {
			t.Errorf("%s: read without size, time or hash: %+v", f.Path, f)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if err := List(context.Background(), dir, func(e Entry) error {
		listed = append(listed, e.Path)
		if e.Size == 0 || e.ModTime.IsZero() {
			t.Errorf("%s: no size or time: %+v", e.Path, e)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	want := []string{"a-b.txt", "a/x.txt", "b.txt", "c.png"}
	if !slices.Equal(walked, want) || !slices.Equal(listed, want) {
		t.Errorf("walked %v, listed %v; want %v", walked, listed, want)
	}
}

func TestListed(t *testing.T) {
	for rel, want := range map[string]bool{
		"a.txt": true, "sub/a.txt": true, ".hidden.txt": false, "sub/.git/x.txt": false,
		"a.txt.tmp": false, "sub/A.TMP": false, "tmp/a.txt": true, "x.tmp/a.txt": true,
	} {
		if got := Listed(rel); got != want {
			t.Errorf("Listed(%q) = %v, want %v", rel, got, want)
		}
	}
}
