package search

import (
	"errors"
	"strings"
	"testing"
	"time"
)

// Row 3 of issue 17: a date bound the index cannot represent reached
// bleve's date range query and failed there, a 500. Validate refuses it,
// naming the range, for every caller, not only the HTTP layer.
func TestAbuseValidateDateRange(t *testing.T) {
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
	for _, c := range []struct {
		f    Filters
		want string // in the error; "" for valid
	}{
		{Filters{DateFrom: day(9999, 12, 31)}, "date_from must be a date from 1678-01-01 to 2261-12-31, got 9999-12-31"},
		{Filters{DateTo: day(1000, 1, 1)}, "date_to must be a date from 1678-01-01 to 2261-12-31, got 1000-01-01"},
		{Filters{DateFrom: day(2262, 1, 1), DateTo: day(2262, 1, 2)}, "date_from must be a date from"},
		{Filters{DateFrom: day(2021, 12, 18), DateTo: day(2021, 7, 13)}, "date_to (2021-07-13) is before date_from (2021-12-18)"},
		{Filters{DateFrom: MinDate, DateTo: MaxDate}, ""},
		{Filters{DateFrom: day(2021, 7, 13), DateTo: day(2021, 7, 13)}, ""},
		{Filters{}, ""},
	} {
		req := Request{Filters: c.f}
		err := req.Validate()
		switch {
		case c.want == "" && err != nil:
			t.Errorf("%+v: %v, want valid", c.f, err)
		case c.want != "" && (err == nil || !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), c.want)):
			t.Errorf("%+v: %v, want ErrInvalid saying %q", c.f, err, c.want)
		}
	}
	if err := CheckDate("date_to", time.Time{}); err == nil {
		t.Error("CheckDate took the zero time (0001-01-01) as a date in range")
	}
}
