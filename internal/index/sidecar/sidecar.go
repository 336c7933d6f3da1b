// Package sidecar reads and writes the files a generation keeps beside its
// bleve index: tables derived from the index (facet columns, suggestion
// lists) that are written once, when the generation is built, so that
// opening it costs one read of each file instead of a pass over the index.
//
// A file holds a header (magic, kind, format version, the fingerprint of
// the index it was derived from), then sections of little-endian numbers
// and strings written and read in the same order, then a CRC-32C of all
// of it. Each array starts at a multiple of 8 bytes, and a file is read by
// mapping it: on a little-endian machine an array (and a StringList) is
// used where it lies in the file's pages, without decoding or copying it.
// Opening a generation of a million articles then costs a checksum of each
// file at memory speed, and its tables count as mapped file pages, not as
// the process's own memory (reading 112 MB into fresh memory took ten
// times as long as mapping and checksumming it, page faults mostly). A
// file that is absent, damaged, of another kind or version, or derived
// from another index is refused with an error, and the caller rebuilds
// what it would have held: a sidecar can only save time.
package sidecar

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"iter"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"unsafe"
)

const magic = "newsfind sidecar 2\n"

// castagnoli is the checksum's polynomial: CRC-32C, which amd64 and arm64
// compute in hardware several times faster than IEEE's.
var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// littleEndian reports whether this machine lays numbers out as the files
// do: then arrays are read in place.
var littleEndian = func() bool {
	x := uint16(1)
	return *(*byte)(unsafe.Pointer(&x)) == 1
}()

// ErrStale is returned by Read for a file derived from another index than
// the one given by the fingerprint, or written by another format version.
var ErrStale = errors.New("sidecar is stale")

// maxLen bounds one section's length (and a string list's bytes), so that
// no length read asks for more than a sidecar can hold.
const maxLen = 1 << 31

// Encoder writes the sections of one file. Its methods record the first
// error and do nothing after it; Write returns it.
type Encoder struct {
	w   *bufio.Writer
	err error
	buf [8]byte
	off int // bytes written, from the file's start
}

func (e *Encoder) write(p []byte) {
	if e.err == nil {
		_, e.err = e.w.Write(p)
		e.off += len(p)
	}
}

// align pads to the next multiple of 8 bytes, where an array starts.
func (e *Encoder) align() {
	var zero [8]byte
	e.write(zero[:(8-e.off%8)%8])
}

// Uint64 writes one number.
func (e *Encoder) Uint64(v uint64) {
	binary.LittleEndian.PutUint64(e.buf[:], v)
	e.write(e.buf[:8])
}

// Uint32s writes a slice of numbers (nil and empty read back as empty).
func (e *Encoder) Uint32s(v []uint32) { e.Uint32Seq(len(v), slices.Values(v)) }

// Uint32Seq writes the n numbers seq yields as Uint32s writes a slice of
// them, without the slice: for an array derived from others only to be
// written. Decoder.Uint32s reads them back.
func (e *Encoder) Uint32Seq(n int, seq iter.Seq[uint32]) {
	e.Uint64(uint64(n))
	e.align()
	var chunk [4096]byte
	i, got := 0, 0
	for x := range seq {
		binary.LittleEndian.PutUint32(chunk[4*i:], x)
		if i++; i == len(chunk)/4 {
			e.write(chunk[:])
			i = 0
		}
		got++
	}
	e.write(chunk[:4*i])
	if got != n && e.err == nil {
		e.err = fmt.Errorf("sidecar: %d numbers written where %d were announced", got, n)
	}
}

// Int64s writes a slice of numbers.
func (e *Encoder) Int64s(v []int64) {
	e.Uint64(uint64(len(v)))
	e.align()
	var chunk [4096]byte
	for len(v) > 0 {
		n := min(len(v), len(chunk)/8)
		for i, x := range v[:n] {
			binary.LittleEndian.PutUint64(chunk[8*i:], uint64(x))
		}
		e.write(chunk[:8*n])
		v = v[n:]
	}
}

// Strings writes a list of strings.
func (e *Encoder) Strings(v []string) {
	ends := make([]uint32, len(v))
	n := 0
	for i, s := range v {
		n += len(s)
		if n >= maxLen {
			e.err = errors.New("sidecar: strings over 2 GiB")
			return
		}
		ends[i] = uint32(n)
	}
	e.Uint32s(ends)
	for _, s := range v {
		e.write(unsafe.Slice(unsafe.StringData(s), len(s)))
	}
}

// Write writes the file path atomically (a temporary file renamed over it,
// so a generation's earlier file, perhaps a hard link shared with another
// generation, is replaced, never written through): the header for kind,
// version and fingerprint, then what fn encodes, then the checksum.
func Write(path, kind string, version uint32, fingerprint string, fn func(*Encoder)) (err error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".*.tmp")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
			err = fmt.Errorf("write %s: %w", path, err)
		}
	}()
	sum := crc32.New(castagnoli)
	e := &Encoder{w: bufio.NewWriterSize(io.MultiWriter(tmp, sum), 1<<16)}
	e.write([]byte(magic))
	e.Strings([]string{kind, fingerprint})
	e.Uint64(uint64(version))
	fn(e)
	if e.err == nil {
		e.err = e.w.Flush()
	}
	if e.err != nil {
		return e.err
	}
	if err := binary.Write(tmp, binary.LittleEndian, sum.Sum32()); err != nil {
		return err
	}
	if err := tmp.Sync(); err != nil {
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// Decoder reads the sections of one file, in the order they were written.
// Its methods record the first error and return zero values after it.
type Decoder struct {
	b   []byte
	err error
	off int // bytes taken, from the file's start
}

func (d *Decoder) take(n uint64) []byte {
	if d.err != nil {
		return nil
	}
	if n > uint64(len(d.b)) {
		d.err = errors.New("sidecar: truncated")
		return nil
	}
	p := d.b[:n]
	d.b = d.b[n:]
	d.off += int(n)
	return p
}

// align skips the padding before an array.
func (d *Decoder) align() { d.take(uint64((8 - d.off%8) % 8)) }

// inPlace reports whether the array of p, of elements of size bytes, can
// be used as it lies: the machine is little-endian and p is aligned.
func inPlace(p []byte, size uintptr) bool {
	return littleEndian && len(p) > 0 && uintptr(unsafe.Pointer(unsafe.SliceData(p)))%size == 0
}

// Uint64 reads one number.
func (d *Decoder) Uint64() uint64 {
	p := d.take(8)
	if p == nil {
		return 0
	}
	return binary.LittleEndian.Uint64(p)
}

func (d *Decoder) length(size uint64) uint64 {
	n := d.Uint64()
	d.align()
	if d.err == nil && (n >= maxLen || n*size > uint64(len(d.b))) {
		d.err = errors.New("sidecar: truncated")
		return 0
	}
	return n
}

// Uint32s reads a slice of numbers. It shares the memory of the bytes
// read (when the machine allows): the caller must not change it.
func (d *Decoder) Uint32s() []uint32 {
	n := d.length(4)
	p := d.take(4 * n)
	if d.err != nil {
		return nil
	}
	if inPlace(p, 4) {
		return unsafe.Slice((*uint32)(unsafe.Pointer(unsafe.SliceData(p))), n)
	}
	v := make([]uint32, n)
	for i := range v {
		v[i] = binary.LittleEndian.Uint32(p[4*i:])
	}
	return v
}

// Int64s reads a slice of numbers, sharing memory as Uint32s does.
func (d *Decoder) Int64s() []int64 {
	n := d.length(8)
	p := d.take(8 * n)
	if d.err != nil {
		return nil
	}
	if inPlace(p, 8) {
		return unsafe.Slice((*int64)(unsafe.Pointer(unsafe.SliceData(p))), n)
	}
	v := make([]int64, n)
	for i := range v {
		v[i] = int64(binary.LittleEndian.Uint64(p[8*i:]))
	}
	return v
}

// Strings reads a list of strings, copied out of the file in one piece:
// they stay valid after the File is closed (see StringList for strings
// left in place).
func (d *Decoder) Strings() []string {
	ends := d.ends()
	p := d.take(uint64(lastEnd(ends)))
	if d.err != nil {
		return nil
	}
	blob := string(p)
	v := make([]string, len(ends))
	start := uint32(0)
	for i, e := range ends {
		v[i] = blob[start:e]
		start = e
	}
	return v
}

// ends reads the ends of a list of strings, checking that they never
// decrease.
func (d *Decoder) ends() []uint32 {
	ends := d.Uint32s()
	for i := 1; i < len(ends) && d.err == nil; i++ {
		if ends[i] < ends[i-1] {
			d.err = errors.New("sidecar: string ends out of order")
		}
	}
	return ends
}

// lastEnd returns the bytes a list of strings with these ends holds.
func lastEnd(ends []uint32) uint32 {
	if len(ends) == 0 {
		return 0
	}
	return ends[len(ends)-1]
}

// Err returns the first error met, or an error when sections are left
// unread: the file and the code reading it disagree.
func (d *Decoder) Err() error {
	if d.err == nil && len(d.b) > 0 {
		return fmt.Errorf("sidecar: %d bytes left unread", len(d.b))
	}
	return d.err
}

// File is a sidecar file opened by Read: its bytes are mapped into
// memory, and the arrays (Uint32s, Int64s) and StringLists read from it
// lie in its pages until Close. The collector cannot see those pages, so
// whoever keeps what was read keeps the File open, and closes it only
// when nothing read from it is in use.
type File struct {
	unmap func() error
	once  sync.Once
	err   error
}

// Close unmaps the file; what was read from it in place must no longer be
// used. Closing a nil File does nothing.
func (f *File) Close() error {
	if f == nil {
		return nil
	}
	f.once.Do(func() { f.err = f.unmap() })
	return f.err
}

// Read maps the file path, checks it was written for kind, version and
// fingerprint and is whole, and hands its sections to fn. It returns fn's
// error, or Err's when fn left it to Read. On success the File must be
// closed once what fn read is no longer used.
func Read(path, kind string, version uint32, fingerprint string, fn func(*Decoder) error) (*File, error) {
	return ReadAny(path, kind, version, func(fp string, d *Decoder) error {
		if fp != fingerprint {
			return ErrStale
		}
		return fn(d)
	})
}

// ReadAny is Read for a file of whatever index: fn is given the
// fingerprint it was written for.
func ReadAny(path, kind string, version uint32, fn func(fingerprint string, d *Decoder) error) (*File, error) {
	b, unmap, id, err := mapFile(path)
	if err != nil {
		return nil, err
	}
	f := &File{unmap: unmap}
	if err := decode(b, kind, version, checked.has(id), fn); err != nil {
		return nil, errors.Join(fmt.Errorf("read %s: %w", path, err), f.Close())
	}
	checked.add(id)
	return f, nil
}

// decode checks the bytes b of a whole file (but its checksum when known
// to match) and hands its sections to fn.
func decode(b []byte, kind string, version uint32, known bool, fn func(fingerprint string, d *Decoder) error) error {
	if err := check(b, known); err != nil {
		return err
	}
	d := &Decoder{b: b[len(magic) : len(b)-4], off: len(magic)}
	head := d.Strings()
	v := d.Uint64()
	switch {
	case d.err != nil:
		return d.err
	case len(head) != 2 || head[0] != kind:
		return fmt.Errorf("not a %s sidecar", kind)
	case v != uint64(version):
		return ErrStale
	}
	if err := fn(head[1], d); err != nil {
		return err
	}
	return d.Err()
}

// check verifies the magic and, unless known to match, the checksum of a
// whole file.
func check(b []byte, known bool) error {
	if len(b) < len(magic)+4 || !bytes.HasPrefix(b, []byte(magic)) {
		return errors.New("not a sidecar")
	}
	if known {
		return nil
	}
	body, sum := b[:len(b)-4], binary.LittleEndian.Uint32(b[len(b)-4:])
	if crc32.Checksum(body, castagnoli) != sum {
		return errors.New("sidecar damaged: checksum mismatch")
	}
	return nil
}
