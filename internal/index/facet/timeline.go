package facet

import (
	"sort"
	"time"

	"github.com/newsfind/newsfind/internal/search"
)

// Timeline returns the timeline of the counted matches (see
// search.Timeline), from their Day counts: no pass over the matches of
// its own, and work in proportion to the days the archive has dates on.
// Days ascend with their ordinals, so a bucket's days are a run of
// ordinals, found by a binary search, whose counts are summed; a scaled
// bucket (see Counts.Scale) is its sum scaled, as a year's or a month's
// facet count is. It is nil when no counted match has a date.
func (c *Counts) Timeline(t *Table) *search.Timeline {
	counts := c.n[Day]
	first, last := c.dayRange()
	if first < 0 {
		return nil
	}
	lo, hi := dayTime(t.days[first]), dayTime(t.days[last])
	iv := interval(lo, hi)
	start := truncate(lo, iv)
	buckets := make([]search.Bucket, bucketIndex(start, hi, iv)+1)
	from := first
	for i := range buckets {
		buckets[i].Start = advance(start, iv, i).Format(time.DateOnly)
		to := last + 1
		if i < len(buckets)-1 {
			next := dayNumber(advance(start, iv, i+1))
			to = from + sort.Search(last+1-from, func(j int) bool { return t.days[from+j] >= next })
		}
		buckets[i].Count, from = c.scaled(Day, sum(counts[from:to])), to
	}
	return &search.Timeline{Interval: iv, Buckets: buckets}
}

// dayRange returns the ordinals of the first and the last day counted,
// or -1, -1 when none is.
func (c *Counts) dayRange() (first, last int) {
	counts := c.n[Day]
	first, last = -1, -1
	if !c.dense[Day] {
		for _, o := range c.seen[Day] {
			if counts[o] == 0 {
				continue
			}
			if first < 0 || int(o) < first {
				first = int(o)
			}
			last = max(last, int(o))
		}
		return first, last
	}
	for o, n := range counts {
		if n > 0 {
			first = o
			break
		}
	}
	for o := len(counts) - 1; o >= first && first >= 0; o-- {
		if counts[o] > 0 {
			return first, o
		}
	}
	return first, last
}

// dayNumber returns the number since 1970 of day d, a UTC midnight
// (dayTime's inverse).
func dayNumber(d time.Time) int64 { return floorDiv(d.Unix(), secondsPerDay) }

// interval is the finest interval whose buckets from lo to hi number at
// most search.MaxTimelineBuckets, or years.
func interval(lo, hi time.Time) search.Interval {
	for _, iv := range []search.Interval{search.IntervalDay, search.IntervalMonth} {
		if bucketIndex(truncate(lo, iv), hi, iv) < search.MaxTimelineBuckets {
			return iv
		}
	}
	return search.IntervalYear
}

// truncate returns the first day of the bucket of iv that holds day d.
func truncate(d time.Time, iv search.Interval) time.Time {
	switch iv {
	case search.IntervalYear:
		return time.Date(d.Year(), 1, 1, 0, 0, 0, 0, time.UTC)
	case search.IntervalMonth:
		return time.Date(d.Year(), d.Month(), 1, 0, 0, 0, 0, time.UTC)
	}
	return d
}

// advance returns the first day of the bucket n buckets of iv after start.
func advance(start time.Time, iv search.Interval, n int) time.Time {
	switch iv {
	case search.IntervalYear:
		return start.AddDate(n, 0, 0)
	case search.IntervalMonth:
		return start.AddDate(0, n, 0)
	}
	return start.AddDate(0, 0, n)
}

// bucketIndex returns the number of the bucket of iv holding day d, where
// bucket 0 starts at start (a truncated day not after d).
func bucketIndex(start, d time.Time, iv search.Interval) int {
	years := d.Year() - start.Year()
	switch iv {
	case search.IntervalYear:
		return years
	case search.IntervalMonth:
		return years*12 + int(d.Month()) - int(start.Month())
	}
	return int(d.Sub(start) / (24 * time.Hour))
}
