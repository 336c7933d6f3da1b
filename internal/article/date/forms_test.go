package date

import (
	"testing"
	"time"
)

func TestWholeRefusesGuesses(t *testing.T) {
	for _, s := range []string{
		"03/04/05", "03/04/2005", "03.04.2023", "03-04-2023 10:00", "Thu 03/04/2023",
		"26 Feb", "Feb 2023", "2023", "26.02", "15:18:59 GMT", "yesterday", "3 days ago",
		"31/02/2023", "26/13/2023", "13/13/2023", "2023-02-30", "Feb 26, 2023 13:01 PM",
		"Feb 26, 2023 25:01", "Thu, 26 Feb 2023 15:18:59 GMT and more", "26 Feb 2023 was cold",
		"1066-10-14", "Caught 26 Feb 2023",
	} {
		if got, ok := Whole(s, Unsettled); ok {
			t.Errorf("Whole(%q) = %v, want no date", s, got)
		}
	}
}

func TestWholeOrders(t *testing.T) {
	tests := []struct {
		s     string
		order Order
		want  time.Time // zero: no date
	}{
		{"03/04/2023", DayFirst, utc(2023, 4, 3, 0, 0)},
		{"03/04/2023", MonthFirst, utc(2023, 3, 4, 0, 0)},
		{"03/04/05", DayFirst, utc(2005, 4, 3, 0, 0)},
		{"26.02.2023", Unsettled, utc(2023, 2, 26, 0, 0)},
		{"02/26/2023", Unsettled, utc(2023, 2, 26, 0, 0)},
		{"02/26/2023", DayFirst, utc(2023, 2, 26, 0, 0)}, // 26 cannot be a month, whatever the page says
		{"04.04.2023", Unsettled, utc(2023, 4, 4, 0, 0)}, // the same either way
		{"12:30 PM, Feb 26, 2023", Unsettled, utc(2023, 2, 26, 12, 30)},
		{"12:30 AM, Feb 26, 2023", Unsettled, utc(2023, 2, 26, 0, 30)},
		{"Thu, 26 Feb 2023 23:30:00 -0500", Unsettled, time.Date(2023, 2, 26, 23, 30, 0, 0, time.FixedZone("", -5*3600))},
		{"Sun 26 Feb 2023 15.18 GMT", Unsettled, utc(2023, 2, 26, 15, 18)}, // The Guardian's clock
		{"26 Feb '23", Unsettled, utc(2023, 2, 26, 0, 0)},
		{"Friday 17 November 2023 14:05, UK", Unsettled, utc(2023, 11, 17, 14, 5)},
	}
	for _, tt := range tests {
		got, ok := Whole(tt.s, tt.order)
		if ok != !tt.want.IsZero() || !got.Equal(tt.want) {
			t.Errorf("Whole(%q, %d) = %v, %v; want %v", tt.s, tt.order, got, ok, tt.want)
		}
	}
}

func TestOrderOf(t *testing.T) {
	for tag, want := range map[string]Order{
		"de": DayFirst, "de-DE": DayFirst, "fr_CA": DayFirst, "ru": DayFirst, "en-GB": DayFirst,
		"en-IN": DayFirst, "en-us": MonthFirst, "en_US": MonthFirst, "en-PH": MonthFirst,
		"en": Unsettled, "EN": Unsettled, "": Unsettled, "zh-CN": Unsettled, "ja": Unsettled,
		"english": Unsettled, "e1": Unsettled,
	} {
		if got := OrderOf(tag); got != want {
			t.Errorf("OrderOf(%q) = %d, want %d", tag, got, want)
		}
	}
}

func TestAmbiguous(t *testing.T) {
	for s, want := range map[string]bool{
		"03/04/2023": true, "Posted 3.4.23": true, "26/02/2023": false, "04/04/2023": false,
		"2023-03-04": false, "version 1.2.3": false, "no date": false, "12/11/2019 10:00": true,
	} {
		if got := Ambiguous(s); got != want {
			t.Errorf("Ambiguous(%q) = %v, want %v", s, got, want)
		}
	}
}

func TestHeaderLineSeveralDates(t *testing.T) {
	tests := []struct {
		line    string
		want    time.Time
		updated bool
	}{
		{"Published 26 Feb 2023 Updated 27 Feb 2023", utc(2023, 2, 26, 0, 0), false},
		{"Updated 27 Feb 2023 | Published 26 Feb 2023", utc(2023, 2, 26, 0, 0), false},
		{"Last updated: 27 Feb 2023 10:00 GMT", utc(2023, 2, 27, 10, 0), true},
		{"Updated: 27.02.2023", utc(2023, 2, 27, 0, 0), true},
		{"Posted: 26.02.2023 · Updated: 27.02.2023", utc(2023, 2, 26, 0, 0), false},
		{"February 26, 2023 3:01 PM UTC Updated 2 hours ago", utc(2023, 2, 26, 15, 1), false},
		{"Wed 22 Nov 2023 16.05 GMT | First published on Wed 22 Nov 2023 07.30 GMT", utc(2023, 11, 22, 7, 30), false},
	}
	for _, tt := range tests {
		hd, ok := HeaderLine(tt.line, Unsettled)
		if !ok || !hd.Time.Equal(tt.want) || hd.Updated != tt.updated {
			t.Errorf("HeaderLine(%q) = %+v, %v; want %v, updated %v", tt.line, hd, ok, tt.want, tt.updated)
		}
	}
	for _, line := range []string{"Published 26 Feb 2023 and more", "Markets | 26 Feb 2023", "Updated"} {
		if hd, ok := HeaderLine(line, Unsettled); ok {
			t.Errorf("HeaderLine(%q) = %+v, want no date line", line, hd)
		}
	}
}

func TestTrailing(t *testing.T) {
	tests := []struct {
		line, before string
		want         time.Time
	}{
		{"By Jane Doe | July 01, 2001 09:19 AM UTC", "By Jane Doe", utc(2001, 7, 1, 9, 19)},
		{"By Jane Doe, Reuters · 26 Feb 2023", "By Jane Doe, Reuters", utc(2023, 2, 26, 0, 0)},
		{"Jane Doe — Thu 26 Feb 2023 15:18 GMT", "Jane Doe", utc(2023, 2, 26, 15, 18)},
		{"By Jane Doe | 03/04/2023", "", time.Time{}},
		{"26 Feb 2023", "", time.Time{}}, // nothing before it
		{"By Jane Doe", "", time.Time{}},
	}
	for _, tt := range tests {
		got, before, ok := Trailing(tt.line, Unsettled)
		if ok != !tt.want.IsZero() || !got.Equal(tt.want) || before != tt.before {
			t.Errorf("Trailing(%q) = %v, %q, %v; want %v, %q", tt.line, got, before, ok, tt.want, tt.before)
		}
	}
}

// FuzzDate feeds any text to every reader of dates: none may panic, and
// any date accepted must be a real moment of a plausible year in UTC, and
// offsets must lie in the text.
func FuzzDate(f *testing.F) {
	for _, s := range []string{
		"Thu, 26 Feb 2023 15:18:59 GMT", "26.02.2023", "03/04/05", "By Jane Doe | July 01, 2001 09:19 AM UTC",
		"Published: 26 Feb 2023 | Updated: 27 Feb 2023", "2023-02-26T15:18:59.999999999+01:00",
		"Mon Jan  2 15:04:05 MST 2006", "(Xinhua) 10:34, April 20, 2023", "On 12 November 2019, talks",
		"SANTA CRUZ, Calif., Feb 26 (Reuters) - A", "20 апреля 2023 г., 10:34", "2023年4月20日 下午3:05", "",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		valid := func(what string, d time.Time, ok bool) {
			if !ok {
				return
			}
			if _, off := d.Zone(); off < -14*3600 || off > 14*3600 || d.Year() < 1900 || d.Year() > 2100 {
				t.Fatalf("%s(%q) = %v: not a plausible date", what, s, d)
			}
		}
		for _, o := range []Order{Unsettled, DayFirst, MonthFirst} {
			d, ok := Whole(s, o)
			valid("Whole", d, ok)
			d, ok = Parse(s, o)
			valid("Parse", d, ok)
			hd, ok := HeaderLine(s, o)
			valid("HeaderLine", hd.Time, ok)
			d, _, ok = Trailing(s, o)
			valid("Trailing", d, ok)
			_, d, ok = Credit(s, o)
			valid("Credit", d, ok)
		}
		d, start, end, ok := Find(s)
		valid("Find", d, ok)
		if ok && (start < 0 || end > len(s) || start >= end) {
			t.Fatalf("Find(%q) offsets %d..%d", s, start, end)
		}
		d, _, ok = FirstSentence(s)
		valid("FirstSentence", d, ok)
		if dl, ok := ReadDateline(s); ok && (dl.End > len(s) || dl.End < 0) {
			t.Fatalf("ReadDateline(%q).End = %d", s, dl.End)
		}
		Ambiguous(s)
	})
}
