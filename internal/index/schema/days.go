package schema

import (
	"math"
	"time"

	"github.com/blevesearch/bleve/v2/document"
	"github.com/blevesearch/bleve/v2/numeric"
)

// DayTerms returns the terms of the Day field that together hold the
// articles published from day from to day to, both inclusive (calendar
// days, as CalendarDay gives them; a zero bound is open), each article
// under exactly one of them; nil when to is before from.
//
// A date field holds each value as bleve's prefix-coded integer at every
// shift of its precision step (document.DefaultDateTimePrecisionStep), so
// a range is the values of a few coarse terms and, at its edges, finer
// ones: Lucene's NumericRangeQuery split, as bleve's numeric range
// searcher makes it (splitInt64Range there). Reading those terms'
// postings gives the articles in range without reading a posting each.
// Terms no article holds are listed too: the split knows nothing of the
// index.
func DayTerms(from, to time.Time) []string {
	lo, hi := int64(math.MinInt64), int64(math.MaxInt64)
	if !from.IsZero() {
		lo = CalendarDay(from).UnixNano()
	}
	if !to.IsZero() {
		hi = CalendarDay(to).AddDate(0, 0, 1).UnixNano() - 1 // to is a whole day
	}
	return splitRange(lo, hi, document.DefaultDateTimePrecisionStep)
}

// splitRange returns the prefix-coded terms, at shifts of step bits, that
// cover lo to hi inclusive: at each shift the values at the edges that do
// not fill a term of the next shift, then the rest at the next.
func splitRange(lo, hi int64, step uint) []string {
	var terms []string
	add := func(from, to int64, shift uint) { // a term a shifted value
		for v := from >> shift; ; v++ {
			terms = append(terms, string(numeric.MustNewPrefixCodedInt64(v<<shift, shift)))
			if v == to>>shift {
				return
			}
		}
	}
	if lo > hi {
		return nil
	}
	for shift := uint(0); ; shift += step {
		diff := int64(1) << (shift + step)
		mask := (int64(1)<<step - 1) << shift
		hasLower, hasUpper := lo&mask != 0, hi&mask != mask
		nextLo, nextHi := lo&^mask, hi&^mask
		if hasLower {
			nextLo = (lo + diff) &^ mask
		}
		if hasUpper {
			nextHi = (hi - diff) &^ mask
		}
		if shift+step >= 64 || nextLo > nextHi || nextLo < lo || nextHi > hi {
			add(lo, hi, shift) // the coarsest shift: the rest
			return terms
		}
		if hasLower {
			add(lo, lo|mask, shift)
		}
		if hasUpper {
			add(hi&^mask, hi, shift)
		}
		lo, hi = nextLo, nextHi
	}
}
