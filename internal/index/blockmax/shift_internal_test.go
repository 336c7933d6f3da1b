package blockmax

import (
	"errors"
	"math"
	"path/filepath"
	"testing"

	"github.com/newsfind/newsfind/internal/index/sidecar"
)

// Maxima written for blocks of another size (an index written before the
// blocks shrank to 32 articles) are stale, not misread: their rows would
// be taken for other blocks' and skip articles that score.
func TestOtherBlockSizeIsStale(t *testing.T) {
	path := filepath.Join(t.TempDir(), File)
	lay := NewLayout([]int64{1}, []int64{300})
	const other = Shift + 2 // blocks four times as large (128 articles, as before)
	err := sidecar.Write(path, kind, version, "fp", func(e *sidecar.Encoder) {
		e.Uint64(other)
		e.Uint64(math.Float64bits(100))
		e.Int64s(lay.IDs)
		e.Int64s(lay.Docs)
		e.StringList(sidecar.NewStringList([]string{"elect"}))
		e.Bytes(make([]byte, (300+1<<other-1)>>other))
	})
	if err != nil {
		t.Fatal(err)
	}
	if tab, _, err := Read(path); !errors.Is(err, sidecar.ErrStale) {
		if tab != nil {
			tab.Close()
		}
		t.Fatalf("maxima of blocks of %d read with error %v, want sidecar.ErrStale", 1<<other, err)
	}
	if err := Write(path, "fp", lay, 100, []string{"elect"}, func(int, []byte) error { return nil }); err != nil {
		t.Fatal(err)
	}
	tab, _, err := Read(path)
	if err != nil {
		t.Fatalf("maxima of the current blocks: %v", err)
	}
	tab.Close()
}
