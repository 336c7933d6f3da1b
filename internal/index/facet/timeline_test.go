package facet

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2/numeric"
	"github.com/newsfind/newsfind/internal/index/schema"
	"github.com/newsfind/newsfind/internal/search"
)

// tableOf assembles a table of documents with the given dates ("" for
// none), as the engine would from their doc values.
func tableOf(t *testing.T, dates ...string) *Table {
	t.Helper()
	b := NewBuilder(len(dates), true, nil)
	for i, d := range dates {
		b.Doc(uint32(i))
		if d == "" {
			continue
		}
		tm, err := time.Parse(time.DateTime, d)
		if err != nil {
			t.Fatal(err)
		}
		b.Visit(schema.Date, numeric.MustNewPrefixCodedInt64(tm.UnixNano(), 0))
	}
	return Assemble([]*Builder{b})
}

// The timeline runs from the first dated match to the last without gaps,
// by the finest interval that fits, and its counts add up to the dated
// matches.
func TestTimeline(t *testing.T) {
	for _, c := range []struct {
		name     string
		dates    []string
		interval search.Interval
		want     map[string]int // non-zero buckets
		first    string
		buckets  int
	}{
		{"days", []string{"2021-12-30 23:59:00", "", "2022-01-02 00:00:00", "2021-12-30 08:00:00"},
			search.IntervalDay, map[string]int{"2021-12-30": 2, "2022-01-02": 1}, "2021-12-30", 4},
		{"one day", []string{"2021-12-30 10:00:00"}, search.IntervalDay, map[string]int{"2021-12-30": 1}, "2021-12-30", 1},
		{"months", []string{"2020-01-31 10:00:00", "2021-03-01 00:00:00", "2020-01-01 00:00:00"},
			search.IntervalMonth, map[string]int{"2020-01-01": 2, "2021-03-01": 1}, "2020-01-01", 15},
		{"48 months", []string{"2018-01-05 00:00:00", "2021-12-31 00:00:00"},
			search.IntervalMonth, map[string]int{"2018-01-01": 1, "2021-12-01": 1}, "2018-01-01", 48},
		{"49 months are years", []string{"2018-01-05 00:00:00", "2022-01-01 00:00:00"},
			search.IntervalYear, map[string]int{"2018-01-01": 1, "2022-01-01": 1}, "2018-01-01", 5},
		{"before 1970", []string{"1969-12-31 23:00:00", "1970-01-01 01:00:00"},
			search.IntervalDay, map[string]int{"1969-12-31": 1, "1970-01-01": 1}, "1969-12-31", 2},
	} {
		t.Run(c.name, func(t *testing.T) {
			table := tableOf(t, c.dates...)
			tl := table.All.Timeline(table)
			if tl == nil {
				t.Fatal("no timeline")
			}
			if tl.Interval != c.interval || len(tl.Buckets) != c.buckets || tl.Buckets[0].Start != c.first {
				t.Fatalf("timeline by %s, %d buckets from %s; want by %s, %d from %s: %+v",
					tl.Interval, len(tl.Buckets), tl.Buckets[0].Start, c.interval, c.buckets, c.first, tl.Buckets)
			}
			prev := time.Time{}
			for _, b := range tl.Buckets {
				start, err := time.Parse(time.DateOnly, b.Start)
				if err != nil {
					t.Fatal(err)
				}
				if !prev.IsZero() && !start.Equal(advance(prev, tl.Interval, 1)) {
					t.Errorf("bucket %s does not follow %s by one %s", b.Start, prev.Format(time.DateOnly), tl.Interval)
				}
				prev = start
				if b.Count != c.want[b.Start] {
					t.Errorf("bucket %s: %d, want %d", b.Start, b.Count, c.want[b.Start])
				}
			}
		})
	}
	if table := tableOf(t, "", ""); table.All.Timeline(table) != nil {
		t.Error("a timeline of undated articles")
	}
}

// Each bucket counts the matches dated in it, found by summing a run of
// days: the same as looking up each match's bucket, for timelines by
// day, month and year, with few matches counted (their days listed) and
// many; a scaled bucket is its matches' count scaled once.
func TestTimelineBucketsSumTheirDays(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 19))
	for _, span := range []int{20, 600, 4000} { // days: by day, by month, by year
		var dates []string
		start := time.Date(2019, 12, 28, 0, 0, 0, 0, time.UTC)
		for range 3000 {
			dates = append(dates, start.AddDate(0, 0, rng.IntN(span)).Add(time.Duration(rng.IntN(86400))*time.Second).Format(time.DateTime))
		}
		table := tableOf(t, dates...)
		for _, matches := range []int{3, 40, 3000} {
			c := NewCounts(table)
			want := map[string]int{}
			var iv search.Interval
			docs := rng.Perm(len(dates))[:matches]
			slices.Sort(docs)
			tally := c.Tally(table)
			for _, d := range docs {
				tally.Add(uint32(d))
			}
			tally.Flush()
			for _, scale := range []float64{0, 2.7} {
				c.Scale(Day, scale)
				tl := c.Timeline(table)
				iv = tl.Interval
				clear(want)
				for _, d := range docs {
					day, _ := time.Parse(time.DateTime, dates[d])
					want[truncate(day, iv).Format(time.DateOnly)]++
				}
				for _, b := range tl.Buckets {
					w := want[b.Start]
					if scale > 1 && w > 0 {
						w = max(1, int(math.Round(float64(w)*scale)))
					}
					if b.Count != w {
						t.Errorf("%d days, %d matches, scale %g: bucket %s (%s) counts %d, want %d", span, matches, scale, b.Start, iv, b.Count, w)
					}
					delete(want, b.Start)
				}
				if len(want) > 0 {
					t.Errorf("%d days, %d matches: no bucket for %v", span, matches, want)
				}
			}
		}
	}
}

// BenchmarkTimeline measures the timeline of 5,000 matches of a table of
// 100,000 articles over twenty years (7,300 days): what every search
// with facets pays after its count.
func BenchmarkTimeline(b *testing.B) {
	t := syntheticTable(100_000)
	c := NewCounts(t)
	tally := c.Tally(t)
	for d := uint32(0); d < 100_000; d += 20 {
		tally.Add(d)
	}
	tally.Flush()
	for b.Loop() {
		if c.Timeline(t) == nil {
			b.Fatal("no timeline")
		}
	}
}
