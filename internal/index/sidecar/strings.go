package sidecar

import (
	"sort"
	"strings"
	"unsafe"
)

// StringList is a list of strings laid out in one byte slice, as a file
// holds it: string i is blob[ends[i-1]:ends[i]]. Read from a File, it lies
// in the file's mapped pages and costs no memory of the process's own,
// however many strings it holds; At hands out copies, so no string of it
// outlives the File.
type StringList struct {
	blob []byte
	ends []uint32
}

// NewStringList lays out strs as one list.
func NewStringList(strs []string) StringList {
	n := 0
	for _, s := range strs {
		n += len(s)
	}
	l := StringList{blob: make([]byte, 0, n), ends: make([]uint32, len(strs))}
	for i, s := range strs {
		l.blob = append(l.blob, s...)
		l.ends[i] = uint32(len(l.blob))
	}
	return l
}

// NewStringListCap returns an empty list with room for n strings of
// bytes bytes in all, for Append.
func NewStringListCap(n, bytes int) StringList {
	return StringList{blob: make([]byte, 0, bytes), ends: make([]uint32, 0, n)}
}

// Len returns the number of strings.
func (l StringList) Len() int { return len(l.ends) }

// At returns string i, copied.
func (l StringList) At(i int) string { return string(l.bytes(i)) }

func (l StringList) bytes(i int) []byte {
	start := uint32(0)
	if i > 0 {
		start = l.ends[i-1]
	}
	return l.blob[start:l.ends[i]]
}

// View returns string i without copying it, valid while the list is (a
// mapped file's until it is closed).
func (l StringList) View(i int) string { return l.view(i) }

// view returns string i without copying it: for comparisons that do not
// keep it.
func (l StringList) view(i int) string {
	b := l.bytes(i)
	return unsafe.String(unsafe.SliceData(b), len(b))
}

// Search returns where s is, or would be inserted, in a list sorted in
// byte order, and whether it is there.
func (l StringList) Search(s string) (int, bool) {
	i := sort.Search(l.Len(), func(i int) bool { return l.view(i) >= s })
	return i, i < l.Len() && l.view(i) == s
}

// Bytes returns the memory the list holds (mapped or not).
func (l StringList) Bytes() int { return len(l.blob) + 4*len(l.ends) }

// StringList writes a list of strings, as Strings does.
func (e *Encoder) StringList(l StringList) {
	e.Uint32s(l.ends)
	e.write(l.blob)
}

// StringList reads a list of strings Strings or StringList wrote, in
// place: it shares the File's pages and is valid until the File is
// closed.
func (d *Decoder) StringList() StringList {
	ends := d.ends()
	p := d.take(uint64(lastEnd(ends)))
	if d.err != nil {
		return StringList{}
	}
	return StringList{blob: p, ends: ends}
}

// Prefixed returns the indexes [lo, hi) of the strings starting with p in
// a list sorted in byte order.
func (l StringList) Prefixed(p string) (lo, hi int) {
	lo, _ = l.Search(p)
	hi = lo + sort.Search(l.Len()-lo, func(i int) bool { return !strings.HasPrefix(l.view(lo+i), p) })
	return lo, hi
}

// Append adds a copy of b at the end of the list.
func (l *StringList) Append(b []byte) {
	l.blob = append(l.blob, b...)
	l.ends = append(l.ends, uint32(len(l.blob)))
}

// AppendTo appends string i to dst and returns the extended slice: a copy
// made without allocating when dst has room.
func (l StringList) AppendTo(dst []byte, i int) []byte { return append(dst, l.bytes(i)...) }

// Matches reports whether string i is b.
func (l StringList) Matches(i int, b []byte) bool { return string(l.bytes(i)) == string(b) }

// Compare compares strings i and j in byte order.
func (l StringList) Compare(i, j int) int { return strings.Compare(l.view(i), l.view(j)) }

// CompareTo compares string i of l with string j of m in byte order.
func (l StringList) CompareTo(i int, m StringList, j int) int {
	return strings.Compare(l.view(i), m.view(j))
}

// Reordered returns a new list of l's strings in the given order: its
// string k is l's order[k].
func (l StringList) Reordered(order []uint32) StringList {
	out := StringList{blob: make([]byte, 0, len(l.blob)), ends: make([]uint32, 0, len(order))}
	for _, i := range order {
		out.Append(l.bytes(int(i)))
	}
	return out
}

// Bytes writes a slice of bytes.
func (e *Encoder) Bytes(v []byte) {
	e.Uint64(uint64(len(v)))
	e.align()
	e.write(v)
}

// Rows writes n rows of size bytes each as one slice of bytes, as Bytes
// writes their concatenation, asking row for each in turn, zeroed, in a
// buffer it reuses: a file of many rows is written without holding them
// all. An error from row is the Encoder's.
func (e *Encoder) Rows(n, size int, row func(i int, into []byte) error) {
	e.Uint64(uint64(n) * uint64(size))
	e.align()
	buf := make([]byte, size)
	for i := 0; i < n && e.err == nil; i++ {
		clear(buf)
		if err := row(i, buf); err != nil {
			e.err = err
			return
		}
		e.write(buf)
	}
}

// Bytes reads a slice of bytes Encoder.Bytes wrote, in place: it shares
// the File's pages and is valid until the File is closed.
func (d *Decoder) Bytes() []byte {
	n := d.length(1)
	return d.take(n)
}
