package engine

import (
	"encoding/binary"

	"github.com/RoaringBitmap/roaring/v2"
	index "github.com/blevesearch/bleve_index_api"
	"github.com/blevesearch/vellum"
	zapx "github.com/blevesearch/zapx/v17"

	"github.com/newsfind/newsfind/internal/index/zapread"
)

// minChunkedPostings is how many postings a term must have in a segment
// for its reader to be a zapread.Reader: a list of one chunk is stepped
// through by zapx's iterator at little cost, and the look-up in the field's
// dictionary and the reader's set-up cost more than they save for the
// rare words a prefix expands to (`SCO` searches `sco*`: 5 % of its time
// went to opening chunked readers).
const minChunkedPostings = 1024

// newZapChunks returns a reader of the postings of term in field of zap
// segment seg a chunk at a time (see internal/index/zapread), whose
// postings bitmap (every posting, deleted ones included) is bm, with their
// locations when locs is set; nil where zapx's iterator must read them: a
// reader hook transforms the segment's bytes (encryption), the segment is
// of another version, or the term has one posting (encoded in its
// dictionary value). Its caller leaves out lists of at most
// minChunkedPostings postings.
func newZapChunks(seg *zapx.Segment, field, term string, bm *roaring.Bitmap, locs bool) *zapread.Reader {
	if index.ReaderHook != nil || bm == nil || seg.Version() != zapx.Version {
		return nil
	}
	mem := seg.Data()
	addr, err := seg.DictAddr(field)
	if err != nil {
		return nil
	}
	if addr >= uint64(len(mem)) {
		return nil
	}
	fstLen, n := binary.Uvarint(mem[addr:])
	fstAt := addr + uint64(n)
	if n <= 0 || fstLen == 0 || fstAt+fstLen > uint64(len(mem)) {
		return nil
	}
	fst, err := vellum.Load(mem[fstAt : fstAt+fstLen])
	if err != nil {
		return nil
	}
	off, found, err := fst.Get([]byte(term))
	if err != nil || !found || off&zapx.FSTValEncodingMask != 0 {
		return nil
	}
	size := zapChunkSize(seg.ChunkMode(), bm.GetCardinality(), seg.NumDocs())
	r, _ := zapread.Open(mem, off, size, bm, seg.Fields(), locs)
	return r
}
