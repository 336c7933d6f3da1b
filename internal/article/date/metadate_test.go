package date

import (
	"testing"
	"time"

	"github.com/goodsign/monday"
)

func TestParse(t *testing.T) {
	tests := []struct {
		in   string
		want string // RFC 3339; "" for no date
	}{
		{"2023-04-20T10:34:00+08:00", "2023-04-20T10:34:00+08:00"}, // the wall clock as written
		{"2023-04-20T01:00:00-05:00", "2023-04-20T01:00:00-05:00"}, // never the day before or after
		{"2023-04-20T10:34:00.000Z", "2023-04-20T10:34:00Z"},
		{"2023-04-20", "2023-04-20T00:00:00Z"},
		{"2021-12-18 17:10", "2021-12-18T17:10:00Z"},
		{"Thu, 20 Apr 2023 10:34:00 +0800", "2023-04-20T10:34:00+08:00"},
		{"April 20, 2023", "2023-04-20T00:00:00Z"},
		{"10:34, April 20, 2023", "2023-04-20T10:34:00Z"},
		{"20 avril 2023", "2023-04-20T00:00:00Z"},
		{"20. April 2023 um 10:34 Uhr", "2023-04-20T10:34:00Z"},
		{"2023年4月20日", "2023-04-20T00:00:00Z"},
		{"2023年4月20日 10:34", "2023-04-20T10:34:00Z"},
		{"2023年4月20日 下午3:05", "2023-04-20T15:05:00Z"},
		{"２０２３年４月２０日", "2023-04-20T00:00:00Z"},
		{"jeudi 20 avril 2023 à 10h34", "2023-04-20T10:34:00Z"},
		{"20 févr. 2023", "2023-02-20T00:00:00Z"},
		{"20 fevrier 2023", "2023-02-20T00:00:00Z"},     // accents left out
		{"20 de abril de 2023", "2023-04-20T00:00:00Z"}, // Spanish, Portuguese
		{"jueves, 20 de abril de 2023, 10:34", "2023-04-20T10:34:00Z"},
		{"20 de março de 2023 às 10:34", "2023-03-20T10:34:00Z"},
		{"20 aprile 2023", "2023-04-20T00:00:00Z"},
		{"20 aprile 2023 alle 10:34", "2023-04-20T10:34:00Z"},
		{"20 april 2023", "2023-04-20T00:00:00Z"}, // Dutch
		{"20 mei 2023", "2023-05-20T00:00:00Z"},
		{"donderdag 20 april 2023 om 10:34", "2023-04-20T10:34:00Z"},
		{"20 апреля 2023", "2023-04-20T00:00:00Z"}, // Russian: the genitive month
		{"20 апреля 2023 г., 10:34", "2023-04-20T10:34:00Z"},
		{"April 20, 2023 10:34 PM", "2023-04-20T22:34:00Z"},
		{"Thu Apr 20 10:34:00 2023", "2023-04-20T10:34:00Z"},
		{"20/04/2023", "2023-04-20T00:00:00Z"}, // day first: 20 cannot be a month
		{"04/20/2023", "2023-04-20T00:00:00Z"},
		{"05/04/2023", ""},                     // either way: refused, never guessed
		{"05/05/2023", "2023-05-05T00:00:00Z"}, // the same either way
		{"20.04.2023 10:34", "2023-04-20T10:34:00Z"},
		{"01.04.2023", ""}, // dots too: only the page's language settles it
		{"05.04.2023 10:34", ""},
		{"03/04/05", ""},
		{"04.20.2023", "2023-04-20T00:00:00Z"}, // 20 cannot be a month
		{"Do., 20.04.2023 - 10:34 Uhr", "2023-04-20T10:34:00Z"},
		{"31/02/2023", ""},
		{"20 avril 2023 foo", ""},
		{"avril 2023", ""},
		{"20 avril", ""},
		{"il y a 3 jours", ""},
		{"yesterday", ""},
		{"3 days ago", ""},
		{"April 2023", ""},
		{"2023", ""},
		{"April 19", ""}, // no year: not a date on its own
		{"1681958040", ""},
		{"1066-10-14", ""},
		{"", ""},
	}
	for _, tt := range tests {
		got, ok := Parse(tt.in, Unsettled)
		s := ""
		if ok {
			s = got.Format(time.RFC3339)
		}
		if s != tt.want {
			t.Errorf("Parse(%q) = %q, want %q", tt.in, s, tt.want)
		}
	}
}

// TestParseLocales reads back every month of the languages news
// metadata is most often in, as monday writes them, full and abbreviated,
// with and without a time of day.
func TestParseLocales(t *testing.T) {
	locales := []monday.Locale{
		monday.LocaleEnGB, monday.LocaleFrFR, monday.LocaleDeDE, monday.LocaleEsES, monday.LocaleItIT,
		monday.LocalePtPT, monday.LocalePtBR, monday.LocaleNlNL, monday.LocaleRuRU,
	}
	layouts := []struct {
		layout string
		unit   time.Duration // of the time of day it gives
	}{
		{"2 January 2006", 24 * time.Hour},
		{"2 Jan. 2006", 24 * time.Hour},
		{"Monday 2 January 2006 15:04", time.Minute},
		{"Mon, 2 Jan 2006 15:04:05", time.Second},
	}
	for _, loc := range locales {
		for month := time.January; month <= time.December; month++ {
			d := time.Date(2023, month, 20, 10, 34, 56, 0, time.UTC)
			for _, l := range layouts {
				in := monday.Format(d, l.layout, loc)
				want := d.Truncate(l.unit)
				if got, ok := Parse(in, Unsettled); !ok || !got.Equal(want) {
					t.Errorf("%s: Parse(%q) = %v, %v; want %v", loc, in, got, ok, want)
				}
			}
		}
	}
}

// BenchmarkParseLocalized times the fallback for dates that are
// neither ISO nor English, and a string that is no date at all (the slowest
// case: every form is tried).
func BenchmarkParseLocalized(b *testing.B) {
	for _, in := range []string{"20 avril 2023 à 10h34", "20 апреля 2023 г.", "2023年4月20日 10:34", "20/04/2023", "not a date at all"} {
		b.Run(in, func(b *testing.B) {
			for b.Loop() {
				Parse(in, Unsettled)
			}
		})
	}
}
