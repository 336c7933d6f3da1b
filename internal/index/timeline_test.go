package index_test

import (
	"testing"
	"time"

	"github.com/newsfind/newsfind/internal/index/indextest"
	"github.com/newsfind/newsfind/internal/search"
)

// sumBuckets adds up a timeline's counts.
func sumBuckets(tl *search.Timeline) int {
	n := 0
	for _, b := range tl.Buckets {
		n += b.Count
	}
	return n
}

// Every search carries the timeline of its dated matches: on the seeds,
// the empty search spans 2018 to 2023 by year; a search narrows it, and
// date filters and facet filters narrow it as they narrow the matches.
func TestTimelineSeeds(t *testing.T) {
	ix, _ := indextest.Build(t, indextest.Corpus(t, map[string]string{"undated.txt": "Norov undated\n\nNo date here, Norov.\n"}))
	res := indextest.Search(t, ix, search.Request{})
	tl := res.Timeline
	if tl == nil || tl.Interval != search.IntervalYear {
		t.Fatalf("empty search: timeline %+v, want one by year", tl)
	}
	var starts []string
	for _, b := range tl.Buckets {
		starts = append(starts, b.Start)
	}
	if len(starts) != 6 || starts[0] != "2018-01-01" || starts[5] != "2023-01-01" || sumBuckets(tl) != 5 {
		t.Errorf("empty search: buckets %+v, want 2018 to 2023 adding up to the 5 dated seeds", tl.Buckets)
	}
	// Norov: 2019-11 and 2021-12, by month, with the 24 months between;
	// the undated match counts in the total, not the timeline.
	res = indextest.Search(t, ix, search.Request{Query: "Norov"})
	if tl := res.Timeline; tl == nil || tl.Interval != search.IntervalMonth || len(tl.Buckets) != 26 ||
		tl.Buckets[0] != (search.Bucket{Start: "2019-11-01", Count: 1}) || tl.Buckets[25] != (search.Bucket{Start: "2021-12-01", Count: 1}) || sumBuckets(tl) != 2 {
		t.Errorf("Norov (%d matches): timeline %+v, want 26 months from 2019-11 to 2021-12 adding up to 2", res.Total, tl)
	}
	res = indextest.Search(t, ix, search.Request{Filters: search.Filters{
		DateFrom: time.Date(2021, 7, 1, 0, 0, 0, 0, time.UTC), DateTo: time.Date(2021, 7, 31, 0, 0, 0, 0, time.UTC)}})
	if tl := res.Timeline; tl == nil || tl.Interval != search.IntervalDay || len(tl.Buckets) != 1 || tl.Buckets[0] != (search.Bucket{Start: "2021-07-13", Count: 1}) {
		t.Errorf("July 2021: timeline %+v, want the one day", tl)
	}
	if res := indextest.Search(t, ix, search.Request{Query: "undated"}); res.Total != 1 || res.Timeline != nil {
		t.Errorf("undated: %d matches, timeline %+v; want 1 and none", res.Total, res.Timeline)
	}
	if res := indextest.Search(t, ix, search.Request{NoFacets: true}); res.Timeline != nil {
		t.Errorf("facets=false: timeline %+v, want none", res.Timeline)
	}
}
