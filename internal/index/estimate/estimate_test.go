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

// checkers opens Checkers of every k-th document, keeping count of those
// opened and closed and of the documents checked.
type checkers struct {
	t              *testing.T
	k              uint32
	opened, closed int
	docs           map[uint32]bool
}

type checker struct {
	check func(uint32) (bool, error)
	of    *checkers
}

func (c checker) Check(doc uint32) (bool, error) {
	if c.of.docs[doc] {
		c.of.t.Errorf("%d checked twice", doc)
	}
	c.of.docs[doc] = true
	return c.check(doc)
}

func (c checker) Close() error {
	c.of.closed++
	return nil
}

func (cs *checkers) open() (Checker, error) {
	cs.opened++
	if cs.docs == nil {
		cs.docs = map[uint32]bool{}
	}
	return checker{check: every(cs.t, cs.k), of: cs}, nil
}

// Sure checks rounds of 64, each with a checker of its own, closed,
// spread over all the candidates, no candidate twice, until the share is
// clearly on one side of the limit.
func TestSure(t *testing.T) {
	c := roaring.New()
	c.AddRange(0, 40_000)
	for _, tc := range []struct {
		k      uint32
		limit  uint64
		want   bool
		rounds int
	}{
		{1, 10_000, true, 1},         // all match: told after one round
		{1, 39_000, true, 2},         // all of 64 say 95 % or more: 38,100
		{4, 39_000, false, 1},        // a quarter, under 16,500 surely
		{4, 5_000, true, 2},          // a quarter: over 5,400 after 128
		{4, 6_000, true, 3},          // over 6,200 after 192
		{4, 8_000, false, 4},         // 6,800 to 13,200 after 256: not sure
		{4, 12_000, false, 4},        // nor here
		{1_000_000, 3_000, false, 1}, // one of 64: at most 2,500 of 40,000
	} {
		var s Sample
		cs := &checkers{t: t, k: tc.k}
		got, err := s.Sure(c, tc.limit, cs.open)
		if err != nil || got != tc.want || cs.opened != tc.rounds || cs.closed != cs.opened {
			t.Errorf("1 in %d of 40,000, limit %d: sure %v (%v) after %d rounds (%d closed), want %v after %d",
				tc.k, tc.limit, got, err, cs.opened, cs.closed, tc.want, tc.rounds)
		}
		if len(cs.docs) != 64*cs.opened {
			t.Errorf("1 in %d, limit %d: %d candidates checked in %d rounds", tc.k, tc.limit, len(cs.docs), cs.opened)
		}
	}
	fail := errors.New("disk")
	failing := func() (Checker, error) { return nil, fail }
	if _, err := new(Sample).Sure(c, 10, failing); !errors.Is(err, fail) {
		t.Errorf("a checker that fails to open: %v, want its error", err)
	}
}

// A sample's total: exact when every candidate was checked, else the
// share of those checked times the candidates, to three figures, never
// at or below the limit; repeats scale with the share.
func TestTotal(t *testing.T) {
	c := roaring.New()
	c.AddRange(0, 200)
	var all Sample
	if sure, _ := all.Sure(c, 10, (&checkers{t: t, k: 2}).open); !sure {
		t.Fatal("100 of 200 not surely past 10")
	}
	all.firstChecked, all.firstMatched = 200, 100 // every candidate checked
	if n, exact, err := all.Total(200, 10, nil); n != 100 || !exact || err != nil {
		t.Errorf("every candidate checked by Sure: %d (exact %v, %v), want 100 exactly", n, exact, err)
	}
	big := roaring.New()
	big.AddRange(0, 1_000_003)
	var s Sample
	if sure, _ := s.Sure(big, 10_000, (&checkers{t: t, k: 3}).open); !sure {
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
	few.firstChecked, few.firstMatched = 256, 3
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
