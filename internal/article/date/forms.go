package date

import (
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/newsfind/newsfind/internal/article/textnorm"
)

// The written forms of a full date, as pages, feeds and Go's time layouts
// write them, are built here from a few parts: a weekday, a date in one of
// five shapes, a time of day before or after it, and a zone. Each shape
// becomes two regular expressions (time of day after the date, or before
// it), in two variants: anchored, for text that must be all date (a date
// line, a metadata value), and free, for Find. The groups are y, the month
// as a name (mon) or number (m) or the two numbers of a numeric date whose
// order must be worked out (a, b), d, and the time of day H, M, S, ap.

// Parts of the grammar.
const (
	// weekdayName is a weekday, full or abbreviated, maybe with a dot.
	weekdayName = `(?i:(?:mon|tue|tues|wed|wednes|thu|thur|thurs|fri|sat|satur|sun)(?:day)?)\.?`
	// weekdayLead is a weekday and what separates it from what follows.
	weekdayLead = `(?:` + weekdayName + `,?\s+)`
	// dayNum is a day of the month, maybe with an ordinal suffix.
	dayNum = `(?P<d>\d{1,2})(?i:st|nd|rd|th)?`
	// year4 and year24 are a year of four digits, or of two or four.
	year4  = `(?P<y>\d{4})`
	year24 = `['’]?(?P<y>\d{4}|\d{2})`
	// clockPart is a time of day: 15:04, 15:04:05.000, 3:01 PM, 3:01 p.m.,
	// 15.04 (as The Guardian writes it).
	clockPart = `(?P<H>\d{1,2})[:.](?P<M>\d{2})(?::(?P<S>\d{2})(?:[.,]\d{1,9})?)?(?:\s*(?P<ap>(?i:[ap]\.?\s?m\b\.?)))?`
	// zonePart is a zone after a time of day (zone.go reads it): Z, GMT,
	// EST, UTC+8, +0100, -05:00, "-0500 (EST)", "(UTC+3)", ", UK" (Sky
	// News).
	zonePart = `(?:\s*(?P<z>Z\b|[A-Z]{2,5}\b(?:[+-]\d{1,2}(?::?\d{2})?\b)?|[+-]\d{2}(?::?\d{2})?\b))?(?:\s*\((?P<z2>[A-Z]{2,5}(?:[+-]\d{1,2}(?::?\d{2})?)?)\)|,\s*(?P<z3>UK)\b)?`
	// clockSep joins a date to the time of day after it: "T", a space, a
	// comma, "at", a dash, a bar, a middle dot.
	clockSep = `(?:T|\s*,?\s+(?:(?:(?i:at)|[-–—|·@/])\s+)?)`
	// clockFirst is a time of day, with its zone, before a date:
	// "10:34, April 20, 2023", "15:18 GMT, Thu 26 Feb 2023".
	clockFirst = clockPart + zonePart + `,?\s+(?:(?i:on)\s+)?` + weekdayLead + `?`
)

// shapes are the ways the day, month and year of a date are ordered.
var shapes = []string{
	// 2023-02-26, 2023/2/26, 2023.02.26
	`(?P<y>\d{4})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})`,
	// February 26, 2023; Feb. 26 2023; Feb 26th, 2023
	monthPattern + `\s+` + dayNum + `,?\s+` + year4,
	// 26 February 2023; 26th Feb. 2023; 26 of February, 2023; 02 Jan 06;
	// 02-Jan-06; 26-Feb-2023
	dayNum + `(?:\s+(?i:of))?(?:\s+|-)` + monthPattern + `,?(?:\s+|-)` + year24,
	// 26.02.2023, 26/02/2023, 02-26-2023, 26.02.23
	`(?P<a>\d{1,2})[./-](?P<b>\d{1,2})[./-]` + year24,
}

// ansicShape is the form of C's asctime and Unix date, whose year comes
// after the time of day: "Mon Jan 2 15:04:05 2006", "Mon Jan 2 15:04:05 MST
// 2006", "Mon Jan 02 15:04:05 -0700 2006".
const ansicShape = monthPattern + `\s+` + dayNum + `,?\s+` + clockPart + zonePart + `\s+` + year4

// forms are the regular expressions built from shapes: for each, the time
// of day after the date or before it, then ansicShape.
type forms struct{ whole, free []*regexp.Regexp }

var allForms = buildForms()

func buildForms() forms {
	var f forms
	add := func(body string) {
		f.whole = append(f.whole, regexp.MustCompile(`^`+weekdayLead+`?`+body+`$`))
		f.free = append(f.free, regexp.MustCompile(body))
	}
	for _, s := range shapes {
		add(s + `(?:` + clockSep + clockPart + zonePart + `)?`)
		add(clockFirst + s)
	}
	add(ansicShape)
	return f
}

// Order says how a numeric date whose first two numbers could each be the
// month is read. Nothing in "03/04/2023" itself tells: 3 April in most of
// the world, March 4 in the United States. A numeric date with a number
// over 12, or with the same two numbers, needs no Order.
type Order uint8

const (
	// Unsettled refuses a numeric date that could be read both ways.
	Unsettled Order = iota
	// DayFirst reads 03/04/2023 as 3 April 2023.
	DayFirst
	// MonthFirst reads 03/04/2023 as March 4, 2023.
	MonthFirst
)

// monthFirstRegions are the regions of English whose numeric dates put the
// month first: the United States and the places that follow its usage.
var monthFirstRegions = map[string]bool{"us": true, "ph": true, "as": true, "gu": true, "mp": true, "pr": true, "um": true, "vi": true, "fm": true, "mh": true, "pw": true}

// OrderOf says which Order a page's language settles, from a language tag
// ("de", "en-GB", "en_US", "fr-CA"): a language other than English writes
// the day first; English with a region writes it first except in the
// United States and the places that follow it; English with no region,
// Chinese, Japanese and Korean (which write the year first), and anything
// that is not a language tag settle nothing.
func OrderOf(tag string) Order {
	tag = strings.ToLower(strings.TrimSpace(tag))
	lang, region, _ := strings.Cut(strings.ReplaceAll(tag, "_", "-"), "-")
	region, _, _ = strings.Cut(region, "-")
	switch {
	case len(lang) < 2 || len(lang) > 3 || strings.IndexFunc(lang, func(r rune) bool { return r < 'a' || r > 'z' }) >= 0:
		return Unsettled
	case lang == "zh" || lang == "ja" || lang == "ko":
		return Unsettled
	case lang != "en":
		return DayFirst
	case len(region) != 2:
		return Unsettled
	case monthFirstRegions[region]:
		return MonthFirst
	}
	return DayFirst
}

// dateOf builds the date that match m of re in s describes, reading a
// numeric date in order. ok is false for a date that does not exist, or a
// numeric one that order leaves open.
func dateOf(re *regexp.Regexp, s string, m []int, order Order) (time.Time, bool) {
	num := func(name string) int {
		n, _ := strconv.Atoi(group(re, s, m, name)) // \d+ or absent (0)
		return n
	}
	y, month, d := fullYear(group(re, s, m, "y")), time.Month(num("m")), num("d")
	if name := group(re, s, m, "mon"); name != "" {
		month = months[strings.ToLower(prefix(name, 3))]
	}
	if group(re, s, m, "a") != "" {
		var ok bool
		if month, d, ok = numericOrder(num("a"), num("b"), order); !ok {
			return time.Time{}, false
		}
	}
	h := num("H")
	if ap := strings.ToLower(group(re, s, m, "ap")); ap != "" {
		if h < 1 || h > 12 {
			return time.Time{}, false // "15:04 PM" is not a time
		}
		h = twelveHour(h, ap[0] == 'p')
	}
	t, ok := validDate(y, month, d, h, num("M"), num("S"))
	if !ok {
		return t, false
	}
	for _, z := range []string{"z", "z2", "z3"} {
		if zone := group(re, s, m, z); zone != "" {
			return inZone(t, zone), true
		}
	}
	return t, true
}

// numericOrder reads the first two numbers a, b of a numeric date as month
// and day: a number over 12 is the day; when both could be the month, order
// decides, and with Unsettled the date is refused (ok false) unless the
// numbers are equal.
func numericOrder(a, b int, order Order) (time.Month, int, bool) {
	switch {
	case a > 12 && b > 12:
		return 0, 0, false
	case a > 12 || a == b:
		return time.Month(b), a, true
	case b > 12:
		return time.Month(a), b, true
	case order == DayFirst:
		return time.Month(b), a, true
	case order == MonthFirst:
		return time.Month(a), b, true
	}
	return 0, 0, false
}

// Ambiguous reports whether s holds a numeric date whose order only the
// page's language can settle ("03/04/2023"), so that a reader works out the
// Order it needs only for such a page.
func Ambiguous(s string) bool {
	if !numericPair(s) {
		return false
	}
	for _, m := range ambiguousNumeric.FindAllStringSubmatch(textnorm.Head(s, maxLine), -1) {
		a, _ := strconv.Atoi(m[1])
		b, _ := strconv.Atoi(m[2])
		if a >= 1 && a <= 12 && b >= 1 && b <= 12 && a != b {
			return true
		}
	}
	return false
}

// numericPair reports whether s has two numbers joined by a separator of
// numeric dates and followed by another ("3.4.2", "03/04/"): the cheap test
// before ambiguousNumeric.
func numericPair(s string) bool {
	for i := 1; i+1 < len(s); i++ {
		if !isSep(s[i]) || !isDigit(s[i-1]) || !isDigit(s[i+1]) {
			continue
		}
		j := i + 1
		for j < len(s) && isDigit(s[j]) {
			j++
		}
		if j+1 < len(s) && isSep(s[j]) && isDigit(s[j+1]) {
			return true
		}
	}
	return false
}

func isSep(c byte) bool { return c == '/' || c == '.' || c == '-' }

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

var ambiguousNumeric = regexp.MustCompile(`(?:^|\D)(\d{1,2})[./-](\d{1,2})[./-](?:\d{4}|\d{2})(?:\D|$)`)
