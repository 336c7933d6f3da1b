package date

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// writtenForm is one way of writing a date: a Go layout or a function of
// the time, what it gives (a clock, a zone), and whether its numbers are
// day first and open to both readings.
type writtenForm struct {
	name   string
	write  func(t time.Time) string
	clock  bool // the form gives the hour and minute
	numDMY bool // a numeric day-first form: refused unless the day is over 12 (or equals the month)
	numMDY bool // a numeric month-first form
}

func layout(l string, clock bool) writtenForm {
	return writtenForm{name: l, write: func(t time.Time) string { return t.Format(l) }, clock: clock}
}

func ordinal(d int) string {
	switch {
	case d%10 == 1 && d != 11:
		return "st"
	case d%10 == 2 && d != 12:
		return "nd"
	case d%10 == 3 && d != 13:
		return "rd"
	}
	return "th"
}

// writtenForms are the forms issue 16 lists: Go's layouts that carry a
// date, ISO 8601, weekday forms, month names with abbreviations, dots and
// ordinals, numeric day-first forms, 12-hour clocks, zone names, offsets.
func writtenForms() []writtenForm {
	f := []writtenForm{
		layout(time.ANSIC, true), layout(time.UnixDate, true), layout(time.RubyDate, true),
		layout(time.RFC822, true), layout(time.RFC822Z, true), layout(time.RFC850, true),
		layout(time.RFC1123, true), layout(time.RFC1123Z, true), layout(time.RFC3339, true),
		layout(time.RFC3339Nano, true), layout(time.DateTime, true), layout(time.DateOnly, false),
		layout("2006-01-02T15:04:05.000-07:00", true), layout("2006-01-02T15:04Z07:00", true),
		layout("2006-01-02T15:04", true), layout("2006/01/02 15:04", true),
		layout("Monday, 2 January 2006", false), layout("Monday 2 January 2006", false),
		layout("Mon 2 Jan 2006", false), layout("Mon, 2 Jan 2006", false),
		layout("Monday, January 2, 2006", false), layout("Mon, Jan 2, 2006", false),
		layout("Mon. Jan. 2, 2006", false),
		layout("Jan. 2, 2006", false), layout("January 2 2006 3:04 PM MST", true),
		layout("January 2, 2006 at 3:04 pm", true), layout("Jan 2, 2006 3:04 PM -0700", true),
		layout("2 January 2006, 15:04 GMT", true), layout("02 Jan 2006 15:04:05 MST", true),
		layout("15:04 MST, 2 January 2006", true), layout("3:04 PM, Jan 2, 2006", true),
		layout("Monday, 2 January 2006 15:04 -07:00", true), layout("2-Jan-2006", false),
		layout("January 02, 2006 03:04 PM MST", true), layout("Jan 2 2006 15:04 (MST)", true),
		layout("02.01.2006", false), layout("02-01-2006", false), layout("02/01/2006", false),
		layout("02.01.2006 15:04", true), layout("02/01/2006 3:04 PM", true), layout("2.1.2006", false),
		layout("01/02/2006", false), layout("01-02-2006 15:04", true),
	}
	for i := range f {
		switch {
		case strings.HasPrefix(f[i].name, "02.") || strings.HasPrefix(f[i].name, "02-01") || strings.HasPrefix(f[i].name, "02/") || strings.HasPrefix(f[i].name, "2.1."):
			f[i].numDMY = true
		case strings.HasPrefix(f[i].name, "01/") || strings.HasPrefix(f[i].name, "01-"):
			f[i].numMDY = true
		}
	}
	f = append(f,
		writtenForm{name: "2nd Jan 2006", write: func(t time.Time) string {
			return fmt.Sprintf("%d%s %s", t.Day(), ordinal(t.Day()), t.Format("Jan 2006"))
		}},
		writtenForm{name: "January 2nd, 2006", write: func(t time.Time) string {
			return fmt.Sprintf("%s %d%s, %d", t.Format("January"), t.Day(), ordinal(t.Day()), t.Year())
		}},
		writtenForm{name: "2nd of January, 2006", write: func(t time.Time) string {
			return fmt.Sprintf("%d%s of %s, %d", t.Day(), ordinal(t.Day()), t.Format("January"), t.Year())
		}},
		writtenForm{name: "Jan. 2, 2006, 3:04 p.m. EST", clock: true, write: func(t time.Time) string {
			return t.Format("Jan. 2, 2006, 3:04 ") + strings.ToLower(t.Format("PM"))[:1] + ".m. " + t.Format("MST")
		}},
		writtenForm{name: "Sept. 2", write: func(t time.Time) string {
			return strings.Replace(t.Format("Jan. 2, 2006"), "Sep.", "Sept.", 1)
		}},
	)
	return f
}

// matrixDates have a day above 12 and at most 12, morning and evening
// times, and zones east and west of UTC, where the calendar date in UTC
// differs from the one written.
var matrixDates = []time.Time{
	time.Date(2023, 2, 26, 15, 18, 59, 0, time.FixedZone("GMT", 0)),
	time.Date(2023, 2, 5, 9, 7, 3, 0, time.FixedZone("EST", -5*3600)),
	time.Date(2021, 11, 3, 23, 30, 0, 0, time.FixedZone("EST", -5*3600)),
	time.Date(2019, 12, 31, 0, 45, 0, 0, time.FixedZone("CST", 8*3600)),
	time.Date(2024, 2, 29, 12, 5, 0, 0, time.FixedZone("UTC", 0)),
	time.Date(2001, 7, 1, 9, 19, 0, 0, time.FixedZone("UTC", 0)),
	time.Date(2020, 10, 10, 18, 0, 0, 0, time.FixedZone("CET", 3600)),
	time.Date(2022, 9, 17, 0, 5, 0, 0, time.FixedZone("PDT", -7*3600)),
}

// datePositions are where a page puts its date: alone, after a label, with
// a second, updated date on the line.
var datePositions = []string{"%s", "Published: %s", "Published %s", "Updated: %s", "Posted on %s", "Date: %s",
	"First published on %s", "(%s)", "Published: %s | Updated: Mon, 1 Jan 2024 10:00 GMT"}

// want says what reading form f of t in order must give: the written date
// (and hour and minute when f gives them), or nothing (ok false). skip is
// set when order contradicts how f writes an open numeric date: that page's
// language would say the form is not this one.
func (f writtenForm) want(t time.Time, order Order) (w time.Time, ok, skip bool) {
	day, month := t.Day(), int(t.Month())
	if open := day <= 12 && day != month; open && (f.numDMY || f.numMDY) {
		switch {
		case order == Unsettled:
			return time.Time{}, false, false
		case f.numDMY && order == MonthFirst, f.numMDY && order == DayFirst:
			return time.Time{}, false, true
		}
	}
	w = time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
	if f.clock {
		w = w.Add(time.Duration(t.Hour())*time.Hour + time.Duration(t.Minute())*time.Minute)
	}
	return w, true, false
}

// TestDateMatrix writes every form of every matrix date in every position
// and reads it back: the calendar date (and the time of day as written)
// must come out, and a numeric date whose order is open must give none
// unless the Order settles it.
func TestDateMatrix(t *testing.T) {
	n := 0
	for _, f := range writtenForms() {
		for _, d := range matrixDates {
			for _, order := range []Order{Unsettled, DayFirst, MonthFirst} {
				want, ok, skip := f.want(d, order)
				if skip {
					continue
				}
				s := f.write(d)
				for _, pos := range datePositions {
					line := fmt.Sprintf(pos, s)
					hd, got := HeaderLine(line, order)
					n++
					if got != ok || got && !sameClock(hd.Time, want, f.clock) {
						t.Errorf("%s, order %d: HeaderLine(%q) = %v, %v; want %v, %v", f.name, order, line, hd.Time, got, want, ok)
					}
				}
				if got, gotOK := Parse(s, order); gotOK != ok || gotOK && !sameClock(got, want, f.clock) {
					t.Errorf("%s, order %d: Parse(%q) = %v, %v; want %v, %v", f.name, order, s, got, gotOK, want, ok)
				}
				byline := "By Jane Doe | " + s
				if got, before, gotOK := Trailing(byline, order); gotOK != ok || gotOK && (!sameClock(got, want, f.clock) || before != "By Jane Doe") {
					t.Errorf("%s, order %d: Trailing(%q) = %v, %q, %v; want %v, %v", f.name, order, byline, got, before, gotOK, want, ok)
				}
			}
		}
	}
	t.Logf("%d date lines read", n)
}

// sameClock compares the wall clock read with the one written, to the
// precision a form gives: the minute (seconds are read where given but not
// every form gives them). The zone a date is read in is zone_test's
// business: here "CST" is China's, which is not applied.
func sameClock(got, want time.Time, clock bool) bool {
	wall := time.Date(got.Year(), got.Month(), got.Day(), got.Hour(), got.Minute(), got.Second(), got.Nanosecond(), time.UTC)
	if !clock {
		return wall.Equal(want)
	}
	return wall.Truncate(time.Minute).Equal(want)
}
