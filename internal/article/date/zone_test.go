package date

import (
	"testing"
	"time"
)

// TestZones reads a stated zone: the instant is right and the date keeps
// the publication's own calendar day and offset; a name that means
// several zones, or none this package knows, leaves the wall clock in UTC.
func TestZones(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Thu, 26 Feb 2023 23:30:00 -0500", "2023-02-26T23:30:00-05:00"},
		{"2023-02-27T01:00:00+09:00", "2023-02-27T01:00:00+09:00"},
		{"Feb. 26, 2023 11:30 p.m. EST", "2023-02-26T23:30:00-05:00"},
		{"July 4, 2023 9:00 PM EDT", "2023-07-04T21:00:00-04:00"},
		{"Mar. 12, 2024 07:45 JST", "2024-03-12T07:45:00+09:00"},
		{"April 11, 2024 at 1:15 PM GMT+2", "2024-04-11T13:15:00+02:00"},
		{"12.04.2024 16:05 (UTC+3)", "2024-04-12T16:05:00+03:00"},
		{"9:58 PM GMT+8, April 2, 2024", "2024-04-02T21:58:00+08:00"},
		{"Nov. 14, 2023 5:48 p.m. CT", "2023-11-14T17:48:00-06:00"}, // US Central, standard time
		{"July 14, 2023 5:48 p.m. CT", "2023-07-14T17:48:00-05:00"}, // summer time
		{"March 10, 2024 1:00 AM ET", "2024-03-10T01:00:00-05:00"},  // before the change that day
		{"March 10, 2024 3:00 AM ET", "2024-03-10T03:00:00-04:00"},
		{"Friday 16 June 2023 14:05, UK", "2023-06-16T14:05:00+01:00"},
		{"Friday 17 November 2023 14:05, UK", "2023-11-17T14:05:00Z"},
		{"Thu, 26 Feb 2023 15:18:59 GMT", "2023-02-26T15:18:59Z"},
		{"Jul 8, 2024, 11:36 IST", "2024-07-08T11:36:00Z"}, // India, Ireland or Israel: not applied
		{"Dec 31, 2019 00:45 CST", "2019-12-31T00:45:00Z"}, // US Central or China: not applied
		{"26 Feb 2023 15:18 XYZ", "2023-02-26T15:18:00Z"},
		{"Tue, 23 Apr 2024 20:31:07 EST", "2024-04-23T20:31:07-05:00"}, // RFC 1123 with a name time.Parse does not apply
	}
	for _, tt := range tests {
		got, ok := Parse(tt.in, DayFirst)
		if !ok || got.Format(time.RFC3339) != tt.want {
			t.Errorf("Parse(%q) = %s, %v; want %s", tt.in, got.Format(time.RFC3339), ok, tt.want)
		}
	}
}

func TestOffsetSeconds(t *testing.T) {
	for in, want := range map[string]int{"+8": 8 * 3600, "-05:00": -5 * 3600, "+0530": 5*3600 + 1800, "+15": -1, "+1": 3600, "-123456": -1} {
		got, ok := offsetSeconds(in)
		if want == -1 && ok || want != -1 && got != want {
			t.Errorf("offsetSeconds(%q) = %d, %v; want %d", in, got, ok, want)
		}
	}
}
