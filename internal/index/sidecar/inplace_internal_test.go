package sidecar

import (
	"path/filepath"
	"slices"
	"testing"
	"unsafe"
)

// On a little-endian machine the arrays and string lists of a file are
// used where they lie in its mapped pages, not decoded into copies: every
// array starts aligned, whatever precedes it. Strings are copied out.
func TestArraysReadInPlace(t *testing.T) {
	if !littleEndian {
		t.Skip("arrays are copied on a big-endian machine")
	}
	path := filepath.Join(t.TempDir(), "f")
	err := Write(path, "test", 1, "fp", func(e *Encoder) {
		e.Strings([]string{"odd", "lengths"})
		e.Uint32s([]uint32{1, 2, 3})
		e.Strings([]string{"x"})
		e.Int64s([]int64{-4, 5})
		e.Uint32s([]uint32{6})
	})
	if err != nil {
		t.Fatal(err)
	}
	f, err := Read(path, "test", 1, "fp", func(d *Decoder) error {
		lo := uintptr(unsafe.Pointer(unsafe.SliceData(d.b)))
		hi := lo + uintptr(len(d.b))
		inRead := func(name string, p unsafe.Pointer) {
			if uintptr(p) < lo || uintptr(p) >= hi {
				t.Errorf("%s: a copy, not the bytes read", name)
			}
		}
		s1, u1, l2, i1, u2 := d.Strings(), d.Uint32s(), d.StringList(), d.Int64s(), d.Uint32s()
		s2 := []string{l2.At(0)}
		if !slices.Equal(s1, []string{"odd", "lengths"}) || !slices.Equal(u1, []uint32{1, 2, 3}) ||
			!slices.Equal(s2, []string{"x"}) || !slices.Equal(i1, []int64{-4, 5}) || !slices.Equal(u2, []uint32{6}) {
			t.Errorf("read back %q %v %q %v %v", s1, u1, s2, i1, u2)
		}
		if p := uintptr(unsafe.Pointer(unsafe.StringData(s1[1]))); p >= lo && p < hi {
			t.Error("strings: in the file's pages, not copied out")
		}
		inRead("string list", unsafe.Pointer(unsafe.SliceData(l2.blob)))
		inRead("uint32s", unsafe.Pointer(&u1[0]))
		inRead("int64s", unsafe.Pointer(&i1[0]))
		inRead("uint32s after int64s", unsafe.Pointer(&u2[0]))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	f.Close()
}
