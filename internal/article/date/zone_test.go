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

// TestWireDatelines reads the datelines of agencies whose form differs
// from Reuters' and AP's.
func TestWireDatelines(t *testing.T) {
	tests := []struct{ in, place, agency string }{
		{"MOSCOW, April 11. /TASS/. Russian Foreign Minister Sergey Lavrov will", "MOSCOW", "TASS"},
		{"Berlin (dpa) - Germany's economy shrank", "Berlin", "dpa"},
		{"Santa Cruz de Tenerife, Aug 17 (EFE).- Firefighters battled", "Santa Cruz de Tenerife", "EFE"},
		{"New York CNN — The company reported", "New York", "CNN"},
		{"SAN JOSE, Calif., Oct. 24, 2023 /PRNewswire/ -- Acme Corp", "SAN JOSE", "PRNewswire"},
	}
	for _, tt := range tests {
		dl, ok := ReadDateline(tt.in)
		if !ok || dl.Place != tt.place || dl.Agency != tt.agency {
			t.Errorf("ReadDateline(%q) = %+v, %v; want %q, %q", tt.in, dl, ok, tt.place, tt.agency)
		}
	}
	for _, s := range []string{
		"The IAAF - athletics' world governing body - has met officials", // no em dash, no dateline
		"Sunday Times - the paper said",
	} {
		if dl, ok := ReadDateline(s); ok && dl.Agency != "" {
			t.Errorf("ReadDateline(%q) = %+v, want no agency", s, dl)
		}
	}
}

// TestLabelsInAnyWords reads a date after a label in any words, and a date
// whose spaces the page's markup stood for.
func TestLabelsInAnyWords(t *testing.T) {
	tests := []struct {
		in, want string
		updated  bool
	}{
		{"Stand: 14.11.2023 17:32 Uhr", "2023-11-14T17:32:00Z", false},
		{"Issued on: 29/01/2024 - 14:52", "2024-01-29T14:52:00Z", false},
		{"Update : 14.08.2023", "2023-08-14T00:00:00Z", true},
		{"All News 08:12 March 18, 2024", "2024-03-18T08:12:00Z", false},
		{"March 3, 20249:45 AM GMTUpdated 2 hours ago", "2024-03-03T09:45:00Z", false},
	}
	for _, tt := range tests {
		hd, ok := HeaderLine(tt.in, Unsettled)
		if !ok || hd.Time.Format(time.RFC3339) != tt.want || hd.Updated != tt.updated {
			t.Errorf("HeaderLine(%q) = %+v, %v; want %s, updated %v", tt.in, hd, ok, tt.want, tt.updated)
		}
	}
	for _, s := range []string{"Brexit talks resume March 18, 2024", "Markets 18 March 2024"} {
		if hd, ok := HeaderLine(s, Unsettled); ok {
			t.Errorf("HeaderLine(%q) = %+v, want no date line (a label of two capitalized words needs a time of day)", s, hd)
		}
	}
}
