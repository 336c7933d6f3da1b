package sidecar_test

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"testing"

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

func TestRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "f")
	write(t, path, "fp1")
	var got sample
	if err := sidecar.Read(path, "test", 1, "fp1", got.decode); err != nil {
		t.Fatal(err)
	}
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
	if err := sidecar.Read(path, "test", 1, "fp2", s.decode); !errors.Is(err, sidecar.ErrStale) {
		t.Errorf("other fingerprint: %v, want ErrStale", err)
	}
	if err := sidecar.Read(path, "test", 2, "fp1", s.decode); !errors.Is(err, sidecar.ErrStale) {
		t.Errorf("other version: %v, want ErrStale", err)
	}
	if err := sidecar.Read(path, "other", 1, "fp1", s.decode); err == nil {
		t.Error("other kind read")
	}
	if err := sidecar.Read(filepath.Join(dir, "none"), "test", 1, "fp1", s.decode); !errors.Is(err, os.ErrNotExist) {
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
		if err := sidecar.Read(path, "test", 1, "fp1", s.decode); err == nil {
			t.Errorf("%s: read without error", name)
		}
	}
	// Sections left unread mean reader and writer disagree.
	write(t, path, "fp1")
	if err := sidecar.Read(path, "test", 1, "fp1", func(d *sidecar.Decoder) error { d.Uint64(); return nil }); err == nil {
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
	if err := sidecar.Read(old, "test", 1, "fp1", s.decode); err != nil {
		t.Errorf("the other link changed: %v", err)
	}
	if err := sidecar.Read(cur, "test", 1, "fp2", s.decode); err != nil {
		t.Error(err)
	}
}
