package article

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// writeFiles writes name → content under dir, making folders.
func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// walkAll returns what Walk passed for each path: "ok" for a read
// article, else its error.
func walkAll(t *testing.T, dir string) map[string]error {
	t.Helper()
	got := map[string]error{}
	if err := Walk(context.Background(), dir, func(f File) error {
		got[f.Path] = f.Err
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return got
}

// TestAbuseLinksOutsideTheFolderAreNotRead is row 4 of issue 17: a link to
// /etc/passwd in the articles folder was read, indexed and served. Links
// that lead outside (absolute ones included) are now passed on with an
// error wrapping ErrOutside and never read; a relative link to a file in
// the folder is still read under its own name; a linked folder is not
// followed.
func TestAbuseLinksOutsideTheFolderAreNotRead(t *testing.T) {
	dir, outside := t.TempDir(), t.TempDir()
	writeFiles(t, dir, map[string]string{"sub/a.txt": "Inside\n\nAn article inside the folder.\n"})
	writeFiles(t, outside, map[string]string{"secret.txt": "Secret\n\nroot:x:0:0:root:/root:/usr/sbin/nologin\n"})
	for link, target := range map[string]string{
		"passwd.txt": "/etc/passwd",
		"secret.txt": filepath.Join(outside, "secret.txt"),
		"climb.txt":  "../" + filepath.Base(outside) + "/secret.txt",
		"inside.txt": "sub/a.txt",
		"abs.txt":    filepath.Join(dir, "sub", "a.txt"), // absolute: os.Root cannot tell it stays inside
		"linkdir":    outside,
	} {
		if err := os.Symlink(target, filepath.Join(dir, link)); err != nil {
			t.Fatal(err)
		}
	}
	got := walkAll(t, dir)
	for _, p := range []string{"passwd.txt", "secret.txt", "climb.txt", "abs.txt"} {
		if !errors.Is(got[p], ErrOutside) {
			t.Errorf("%s: err %v, want ErrOutside", p, got[p])
		}
	}
	if err, ok := got["inside.txt"]; !ok || err != nil {
		t.Errorf("inside.txt (a link inside the folder): %v, %v; want it read", ok, err)
	}
	for p := range got {
		if strings.HasPrefix(p, "linkdir/") {
			t.Errorf("walked into a linked folder: %s", p)
		}
	}
	if f := ReadFile(dir, "passwd.txt"); !errors.Is(f.Err, ErrOutside) || len(f.Articles) > 0 {
		t.Errorf("ReadFile(passwd.txt) = %+v, want ErrOutside", f)
	}
	if f := ReadFile(dir, "linkdir/secret.txt"); f.Err == nil || len(f.Articles) > 0 {
		t.Errorf("ReadFile through a linked folder = %+v, want an error", f)
	}
	for _, p := range []string{"passwd.txt", "linkdir/secret.txt", "../x.txt"} {
		if _, err := Stat(dir, p); !errors.Is(err, ErrOutside) {
			t.Errorf("Stat(%s): %v, want ErrOutside", p, err)
		}
	}
	if _, err := Stat(dir, "inside.txt"); err != nil {
		t.Errorf("Stat(inside.txt): %v", err)
	}
}

// TestAbuseDeepFoldersAreNotWalked is row 8 of issue 17: 2,000 nested
// folders were all walked. Folders past MaxDepth are reported, not listed.
func TestAbuseDeepFoldersAreNotWalked(t *testing.T) {
	dir := t.TempDir()
	deep := strings.Repeat("d/", MaxDepth+3)
	writeFiles(t, dir, map[string]string{
		strings.Repeat("d/", MaxDepth) + "ok.txt": "Deep\n\nAs deep as allowed.\n",
		deep + "too-deep.txt":                     "Deeper\n\nToo deep.\n",
	})
	got := walkAll(t, dir)
	if err, ok := got[strings.Repeat("d/", MaxDepth)+"ok.txt"]; !ok || err != nil {
		t.Errorf("a file %d folders deep: %v, %v; want it read", MaxDepth, ok, err)
	}
	tooDeep := strings.TrimSuffix(strings.Repeat("d/", MaxDepth+1), "/")
	if err := got[tooDeep]; err == nil || !strings.Contains(err.Error(), "deep") {
		t.Errorf("folder %d deep: err %v, want a depth message; walked %d paths", MaxDepth+1, err, len(got))
	}
	if _, ok := got[deep+"too-deep.txt"]; ok {
		t.Errorf("read a file past the depth cap")
	}
	if _, err := Stat(dir, deep+"too-deep.txt"); err == nil || !strings.Contains(err.Error(), "deep") {
		t.Errorf("Stat past the depth cap: %v, want a depth error", err)
	}
}

// TestAbuseCheckPath is row 8 of issue 17 for names: each bad name gets
// an error that says what is wrong.
func TestAbuseCheckPath(t *testing.T) {
	for name, want := range map[string]string{
		"a\x00b.txt":                       "control character U+0000",
		"a\nb.txt":                         "control character",
		strings.Repeat("n", 300) + ".txt":  "over the 200-byte cap",
		strings.Repeat("d/", 40) + "x.txt": "folders deep",
		strings.Repeat("abcdefghi/", 120):  "over the 1000-byte cap",
		"bad\xffutf8.txt":                  "not valid UTF-8",
	} {
		if err := CheckPath(name); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("CheckPath(%.40q) = %v, want %q", name, err, want)
		}
	}
	for _, ok := range []string{"a.txt", "2024/06/30/bbc/a.txt", strings.Repeat("n", MaxNameBytes)} {
		if err := CheckPath(ok); err != nil {
			t.Errorf("CheckPath(%.40q) = %v, want nil", ok, err)
		}
	}
}

// TestAbuseHugeFilesAreNotRead is row 6 of issue 17: a 31 MB text file
// was read whole. A file over its format's cap is refused from its size,
// before a byte is read.
func TestAbuseHugeFilesAreNotRead(t *testing.T) {
	dir := t.TempDir()
	for name, size := range map[string]int64{"huge.txt": MaxFileSize + 1, "huge.html": MaxFileSize + 1, "huge.jsonl": MaxLinesFileSize + 1} {
		fh, err := os.Create(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if err := fh.Truncate(size); err != nil { // sparse: no disk used
			t.Fatal(err)
		}
		if err := fh.Close(); err != nil {
			t.Fatal(err)
		}
		want := fmt.Sprintf("over the %d-byte limit", MaxSize(name))
		if f := ReadFile(dir, name); f.Err == nil || !strings.Contains(f.Err.Error(), want) {
			t.Errorf("ReadFile(%s) = %v, want %q", name, f.Err, want)
		}
	}
}

// TestAbuseHugeFieldsAreCut is row 6 of issue 17: a field over its cap is
// cut, and the cut reported in File.Cuts.
func TestAbuseHugeFieldsAreCut(t *testing.T) {
	dir := t.TempDir()
	para := strings.Repeat("The committee met again to discuss the budget. ", 100)
	var body strings.Builder
	for body.Len() < 2*MaxBodyBytes {
		body.WriteString(para + "\n\n")
	}
	people := make([]string, 3*MaxEntities)
	for i := range people {
		people[i] = fmt.Sprintf("Person Number%d", i)
	}
	js, err := json.Marshal(map[string]any{
		"title": strings.Repeat("Headline ", 500), "body": "A short body.", "people": people,
		"source": strings.Repeat("S", 5000),
	})
	if err != nil {
		t.Fatal(err)
	}
	writeFiles(t, dir, map[string]string{"long.txt": "Budget talks\n\n" + body.String(), "many.json": string(js)})

	f := ReadFile(dir, "long.txt")
	if f.Err != nil || len(f.Articles) != 1 {
		t.Fatalf("long.txt: %+v", f.Err)
	}
	if b := f.Articles[0].Body; len(b) > MaxBodyBytes || len(b) < MaxBodyBytes*9/10 {
		t.Errorf("body is %d bytes, want at most and near %d", len(b), MaxBodyBytes)
	}
	if !slices.ContainsFunc(f.Cuts, func(c string) bool { return strings.HasPrefix(c, "body: ") }) {
		t.Errorf("cuts %v, want the body's", f.Cuts)
	}

	f = ReadFile(dir, "many.json")
	if f.Err != nil || len(f.Articles) != 1 {
		t.Fatalf("many.json: %+v", f.Err)
	}
	a := f.Articles[0]
	if len(a.Title) > MaxTitleBytes || len(a.Source) > MaxFieldBytes || len(a.People) != MaxEntities {
		t.Errorf("title %d bytes, source %d bytes, %d people; want at most %d, %d and %d",
			len(a.Title), len(a.Source), len(a.People), MaxTitleBytes, MaxFieldBytes, MaxEntities)
	}
	for _, field := range []string{"title: ", "source: ", "people: "} {
		if !slices.ContainsFunc(f.Cuts, func(c string) bool { return strings.HasPrefix(c, field) }) {
			t.Errorf("cuts %v, want one for %s", f.Cuts, field)
		}
	}
}
