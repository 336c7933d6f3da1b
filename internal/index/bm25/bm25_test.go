package bm25_test

import (
	"math"
	"testing"

	"github.com/newsfind/newsfind/internal/index/bm25"
)

func TestIDF(t *testing.T) {
	const docs = 1000
	if got := bm25.IDF(docs, docs); got <= 0 || got > 0.001 {
		t.Errorf("IDF of a term every article holds = %v, want a little above 0", got)
	}
	if rare, common := bm25.IDF(docs, 1), bm25.IDF(docs, 100); rare <= common {
		t.Errorf("IDF of a rare term %v ≤ that of a common one %v", rare, common)
	}
	if got, want := bm25.IDF(docs, 1), math.Log(1+999.5/1.5); got != want {
		t.Errorf("IDF(1000, 1) = %v, want %v", got, want)
	}
}

func TestTFSaturatesBelowBound(t *testing.T) {
	prev := 0.0
	for _, tf := range []float64{1, 2, 5, 50, 5000} {
		for _, length := range []float64{10, 100, 1000} {
			norm := bm25.LengthNorm(length, 100)
			got := bm25.TF(tf, norm)
			if got <= 0 || got >= bm25.Bound(1) {
				t.Errorf("TF(%v, %v) = %v, want in (0, %v)", tf, norm, got, bm25.Bound(1))
			}
		}
		if got := bm25.TF(tf, 1); got <= prev {
			t.Errorf("TF(%v) = %v, not above TF of fewer occurrences %v", tf, got, prev)
		} else {
			prev = got
		}
	}
	if short, long := bm25.TF(3, bm25.LengthNorm(50, 100)), bm25.TF(3, bm25.LengthNorm(200, 100)); short <= long {
		t.Errorf("3 occurrences in a short article score %v ≤ in a long one %v", short, long)
	}
}

func TestLengthNorm(t *testing.T) {
	for _, c := range []struct{ length, avg, want float64 }{
		{100, 100, 1}, {200, 100, 1 - bm25.B + 2*bm25.B}, {0, 100, 1}, {100, 0, 1},
	} {
		if got := bm25.LengthNorm(c.length, c.avg); got != c.want {
			t.Errorf("LengthNorm(%v, %v) = %v, want %v", c.length, c.avg, got, c.want)
		}
	}
}

func TestNormLengthInvertsNorm(t *testing.T) {
	for _, length := range []float64{1, 7, 250, 12345} {
		norm := float64(float32(1 / math.Sqrt(length))) // as bleve keeps it
		if got := bm25.NormLength(norm); got != length {
			t.Errorf("NormLength(1/√%v) = %v", length, got)
		}
	}
	if got := bm25.NormLength(0); got != 0 {
		t.Errorf("NormLength(0) = %v, want 0", got)
	}
}

func TestUnionIDF(t *testing.T) {
	const docs = 1000
	if got, want := bm25.UnionIDF(docs, 10), bm25.IDF(docs, 10); got != want {
		t.Errorf("one term: %v, want its IDF %v", got, want)
	}
	// A rare term taken with a common one weighs as their sum: no more
	// than the common one, whatever its own IDF.
	if got, want := bm25.UnionIDF(docs, 300, 2), bm25.IDF(docs, 302); got != want {
		t.Errorf("300 and 2: %v, want %v", got, want)
	}
	if u, own := bm25.UnionIDF(docs, 300, 2), bm25.IDF(docs, 300); u > own {
		t.Errorf("union %v above the common term's %v", u, own)
	}
	// Counts past the collection are all of it, and the IDF stays ≥ 0.
	if got, want := bm25.UnionIDF(docs, 900, 800), bm25.IDF(docs, docs); got != want || got < 0 {
		t.Errorf("900 and 800 of 1000: %v, want %v", got, want)
	}
	if got, want := bm25.UnionIDF(docs), bm25.IDF(docs, 0); got != want {
		t.Errorf("no term: %v, want %v", got, want)
	}
}
