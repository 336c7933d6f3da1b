// Package zapread reads one term's postings in a zap segment (bleve's
// segment format, zapx v17) with their frequencies, norms and locations, a
// chunk at a time, as Lucene reads a block: the chunk's document numbers
// are taken from the postings bitmap in batches (or, once an advance has
// gone far, from the bitmap laid out in words, where any chunk's are
// found without decoding those before) and an advance within the
// chunk gallops through them, where zapx's iterator steps its bitmap
// iterator and decodes a frequency and a norm for every posting it passes
// (28 % of searchd's CPU at a million articles, mostly on the commonest
// words, whose chunks hold ~1,024 postings each). Entries are still passed
// over in order, but only as far as the posting whose entry is asked for
// (see Entry), and, without locations, eight bytes at a time (see
// passOver).
//
// It knows zapx v17's layout of a postings list (posting.go, intcoder.go
// and intDecoder.go there) and nothing of bleve's APIs: the caller finds
// the list's offset in the field's dictionary and gives the segment's
// bytes. The list starts with the offsets of its frequency/norm and
// location streams; a stream is a count of chunks, each chunk's end, then
// the chunks' bytes; a posting's entry is a uvarint of its frequency
// shifted left by one (the low bit: it has locations), then, when the
// frequency is not 0, a uvarint of its norm's bits; its locations are a
// uvarint of their bytes, then, for each, uvarints of its field's number,
// position, start, end and count of array positions, and those. Open
// refuses what does not read so, and the engine then keeps zapx's
// iterator; the engine's TestPostingsReaderMatchesScorch compares the two
// posting by posting.
package zapread

import (
	"encoding/binary"
	"fmt"
	"math"
	"math/bits"
	"slices"

	"github.com/RoaringBitmap/roaring/v2"

	"github.com/newsfind/newsfind/internal/index/docset"
)

// Reader reads one postings list. Its zero value is not usable: see Open.
type Reader struct {
	bm    *roaring.Bitmap
	many  roaring.ManyIntIterable // the postings bitmap, past pend
	pend  []uint32                // postings taken from it, not yet in a chunk
	batch []uint32                // pend's room
	last  uint32                  // the last posting taken from it
	// words are the postings bitmap as words of 64 bits (bit d%64 of word
	// d/64 for document d), read instead of many by the readers of dense
	// lists (see denseShare) and by those whose advance has gone far past
	// what was taken from many: the next posting is found there without
	// decoding those before it (the roaring batches decoded to cross
	// skipped blocks were 7 % of the bench searches' time at 1,000,000
	// articles), and its entry's number in its chunk is the count of the
	// bits before it, so a chunk's document numbers are not laid out
	// (doing so was 25 % of "new year"'s time at 1,000,000). Laying out
	// the bitmap costs what decoding a few chunks does, so the readers
	// of sparse lists that do not go far never do.
	words  []uint64
	pooled *[]uint64 // words' room, from docset.Words
	doc    uint32    // the posting read, from words
	// rankAt, from words, is the document after the posting read, or the
	// chunk's first before one is: i+1 of the chunk's postings are before it.
	rankAt uint64
	mem    []byte
	freqs  *zapStream // the frequency and norm stream
	size   uint64     // document numbers per chunk

	chunk  uint64   // the chunk in docs, when loaded
	loaded bool     // whether a chunk is
	docs   []uint32 // its document numbers
	buf    []byte   // its frequencies and norms
	pos    int      // the offset in buf of entry n
	n      int      // the entries of buf before pos
	i      int      // the index in docs of the posting read; -1: none yet

	freq uint64
	norm float64 // as zapx's Posting.Norm gives it
	// decoded is whether freq and norm are the posting read's (see Entry).
	decoded bool

	// With locations, the location stream, read in step with buf. The
	// posting read's locations are locBuf[locAt:locPos], decoded when
	// asked for (Locations, Positions): a conjunction lands on many
	// postings it passes over, and a phrase needs only positions.
	locs    *zapStream
	locBuf  []byte
	locPos  int
	locAt   int
	fields  []string   // the segment's field names, by number
	located []Location // the locations of the posting read, once decoded
	array   []uint64   // a location's array positions, as eachLocation reads them
}

// zapStream is one chunked stream of a postings list.
type zapStream struct {
	ends []uint64 // each chunk's end, from data
	data uint64   // the offset in the segment of the first chunk's bytes
}

// Location is one occurrence of a term, as zapx writes it.
type Location struct {
	Field           string
	Pos, Start, End uint64
	ArrayPositions  []uint64
}

// Open returns a reader of the postings list at offset off of a segment's
// bytes mem, whose chunks hold docsPerChunk document numbers each and
// whose postings bitmap (every posting, deleted ones included) is bm; with
// locations, it reads those too, naming their fields by fields (the
// segment's field names by number). ok is false when the bytes there do
// not read as a postings list.
func Open(mem []byte, off, docsPerChunk uint64, bm *roaring.Bitmap, fields []string, locations bool) (r *Reader, ok bool) {
	if bm == nil || docsPerChunk == 0 {
		return nil, false
	}
	freqAt, at, ok := uvarintAt(mem, off)
	if !ok {
		return nil, false
	}
	locAt, _, ok := uvarintAt(mem, at)
	if !ok {
		return nil, false
	}
	freqs := readStream(mem, freqAt)
	if freqs == nil {
		return nil, false
	}
	r = &Reader{bm: bm, many: bm.ManyIterator(), mem: mem, freqs: freqs, size: docsPerChunk, i: -1}
	if n := bm.GetCardinality(); !locations && n > 0 && n >= uint64(bm.Maximum())/denseShare {
		r.layOut()
	}
	if locations {
		if r.locs = readStream(mem, locAt); r.locs == nil || len(r.locs.ends) != len(r.freqs.ends) {
			return nil, false
		}
		r.fields = fields
	}
	return r, true
}

// readStream reads the head of the chunked stream at offset at of mem;
// nil when it is not one.
func readStream(mem []byte, at uint64) *zapStream {
	chunks, at, ok := uvarintAt(mem, at)
	if !ok || chunks == 0 || chunks > uint64(len(mem)) {
		return nil
	}
	st := &zapStream{ends: make([]uint64, chunks)}
	for k := range st.ends {
		if st.ends[k], at, ok = uvarintAt(mem, at); !ok || k > 0 && st.ends[k] < st.ends[k-1] {
			return nil
		}
	}
	if st.data = at; at+st.ends[chunks-1] > uint64(len(mem)) {
		return nil
	}
	return st
}

// chunk returns the bytes of chunk c of the stream.
func (st *zapStream) chunk(mem []byte, c uint64) []byte {
	var from uint64
	if c > 0 {
		from = st.ends[c-1]
	}
	return mem[st.data+from : st.data+st.ends[c]]
}

// uvarintAt decodes the uvarint at offset at of b, returning it and the
// offset after it.
func uvarintAt(b []byte, at uint64) (v, next uint64, ok bool) {
	if at >= uint64(len(b)) {
		return 0, 0, false
	}
	pos := int(at)
	v, ok = uvarint(b, &pos)
	return v, uint64(pos), ok
}

// Doc returns the document number of the posting read.
func (z *Reader) Doc() uint64 {
	if z.words != nil {
		return uint64(z.doc)
	}
	return uint64(z.docs[z.i])
}

// Next reads the next posting; false at the end.
func (z *Reader) Next() (bool, error) {
	if z.words != nil {
		t := uint64(0)
		if z.loaded {
			t = uint64(z.doc) + 1
		}
		return z.advanceWords(t)
	}
	for !z.loaded || z.i+1 >= len(z.docs) {
		doc, ok := z.peek()
		if !ok {
			return false, nil
		}
		if err := z.load(uint64(doc) / z.size); err != nil {
			return false, err
		}
	}
	z.i, z.decoded = z.i+1, false
	return true, nil
}

// Advance reads the first posting at or after document number t, which
// is past the posting read; false when there is none.
func (z *Reader) Advance(t uint64) (bool, error) {
	if z.words != nil {
		return z.advanceWords(t)
	}
	if c := t / z.size; !z.loaded || c > z.chunk {
		if uint64(c*z.size) > uint64(z.last)+farChunks*z.size {
			z.layOut()
			z.pend = nil
			return z.advanceWords(t)
		}
		doc, ok := z.seek(uint32(c * z.size))
		if !ok {
			return false, nil
		}
		if err := z.load(uint64(doc) / z.size); err != nil {
			return false, err
		}
	}
	rest := z.docs[z.i+1:]
	if j := gallop(rest, uint32(t)); j < len(rest) {
		z.i, z.decoded = z.i+1+j, false
		return true, nil
	}
	z.i = len(z.docs) - 1 // past the chunk: its first posting is past t
	return z.Next()
}

// layOut lays out the postings bitmap in words, kept for the readers
// after when the reader closes (see docset.Words).
func (z *Reader) layOut() {
	z.pooled = docset.Words(z.bm.DenseSize())
	z.words = *z.pooled
	z.bm.WriteDenseTo(z.words)
}

// Close hands the words the reader laid out to the readers opened after
// it. The reader must not be read after. A nil Reader closes as none.
func (z *Reader) Close() {
	if z == nil {
		return
	}
	docset.Free(z.pooled)
	z.pooled, z.words = nil, nil
}

// advanceWords is Advance from words.
func (z *Reader) advanceWords(t uint64) (bool, error) {
	d, ok := z.nextSet(t)
	if !ok { // at the end, for the reads after too
		z.doc, z.loaded = math.MaxUint32, true
		return false, nil
	}
	if c := uint64(d) / z.size; !z.loaded || c != z.chunk {
		if err := z.enter(c); err != nil {
			return false, err
		}
		z.rankAt = c * z.size
	}
	z.i += 1 + onesBetween(z.words, z.rankAt, t) // none from t to d
	z.doc, z.rankAt, z.decoded = d, uint64(d)+1, false
	return true, nil
}

// onesBetween returns how many bits of words from bit lo to bit hi-1 are
// set.
func onesBetween(words []uint64, lo, hi uint64) int {
	if lo >= hi {
		return 0
	}
	i, j := lo/64, (hi-1)/64
	lead := ^uint64(0) << (lo % 64)
	tail := ^uint64(0) >> (63 - (hi-1)%64)
	if i == j {
		return bits.OnesCount64(words[i] & lead & tail)
	}
	n := bits.OnesCount64(words[i]&lead) + bits.OnesCount64(words[j]&tail)
	for _, w := range words[i+1 : j] {
		n += bits.OnesCount64(w)
	}
	return n
}

// gallop returns the index of the first of docs, ascending, at or after
// t (len(docs) when none is), looking from the start in steps that
// double, then between the last two: an advance mostly goes a few
// postings, which a binary search of the chunk's thousand took ten steps
// to find.
func gallop(docs []uint32, t uint32) int {
	lo, hi := 0, 1
	for hi < len(docs) && docs[hi-1] < t {
		lo, hi = hi, 2*hi
	}
	hi = min(hi, len(docs))
	j, _ := slices.BinarySearch(docs[lo:hi], t)
	return lo + j
}

// manyBatch is how many document numbers a Reader takes from the
// postings bitmap at once: roaring decodes a batch far faster than it
// steps an iterator.
const manyBatch = 256

// denseShare: a list with postings in at least one document in
// denseShare is read from its words from the start (see Reader.words),
// unless its locations are read: its words take at most twice the room of
// all its document numbers. At 1,000,000 articles the bench's searches
// took 4–5 % less time than with the words laid out only after a far
// advance, "new year" 14.7 -> 11.5 ms. Quoted phrases whose readers of
// locations did so took 0.4–1 ms more ("Wang Yi" 6.9 -> 7.8 ms): those
// keep to the far advance.
const denseShare = 64

// farChunks is how many chunks past the last posting taken from the
// bitmap an advance goes before the bitmap is laid out in words.
const farChunks = 4

// peek returns the next posting not yet in a chunk read; false when none
// is left.
func (z *Reader) peek() (uint32, bool) {
	if len(z.pend) == 0 {
		if z.batch == nil {
			z.batch = make([]uint32, manyBatch)
		}
		z.pend = z.batch[:z.many.NextMany(z.batch)]
		if len(z.pend) == 0 {
			return 0, false
		}
		z.last = z.pend[len(z.pend)-1]
	}
	return z.pend[0], true
}

// nextSet returns the first posting at or after document number t, from
// words; false when there is none.
func (z *Reader) nextSet(t uint64) (uint32, bool) {
	i := t / 64
	if i >= uint64(len(z.words)) {
		return 0, false
	}
	if w := z.words[i] >> (t % 64); w != 0 {
		return uint32(t + uint64(bits.TrailingZeros64(w))), true
	}
	for i++; i < uint64(len(z.words)); i++ {
		if w := z.words[i]; w != 0 {
			return uint32(i*64 + uint64(bits.TrailingZeros64(w))), true
		}
	}
	return 0, false
}

// seek drops the postings before document number t from those not yet
// in a chunk, and returns the next; false when none is left.
func (z *Reader) seek(t uint32) (uint32, bool) {
	for {
		doc, ok := z.peek()
		if !ok || doc >= t {
			return doc, ok
		}
		j, _ := slices.BinarySearch(z.pend, t)
		z.pend = z.pend[j:]
	}
}

// chunkPostings is about the most postings zap writes in a chunk (its
// chunks span the documents of ~1,024 postings): room for a chunk's
// document numbers from the start, not grown by doubling (2 % of the bench
// searches' time at 1,000,000 articles).
const chunkPostings = 1024

// load makes chunk c, which holds the next posting not yet in a chunk,
// the one read.
func (z *Reader) load(c uint64) error {
	end := (c + 1) * z.size
	if z.docs == nil {
		z.docs = make([]uint32, 0, min(z.size, chunkPostings, z.bm.GetCardinality())) // reused by the chunks after
	}
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
	return z.enter(c)
}

// enter makes chunk c the one whose entries are read, from its first.
func (z *Reader) enter(c uint64) error {
	if c >= uint64(len(z.freqs.ends)) {
		return fmt.Errorf("zapread: chunk %d of %d", c, len(z.freqs.ends))
	}
	z.buf = z.freqs.chunk(z.mem, c)
	if z.locs != nil {
		z.locBuf, z.locPos, z.locAt = z.locs.chunk(z.mem, c), 0, 0
	}
	z.chunk, z.loaded, z.pos, z.n, z.i = c, true, 0, 0, -1
	return nil
}

// Entry decodes the frequency and norm of the posting read, and finds its
// locations when they are read: Next and Advance leave that until asked,
// so that the postings a caller moves past, without looking at them, cost
// no decoding, nor do the entries before them in a chunk it then leaves.
// Freq and Norm need it first; Locations and Positions call it. An error
// says the chunk ends before the entry.
func (z *Reader) Entry() error {
	if z.decoded {
		return nil
	}
	err := z.entry()
	z.decoded = err == nil
	return err
}

// entry decodes the frequency and norm of posting i, and its locations
// when they are read, passing over the entries before it.
func (z *Reader) entry() error {
	b, pos := z.buf, z.pos
	if z.locs == nil { // without locations, a word at a time
		var ok bool
		if pos, ok = passOver(b, pos, z.i-z.n); !ok {
			return z.damaged()
		}
		z.n = z.i
	}
	for ; z.n < z.i; z.n++ { // frequency (and norm) passed over
		first, long := pos, false
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
		if z.locs != nil && b[first]&1 != 0 { // its locations too
			n, ok := uvarint(z.locBuf, &z.locPos)
			if !ok || n > uint64(len(z.locBuf)-z.locPos) {
				return z.damaged()
			}
			z.locPos += int(n)
		}
	}
	z.pos = pos
	v, ok := uvarint(z.buf, &z.pos)
	if !ok {
		return z.damaged()
	}
	z.freq, z.norm = v>>1, 0
	if z.freq != 0 {
		bits, ok := uvarint(z.buf, &z.pos)
		if !ok {
			return z.damaged()
		}
		z.norm = normOf(uint32(bits))
	}
	z.n++
	z.located, z.locAt = z.located[:0], z.locPos
	if z.locs != nil && v&1 != 0 { // its locations, passed over until asked for
		n, ok := uvarint(z.locBuf, &z.locPos)
		if !ok || n > uint64(len(z.locBuf)-z.locPos) {
			return z.damaged()
		}
		z.locPos += int(n)
	}
	return nil
}

// passOver returns the offset in b past the n entries from pos (each a
// uvarint of its frequency, then, when the frequency is not 0, one of its
// norm); false when b ends first. It reads eight bytes at a time: a
// uvarint ends at each byte below 0x80, so a word's entries are counted
// from its ends, two to an entry, unless one of the uvarints that begin
// in it is a single byte of 0 or 1, which may be a frequency of 0 without
// a norm; such a word is read a byte at a time. (Lengths of 128 to 255
// end in a byte 0x01, but inside a uvarint, not at its start.)
func passOver(b []byte, pos, n int) (int, bool) {
	half := 0    // 1: the frequency of an entry passed, its norm not yet
	mid := false // whether pos is inside a uvarint
	for n > 0 && pos+8 <= len(b) {
		w := binary.LittleEndian.Uint64(b[pos:])
		ends := ^w & highBits
		starts := ends << 8
		if !mid {
			starts |= 0x80
		}
		if starts&ends&zeroOrOne(w) != 0 {
			pos, n, half, mid = passBytes(b[:pos+8], pos, n, half, mid)
			continue
		}
		t := bits.OnesCount64(ends)
		if t+half >= 2*n { // the last entry ends in the word: at its end
			for need := 2*n - half; ; ends &= ends - 1 {
				if need--; need == 0 {
					return pos + bits.TrailingZeros64(ends)/8 + 1, true
				}
			}
		}
		n -= (t + half) / 2
		half = (t + half) % 2
		mid = ends>>63 == 0
		pos += 8
	}
	pos, n, _, _ = passBytes(b, pos, n, half, mid)
	return pos, n == 0
}

// passBytes is passOver a byte at a time, from the state half and mid
// (see there) at pos to the end of b or of the n entries, and returns the
// state there.
func passBytes(b []byte, pos, n, half int, mid bool) (int, int, int, bool) {
	for ; pos < len(b) && n > 0; pos++ {
		switch c := b[pos]; {
		case !mid && half == 0 && c <= 1: // a frequency of 0
			n--
		case c >= 0x80:
			mid = true
		default:
			mid = false
			if half ^= 1; half == 0 {
				n--
			}
		}
	}
	return pos, n, half, mid
}

// highBits are the high bit of each byte of a word.
const highBits = 0x8080808080808080

// zeroOrOne returns the high bit of each byte of w that is 0 or 1.
func zeroOrOne(w uint64) uint64 {
	x := w &^ 0x0101010101010101
	y := (x & 0x7f7f7f7f7f7f7f7f) + 0x7f7f7f7f7f7f7f7f
	return ^(y | x | 0x7f7f7f7f7f7f7f7f)
}

// Locations returns the locations of the posting read, when they are
// read; they are overwritten by the next posting's. An error says the
// segment's bytes do not read as locations.
func (z *Reader) Locations() ([]Location, error) {
	if err := z.Entry(); err != nil {
		return nil, err
	}
	if len(z.located) > 0 {
		return z.located, nil
	}
	err := z.eachLocation(func(v [5]uint64) {
		l := Location{Field: z.fields[v[0]], Pos: v[1], Start: v[2], End: v[3]}
		if len(z.array) > 0 {
			l.ArrayPositions = slices.Clone(z.array)
		}
		z.located = append(z.located, l)
	})
	if err != nil {
		z.located = z.located[:0]
	}
	return z.located, err
}

// Positions appends the positions of the posting read to dst, when its
// locations are read, decoding nothing else of them: what a phrase needs.
func (z *Reader) Positions(dst []uint64) ([]uint64, error) {
	if err := z.Entry(); err != nil {
		return dst, err
	}
	err := z.eachLocation(func(v [5]uint64) { dst = append(dst, v[1]) })
	return dst, err
}

// eachLocation decodes the locations of the posting read,
// locBuf[locAt:locPos] (none when that is empty), calling fn with each:
// a uvarint of their bytes, then, for each, uvarints of its field's
// number, position, start, end and count of array positions (v), and
// those (in z.array, during the call). v is passed by value: through a
// pointer it escaped to the heap, an allocation per call.
func (z *Reader) eachLocation(fn func(v [5]uint64)) error {
	if z.locAt == z.locPos {
		return nil
	}
	pos := z.locAt
	size, ok := uvarint(z.locBuf, &pos)
	if !ok || uint64(z.locPos-pos) != size {
		return z.damaged()
	}
	var v [5]uint64
	for pos < z.locPos {
		for k := range v {
			if v[k], ok = uvarint(z.locBuf[:z.locPos], &pos); !ok {
				return z.damaged()
			}
		}
		if v[0] >= uint64(len(z.fields)) || v[4] > size {
			return z.damaged()
		}
		z.array = z.array[:0]
		for range v[4] {
			a, ok := uvarint(z.locBuf[:z.locPos], &pos)
			if !ok {
				return z.damaged()
			}
			z.array = append(z.array, a)
		}
		fn(v)
	}
	return nil
}

// uvarint decodes the uvarint at *pos in b and moves past it.
func uvarint(b []byte, pos *int) (uint64, bool) {
	if p := *pos; p < len(b) && b[p] < 0x80 { // most are one byte
		*pos = p + 1
		return uint64(b[p]), true
	}
	v, n := binary.Uvarint(b[min(*pos, len(b)):])
	if n <= 0 {
		return 0, false
	}
	*pos += n
	return v, true
}

func (z *Reader) damaged() error {
	return fmt.Errorf("zapread: chunk %d ends before its entry %d", z.chunk, z.i)
}

// Freq returns the frequency of the posting read, once Entry has
// decoded it.
func (z *Reader) Freq() uint64 { return z.freq }

// norms are normOf's for the lengths most articles have: a square root
// and a division per posting were 1.6 % of searchd's time.
var norms = func() (n [1 << 13]float32) {
	for l := range n {
		n[l] = float32(1 / math.Sqrt(float64(l)))
	}
	return n
}()

// normOf returns the norm of a field of length l as zapx gives it: 1/√l
// as a float32.
func normOf(l uint32) float64 {
	if l < uint32(len(norms)) {
		return float64(norms[l])
	}
	return float64(float32(1 / math.Sqrt(float64(l))))
}

// Norm returns the norm of the posting read, as zapx's Posting.Norm gives
// it, once Entry has decoded it.
func (z *Reader) Norm() float64 { return z.norm }
