package blockmax_test

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/newsfind/newsfind/internal/index/blockmax"
)

// Blocks are numbered segment after segment, a segment's last one short
// when its documents are not a multiple of the block size.
func TestLayoutBlocks(t *testing.T) {
	const size = 1 << blockmax.Shift
	l := blockmax.NewLayout([]int64{7, 9, 4}, []int64{size + 10, 2 * size, 1})
	if l.Blocks != 2+2+1 {
		t.Fatalf("%d blocks, want 5", l.Blocks)
	}
	if got, want := l.End(), uint64(3*size+11); got != want {
		t.Errorf("End() = %d, want %d", got, want)
	}
	for _, c := range []struct {
		doc      uint64
		block    int
		end      uint64
		segment  int
		segBlock [2]int
	}{
		{0, 0, size, 0, [2]int{0, 2}},
		{size - 1, 0, size, 0, [2]int{0, 2}},
		{size, 1, size + 10, 0, [2]int{0, 2}},
		{size + 9, 1, size + 10, 0, [2]int{0, 2}},
		{size + 10, 2, 2*size + 10, 1, [2]int{2, 4}},
		{3*size + 9, 3, 3*size + 10, 1, [2]int{2, 4}},
		{3*size + 10, 4, 3*size + 11, 2, [2]int{4, 5}},
	} {
		j, end := l.Block(c.doc)
		if j != c.block || end != c.end {
			t.Errorf("Block(%d) = %d, %d; want %d, %d", c.doc, j, end, c.block, c.end)
		}
		if got := l.BlockEnd(c.block); got != c.end {
			t.Errorf("BlockEnd(%d) = %d, want %d", c.block, got, c.end)
		}
		k := l.Segment(c.doc)
		if lo, hi := l.SegmentBlocks(k); k != c.segment || lo != c.segBlock[0] || hi != c.segBlock[1] {
			t.Errorf("document %d: segment %d, blocks %d-%d; want %d, %v", c.doc, k, lo, hi, c.segment, c.segBlock)
		}
	}
	if (&blockmax.Layout{}).End() != 0 {
		t.Error("an empty layout covers documents")
	}
	// Empty segments hold no block: the block after one is the next
	// segment's.
	e := blockmax.NewLayout([]int64{1, 2, 3, 4}, []int64{size, 0, 3, 0})
	if e.Blocks != 2 || e.BlockEnd(0) != size || e.BlockEnd(1) != size+3 {
		t.Errorf("with empty segments: %d blocks, ending at %d and %d; want 2, %d and %d", e.Blocks, e.BlockEnd(0), e.BlockEnd(1), size, size+3)
	}
}

// What Write writes, Read reads back, for the same fingerprint; a table
// tells which segments of another layout it covers. A row that cannot be
// made, or keys out of order, leave no file.
func TestWriteRead(t *testing.T) {
	const size = 1 << blockmax.Shift
	lay := blockmax.NewLayout([]int64{1, 2}, []int64{2 * size, size + size/2})
	stems := []string{"elect", "year"}
	rows := []byte{1, 2, 3, 0, 9, 8, 7, 255}
	from := func(rows []byte) func(int, []byte) error {
		return func(i int, into []byte) error {
			copy(into, rows[i*len(into):])
			return nil
		}
	}
	path := filepath.Join(t.TempDir(), blockmax.File)
	if err := blockmax.Write(path, "fp", lay, 123.5, stems, from(rows)); err != nil {
		t.Fatal(err)
	}
	tab, fp, err := blockmax.Read(path)
	if err != nil {
		t.Fatal(err)
	}
	defer tab.Close()
	if fp != "fp" || tab.Avg != 123.5 || tab.Blocks != 4 {
		t.Errorf("read fingerprint %q, average %g, %d blocks", fp, tab.Avg, tab.Blocks)
	}
	if r := tab.Row("year"); !bytes.Equal(r, rows[4:]) {
		t.Errorf("Row(year) = %v, want %v", r, rows[4:])
	}
	if tab.Row("peace") != nil || (*blockmax.Table)(nil).Row("year") != nil {
		t.Error("a stem without maxima has a row")
	}
	next := blockmax.NewLayout([]int64{2, 1, 3}, []int64{size + size/2, size + 1, 40}) // 1 shrank: not shared
	if got := tab.Shared(next); len(got) != 1 || got[0] != 1 {
		t.Errorf("Shared = %v, want map[0:1]", got)
	}
	other := filepath.Join(t.TempDir(), blockmax.File)
	failing := func(i int, into []byte) error {
		if i == 1 {
			return errors.New("postings unreadable")
		}
		return nil
	}
	if err := blockmax.Write(other, "fp", lay, 1, stems, failing); err == nil || !strings.Contains(err.Error(), "postings unreadable") {
		t.Errorf("a row that failed: %v", err)
	}
	if err := blockmax.Write(other, "fp", lay, 1, []string{"year", "elect"}, from(rows)); err == nil {
		t.Error("keys out of order written")
	}
	if _, err := os.Stat(other); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a failed write left a file: %v", err)
	}
}
