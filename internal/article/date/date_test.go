package date

import (
	"testing"
	"time"
)

func utc(y int, m time.Month, d, h, mi int) time.Time {
	return time.Date(y, m, d, h, mi, 0, 0, time.UTC)
}

func TestHeaderLine(t *testing.T) {
	tests := []struct {
		line string
		want time.Time // zero: not a date line
		rest string
	}{
		{"2021-12-18 17:10", utc(2021, 12, 18, 17, 10), ""},
		{"2021-12-18", utc(2021, 12, 18, 0, 0), ""},
		{"2021/12/18 17:10:05", time.Date(2021, 12, 18, 17, 10, 5, 0, time.UTC), ""},
		{"2021-12-18T17:10", utc(2021, 12, 18, 17, 10), ""},
		{"date 2023-04-20 Chinese FM meets SCO chief", utc(2023, 4, 20, 0, 0), "Chinese FM meets SCO chief"},
		{"2023-04-20 Chinese FM meets SCO chief", utc(2023, 4, 20, 0, 0), "Chinese FM meets SCO chief"},
		{"2023-04-20 | 08:00", utc(2023, 4, 20, 8, 0), ""}, // the time after a bar
		{"Published: April 20, 2023", utc(2023, 4, 20, 0, 0), ""},
		{"Updated 10:34, April 20, 2023", utc(2023, 4, 20, 10, 34), ""},
		{"Thursday, April 20, 2023", utc(2023, 4, 20, 0, 0), ""},
		{"20 Apr 2023", utc(2023, 4, 20, 0, 0), ""},
		{"Dec. 28, 2018", utc(2018, 12, 28, 0, 0), ""},
		{"Sept 3rd, 2019 09:15", utc(2019, 9, 3, 9, 15), ""},
		// Not date lines.
		{"2021-02-30", time.Time{}, ""},                    // no such day
		{"2021-12-18 25:10", time.Time{}, ""},              // no such hour
		{"1066-10-14", time.Time{}, ""},                    // not news
		{"April 20, 2023 was a Thursday", time.Time{}, ""}, // month-name dates never carry a title
		{"Date night in 2023", time.Time{}, ""},
		{"20230420 Chinese FM", time.Time{}, ""},
		{"Chinese FM meets SCO chief", time.Time{}, ""},
	}
	for _, tt := range tests {
		hd, ok := HeaderLine(tt.line, Unsettled)
		got, rest := hd.Time, hd.Rest
		if ok != !tt.want.IsZero() || !got.Equal(tt.want) || rest != tt.rest {
			t.Errorf("HeaderLine(%q) = %v, %q, %v; want %v, %q", tt.line, got, rest, ok, tt.want, tt.rest)
		}
	}
}

func TestCredit(t *testing.T) {
	tests := []struct {
		line, agency string
		want         time.Time
	}{
		{"Xinhua) 10:34, April 20, 2023", "Xinhua", utc(2023, 4, 20, 10, 34)},
		{"(Xinhua) 10:34, April 20, 2023", "Xinhua", utc(2023, 4, 20, 10, 34)},
		{"(People's Daily Online) 08:15, March 3, 2022", "People's Daily Online", utc(2022, 3, 3, 8, 15)},
		{"(Xinhua) Chinese FM meets SCO chief", "", time.Time{}}, // no date: not a credit line
		{"Xinhua) 10:34, April 20, 2023 and more", "", time.Time{}},
		{"the firm (which) 10:34, April 20, 2023", "", time.Time{}},
	}
	for _, tt := range tests {
		agency, got, ok := Credit(tt.line, Unsettled)
		if ok != !tt.want.IsZero() || agency != tt.agency || !got.Equal(tt.want) {
			t.Errorf("Credit(%q) = %q, %v, %v; want %q, %v", tt.line, agency, got, ok, tt.agency, tt.want)
		}
	}
}

func TestFirstSentence(t *testing.T) {
	tests := []struct {
		para string
		want time.Time
	}{
		{"On December 28, 2018, State Councilor and Foreign Minister Wang Yi met", utc(2018, 12, 28, 0, 0)},
		{"On 12 November 2019, SCO Secretary-General Vladimir Norov met", utc(2019, 11, 12, 0, 0)},
		{"On July 13, 2021 local time, State Councilor", utc(2021, 7, 13, 0, 0)},
		{"On Friday, 12 November 2019, talks began.", utc(2019, 11, 12, 0, 0)},
		{"on Dec 1 2004 the firm said", utc(2004, 12, 1, 0, 0)},
		// Only a date that opens the paragraph counts.
		{"Talks were held on 12 November 2019.", time.Time{}},
		{"On Friday the firm said profits rose.", time.Time{}},
		{"Online sales rose on December 28, 2018.", time.Time{}},
	}
	for _, tt := range tests {
		got, _, ok := FirstSentence(tt.para)
		if ok != !tt.want.IsZero() || !got.Equal(tt.want) {
			t.Errorf("FirstSentence(%q) = %v, %v; want %v", tt.para, got, ok, tt.want)
		}
	}
}

func TestNearestYear(t *testing.T) {
	tests := []struct {
		month time.Month
		day   int
		ref   time.Time
		want  time.Time
	}{
		{time.April, 19, utc(2023, 4, 20, 10, 34), utc(2023, 4, 19, 0, 0)},
		{time.December, 31, utc(2024, 1, 1, 0, 0), utc(2023, 12, 31, 0, 0)},
		{time.January, 2, utc(2023, 12, 30, 0, 0), utc(2024, 1, 2, 0, 0)},
		{time.February, 29, utc(2024, 3, 1, 0, 0), utc(2024, 2, 29, 0, 0)},
	}
	for _, tt := range tests {
		if got, ok := NearestYear(tt.month, tt.day, tt.ref); !ok || !got.Equal(tt.want) {
			t.Errorf("NearestYear(%v %d, %v) = %v, %v; want %v", tt.month, tt.day, tt.ref, got, ok, tt.want)
		}
	}
	if got, ok := NearestYear(time.February, 30, utc(2024, 3, 1, 0, 0)); ok {
		t.Errorf("NearestYear(February 30) = %v, want no date", got)
	}
}

func TestFind(t *testing.T) {
	tests := []struct {
		s    string
		want time.Time
	}{
		{"the meeting on 2 November 2019 in Tashkent", utc(2019, 11, 2, 0, 0)},
		{"Beijing, April 19, 2023. (Xinhua/Zhai Jianlan)", utc(2023, 4, 19, 0, 0)},
		{"first May 1, 2020 then 2019-01-01", utc(2020, 5, 1, 0, 0)},
		{"serial 12023-04-20 and Omar 20, 2023", time.Time{}}, // glued to other characters
		{"no date here", time.Time{}},
	}
	for _, tt := range tests {
		got, _, _, ok := Find(tt.s)
		if ok != !tt.want.IsZero() || !got.Equal(tt.want) {
			t.Errorf("Find(%q) = %v, %v; want %v", tt.s, got, ok, tt.want)
		}
	}
}

func TestReadDateline(t *testing.T) {
	tests := []struct {
		para, place, agency string // place "": not a dateline
		month               time.Month
		day                 int
		rest                string
	}{
		{"BEIJING, April 19 (Xinhua) -- Chinese State Councilor", "BEIJING", "Xinhua", time.April, 19, "Chinese State Councilor"},
		{"UNITED NATIONS, Dec. 3 (Xinhua) — The UN said", "UNITED NATIONS", "Xinhua", time.December, 3, "The UN said"},
		{"WASHINGTON (Reuters) - The Fed said", "WASHINGTON", "Reuters", 0, 0, "The Fed said"},
		{"LONDON, Jan 5 -- Shares fell", "LONDON", "", time.January, 5, "Shares fell"},
		{"KABUL, Afghanistan (AP) — Officials said", "KABUL", "AP", 0, 0, "Officials said"},
		{"GENEVA (World Wire) — United Nations", "GENEVA", "World Wire", 0, 0, "United Nations"},
		{"Beijing, April 19 (Xinhua) -- Talks", "Beijing", "Xinhua", time.April, 19, "Talks"},
		{"Geneva (Reuters) - Talks", "Geneva", "Reuters", 0, 0, "Talks"},
		{"SAN JOSE, Calif., Oct. 24, 2023 /PRNewswire/ -- Acme", "SAN JOSE", "PRNewswire", time.October, 24, "Acme"},
		{"Feb. 28 (UPI) -- Storms", "", "UPI", time.February, 28, "Storms"},
		// Not datelines.
		{"Geneva - talks resumed", "", "", 0, 0, ""}, // a capitalized word and a dash
		{"I (and others) - we said", "", "", 0, 0, ""},
		{"Quarterly profits at US media giant TimeWarner jumped", "", "", 0, 0, ""},
		{"UK (and EU) - rules", "", "", 0, 0, ""},
	}
	for _, tt := range tests {
		dl, ok := ReadDateline(tt.para)
		if ok != (tt.place != "" || tt.agency != "") || dl.Place != tt.place || dl.Agency != tt.agency || dl.Month != tt.month || dl.Day != tt.day || ok && tt.para[dl.End:] != tt.rest {
			t.Errorf("ReadDateline(%q) = %+v, %v; want %q %q %v %d, rest %q", tt.para, dl, ok, tt.place, tt.agency, tt.month, tt.day, tt.rest)
		}
	}
}

func TestIsCalendarWord(t *testing.T) {
	for w, want := range map[string]bool{
		"May": true, "Dec.": true, "december": true, "Monday": true, "Monday,": true, "TUESDAY": true,
		"Mondays": false, "Mayor": false, "Jane": false, "": false, "Monday,x": false,
	} {
		if got := IsCalendarWord(w); got != want {
			t.Errorf("IsCalendarWord(%q) = %v, want %v", w, got, want)
		}
	}
}
