package date

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"

	"github.com/goodsign/monday"
	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// isoLayouts are the forms machine-written dates take in page metadata and
// JSON exports, tried first because they are most of them and time.Parse
// reads them in microseconds.
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
	{time.ANSIC, true},
	{time.UnixDate, true},
	{time.RubyDate, true},
}

// Parse reads a date that stands alone in metadata (a JSON-LD
// datePublished, a meta tag's content, a JSON field) in any of the forms
// sites and export tools write: ISO 8601, RFC 1123, "April 20, 2023",
// "20 avril 2023", "20. April 2023 um 10:34 Uhr", "20 апреля 2023 г.",
// "2023年4月20日 10:34", "20/04/2023". It tries isoLayouts, then the English
// forms Whole reads (the recognizer of date lines in text, too), then
// localDate. A numeric date that could be read both ways is read in order,
// and refused when order is Unsettled. It takes the date and time of day
// as written, in the zone stated: "2023-04-20T01:00:00-05:00" is 01:00 on
// April 20 at -05:00, never a time on another day. Relative dates ("yesterday",
// "3 days ago") and partial ones ("April 2023") are refused: a date must
// name its day.
func Parse(s string, order Order) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if s == "" || len(s) > 100 {
		return time.Time{}, false
	}
	for _, l := range isoLayouts {
		if t, err := time.Parse(l.layout, s); err == nil {
			return wallClock(t, l.clock)
		}
	}
	if t, ok := Whole(s, order); ok {
		return t, true
	}
	return localDate(s, order)
}

// wallClock returns t's date (and time of day when clock is set), in the
// zone t was written in, refusing years that cannot be news.
func wallClock(t time.Time, clock bool) (time.Time, bool) {
	if !clock {
		return validDate(t.Year(), t.Month(), t.Day(), 0, 0, 0)
	}
	w, ok := validDate(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second())
	if !ok {
		return w, false
	}
	switch name, off := t.Zone(); {
	case off != 0:
		return time.Date(w.Year(), w.Month(), w.Day(), w.Hour(), w.Minute(), w.Second(), 0, time.FixedZone("", off)), true
	case name != "" && name != "UTC":
		return inZone(w, name), true // an abbreviation time.Parse does not know ("EST" read as +0000)
	}
	return w, true
}

// Dates in other languages are read with localForms and the month and
// weekday names of github.com/goodsign/monday, which holds them for some
// forty locales, including the genitive forms a date takes in Russian
// ("20 апреля"), Polish or Finnish. monday has no dependencies and its init
// takes well under a millisecond. The general date parser used before,
// github.com/markusmobius/go-dateparser, spent about 0.2 s and 95 MB of
// allocations in its init, in every program that imports this package
// (searchd included), for a fallback few dates reach.

// yearSuffix is what Russian puts after a year: "2023 г.", "2023 года".
const yearSuffix = `(?i:\s*(?:года|г\.?))?`

// localForms are the date forms localDate reads, in text folded by fold.
// Their groups are y, d, and the month as a name (mon) or a number (m), or
// a and b for the two numbers of a numeric date whose order must be worked
// out; rest is what follows the date, read by clockOf. Like clockForm and
// leadWord, they are compiled on first use, not at start-up (2 ms and
// 0.4 MB that most programs would never use).
var localForms = sync.OnceValue(func() []*regexp.Regexp {
	return []*regexp.Regexp{
		// 20 avril 2023; 20. April 2023; 20 de abril de 2023; 1er mai 2023;
		// 20th of April, 2023; 20-Apr-23; 20 апреля 2023 г.
		regexp.MustCompile(`^(?P<d>\d{1,2})(?i:er|o|st|nd|rd|th)?(?:\.\s*|\s+(?:(?i:de|of)\s+|(?i:d)['’]\s*)?|-|/)(?P<mon>\p{L}+)\.?(?:,?\s+(?i:del?\s+)?|-|/)(?P<y>\d{4}|\d{2})` + yearSuffix + `(?P<rest>\D.*)?$`),
		// avril 20, 2023; abril 20 2023
		regexp.MustCompile(`^(?P<mon>\p{L}+)\.?,?\s+(?P<d>\d{1,2})(?i:er|o|st|nd|rd|th)?,?\s+(?P<y>\d{4}|\d{2})(?P<rest>\D.*)?$`),
		// 2023 April 20; 2023-Apr-20; 2023. április 20.
		regexp.MustCompile(`^(?P<y>\d{4})\.?(?:\s+|-|/)(?P<mon>\p{L}+)\.?(?:\s+|-|/)(?P<d>\d{1,2})\.?(?P<rest>\D.*)?$`),
		// 20/04/2023; 04/20/2023; 20.04.23; 20-04-2023
		regexp.MustCompile(`^(?P<a>\d{1,2})[/.-](?P<b>\d{1,2})[/.-](?P<y>\d{4}|\d{2})` + yearSuffix + `(?P<rest>\D.*)?$`),
		// 2023-04-20 10:34 PM; 2023/4/20 星期四 (isoLayouts and wholeDate take
		// the plain forms)
		regexp.MustCompile(`^(?P<y>\d{4})[/.-](?P<m>\d{1,2})[/.-](?P<d>\d{1,2})(?P<rest>\D.*)?$`),
		// 2023年4月20日; 2023년 4월 20일
		regexp.MustCompile(`^(?P<y>\d{4}|\d{2})\s*[年년]\s*(?P<m>\d{1,2})\s*[月월]\s*(?P<d>\d{1,2})(?:\s*[日일号](?P<rest>.*))?$`),
	}
})

// clockForm is the time of day that may follow a date, with what joins it
// to the date ("à", "um", "às", "alle", "в", "-") and what may follow it
// ("Uhr", "PM", a zone, which is dropped): "à 10h34", "10:34:56",
// "10 h 34 min", "10:34 PM EDT", "下午3:05", "10时34分". It reads folded
// text, where "à" is "a" and "às" is "as".
var clockForm = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^(?:T|(?i:-|–|—|\||a|a las|as|alle|ore|um|в|at|om|kl\.?|klo)\s*)?` +
		`(?P<half>上午|下午|오전|오후)?\s*(?P<H>\d{1,2})\s*(?i:[:.h時时])\s*(?P<M>\d{2})(?:\s*[:.分]\s*(?P<S>\d{2}))?` +
		`(?i:\s*(?:分|秒|min\.?|uhr|hrs|h))?` +
		`(?i:\s*(?P<ampm>[ap])\.?\s?m\.?)?` +
		`(?:\s*(?:Z|[A-Z]{2,5}))?(?:\s*[+-]\d{1,2}(?::?\d{2})?)?(?:\s*\([A-Z]{2,5}\))?$`)
})

// leadWord is a word that may stand before a date or between it and its
// time of day, with what follows it: "jeudi ", "Do., ", "(星期四)".
var leadWord = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^\(?([\p{L}'’-]+)\)?(?:\.,?|,)?\s*`)
})

// leadArticles may stand before a date: "le 20 avril 2023", "den 20 april
// 2023", "the 20th of April 2023".
var leadArticles = []string{"le", "el", "il", "am", "den", "on", "the"}

// maxLeadWords is how many words localDate skips to reach a date: "le
// jeudi 20 avril 2023".
const maxLeadWords = 2

// localDate reads what isoLayouts and wholeDate leave: a date whose month is
// named in another language (or in an English form wholeDate lacks), a
// numeric date, or the CJK 年月日 form, each optionally with a time of day
// and after a weekday or an article. A numeric date is read as
// numericOrder says: 20/04/2023 is in April, 05/04/2023 only with an
// Order.
func localDate(s string, order Order) (time.Time, bool) {
	s, err := fold(strings.TrimRight(s, ".,; ")) // "20 avril 2023."
	if err != nil {
		return time.Time{}, false // not text that can hold a date
	}
	for range maxLeadWords + 1 {
		if t, ok := localForm(s, order); ok {
			return t, true
		}
		m := leadWord().FindStringSubmatchIndex(s)
		if m == nil || !isLeadWord(strings.ToLower(s[m[2]:m[3]])) {
			break
		}
		s = s[m[1]:]
	}
	return time.Time{}, false
}

// isLeadWord reports whether the folded, lower-case word w may stand before
// a date.
func isLeadWord(w string) bool {
	return weekdays()[w] || slices.Contains(leadArticles, w)
}

// localForm reads s when all of it is a date in one of localForms.
func localForm(s string, order Order) (time.Time, bool) {
	for _, re := range localForms() {
		m := re.FindStringSubmatchIndex(s)
		if m == nil {
			continue
		}
		if t, ok := localDateOf(re, s, m, order); ok {
			return t, true
		}
	}
	return time.Time{}, false
}

// localDateOf builds the date and time that match m of re in s describes.
func localDateOf(re *regexp.Regexp, s string, m []int, order Order) (time.Time, bool) {
	y, month, d, ok := dayOf(re, s, m, order)
	if !ok {
		return time.Time{}, false
	}
	c, ok := clockOf(group(re, s, m, "rest"))
	if !ok {
		return time.Time{}, false
	}
	return validDate(y, month, d, c.hour, c.minute, c.second)
}

// dayOf reads the year, month and day of match m of one of localForms. ok
// is false for a month name it does not know, or a numeric date order
// leaves open.
func dayOf(re *regexp.Regexp, s string, m []int, order Order) (year int, month time.Month, day int, ok bool) {
	num := func(name string) int {
		n, _ := strconv.Atoi(group(re, s, m, name)) // the groups are \d+ or absent (0)
		return n
	}
	year = fullYear(group(re, s, m, "y"))
	if name := group(re, s, m, "mon"); name != "" {
		month, ok = monthNames()[strings.ToLower(name)]
		return year, month, num("d"), ok
	}
	if group(re, s, m, "a") == "" {
		return year, time.Month(num("m")), num("d"), true
	}
	month, day, ok = numericOrder(num("a"), num("b"), order)
	return year, month, day, ok
}

// fullYear reads a year of four digits, or of two as time.Parse reads
// them: "69" to "99" are 1969–1999, the rest 2000–2068.
func fullYear(digits string) int {
	y, _ := strconv.Atoi(digits) // \d{2} or \d{4}
	if len(digits) != 2 {
		return y
	}
	if y >= 69 {
		return 1900 + y
	}
	return 2000 + y
}

// clock is a time of day.
type clock struct{ hour, minute, second int }

// clockOf reads what follows a date: nothing (midnight), or a weekday
// and/or a time of day in clockForm. ok is false for anything else.
func clockOf(rest string) (clock, bool) {
	rest = strings.TrimLeft(rest, " ,")
	if m := leadWord().FindStringSubmatchIndex(rest); m != nil && weekdays()[strings.ToLower(rest[m[2]:m[3]])] {
		rest = rest[m[1]:] // "2023年4月20日 星期四", "2023-04-20(木)"
	}
	if rest == "" {
		return clock{}, true
	}
	re := clockForm()
	m := re.FindStringSubmatchIndex(rest)
	if m == nil {
		return clock{}, false
	}
	num := func(name string) int {
		n, _ := strconv.Atoi(group(re, rest, m, name)) // \d+ or absent (0)
		return n
	}
	c := clock{hour: num("H"), minute: num("M"), second: num("S")}
	switch half := group(re, rest, m, "half") + strings.ToLower(group(re, rest, m, "ampm")); half {
	case "a", "上午", "오전":
		c.hour = twelveHour(c.hour, false)
	case "p", "下午", "오후":
		c.hour = twelveHour(c.hour, true)
	}
	return c, true
}

// twelveHour turns an hour on a 12-hour clock into one on a 24-hour clock;
// an hour over 12 is taken as already on a 24-hour clock ("22:34 PM").
func twelveHour(h int, pm bool) int {
	switch {
	case h < 1 || h > 12:
		return h
	case pm && h < 12:
		return h + 12
	case !pm && h == 12:
		return 0
	}
	return h
}

// fold removes accents and compatibility forms, so that "février" and
// "fevrier" read alike, "２０２３年" reads as "2023年" and "1º" as "1o".
func fold(s string) (string, error) {
	t := transform.Chain(norm.NFKD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	out, _, err := transform.String(t, s)
	return out, err
}

// nameKey is how a month or weekday name is looked up: folded, lower-case,
// without an abbreviation's dot. ok is false for a name that is not one
// word (the CJK "4月", or a locale's missing name).
func nameKey(name string) (key string, ok bool) {
	key, err := fold(strings.TrimSuffix(strings.TrimSpace(name), "."))
	if err != nil || key == "" || strings.IndexFunc(key, notInWord) >= 0 {
		return "", false
	}
	return strings.ToLower(key), true
}

// notInWord reports whether r cannot be part of a month or weekday name
// ("Segunda-feira", "П’ятниця").
func notInWord(r rune) bool {
	return !unicode.IsLetter(r) && !strings.ContainsRune("-'’", r)
}

// monthNames maps the month names of every locale monday has, full and
// abbreviated, standalone and as a date writes them (Russian "апрель" and
// "апреля"), by nameKey, to their month. A name two languages give to
// different months (Croatian "listopad" is October, Polish November) is
// left out.
var monthNames = sync.OnceValue(func() map[string]time.Month {
	names := make(map[string]time.Month)
	clash := make(map[string]bool)
	for _, loc := range monday.ListLocales() {
		for month := time.January; month <= time.December; month++ {
			for _, name := range localNames(time.Date(2000, month, 2, 0, 0, 0, 0, time.UTC), loc, "January", "Jan") {
				if prev, seen := names[name]; seen && prev != month {
					clash[name] = true
				}
				names[name] = month
			}
		}
	}
	for name := range clash {
		delete(names, name)
	}
	return names
})

// weekdays holds the weekday names of every locale monday has, full and
// abbreviated, by nameKey.
var weekdays = sync.OnceValue(func() map[string]bool {
	names := make(map[string]bool)
	for _, loc := range monday.ListLocales() {
		for d := range 7 {
			for _, name := range localNames(time.Date(2000, 1, 2+d, 0, 0, 0, 0, time.UTC), loc, "Monday", "Mon") {
				names[name] = true
			}
		}
	}
	return names
})

// localNames returns the keys (see nameKey) of the names that monday gives
// t in loc for each layout, both standalone and after a day of the month,
// where some languages change a month's ending.
func localNames(t time.Time, loc monday.Locale, layouts ...string) []string {
	var keys []string
	for _, layout := range layouts {
		names := []string{monday.Format(t, layout, loc)}
		if inDate, ok := strings.CutPrefix(monday.Format(t, "2 "+layout, loc), "2 "); ok {
			names = append(names, inDate)
		}
		for _, name := range names {
			if key, ok := nameKey(name); ok {
				keys = append(keys, key)
			}
		}
	}
	return keys
}
