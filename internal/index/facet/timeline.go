package facet

import (
	"time"

	"github.com/newsfind/newsfind/internal/search"
)

// Timeline returns the timeline of the counted matches (see
// search.Timeline), from their Day counts: no pass over the matches of
// its own, and work in proportion to the days the archive has dates on.
// It is nil when no counted match has a date.
func (c *Counts) Timeline(t *Table) *search.Timeline {
	counts := c.n[Day]
	first, last := -1, -1
	for o, n := range counts {
		if n > 0 {
			if first < 0 {
				first = o
			}
			last = o
		}
	}
	if first < 0 {
		return nil
	}
	lo, hi := dayTime(t.days[first]), dayTime(t.days[last])
	iv := interval(lo, hi)
	start := truncate(lo, iv)
	buckets := make([]search.Bucket, bucketIndex(start, hi, iv)+1)
	for i := range buckets {
		buckets[i].Start = advance(start, iv, i).Format(time.DateOnly)
	}
	// Days ascend with their ordinals, so the buckets are met in order:
	// b is the bucket of day o, next the first day of the bucket after it.
	b, next := 0, dayNumber(advance(start, iv, 1))
	for o := first; o <= last; o++ {
		if counts[o] == 0 {
			continue
		}
		n := c.Count(Day, o)
		for t.days[o] >= next {
			b++
			next = dayNumber(advance(start, iv, b+1))
		}
		buckets[b].Count += n
	}
	return &search.Timeline{Interval: iv, Buckets: buckets}
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
