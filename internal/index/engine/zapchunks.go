package engine

import (
	"encoding/binary"
	"fmt"
	"math"
	"slices"

	"github.com/RoaringBitmap/roaring/v2"
	index "github.com/blevesearch/bleve_index_api"
	"github.com/blevesearch/vellum"
	zapx "github.com/blevesearch/zapx/v17"
)

// zapChunks reads one term's postings in one zap segment with their
// frequencies and norms, a chunk at a time, as Lucene reads a block: the
// chunk's document numbers are taken from the postings bitmap at once and
// an advance within the chunk is a search of them, where zapx's iterator
// steps its bitmap iterator and decodes a frequency and a norm for every
// posting it passes (a third of the CPU of searches at a million articles,
// mostly on the commonest words, whose chunks hold ~1,024 postings each).
// Frequencies and norms are still decoded in order, but in a tight loop
// over the chunk's bytes, and only as far as a posting asked for.
//
// It reads zapx v17's layout (posting.go and intDecoder.go there): a
// term's value in the field's dictionary (a vellum FST) is the offset of
// its postings, which start with the offsets of its frequency/norm and
// location streams; a stream is a count of chunks, each chunk's end, then
// the chunks' bytes; a posting's entry is a uvarint of its frequency
// shifted left by one (the low bit: it has locations), then, when the
// frequency is not 0, a uvarint of its norm's bits. newZapChunks returns
// nil wherever that is not what it finds, and the caller keeps zapx's
// iterator; TestPostingsReaderMatchesScorch compares the two posting by
// posting.
type zapChunks struct {
	many  roaring.ManyIntIterable // the postings bitmap, past pend
	pend  []uint32                // postings taken from it, not yet in a chunk
	batch []uint32                // pend's room
	mem   []byte
	ends  []uint64 // each chunk's end, from data
	data  uint64   // the offset in mem of the first chunk's bytes
	size  uint64   // document numbers per chunk

	chunk  uint64   // the chunk in docs, when loaded
	loaded bool     // whether a chunk is
	docs   []uint32 // its document numbers
	buf    []byte   // its frequencies and norms
	pos    int      // the offset in buf of entry n
	n      int      // the entries of buf before pos
	i      int      // the index in docs of the posting read; -1: none yet

	freq uint64
	norm float64 // as zapx's Posting.Norm gives it
}

// newZapChunks returns a chunked reader of the postings of term in field
// of zap segment seg, whose postings bitmap (every posting, deleted ones
// included) is bm; nil when it cannot read them so (see zapChunks).
func newZapChunks(seg *zapx.Segment, field, term string, bm *roaring.Bitmap) *zapChunks {
	if index.ReaderHook != nil || bm == nil || seg.Version() != zapx.Version {
		return nil // bytes a hook transforms, or another layout
	}
	size := zapChunkSize(seg.ChunkMode(), bm.GetCardinality(), seg.NumDocs())
	if size == 0 {
		return nil
	}
	mem := seg.Data()
	addr, err := seg.DictAddr(field)
	if err != nil {
		return nil
	}
	fstLen, fstAt, ok := uvarintAt(mem, addr)
	if !ok || fstLen == 0 || fstAt+fstLen > uint64(len(mem)) {
		return nil
	}
	fst, err := vellum.Load(mem[fstAt : fstAt+fstLen])
	if err != nil {
		return nil
	}
	off, found, err := fst.Get([]byte(term))
	if err != nil || !found || off&zapx.FSTValEncodingMask != 0 {
		return nil // one posting, encoded in the value itself
	}
	freqAt, at, ok := uvarintAt(mem, off)
	if !ok || freqAt >= uint64(len(mem)) {
		return nil
	}
	if _, _, ok = uvarintAt(mem, at); !ok { // the locations' offset
		return nil
	}
	chunks, at, ok := uvarintAt(mem, freqAt)
	if !ok || chunks == 0 || chunks > uint64(len(mem)) {
		return nil
	}
	z := &zapChunks{many: bm.ManyIterator(), mem: mem, ends: make([]uint64, chunks), size: size, i: -1}
	for k := range z.ends {
		if z.ends[k], at, ok = uvarintAt(mem, at); !ok || k > 0 && z.ends[k] < z.ends[k-1] {
			return nil
		}
	}
	if z.data = at; at+z.ends[chunks-1] > uint64(len(mem)) {
		return nil
	}
	return z
}

// uvarintAt decodes the uvarint at offset at of b, returning it and the
// offset after it.
func uvarintAt(b []byte, at uint64) (v, next uint64, ok bool) {
	if at >= uint64(len(b)) {
		return 0, 0, false
	}
	v, n := binary.Uvarint(b[at:min(uint64(len(b)), at+binary.MaxVarintLen64)])
	if n <= 0 {
		return 0, 0, false
	}
	return v, at + uint64(n), true
}

// doc returns the document number of the posting read.
func (z *zapChunks) doc() uint64 { return uint64(z.docs[z.i]) }

// next reads the next posting; false at the end.
func (z *zapChunks) next() (bool, error) {
	for !z.loaded || z.i+1 >= len(z.docs) {
		doc, ok := z.peek()
		if !ok {
			return false, nil
		}
		if err := z.load(uint64(doc) / z.size); err != nil {
			return false, err
		}
	}
	z.i++
	return true, z.entry()
}

// advance reads the first posting at or after document number t, which
// is past the posting read; false when there is none.
func (z *zapChunks) advance(t uint64) (bool, error) {
	if c := t / z.size; !z.loaded || c > z.chunk {
		doc, ok := z.seek(uint32(c * z.size))
		if !ok {
			return false, nil
		}
		if err := z.load(uint64(doc) / z.size); err != nil {
			return false, err
		}
	}
	rest := z.docs[z.i+1:]
	if j, _ := slices.BinarySearch(rest, uint32(t)); j < len(rest) {
		z.i += 1 + j
		return true, z.entry()
	}
	z.i = len(z.docs) - 1 // past the chunk: its first posting is past t
	return z.next()
}

// manyBatch is how many document numbers zapChunks takes from the
// postings bitmap at once: roaring decodes a batch far faster than it
// steps an iterator.
const manyBatch = 256

// peek returns the next posting not yet in a chunk read; false when none
// is left.
func (z *zapChunks) peek() (uint32, bool) {
	if len(z.pend) == 0 {
		if z.batch == nil {
			z.batch = make([]uint32, manyBatch)
		}
		z.pend = z.batch[:z.many.NextMany(z.batch)]
		if len(z.pend) == 0 {
			return 0, false
		}
	}
	return z.pend[0], true
}

// seek drops the postings before document number t from those not yet
// in a chunk, and returns the next; false when none is left.
func (z *zapChunks) seek(t uint32) (uint32, bool) {
	for {
		doc, ok := z.peek()
		if !ok || doc >= t {
			return doc, ok
		}
		j, _ := slices.BinarySearch(z.pend, t)
		z.pend = z.pend[j:]
	}
}

// load makes chunk c, which holds the next posting not yet in a chunk,
// the one read.
func (z *zapChunks) load(c uint64) error {
	if c >= uint64(len(z.ends)) {
		return fmt.Errorf("zap postings: chunk %d of %d", c, len(z.ends))
	}
	end := (c + 1) * z.size
	z.docs = z.docs[:0]
	for {
		if _, ok := z.peek(); !ok {
			break
		}
		j, _ := slices.BinarySearch(z.pend, uint32(min(end, math.MaxUint32)))
		z.docs = append(z.docs, z.pend[:j]...)
		if z.pend = z.pend[j:]; len(z.pend) > 0 {
			break
		}
	}
	var from uint64
	if c > 0 {
		from = z.ends[c-1]
	}
	z.buf = z.mem[z.data+from : z.data+z.ends[c]]
	z.chunk, z.loaded, z.pos, z.n, z.i = c, true, 0, 0, -1
	return nil
}

// entry decodes the frequency and norm of posting i, passing over the
// entries before it.
func (z *zapChunks) entry() error {
	b, pos := z.buf, z.pos
	for ; z.n < z.i; z.n++ { // frequency (and norm) passed over
		long := false
		for pos < len(b) && b[pos] >= 0x80 {
			pos, long = pos+1, true
		}
		if pos >= len(b) {
			return z.damaged()
		}
		if pos++; long || b[pos-1]>>1 != 0 { // a frequency, so a norm
			for pos < len(b) && b[pos] >= 0x80 {
				pos++
			}
			if pos >= len(b) {
				return z.damaged()
			}
			pos++
		}
	}
	z.pos = pos
	v, ok := z.uvarint()
	if !ok {
		return z.damaged()
	}
	z.freq, z.norm = v>>1, 0
	if z.freq != 0 {
		bits, ok := z.uvarint()
		if !ok {
			return z.damaged()
		}
		z.norm = float64(float32(1 / math.Sqrt(float64(uint32(bits)))))
	}
	z.n++
	return nil
}

// uvarint decodes the uvarint at pos in buf and moves past it.
func (z *zapChunks) uvarint() (uint64, bool) {
	if z.pos < len(z.buf) && z.buf[z.pos] < 0x80 { // most are one byte
		z.pos++
		return uint64(z.buf[z.pos-1]), true
	}
	v, n := binary.Uvarint(z.buf[min(z.pos, len(z.buf)):])
	if n <= 0 {
		return 0, false
	}
	z.pos += n
	return v, true
}

func (z *zapChunks) damaged() error {
	return fmt.Errorf("zap postings: chunk %d ends before posting %d of %d", z.chunk, z.i, len(z.docs))
}
