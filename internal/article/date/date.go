// Package date finds when a news article was published: in its text (a
// page's date line, an agency credit, a wire dateline, a first sentence "On
// 12 November 2019,") and in metadata, where a date stands alone in one of
// many forms and languages (Parse).
//
// It is not a general date parser. Dates in running text are English only;
// relative and partial dates ("yesterday", "April 2023") are refused rather
// than guessed; every time is the wall clock as written, in the zone the page
// states (UTC when it states none), so that a calendar date never shifts by
// a day when read elsewhere. It knows nothing
// of files, formats or articles: which line of a page is a header line, and
// which of several dates wins, is the caller's business.
package date

import (
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/newsfind/newsfind/internal/article/textnorm"
)

// monthPattern matches an English month name, full or abbreviated.
const monthPattern = `(?P<mon>(?i:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?))\.?`

// weekdayPattern matches a weekday name and what separates it from a date.
const weekdayPattern = `(?i:(?:mon|tues|wednes|thurs|fri|satur|sun)day),?\s+`

// isoDate is the numeric year-month-day form, the only one that may start a
// line with more text after it (" date 2023-04-20 Chinese FM meets ...").
var isoDate = regexp.MustCompile(`^(?P<y>\d{4})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})(?:[ T](?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2}))?)?`)

var (
	// creditLine is an agency credit followed by a date, as in
	// "(Xinhua) 10:34, April 20, 2023" (the dump may lose the "(").
	creditLine = regexp.MustCompile(`^\(?(?P<agency>` + agencyPattern + `)\)\s*`)
	// leadingWeekday is a weekday before a date.
	leadingWeekday = regexp.MustCompile(`^` + weekdayPattern)
	// onDate opens a first sentence that dates the news:
	// "On December 28, 2018, ...", "On 12 November 2019, ...".
	onDate = regexp.MustCompile(`^(?i:on)\s+(?:` + weekdayPattern + `)?`)
	// datelineCaps opens wire copy: "BEIJING, April 19 (Xinhua) --",
	// "WASHINGTON (Reuters) -", "KABUL, Afghanistan (AP) —", TASS's
	// "MOSCOW, April 11. /TASS/.". The year is given only by press-release
	// wires: "SAN JOSE, Calif., Oct. 24, 2023 /PRNewswire/ --".
	datelineCaps = regexp.MustCompile(`^(?P<place>\p{Lu}[\p{Lu}.'’ -]*\p{Lu}\.?)(?:,\s*\p{Lu}[\p{L}.]*(?:\s\p{Lu}[\p{L}.]*)?)??(?:,\s*` + monthPattern + `\s+(?P<d>\d{1,2})(?:,\s*(?P<y>\d{4}))?)?\.?\s*(?:(?:\((?P<agency>` + agencyPattern + `)\)\.?)?\s*` + dashPattern + `|/(?P<agency2>` + agencyPattern + `)/\.?\s*(?:` + dashPattern + `)?)\s+`)
	// datelineNoPlace is a dateline with a date and an agency only: "Feb.
	// 28 (UPI) --".
	datelineNoPlace = regexp.MustCompile(`^` + monthPattern + `\s+(?P<d>\d{1,2})\s*\((?P<agency>` + agencyPattern + `)\)\.?\s*` + dashPattern + `\s+`)
	// datelineTitled is a dateline whose place is not in capitals; it
	// needs a date or an agency to tell it from a sentence: "Beijing,
	// April 19 (Xinhua) --", "Geneva (Reuters) -", "Berlin (dpa) -",
	// "Santa Cruz de Tenerife, Aug 17 (EFE).-".
	datelineTitled = regexp.MustCompile(`^(?P<place>` + titledPlace + `)(?:,\s*` + monthPattern + `\s+(?P<d>\d{1,2})\s*(?:\((?P<agency>` + agencyPattern + `)\))?|\s*\((?P<agency2>` + agencyPattern + `)\))\.?\s*` + dashPattern + `\s+`)
	// datelineBare is CNN's: a place, an agency in capitals and an em dash,
	// which no sentence opens with: "New York CNN —".
	datelineBare = regexp.MustCompile(`^(?P<place>` + titledPlace + `)\s+(?P<agency>\p{Lu}{2,5})\s+—\s+`)
)

// dashPattern is what ends a dateline: two hyphens, a dash.
const dashPattern = `(?:--|—|–|-)`

// titledPlace is a place name in title case, with the small words place
// names hold: "Geneva", "New York", "Santa Cruz de Tenerife".
const titledPlace = `\p{Lu}\p{Ll}+(?:\s(?:(?:de|del|da|do|dos|la|le|el|al|am|an|der|sur|upon|on)\s)?\p{Lu}\p{Ll}+){0,3}`

// agencyPattern is a capitalized name of up to four words: "Xinhua", "AP",
// "People's Daily Online"; or a short one in lower case, as dpa writes
// its own.
const agencyPattern = `(?:\p{Lu}[\p{L}'’.&-]*(?:\s[\p{L}'’.&-]+){0,3}|\p{Ll}{2,4})`

// months maps the first three letters of a month name to the month.
var months = map[string]time.Month{
	"jan": time.January, "feb": time.February, "mar": time.March, "apr": time.April,
	"may": time.May, "jun": time.June, "jul": time.July, "aug": time.August,
	"sep": time.September, "oct": time.October, "nov": time.November, "dec": time.December,
}

// Find returns the earliest valid full date in s that stands as whole
// words, with the byte offsets of its text; ok is false when there is none.
// Of two dates starting at the same place, the longer (more precise) wins.
// A full date names its year (in four digits), month and day: "April 20,
// 2023", "12 November 2019 09:15", "2021-12-18T17:10", "26.02.2023"; a
// numeric date that could be read both ways ("03/04/2023") is passed over.
func Find(s string) (t time.Time, start, end int, ok bool) {
	for _, re := range allForms.free {
		for _, m := range re.FindAllStringSubmatchIndex(s, -1) {
			if ok && (m[0] > start || m[0] == start && m[1] <= end) {
				break
			}
			if !wordBounded(s, m[0], m[1]) || len(group(re, s, m, "y")) != 4 {
				continue
			}
			if d, valid := dateOf(re, s, m, Unsettled); valid {
				t, start, end, ok = d, m[0], m[1], true
				break
			}
		}
	}
	return t, start, end, ok
}

// monthWord is a month's name alone.
var monthWord = regexp.MustCompile(`^` + monthPattern + `$`)

// IsCalendarWord reports whether word is an English month name, full or
// abbreviated ("May", "Dec."), or a weekday name, maybe with a comma
// ("Monday,"): the first word of "By Monday, the deadline had passed" is no
// author's name.
func IsCalendarWord(word string) bool {
	return monthWord.MatchString(word) || leadingWeekday.MatchString(word+" ")
}

// Whole reads s when all of it is one date in any of the forms of
// forms.go: "Thu, 26 Feb 2023 15:18:59 GMT", "Thursday 26 February 2023",
// "Feb. 26, 2023 3:01 p.m. EST", "2023-02-26T15:18:59.123+01:00",
// "26.02.2023 15:18", "Mon Jan 2 15:04:05 MST 2006", "10:34, April 20,
// 2023". Brackets and trailing punctuation around it are ignored. The
// result is the wall clock as written, in the zone stated (zone.go), or in
// UTC when none is.
func Whole(s string, order Order) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if !strings.ContainsAny(s, digits) {
		return time.Time{}, false // every date has a number; most lines of text have none
	}
	if len(s) > 1 && (s[0] == '(' && s[len(s)-1] == ')' || s[0] == '[' && s[len(s)-1] == ']') {
		s = s[1 : len(s)-1]
	}
	s = strings.TrimRight(strings.Trim(s, " \t,;|·•"), ".")
	if len(s) > maxDateLen || s == "" {
		return time.Time{}, false
	}
	s = strings.Join(strings.Fields(s), " ")
	for _, re := range allForms.whole {
		if m := re.FindStringSubmatchIndex(s); m != nil {
			return dateOf(re, s, m, order)
		}
	}
	return time.Time{}, false
}

// HeaderDate is what a page's date line says.
type HeaderDate struct {
	// Time is the date, as Whole reads it.
	Time time.Time
	// Rest is the headline after a leading numeric date ("2023-04-20
	// Chinese FM meets SCO chief"), "" when the line is all date.
	Rest string
	// Updated is set when the label says the date is of a revision
	// ("Updated", "Last modified"), not of publication; First when it says
	// the date is of first publication ("First published on"), which wins
	// over a date not labelled (a live page's latest entry).
	Updated, First bool
}

var (
	// labelPart is a date line's label: "Published:", "Posted on",
	// "Updated", "Date:", "First published at", "Last modified on".
	labelPart = `(?i:(?:first|originally|last|page\s+last)\s+)?(?P<label>(?i:date(?:line)?|published|publish\s+date|posted|updated|modified|released|issued|created|time|on))(?:\s+(?i:on|at))?\s*[:：]?\s*`
	dateLabel = regexp.MustCompile(`^` + labelPart)
	// dateSegment splits a line holding several dates: "Published 26 Feb
	// 2023 | Updated 27 Feb 2023", "Posted: 26.02.2023 · Updated: 27.02.2023".
	// updateNote is a relative or clock-only update note: "Updated 2 hours
	// ago", "Updated 5:02 p.m. ET".
	updateNote  = regexp.MustCompile(`^\s*(?i:(?:last\s+)?(?:updated|modified))\s+(?:\d{1,3}\s+(?i:min(?:ute)?s?|hours?|days?)\s+ago|\d{1,2}[:.]\d{2}\b.{0,16})\s*$`)
	dateSegment = regexp.MustCompile(`\s+[|·•/]\s+|\s+(?i:(?:last\s+)?(?:updated|modified))\b`)
)

// HeaderLine recognizes a page's date line: a date alone in any form Whole
// reads, after a label ("Published:", "Updated", "Posted on", "Date:"),
// several labelled dates on one line (the first not labelled as an update
// wins), or a numeric year-first date that starts the line and is followed
// by the headline, which it returns as Rest ("2023-04-20 Chinese FM meets
// SCO chief").
func HeaderLine(line string, order Order) (HeaderDate, bool) {
	if len(line) > maxHeaderLine || !strings.ContainsAny(line, digits) {
		return HeaderDate{}, false
	}
	line = unglue(line)
	if hd, ok := labelled(line, order); ok {
		return hd, true
	}
	if cuts := segmentCuts(line); len(cuts) > 0 {
		var found []HeaderDate
		from := 0
		for _, c := range append(cuts, []int{len(line), len(line)}) {
			seg := line[from:c[0]]
			if !strings.ContainsAny(line[c[0]:c[1]], "|·•/") {
				from = c[0] // the label starts the next segment
			} else {
				from = c[1]
			}
			if strings.TrimSpace(seg) == "" {
				continue
			}
			hd, ok := labelled(seg, order)
			if !ok && updateNote.MatchString(seg) {
				continue // "Updated 2 hours ago" beside the date
			}
			if !ok {
				found = nil
				break
			}
			found = append(found, hd)
		}
		for _, first := range []bool{true, false} {
			for _, hd := range found {
				if !hd.Updated && hd.First == first {
					return hd, true
				}
			}
		}
		if len(found) > 0 {
			return found[0], true
		}
	}
	line = strings.TrimPrefix(line, strings.TrimSpace(dateLabel.FindString(line)))
	line = strings.TrimSpace(line)
	m := isoDate.FindStringSubmatchIndex(line)
	if m == nil || m[1] == len(line) || line[m[1]] != ' ' {
		return HeaderDate{}, false
	}
	t, ok := dateOf(isoDate, line, m, order)
	if !ok {
		return HeaderDate{}, false
	}
	rest := strings.TrimSpace(line[m[1]:])
	if strings.IndexFunc(rest, unicode.IsLetter) < 0 {
		rest = "" // "2021-12-18 |": a date line with a stray mark, no headline
	}
	return HeaderDate{Time: t, Rest: rest}, true
}

// segmentCuts returns where dateSegment splits line, testing first, cheaply,
// that it could.
func segmentCuts(line string) [][]int {
	if !strings.ContainsAny(line, "|·•/") && !strings.Contains(line, "pdated") && !strings.Contains(line, "PDATED") &&
		!strings.Contains(line, "odified") && !strings.Contains(line, "ODIFIED") {
		return nil
	}
	return dateSegment.FindAllStringIndex(line, 4)
}

// labelled reads s when it is one date, maybe after a label, in any form
// Parse reads: the text of a page and its metadata share one recognizer.
// Besides the labels labelPart knows, a label in any words may stand
// before a date: up to three words and a colon ("Stand:", "Issued on:",
// "Update :"), or one or two capitalized words when the date after them
// has a time of day ("All News 08:12 March 18, 2024"); one that speaks of
// an update or a modification marks the date as a revision's.
func labelled(s string, order Order) (HeaderDate, bool) {
	s = strings.TrimSpace(s)
	var hd HeaderDate
	if m := dateLabel.FindStringSubmatchIndex(s); m != nil {
		label := strings.ToLower(group(dateLabel, s, m, "label"))
		lower := strings.ToLower(s)
		hd.Updated = label == "updated" || label == "modified" || strings.HasPrefix(lower, "last") || strings.HasPrefix(lower, "page")
		hd.First = strings.HasPrefix(lower, "first") || strings.HasPrefix(lower, "originally")
		if t, ok := lineDate(s[m[1]:], order); ok {
			hd.Time = t
			return hd, true
		}
	}
	if t, ok := lineDate(s, order); ok {
		return HeaderDate{Time: t}, true
	}
	if !hasYear(s) {
		return HeaderDate{}, false // every full date names its year in four digits
	}
	if m := anyLabel.FindStringSubmatchIndex(s); m != nil && datelike(s[m[1]:]) {
		rest := s[m[1]:]
		colon := strings.ContainsAny(s[:m[1]], ":：")
		var t time.Time
		var ok bool
		if colon {
			t, ok = lineDate(rest, order)
		} else {
			t, ok = Whole(rest, order)
		}
		if ok && (colon || t.Hour() != 0 || t.Minute() != 0) {
			lower := strings.ToLower(s[:m[1]])
			return HeaderDate{Time: t, Updated: strings.Contains(lower, "updat") || strings.Contains(lower, "modif")}, true
		}
	}
	return HeaderDate{}, false
}

var (
	// anyLabel is a label in any words before a date: up to three words
	// and a colon, or one or two capitalized words.
	anyLabel = regexp.MustCompile(`^(?:\p{L}+(?:\s+\p{L}+){0,2}\s*[:：]|\p{Lu}\p{L}*(?:\s+\p{Lu}\p{L}*)?)\s+`)
	// gluedClock is a year run into the time of day after it, as text taken
	// from some pages comes out: "March 3, 20249:45 AM GMT".
	gluedClock = regexp.MustCompile(`(\b\d{1,2},?\s+\d{4})(\d{1,2}:\d{2})`)
	// gluedLabel is a label run into the date before it: "9:45 AM
	// GMTUpdated 2 hours ago".
	gluedLabel = regexp.MustCompile(`(\S)((?:Updated|Modified|Published)\b)`)
)

// datelike reports whether s could be a full date, cheaply: it opens with
// a digit or a letter (a weekday or month name, in any language) and holds
// a year of four digits.
func datelike(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return (unicode.IsDigit(r) || unicode.IsLetter(r)) && hasYear(s)
}

// hasYear reports whether s holds a run of exactly four digits.
func hasYear(s string) bool {
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			if n++; n == 4 && (i+1 == len(s) || s[i+1] < '0' || s[i+1] > '9') {
				return true
			}
		} else {
			n = 0
		}
	}
	return false
}

// unglue puts back the spaces a page's markup stood for, where text taken
// from it ran a year into a time of day or a date into the next label.
func unglue(line string) string {
	if gluedDigits(line) {
		line = gluedClock.ReplaceAllString(line, "$1 $2")
	}
	for _, w := range []string{"Updated", "Modified", "Published"} {
		if i := strings.Index(line, w); i > 0 && line[i-1] != ' ' {
			return gluedLabel.ReplaceAllString(line, "$1 $2")
		}
	}
	return line
}

// gluedDigits reports whether line has five or more digits before a colon,
// the cheap test before gluedClock.
func gluedDigits(line string) bool {
	n := 0
	for i := 0; i < len(line); i++ {
		switch c := line[i]; {
		case c >= '0' && c <= '9':
			n++
		case c == ':' && n >= 5:
			return true
		default:
			n = 0
		}
	}
	return false
}

// maxLocalDate is the longest text (bytes) lineDate gives to Parse's
// other languages: a date with a weekday and a clock.
const maxLocalDate = 48

// lineDate reads s when it is all one date: Whole's English and numeric
// forms, and for short text the rest of Parse (other languages, "Uhr").
func lineDate(s string, order Order) (time.Time, bool) {
	if t, ok := Whole(s, order); ok || len(s) > maxLocalDate {
		return t, ok
	}
	return Parse(s, order)
}

// Trailing reads a date that ends line, after other text, returning that
// text without the marks that separated it from the date: "By Jane Doe |
// July 01, 2001 09:19 AM UTC" is "By Jane Doe" and the date.
func Trailing(line string, order Order) (t time.Time, before string, ok bool) {
	if len(line) > maxLine || !strings.ContainsAny(line, digits) {
		return time.Time{}, "", false
	}
	for i := max(1, len(line)-maxDateLen); i < len(line); i++ {
		if line[i-1] != ' ' || len(line)-i > maxDateLen {
			continue
		}
		if t, ok := Whole(line[i:], order); ok {
			before = strings.TrimRight(line[:i], " |·•,;:–—-")
			if before != "" {
				return t, before, true
			}
		}
	}
	return time.Time{}, "", false
}

// Credit recognizes an agency credit line with a date, returning the agency
// and the date: "(Xinhua) 10:34, April 20, 2023" (a text dump may lose the
// opening bracket).
func Credit(line string, order Order) (agency string, t time.Time, ok bool) {
	if len(line) > maxHeaderLine || !strings.ContainsAny(line, digits) {
		return "", time.Time{}, false
	}
	m := creditLine.FindStringSubmatchIndex(line)
	if m == nil {
		return "", time.Time{}, false
	}
	t, ok = Whole(line[m[1]:], order)
	if !ok {
		return "", time.Time{}, false
	}
	return group(creditLine, line, m, "agency"), t, true
}

// FirstSentence reads the date a paragraph opens with: "On July 13, 2021
// local time, ...". It returns the text up to the date's end too ("On July
// 13, 2021").
func FirstSentence(para string) (time.Time, string, bool) {
	para = textnorm.Head(para, maxDateOpening)
	m := onDate.FindStringIndex(para)
	if m == nil {
		return time.Time{}, "", false
	}
	rest := textnorm.Head(para[m[1]:], 2*maxDateLen)
	t, start, end, ok := Find(rest)
	if !ok || start != 0 {
		return time.Time{}, "", false
	}
	return t, para[:m[1]+end], true
}

// Dateline is what a wire dateline says: "BEIJING, April 19 (Xinhua) --",
// "WASHINGTON (Reuters) -".
type Dateline struct {
	// Place is the place as written ("BEIJING"), Agency the agency named
	// in brackets, "" when there is none.
	Place, Agency string
	// Month and Day are the date it gives; Month is 0 when it gives none.
	// Year is 0 unless it gives one too (press-release wires do).
	Month     time.Month
	Day, Year int
	// End is the byte offset in the paragraph where the text after the
	// dateline starts.
	End int
}

// ReadDateline reads a wire dateline at the start of a paragraph; ok is
// false when the paragraph does not open with one.
func ReadDateline(para string) (Dateline, bool) {
	para = textnorm.Head(para, maxDateOpening)
	if !strings.Contains(para, " -") && !strings.Contains(para, ".-") && !strings.ContainsAny(para, "—–/") {
		return Dateline{}, false // every dateline ends with a dash, or an agency between slashes
	}
	var re *regexp.Regexp
	var m []int
	for _, re = range []*regexp.Regexp{datelineCaps, datelineTitled, datelineNoPlace, datelineBare} {
		if m = re.FindStringSubmatchIndex(para); m != nil {
			break
		}
	}
	if m == nil {
		return Dateline{}, false
	}
	dl := Dateline{Place: group(re, para, m, "place"), Agency: group(re, para, m, "agency"), End: m[1]}
	if dl.Agency == "" {
		dl.Agency = group(re, para, m, "agency2")
	}
	dl.Month = months[strings.ToLower(prefix(group(re, para, m, "mon"), 3))]
	dl.Day, _ = strconv.Atoi(group(re, para, m, "d"))
	dl.Year, _ = strconv.Atoi(group(re, para, m, "y"))
	if dl.Month == 0 || dl.Day < 1 || dl.Day > 31 {
		dl.Month, dl.Day, dl.Year = 0, 0, 0
	}
	return dl, true
}

// Day returns midnight UTC of the given day, ok false when there is no
// such day in a plausible year for news.
func Day(year int, month time.Month, day int) (time.Time, bool) {
	return validDate(year, month, day, 0, 0, 0)
}

// NearestYear dates month/day in whichever of ref's year and its neighbours
// puts it closest to ref: a "December 31" dateline on a page dated January
// 1, 2024 is December 31, 2023. ok is false for a day the month lacks.
func NearestYear(month time.Month, day int, ref time.Time) (time.Time, bool) {
	var best time.Time
	for _, y := range []int{ref.Year() - 1, ref.Year(), ref.Year() + 1} {
		t, ok := validDate(y, month, day, 0, 0, 0)
		if ok && (best.IsZero() || absDuration(t.Sub(ref)) < absDuration(best.Sub(ref))) {
			best = t
		}
	}
	return best, !best.IsZero()
}

func absDuration(d time.Duration) time.Duration {
	if d < 0 {
		return -d
	}
	return d
}

// validDate returns the UTC time for the fields when they name a real
// moment in a plausible year for news (1900–2100).
func validDate(y int, mo time.Month, d, h, mi, sec int) (time.Time, bool) {
	if y < 1900 || y > 2100 || mo < 1 || mo > 12 || h > 23 || mi > 59 || sec > 59 {
		return time.Time{}, false
	}
	t := time.Date(y, mo, d, h, mi, sec, 0, time.UTC)
	return t, t.Day() == d // time.Date rolls April 31 over to May 1
}

// group returns the text of the named group of match m, "" when it did not
// take part.
func group(re *regexp.Regexp, s string, m []int, name string) string {
	i := re.SubexpIndex(name)
	if i < 0 || m[2*i] < 0 {
		return ""
	}
	return s[m[2*i]:m[2*i+1]]
}

// maxDateLen is more than the longest date text a form matches
// ("Wednesday, September 30th, 2020 at 10:30:59.123456 p.m. EST (EST)" is
// 68 bytes).
const maxDateLen = 80

// maxHeaderLine is the longest line (bytes) that can be a date line or a
// credit: two labelled dates and a headline after a numeric date at most.
const maxHeaderLine = 200

// digits are what every date holds.
const digits = "0123456789"

// maxDateOpening bounds how much of a paragraph's opening can hold a
// dateline or an "On <date>," (bytes).
const maxDateOpening = 200

// maxLine is the longest line (bytes) that can be a date line or a credit
// line; a longer one is text, not matched at all, which keeps a huge
// one-line file from costing seconds of regular-expression matching.
const maxLine = 300

// prefix returns the first n characters of s.
func prefix(s string, n int) string {
	for i := range s {
		if n == 0 {
			return s[:i]
		}
		n--
	}
	return s
}

// wordBounded reports whether s[start:end] is not glued to a letter or digit
// on either side.
func wordBounded(s string, start, end int) bool {
	before, _ := utf8.DecodeLastRuneInString(s[:start])
	after, _ := utf8.DecodeRuneInString(s[end:])
	isWord := func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }
	return (start == 0 || !isWord(before)) && (end == len(s) || !isWord(after))
}
