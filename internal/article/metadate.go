package article

import (
	"strings"
	"time"

	dateparser "github.com/markusmobius/go-dateparser"
)

// isoLayouts are the forms machine-written dates take in page metadata and
// JSON exports, tried before the date-parsing library because they are
// most of them and time.Parse reads them in microseconds.
var isoLayouts = []struct {
	layout string
	clock  bool // gives a time of day
}{
	{time.RFC3339Nano, true},
	{"2006-01-02T15:04:05Z0700", true},
	{"2006-01-02T15:04:05", true},
	{"2006-01-02T15:04Z07:00", true},
	{"2006-01-02T15:04", true},
	{"2006-01-02 15:04:05Z07:00", true},
	{"2006-01-02 15:04:05 -0700", true},
	{"2006-01-02 15:04:05", true},
	{"2006-01-02 15:04", true},
	{"2006-01-02", false},
	{time.RFC1123Z, true},
	{time.RFC1123, true},
}

// parseMetaDate reads a date that stands alone in metadata (a JSON-LD
// datePublished, a meta tag's content, a JSON field) in any of the forms
// sites and export tools write: ISO 8601, RFC 1123, "April 20, 2023",
// "20 avril 2023", "20/04/2023". It takes the date and time of day as
// written, dropping any zone (see Article.Date). Relative dates
// ("yesterday", "3 days ago") and partial ones ("April 2023") are refused:
// a date must name its day.
func parseMetaDate(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if s == "" || len(s) > 100 {
		return time.Time{}, false
	}
	for _, l := range isoLayouts {
		if t, err := time.Parse(l.layout, s); err == nil {
			return wallClock(t, l.clock)
		}
	}
	if t, ok := wholeDate(s); ok {
		return t, true
	}
	p := dateparser.Parser{ParserTypes: []dateparser.ParserType{dateparser.CustomFormat, dateparser.AbsoluteTime}}
	cfg := &dateparser.Configuration{
		DefaultTimezone:    time.UTC,
		StrictParsing:      true,
		ReturnTimeAsPeriod: true,
		// Only consulted for parts a date leaves out, which strict parsing
		// refuses anyway; fixed so that no result depends on today.
		CurrentTime: time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC),
	}
	d, err := p.Parse(cfg, s)
	if err != nil || d.Time.IsZero() {
		return time.Time{}, false
	}
	return wallClock(d.Time, d.Period.IsTime())
}

// wallClock returns t's date (and time of day when clock is set) as UTC,
// refusing years that cannot be news.
func wallClock(t time.Time, clock bool) (time.Time, bool) {
	if !clock {
		return validDate(t.Year(), t.Month(), t.Day(), 0, 0, 0)
	}
	return validDate(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second())
}
