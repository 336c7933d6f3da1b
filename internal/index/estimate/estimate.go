// Package estimate estimates how many of some candidates match from a
// sample of them, each checked: a quoted phrase's total, when checking
// every article with all its words would cost too much.
package estimate

import (
	"errors"
	"fmt"
	"math"

	"github.com/RoaringBitmap/roaring/v2"
)

// firstChecks is how many candidates Sample.Sure checks at most, spread
// over them, in rounds of a quarter.
const firstChecks = 256

// A Checker tells whether candidates match, asked in increasing order.
type Checker interface {
	Check(doc uint32) (bool, error)
	Close() error
}

// Sample estimates how many of some candidates match from a sample of
// them, each checked: a quoted phrase's candidates are the articles with
// all its words, and a check reads their positions. Sure tells from a
// few spread over them whether more than the exact count surely match;
// Visit checks the candidates a facet sample takes (facet.Visit) and
// visits those that match, whose facets then stand for all matches', not
// for the first in index order (the order articles were added in: an
// archive's oldest); and Total gives their number.
type Sample struct {
	checked, matched           uint64 // by Visit
	firstChecked, firstMatched uint64 // by Sure
	err                        error
}

// Sure reports whether surely more than limit of candidates match: of
// those checked, spread over all, the share that do, less three standard
// errors, times their number, is above limit. It checks rounds of a
// quarter of firstChecks, each spread over all the candidates, with a
// checker of its own from open (a checker only moves forward), until the
// share, plus or less three standard errors, is on one side of the
// limit: a phrase in nearly all the articles with its words, or in few,
// is told after one round. (The error is taken as of a share no closer
// to 0 or 1 than one check in those made: all of 64 that match say
// 95 % or more, not 100 %.)
func (c *Sample) Sure(candidates *roaring.Bitmap, limit uint64, open func() (Checker, error)) (bool, error) {
	n := candidates.GetCardinality()
	if n <= limit {
		return false, nil
	}
	const rounds = 4
	k := min(n, firstChecks)
	for r := range uint64(rounds) {
		if err := c.round(candidates, n, k, r, rounds, open); err != nil {
			return false, err
		}
		checked := float64(c.firstChecked)
		share := float64(c.firstMatched) / checked
		e := 3 * math.Sqrt(max(share*(1-share), 1/checked)/checked)
		switch {
		case (share-e)*float64(n) > float64(limit):
			return true, nil
		case (share+e)*float64(n) <= float64(limit):
			return false, nil
		}
	}
	return false, nil
}

// round checks the candidates r, r+rounds, r+2·rounds… of k spread over
// all n, with a checker from open.
func (c *Sample) round(candidates *roaring.Bitmap, n, k, r, rounds uint64, open func() (Checker, error)) (err error) {
	ch, err := open()
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, ch.Close()) }()
	for i := r; i < k; i += rounds {
		doc, err := candidates.Select(uint32(i * n / k))
		if err != nil {
			return fmt.Errorf("check candidates: %w", err)
		}
		ok, err := ch.Check(doc)
		if err != nil {
			return err
		}
		c.firstChecked++
		if ok {
			c.firstMatched++
		}
	}
	return nil
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
	case repeats == nil && c.firstChecked == n:
		return c.firstMatched, true, c.err
	}
	share := float64(c.matched+c.firstMatched) / float64(c.checked+c.firstChecked)
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
