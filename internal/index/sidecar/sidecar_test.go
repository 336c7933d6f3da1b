package sidecar_test

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/newsfind/newsfind/internal/index/sidecar"
)

type sample struct {
	n     uint64
	u32   []uint32
	i64   []int64
	strs  []string
	empty []uint32
}

func (s *sample) encode(e *sidecar.Encoder) {
	e.Uint64(s.n)
	e.Uint32s(s.u32)
	e.Int64s(s.i64)
	e.Strings(s.strs)
	e.Uint32s(s.empty)
}

func (s *sample) decode(d *sidecar.Decoder) error {
	s.n = d.Uint64()
	s.u32 = d.Uint32s()
	s.i64 = d.Int64s()
	s.strs = d.Strings()
	s.empty = d.Uint32s()
	return nil
}

func want() *sample {
	u := make([]uint32, 5000) // more than one write chunk
	for i := range u {
		u[i] = uint32(i * 7919)
	}
	return &sample{
		n:    42,
		u32:  u,
		i64:  []int64{-1 << 62, 0, 7, 1 << 62},
		strs: []string{"", "Wang Yi", "Шанхай", "a"},
	}
}

func write(t *testing.T, path, fp string) {
	t.Helper()
	if err := sidecar.Write(path, "test", 1, fp, want().encode); err != nil {
		t.Fatal(err)
	}
}

// read reads a file as sidecar.Read does, then closes it.
func read(path, kind string, version uint32, fp string, fn func(*sidecar.Decoder) error) error {
	f, err := sidecar.Read(path, kind, version, fp, fn)
	if err != nil {
		return err
	}
	return f.Close()
}

func TestRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "f")
	write(t, path, "fp1")
	var got sample
	f, err := sidecar.Read(path, "test", 1, "fp1", got.decode)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close() // the arrays read lie in its pages
	w := want()
	if got.n != w.n || !slices.Equal(got.u32, w.u32) || !slices.Equal(got.i64, w.i64) ||
		!slices.Equal(got.strs, w.strs) || len(got.empty) != 0 {
		t.Errorf("read back %+v", got)
	}
	if left, _ := filepath.Glob(path + ".*"); len(left) > 0 {
		t.Errorf("temporary files left: %v", left)
	}
}

func TestRefused(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "f")
	write(t, path, "fp1")
	var s sample
	if err := read(path, "test", 1, "fp2", s.decode); !errors.Is(err, sidecar.ErrStale) {
		t.Errorf("other fingerprint: %v, want ErrStale", err)
	}
	if err := read(path, "test", 2, "fp1", s.decode); !errors.Is(err, sidecar.ErrStale) {
		t.Errorf("other version: %v, want ErrStale", err)
	}
	if err := read(path, "other", 1, "fp1", s.decode); err == nil {
		t.Error("other kind read")
	}
	if err := read(filepath.Join(dir, "none"), "test", 1, "fp1", s.decode); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("absent file: %v, want ErrNotExist", err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for name, bad := range map[string][]byte{
		"flipped byte": func() []byte { c := slices.Clone(b); c[len(c)/2] ^= 1; return c }(),
		"truncated":    b[:len(b)/2],
		"empty":        nil,
	} {
		os.WriteFile(path, bad, 0o644)
		if err := read(path, "test", 1, "fp1", s.decode); err == nil {
			t.Errorf("%s: read without error", name)
		}
	}
	// Sections left unread mean reader and writer disagree.
	write(t, path, "fp1")
	if err := read(path, "test", 1, "fp1", func(d *sidecar.Decoder) error { d.Uint64(); return nil }); err == nil {
		t.Error("sections left unread: no error")
	}
}

// A generation's sidecar may be a hard link shared with the generation it
// was copied from: writing replaces the link, never the shared file.
func TestWriteReplacesALink(t *testing.T) {
	dir := t.TempDir()
	old, cur := filepath.Join(dir, "old"), filepath.Join(dir, "new")
	write(t, old, "fp1")
	if err := os.Link(old, cur); err != nil {
		t.Skip("no hard links here:", err)
	}
	write(t, cur, "fp2")
	var s sample
	if err := read(old, "test", 1, "fp1", s.decode); err != nil {
		t.Errorf("the other link changed: %v", err)
	}
	if err := read(cur, "test", 1, "fp2", s.decode); err != nil {
		t.Error(err)
	}
}

// What Strings reads is the process's own and outlives the File; what
// StringList and the arrays read lies in its pages until Close. The file
// can be replaced meanwhile (Write renames over it): the mapping keeps the
// bytes it was opened with.
func TestStringsOutliveTheFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "f")
	labels := []string{"", "Wang Yi", "Шанхай", "a"}
	if err := sidecar.Write(path, "test", 1, "fp", func(e *sidecar.Encoder) {
		e.Strings(labels)
		e.StringList(sidecar.NewStringList(labels))
		e.Uint32s([]uint32{1, 2, 3})
	}); err != nil {
		t.Fatal(err)
	}
	var strs []string
	var list sidecar.StringList
	var nums []uint32
	f, err := sidecar.Read(path, "test", 1, "fp", func(d *sidecar.Decoder) error {
		strs, list, nums = d.Strings(), d.StringList(), d.Uint32s()
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	write(t, path, "fp2") // replaces the file while it is mapped
	if list.Len() != len(labels) || !slices.Equal(nums, []uint32{1, 2, 3}) {
		t.Fatalf("read back %d strings, %v", list.Len(), nums)
	}
	var fromList []string
	for i := range list.Len() {
		fromList = append(fromList, list.At(i))
	}
	if i, ok := list.Search("Wang Yi"); !ok || i != 1 {
		t.Errorf("Search(Wang Yi) = %d, %v", i, ok)
	}
	if i, ok := list.Search("W"); ok || i != 1 {
		t.Errorf("Search(W) = %d, %v", i, ok)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	// Were these strings in the unmapped pages, reading them would fault.
	if !slices.Equal(strs, labels) || !slices.Equal(fromList, labels) {
		t.Errorf("after Close: %q and %q, want %q", strs, fromList, labels)
	}
}

// A file read once is not checksummed again while it stays the same
// file (a hard link of it too); one replaced, as Write replaces files, or
// changed in place is checked again.
func TestChecksumTakenAsKnownForTheSameFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "a.table")
	write := func() {
		t.Helper()
		if err := sidecar.Write(path, "test", 1, "fp", func(e *sidecar.Encoder) { e.Uint32s([]uint32{1, 2, 3}) }); err != nil {
			t.Fatal(err)
		}
		old := time.Now().Add(-time.Minute) // settled
		if err := os.Chtimes(path, old, old); err != nil {
			t.Fatal(err)
		}
	}
	read := func(p string) error {
		f, err := sidecar.Read(p, "test", 1, "fp", func(d *sidecar.Decoder) error { d.Uint32s(); return nil })
		f.Close()
		return err
	}
	// damage flips a byte of the checksummed body in place, keeping the
	// file's size and modification time.
	damage := func(p string) {
		t.Helper()
		st, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		b[len(b)-6] ^= 0xff
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(p, st.ModTime(), st.ModTime()); err != nil {
			t.Fatal(err)
		}
	}
	write()
	if err := read(path); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link.table")
	if err := os.Link(path, link); err != nil {
		t.Skip("no hard links here:", err)
	}
	damage(path)
	if err := read(link); err != nil {
		t.Errorf("the checksum of a file checked before was read again: %v", err)
	}
	write() // a new file under the name
	damage(path)
	if err := read(path); err == nil {
		t.Error("a damaged file replacing a checked one was read")
	}
	write()
	if err := read(path); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	b[len(b)-6] ^= 0xff
	if err := os.WriteFile(path, b, 0o644); err != nil { // now: a later time
		t.Fatal(err)
	}
	if err := read(path); err == nil {
		t.Error("a checked file damaged in place was read")
	}
	// A file just written is not taken as known: its modification time
	// could be that of a change in place within the same clock tick.
	if err := sidecar.Write(path, "test", 1, "fp", func(e *sidecar.Encoder) { e.Uint32s([]uint32{1, 2, 3}) }); err != nil {
		t.Fatal(err)
	}
	if err := read(path); err != nil {
		t.Fatal(err)
	}
	damage(path)
	if err := read(path); err == nil {
		t.Error("a file damaged in place just after it was written and read was read")
	}
}
