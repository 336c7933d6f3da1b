package schema

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/document"
	"github.com/blevesearch/bleve/v2/numeric"
	"github.com/newsfind/newsfind/internal/search"
)

// holders returns how many of terms a date field's value v is indexed
// under: one of its prefix codes, one per shift.
func holders(terms []string, v int64) int {
	n := 0
	for shift := uint(0); shift < 64; shift += document.DefaultDateTimePrecisionStep {
		if slices.Contains(terms, string(numeric.MustNewPrefixCodedInt64(v, shift))) {
			n++
		}
	}
	return n
}

// Each value in a range is under exactly one of its terms, and no value
// outside it under any: random ranges of days (some open), checked at their
// edges and at random days and instants around them.
func TestDayTermsCoverTheRangeOnce(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	day := func() time.Time {
		return time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, r.IntN(200*366))
	}
	for i := range 300 {
		from, to := day(), day()
		if to.Before(from) {
			from, to = to, from
		}
		switch i % 10 {
		case 0:
			from = time.Time{}
		case 1:
			to = time.Time{}
		case 2:
			to = from
		}
		terms := DayTerms(from, to)
		lo, hi := int64(math.MinInt64), int64(math.MaxInt64)
		if !from.IsZero() {
			lo = from.UnixNano()
		}
		if !to.IsZero() {
			hi = to.AddDate(0, 0, 1).UnixNano() - 1
		}
		probes := []int64{lo, hi, lo - 1, hi + 1, math.MinInt64, math.MaxInt64}
		for range 50 {
			probes = append(probes, day().UnixNano(), day().UnixNano()+r.Int64N(int64(24*time.Hour)))
		}
		for _, v := range probes {
			want := 0
			if lo <= v && v <= hi {
				want = 1
			}
			if got := holders(terms, v); got != want {
				t.Fatalf("DayTerms(%s, %s): %d of %d terms hold %d (%s), want %d",
					from.Format(time.DateOnly), to.Format(time.DateOnly), got, len(terms), v, time.Unix(0, v).UTC(), want)
			}
		}
	}
	if terms := DayTerms(time.Date(2021, 1, 2, 0, 0, 0, 0, time.UTC), time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC)); terms != nil {
		t.Errorf("DayTerms of an empty range = %d terms, want none", len(terms))
	}
}

// The articles under a range's terms are those bleve's date range query
// finds in the Day field: a real index of articles over 40 years, with
// offsets that put their calendar day on another UTC day.
func TestDayTermsFindWhatTheRangeQueryFinds(t *testing.T) {
	ix, err := bleve.NewMemOnly(Mapping())
	if err != nil {
		t.Fatal(err)
	}
	b, err := NewBuilder(ix.Mapping())
	if err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(3, 4))
	start := time.Date(1990, 1, 1, 0, 0, 0, 0, time.UTC)
	batch := ix.NewBatch()
	for i := range 400 {
		zone := time.FixedZone("", (r.IntN(27)-12)*3600)
		a := search.Article{ID: string(rune('a'+i%26)) + time.Duration(i).String(), Title: "t", Body: "b",
			Date: start.Add(time.Duration(r.Int64N(int64(40 * 365 * 24 * time.Hour)))).In(zone)}
		if err := batch.IndexAdvanced(b.Document(a)); err != nil {
			t.Fatal(err)
		}
	}
	if err := ix.Batch(batch); err != nil {
		t.Fatal(err)
	}
	hits := func(req *bleve.SearchRequest) []string {
		req.Size = 1000
		res, err := ix.Search(req)
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, h := range res.Hits {
			ids = append(ids, h.ID)
		}
		slices.Sort(ids)
		return ids
	}
	for i := range 60 {
		from := start.AddDate(0, 0, r.IntN(40*365))
		to := from.AddDate(0, 0, r.IntN(3000))
		switch i % 6 {
		case 0:
			from = time.Time{}
		case 1:
			to = time.Time{}
		}
		var toEx time.Time
		if !to.IsZero() {
			toEx = to.AddDate(0, 0, 1)
		}
		incl, excl := true, false
		rq := bleve.NewDateRangeInclusiveQuery(from, toEx, &incl, &excl)
		rq.SetField(Day)
		terms := bleve.NewDisjunctionQuery()
		for _, term := range DayTerms(from, to) {
			tq := bleve.NewTermQuery(term)
			tq.SetField(Day)
			terms.AddQuery(tq)
		}
		want, got := hits(bleve.NewSearchRequest(rq)), hits(bleve.NewSearchRequest(terms))
		if !slices.Equal(got, want) {
			t.Fatalf("from %s to %s: the terms find %d articles, the range query %d", from, to, len(got), len(want))
		}
	}
}
