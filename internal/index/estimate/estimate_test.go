package estimate

import (
	"errors"
	"testing"

	"github.com/RoaringBitmap/roaring/v2"
)

// every returns a check that every k-th document matches, failing the
// test when asked out of order.
func every(t *testing.T, k uint32) func(uint32) (bool, error) {
	last := int64(-1)
	return func(doc uint32) (bool, error) {
		if int64(doc) < last {
			t.Fatalf("checked %d after %d", doc, last)
		}
		last = int64(doc)
		return doc%k == 0, nil
	}
}

func TestSure(t *testing.T) {
	c := roaring.New()
	c.AddRange(0, 40_000) // a quarter match: 10,000; of 256, the share less three errors is 6,800
	for _, tc := range []struct {
		limit uint64
		want  bool
	}{{5_000, true}, {6_000, true}, {8_000, false}, {9_999, false}, {12_000, false}, {40_000, false}} {
		var s Sample
		got, err := s.Sure(c, tc.limit, every(t, 4))
		if err != nil || got != tc.want {
			t.Errorf("10,000 of 40,000, limit %d: sure %v (%v), want %v", tc.limit, got, err, tc.want)
		}
	}
	fail := errors.New("disk")
	if _, err := new(Sample).Sure(c, 10, func(uint32) (bool, error) { return false, fail }); !errors.Is(err, fail) {
		t.Errorf("a failing check: %v, want it returned", err)
	}
}

// A sample's total: exact when every candidate was checked, else the
// share of those checked times the candidates, to three figures, never
// at or below the limit; repeats scale with the share.
func TestTotal(t *testing.T) {
	c := roaring.New()
	c.AddRange(0, 200)
	var all Sample
	if sure, _ := all.Sure(c, 10, every(t, 2)); !sure {
		t.Fatal("100 of 200 not surely past 10")
	}
	if n, exact, err := all.Total(200, 10, nil); n != 100 || !exact || err != nil {
		t.Errorf("every candidate checked by Sure: %d (exact %v, %v), want 100 exactly", n, exact, err)
	}
	big := roaring.New()
	big.AddRange(0, 1_000_003)
	var s Sample
	if sure, _ := s.Sure(big, 10_000, every(t, 3)); !sure {
		t.Fatal("a third of a million not surely past 10,000")
	}
	visit, visited := s.Visit(every(t, 3), nil), 0
	for d := uint32(0); d < 1_000_003; d += 97 {
		visit(d)
		visited++
	}
	n, exact, err := s.Total(1_000_003, 10_000, nil)
	if exact || err != nil || n < 323_000 || n > 344_000 || n%1000 != 0 {
		t.Errorf("a third of 1,000,003: %d (exact %v, %v), want about 333,000, to three figures", n, exact, err)
	}
	repeats := uint64(3000)
	if _, _, err := s.Total(1_000_003, 10_000, &repeats); err != nil || repeats < 900 || repeats > 1100 {
		t.Errorf("repeats 3,000 among the candidates: %d among the matches (%v), want about 1,000", repeats, err)
	}
	var few Sample
	few.first = [2]uint64{256, 3}
	if n, _, _ := few.Total(1_000_000, 50_000, nil); n != 50_001 {
		t.Errorf("a share putting the total below the limit: %d, want the limit's next", n)
	}
	visitAll := Sample{}
	v := visitAll.Visit(every(t, 5), nil)
	for d := range uint32(500) {
		v(d)
	}
	if n, exact, _ := visitAll.Total(500, 10, nil); n != 100 || !exact {
		t.Errorf("every candidate checked by Visit: %d (exact %v), want 100 exactly", n, exact)
	}
}

// Visit calls then with the matches only, and stops checking after a
// check fails, which Total returns.
func TestVisit(t *testing.T) {
	var s Sample
	var got []uint32
	v := s.Visit(every(t, 2), func(d uint32) { got = append(got, d) })
	for d := range uint32(7) {
		v(d)
	}
	if len(got) != 4 || got[3] != 6 {
		t.Errorf("visited %v, want 0 2 4 6", got)
	}
	fail, calls := errors.New("disk"), 0
	v = s.Visit(func(uint32) (bool, error) { calls++; return false, fail }, nil)
	v(8)
	v(9)
	if _, _, err := s.Total(100, 1, nil); !errors.Is(err, fail) || calls != 1 {
		t.Errorf("after a failing check: %v, %d checks; want the error, one check", err, calls)
	}
}

func TestThreeFigures(t *testing.T) {
	for x, want := range map[float64]uint64{0: 0, 7.4: 7, 999.4: 999, 999.6: 1000, 12_345: 12_300, 97_762: 97_800, 1_234_567: 1_230_000} {
		if got := threeFigures(x); got != want {
			t.Errorf("threeFigures(%v) = %d, want %d", x, got, want)
		}
	}
}
