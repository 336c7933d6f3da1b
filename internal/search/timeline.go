package search

// Timeline is how the dated matches of a search spread over time: the
// number of matches in each day, month or year from the first dated match
// to the last, every bucket in between included (with a count of 0), so
// the buckets draw as a chart without gaps. Their counts add up to the
// matches that have a date. Interval is the finest of day, month and year
// that needs at most MaxTimelineBuckets buckets; year is taken however
// many it needs.
type Timeline struct {
	Interval Interval `json:"interval"`
	Buckets  []Bucket `json:"buckets"`
}

// Interval is the span of one timeline bucket.
type Interval string

// The intervals of a Timeline.
const (
	IntervalDay   Interval = "day"
	IntervalMonth Interval = "month"
	IntervalYear  Interval = "year"
)

// MaxTimelineBuckets is the most buckets a timeline by day or by month
// has: about what a chart shows as bars on a phone's width. A longer
// span goes by the next coarser interval.
const MaxTimelineBuckets = 48

// Bucket is one day, month or year of a Timeline: its first day
// ("2021-12-01" for December 2021) and the matches dated in it.
type Bucket struct {
	Start string `json:"start"`
	Count int    `json:"count"`
}
