// Package estimate estimates how many of some candidates match from a
// sample of them, each checked: a quoted phrase's total, when checking
// every article with all its words would cost too much.
package estimate

import (
	"fmt"
	"math"

	"github.com/RoaringBitmap/roaring/v2"
)

// FirstChecks is how many candidates Sample.Sure checks, spread over
// them.
const FirstChecks = 256

// Sample estimates how many of some candidates match from a sample of
// them, each checked: a quoted phrase's candidates are the articles with
// all its words, and a check reads their positions. Sure tells from a
// few spread over them whether more than the exact count surely match;
// Visit checks the candidates a facet sample takes (facet.Visit) and
// visits those that match, whose facets then stand for all matches', not
// for the first in index order (the order articles were added in: an
// archive's oldest); and Total gives their number. Each check is asked
// of candidates in increasing order.
type Sample struct {
	checked, matched uint64    // by Visit
	first            [2]uint64 // checked and matched by Sure
	err              error
}

// Sure reports whether surely more than limit of candidates match check:
// of FirstChecks of them, spread over all, the share that do, less three
// standard errors, times their number, is above limit.
func (c *Sample) Sure(candidates *roaring.Bitmap, limit uint64, check func(doc uint32) (bool, error)) (bool, error) {
	n := candidates.GetCardinality()
	if n <= limit {
		return false, nil
	}
	k := min(n, FirstChecks)
	c.first = [2]uint64{k, 0}
	for i := range k {
		doc, err := candidates.Select(uint32(i * n / k))
		if err != nil {
			return false, fmt.Errorf("check candidates: %w", err)
		}
		ok, err := check(doc)
		if err != nil {
			return false, err
		}
		if ok {
			c.first[1]++
		}
	}
	share := float64(c.first[1]) / float64(k)
	return (share-3*math.Sqrt(share*(1-share)/float64(k)))*float64(n) > float64(limit), nil
}

// Visit returns a visit of candidates, for facet.Visit, that checks each
// and calls then, when set, with those that match.
func (c *Sample) Visit(check func(doc uint32) (bool, error), then func(doc uint32)) func(doc uint32) {
	return func(doc uint32) {
		if c.err != nil {
			return
		}
		ok, err := check(doc)
		if c.checked++; err != nil {
			c.err = err
			return
		}
		if ok {
			c.matched++
			if then != nil {
				then(doc)
			}
		}
	}
}

// Total returns how many of n candidates match: exactly when Visit or
// Sure checked them all, else n times the share of those checked that
// match, to three significant figures, and more than limit (as Sure made
// sure); with repeats, when set, the repeats of stories among the
// candidates, made the repeats among those that match, in the same share
// (an exact total then too is estimated). err is a check's.
func (c *Sample) Total(n, limit uint64, repeats *uint64) (total uint64, exact bool, err error) {
	switch {
	case repeats == nil && c.checked == n:
		return c.matched, true, c.err
	case repeats == nil && c.first[0] == n:
		return c.first[1], true, c.err
	}
	share := float64(c.matched+c.first[1]) / float64(c.checked+c.first[0])
	if repeats != nil {
		*repeats = uint64(math.Round(float64(*repeats) * share))
	}
	return max(limit+1, threeFigures(float64(n)*share)), false, c.err
}

// threeFigures rounds x to three significant figures.
func threeFigures(x float64) uint64 {
	unit := 1.0
	for x/unit >= 1000 {
		unit *= 10
	}
	return uint64(math.Round(x/unit) * unit)
}

// Size is how many candidates to sample for a sample of about matches
// matches: half as many, for about as many matches when half the
// candidates match, at about the cost per search of counting the first
// of a quoted phrase's holders, one by one, up to the exact count
// (docs/PERFORMANCE.md, session 30).
func Size(matches uint64) uint64 {
	return max(1, matches/2)
}
