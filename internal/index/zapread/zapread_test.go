package zapread

import (
	"encoding/binary"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/RoaringBitmap/roaring/v2"
)

// posting is what a test writes for one document.
type posting struct {
	doc  uint32
	freq uint64
	len  uint32 // the field's length, whose bits zapx stores as the norm
	locs []Location
}

// encode writes postings (ascending) as zapx v17 lays out a postings list
// with chunks of size document numbers, after a few bytes of padding, and
// returns the segment's bytes, the list's offset and its bitmap. Field
// numbers are indexes in fields.
func encode(postings []posting, size uint64, fields []string) ([]byte, uint64, *roaring.Bitmap) {
	bm := roaring.New()
	chunks := 1
	if n := len(postings); n > 0 {
		chunks = int(uint64(postings[n-1].doc)/size) + 1
	}
	freqChunks, locChunks := make([][]byte, chunks), make([][]byte, chunks)
	for _, p := range postings {
		bm.Add(p.doc)
		c := p.doc / uint32(size)
		hasLocs := uint64(0)
		if len(p.locs) > 0 {
			hasLocs = 1
		}
		freqChunks[c] = binary.AppendUvarint(freqChunks[c], p.freq<<1|hasLocs)
		if p.freq != 0 {
			freqChunks[c] = binary.AppendUvarint(freqChunks[c], uint64(p.len))
		}
		if hasLocs == 1 {
			var b []byte
			for _, l := range p.locs {
				b = binary.AppendUvarint(b, uint64(slices.Index(fields, l.Field)))
				for _, v := range []uint64{l.Pos, l.Start, l.End, uint64(len(l.ArrayPositions))} {
					b = binary.AppendUvarint(b, v)
				}
				for _, a := range l.ArrayPositions {
					b = binary.AppendUvarint(b, a)
				}
			}
			locChunks[c] = binary.AppendUvarint(locChunks[c], uint64(len(b)))
			locChunks[c] = append(locChunks[c], b...)
		}
	}
	mem := []byte{0xde, 0xad, 0xbe, 0xef}
	stream := func(chunks [][]byte) uint64 {
		at := uint64(len(mem))
		mem = binary.AppendUvarint(mem, uint64(len(chunks)))
		end := 0
		for _, c := range chunks {
			end += len(c)
			mem = binary.AppendUvarint(mem, uint64(end))
		}
		for _, c := range chunks {
			mem = append(mem, c...)
		}
		return at
	}
	freqAt, locAt := stream(freqChunks), stream(locChunks)
	off := uint64(len(mem))
	mem = binary.AppendUvarint(mem, freqAt)
	mem = binary.AppendUvarint(mem, locAt)
	return mem, off, bm
}

// generate returns n postings at random documents below docs, some with
// frequencies past one byte, some of 0, and locations with array
// positions.
func generate(rng *rand.Rand, n, docs int, fields []string) []posting {
	perm := rng.Perm(docs)[:n]
	slices.Sort(perm)
	out := make([]posting, n)
	for i, d := range perm {
		p := posting{doc: uint32(d), freq: 1 + uint64(rng.ExpFloat64()*20), len: uint32(1 + rng.IntN(3000))}
		if rng.IntN(8) == 0 { // lengths past those whose norms are kept (see norms)
			p.len = uint32(8000 + rng.IntN(1<<20))
		}
		if rng.IntN(12) == 0 { // a frequency of 0 is written without a norm
			out[i] = posting{doc: uint32(d)}
			continue
		}
		if rng.IntN(4) > 0 {
			for k := range min(p.freq, 5) {
				l := Location{Field: fields[rng.IntN(len(fields))], Pos: k + 1, Start: 10 * k, End: 10*k + 5}
				if rng.IntN(10) == 0 {
					l.ArrayPositions = []uint64{uint64(rng.IntN(3)), 300}
				}
				p.locs = append(p.locs, l)
			}
		}
		out[i] = p
	}
	return out
}

// Stepping and advancing, near and far, a reader gives each posting's
// document, frequency, norm and locations as written: on random lists,
// and on lists whose postings sit at the edges of chunks and of the
// bitmap's words (a chunk's only posting its first or last document).
func TestReaderReadsWhatWasWritten(t *testing.T) {
	rng := rand.New(rand.NewPCG(20, 5))
	fields := []string{"_id", "content", "title"}
	edges := []uint32{0, 63, 64, 127, 999, 1000, 1023, 1024, 2999, 4095, 4096, 4097, 9999}
	for _, c := range []struct {
		n, docs, size int
		at            []uint32 // the postings' documents, else n at random below docs
	}{{1, 10, 10, nil}, {300, 5000, 700, nil}, {3000, 4000, 1000, nil}, {2000, 200000, 1024, nil},
		{0, 0, 1000, edges}, {0, 0, 1024, edges}, {0, 0, 64, edges}, {0, 0, 100, edges}, {0, 0, 64, edges[1:]}, {0, 0, 1024, edges[6:]}} {
		want := generate(rng, c.n, c.docs, fields)
		if c.at != nil {
			want = want[:0]
			for i, d := range c.at {
				want = append(want, posting{doc: d, freq: 1 + uint64(i%3), len: uint32(5 + i)})
			}
		}
		mem, off, bm := encode(want, uint64(c.size), fields)
		for _, mode := range []struct{ locs, stepOnly, words bool }{
			{false, false, false}, {true, false, false}, {false, true, false}, {false, false, true}, {true, true, true}} {
			locs := mode.locs
			r, ok := Open(mem, off, uint64(c.size), bm, fields, locs)
			if !ok {
				t.Fatalf("%+v: Open refused a list it wrote", c)
			}
			if dense := uint64(len(want)) >= uint64(bm.Maximum())/denseShare; (r.words != nil) != (dense && len(want) > 0 && !locs) {
				t.Fatalf("%+v: read from words %v, want %v", c, r.words != nil, dense)
			}
			r.words = nil // as a sparse list is read, until an advance goes far
			if mode.words {
				r.words = bm.ToDense()
			}
			i := -1 // the index in want of the posting read
			for step := 0; ; step++ {
				var got bool
				var err error
				if step%3 == 0 || mode.stepOnly { // stepping alone reads every chunk's last posting
					got, err = r.Next()
					i++
				} else {
					gap := 1 + int(rng.ExpFloat64()*[]float64{3, 300, 3000}[step%3])
					target := uint64(want[max(i, 0)].doc) + uint64(gap)
					if i < 0 {
						target = uint64(gap)
					}
					got, err = r.Advance(target)
					i, _ = slices.BinarySearchFunc(want, target, func(p posting, t uint64) int { return int(int64(p.doc) - int64(t)) })
				}
				if err != nil {
					t.Fatalf("%+v step %d: %v", c, step, err)
				}
				if got != (i < len(want)) {
					t.Fatalf("%+v step %d: read %v, want a posting: %v", c, step, got, i < len(want))
				}
				if !got {
					break
				}
				p := want[i]
				if r.Doc() != uint64(p.doc) {
					t.Fatalf("%+v step %d: doc %d, want %d", c, step, r.Doc(), p.doc)
				}
				if step%4 == 1 { // (some postings' entries never decoded)
					continue
				}
				if err := r.Entry(); err != nil {
					t.Fatalf("%+v step %d: entry: %v", c, step, err)
				}
				norm := float64(float32(1 / math.Sqrt(float64(p.len))))
				if p.freq == 0 {
					norm = 0
				}
				if r.Doc() != uint64(p.doc) || r.Freq() != p.freq || r.Norm() != norm {
					t.Fatalf("%+v step %d: doc %d freq %d norm %g, want %d %d %g", c, step, r.Doc(), r.Freq(), r.Norm(), p.doc, p.freq, norm)
				}
				if !locs || step%3 == 2 { // (some postings' locations never decoded)
					continue
				}
				var wantPos []uint64
				for _, l := range p.locs {
					wantPos = append(wantPos, l.Pos)
				}
				if got, err := r.Positions([]uint64{7}); err != nil || !slices.Equal(got, append([]uint64{7}, wantPos...)) {
					t.Fatalf("%+v step %d: positions after 7 %v (%v), want %v", c, step, got, err, wantPos)
				}
				for range 1 + step%2 { // (a second call gives the same)
					if got, err := r.Locations(); err != nil || !equalLocations(got, p.locs) {
						t.Fatalf("%+v step %d: locations %+v (%v), want %+v", c, step, got, err, p.locs)
					}
				}
			}
		}
	}
}

func equalLocations(a, b []Location) bool {
	return slices.EqualFunc(a, b, func(x, y Location) bool {
		return x.Field == y.Field && x.Pos == y.Pos && x.Start == y.Start && x.End == y.End && slices.Equal(x.ArrayPositions, y.ArrayPositions)
	})
}

// Bytes that are not what the bitmap says (cut short, or garbage) give an
// error or a refusal, never a panic or a read outside the slice.
func TestDamagedListsAreErrors(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	fields := []string{"content"}
	want := generate(rng, 500, 3000, fields)
	mem, off, bm := encode(want, 512, fields)
	read := func(mem []byte, locs bool) {
		r, ok := Open(mem, off, 512, bm, fields, locs)
		if !ok {
			return
		}
		for i := 0; ; i++ {
			if got, err := r.Next(); err != nil || !got {
				return
			}
			if i%3 == 2 { // (some entries passed over undecoded)
				continue
			}
			if err := r.Entry(); err != nil {
				return
			}
			if _, err := r.Locations(); err != nil {
				return
			}
		}
	}
	for cut := range len(mem) {
		read(mem[:cut], true)
		read(mem[:cut], false) // (from words: the list is dense)
	}
	for range 2000 {
		bad := slices.Clone(mem)
		for range 1 + rng.IntN(4) {
			bad[rng.IntN(len(bad))] = byte(rng.Uint32())
		}
		read(bad, rng.IntN(2) == 0)
	}
	if _, ok := Open(mem, uint64(len(mem)), 512, bm, fields, false); ok {
		t.Error("Open read a list past the end of the bytes")
	}
	if _, ok := Open(mem, off, 0, bm, fields, false); ok {
		t.Error("Open took chunks of no documents")
	}
}

// gallop finds what a binary search of the whole list finds, for every
// target from before the first to past the last.
func TestGallop(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 5))
	for _, n := range []int{0, 1, 2, 3, 7, 64, 1000} {
		docs := make([]uint32, n)
		for i := range docs {
			docs[i] = uint32(3*i + rng.IntN(3))
		}
		for target := range uint32(3*n + 4) {
			want, _ := slices.BinarySearch(docs, target)
			if got := gallop(docs, target); got != want {
				t.Fatalf("%d docs, target %d: %d, want %d", n, target, got, want)
			}
		}
	}
}

// BenchmarkAdvance advances through a common word's postings, 300,000 of
// 1,000,000 documents in chunks of 1,024, a few postings at a time, as a
// MaxScore pass does (most of an advance's work is passing over the
// entries of the postings it skips), from the bitmap's words, as such a
// list is read, or from each chunk's document numbers, as a sparse one
// is until it advances far.
func BenchmarkAdvance(b *testing.B) {
	rng := rand.New(rand.NewPCG(3, 4))
	postings := make([]posting, 0, 300_000)
	for d := range 1_000_000 {
		if rng.IntN(10) < 3 {
			postings = append(postings, posting{doc: uint32(d), freq: 1 + uint64(rng.ExpFloat64()*2), len: uint32(60 + rng.IntN(900))})
		}
	}
	mem, off, bm := encode(postings, 1024, []string{"_id", "content"})
	for _, c := range []struct {
		step  uint64
		words bool
	}{{4, false}, {4, true}, {32, false}, {32, true}, {700, false}, {700, true}} {
		name := fmt.Sprintf("every %d documents, from the chunks' numbers", c.step)
		if c.words {
			name = fmt.Sprintf("every %d documents, from words", c.step)
		}
		step := c.step
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				z, ok := Open(mem, off, 1024, bm, nil, false)
				if !ok {
					b.Fatal("not a list")
				}
				if !c.words { // as a sparse list is read until a far advance
					z.words = nil
				}
				for t := uint64(0); ; t += step {
					found, err := z.Advance(t)
					if err != nil {
						b.Fatal(err)
					}
					if !found {
						break
					}
					t = max(t, z.Doc())
				}
			}
		})
	}
}

// Passing over entries a word at a time lands where passing over them one
// at a time does, from every entry and for every count, on entries with
// frequencies of 0 (no norm), norms of 0 and 1 and of lengths 128 to 255
// (whose last byte is 0x01), and values of up to five bytes; and on a
// stream cut short, reports it cut short.
func TestPassOverAsOneAtATime(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 9))
	for round := range 300 {
		var b []byte
		var at []int // where each entry begins
		for range 1 + rng.IntN(60) {
			at = append(at, len(b))
			var freq, norm uint64
			switch rng.IntN(6) {
			case 0:
				freq = 0
			case 1:
				freq, norm = 1+uint64(rng.IntN(3)), uint64(rng.IntN(2))
			case 2:
				freq, norm = 1, 128+uint64(rng.IntN(128))
			case 3:
				freq, norm = uint64(rng.IntN(1<<20)), uint64(rng.IntN(1<<28))
			default:
				freq, norm = 1+uint64(rng.IntN(4)), uint64(rng.IntN(1000))
			}
			b = binary.AppendUvarint(b, freq<<1|uint64(rng.IntN(2)))
			if freq != 0 {
				b = binary.AppendUvarint(b, norm)
			}
		}
		at = append(at, len(b))
		for from := range len(at) - 1 {
			for n := 0; from+n < len(at); n++ {
				got, ok := passOver(b, at[from], n)
				if !ok || got != at[from+n] {
					t.Fatalf("round %d: %d entries from entry %d: at %d (%v), want %d", round, n, from, got, ok, at[from+n])
				}
				if n > 0 {
					if got, ok := passOver(b[:at[from+n]-1], at[from], n); ok {
						t.Fatalf("round %d: %d entries from entry %d, cut short: at %d, want not ok", round, n, from, got)
					}
				}
			}
		}
	}
}

// A closed reader's words serve a reader opened after it, laid out anew:
// that reader reads its own list, not the closed one's, while another
// reader, still open, keeps its own words.
func TestClosedReadersWordsServeTheNext(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	fields := []string{"_id", "content"}
	lists := make([][]posting, 3)
	mems := make([][]byte, 3)
	offs := make([]uint64, 3)
	bms := make([]*roaring.Bitmap, 3)
	for i := range lists {
		lists[i] = generate(rng, 2000+500*i, 5000, fields) // dense: read from words
		mems[i], offs[i], bms[i] = encode(lists[i], 1024, fields)
	}
	open := func(i int) *Reader {
		r, ok := Open(mems[i], offs[i], 1024, bms[i], fields, false)
		if !ok || r.words == nil {
			t.Fatalf("list %d: not opened on words", i)
		}
		return r
	}
	readAll := func(r *Reader, i, from int) {
		for _, p := range lists[i][from:] {
			ok, err := r.Next()
			if ok && err == nil {
				err = r.Entry()
			}
			if !ok || err != nil || r.Doc() != uint64(p.doc) || r.Freq() != p.freq {
				t.Fatalf("list %d: read %v %v doc %d freq %d, want %d %d", i, ok, err, r.Doc(), r.Freq(), p.doc, p.freq)
			}
		}
		if ok, _ := r.Next(); ok {
			t.Fatalf("list %d: a posting past its last", i)
		}
	}
	a, b := open(0), open(1)
	readAll(a, 0, 0)
	a.Close()
	a.Close() // (a second Close hands nothing on twice)
	c, d := open(2), open(0)
	if c.pooled == d.pooled || c.pooled == b.pooled || d.pooled == b.pooled {
		t.Fatal("two open readers share their words")
	}
	readAll(b, 1, 0)
	readAll(c, 2, 0)
	readAll(d, 0, 0)
}
