package article

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/newsfind/newsfind/internal/article/date"
	"github.com/newsfind/newsfind/internal/article/furniture"
	"github.com/newsfind/newsfind/internal/article/lang"
)

// The header of an article (the lines around its title in a text dump, the
// opening lines of a page's main text) holds its date lines, an agency
// credit and a byline. headerLine reads one such line for both readers.

// dated is a date found in a page's header, with where it was found.
type dated struct {
	t       time.Time
	o       Origin
	line    int
	updated bool // labelled as the date of a revision
	first   bool // labelled as the date of first publication
}

// headerLine takes what a header line says (a date line, an agency credit
// with its date, a byline maybe followed by a date), reporting whether it
// was one; n is its line in the file (0 when lines mean nothing), note what
// Explain adds about where it stood.
func (d *draft) headerLine(l string, n int, note string) bool {
	if len(l) > maxHeaderLine {
		return false // a paragraph of text, not a line of the header
	}
	order := d.dateOrder(l)
	if hd, ok := date.HeaderLine(l, order); ok && hd.Rest == "" {
		d.addHeaderDate(hd.Time, hd.Updated, Origin{Rule: "header-date", Line: n, Text: l, Note: note}, n)
		d.headerDates[len(d.headerDates)-1].first = hd.First
		d.drop("header-date", n, 0, l)
		return true
	}
	if _, ok := date.HeaderLine(l, date.DayFirst); ok && order == date.Unsettled {
		// A date line whose numbers could be read both ways: a date line
		// still, never a title or text, but no date is guessed from it.
		if _, seen := d.origins["date"]; !seen {
			d.set("date", Origin{Rule: "none", Line: n, Text: l, Note: "a numeric date whose day and month could be swapped, and nothing on the page settles which; left empty"})
		}
		d.drop("header-date-unsettled", n, 0, l)
		return true
	}
	if agency, t, ok := date.Credit(l, order); ok {
		if d.Source == "" {
			d.Source = agency
			d.set("source", Origin{Rule: "credit-line", Line: n, Text: l, Note: note})
		}
		d.addHeaderDate(t, false, Origin{Rule: "credit-line", Line: n, Text: l, Note: note}, n)
		d.drop("credit-line", n, 0, l)
		return true
	}
	return d.metaLine(l, n, note, order)
}

var (
	// slashSeparator joins facts too, where it does not join a date to its
	// time of day ("April 28, 2024 / 3:12 AM").
	slashSeparator = regexp.MustCompile(`\s+/\s+`)
	// sourceLabel names the source: "Source: Xinhua", "Via Reuters".
	sourceLabel = regexp.MustCompile(`^(?i:source|via|quelle|fuente|fonte)\s*[:：]\s*(?P<name>[\p{L}\p{N}][\p{L}\p{N}'’.&-]*(?:\s+[\p{L}\p{N}'’.&-]+){0,5})$`)
	// orgByline is a byline that names an organization and the agency it
	// drew on: "By Euronews with AP", "By Sky News and Reuters".
	orgByline = regexp.MustCompile(`^(?i:by)\s+(?P<org>\p{Lu}[\p{L}.&-]*(?:\s+(?:News|Staff|Wire|Media))?)\s+(?:with|and|&)\s+(?:(?:the\s+)?(?:Associated\s+Press|AP|Reuters|AFP|agencies|news\s+agencies|wires))$`)
	// agencyDated is an agency's name before a date: "KYODO NEWS - Mar
	// 14, 2024 - 02:41".
	agencyDated = regexp.MustCompile(`^(?i:(` + agencyNames + `))\s+[-–—]\s+(.+)$`)
	// bylineOrg is the organization after a person's name in a byline,
	// written as an acronym: "By Clare Duffy, CNN".
	bylineOrg = regexp.MustCompile(`^(?i:by)\s+[^,|]+,\s*(?P<org>\p{Lu}{2,6})$`)
	// orgAfterByline is a fact that follows a byline and names whom the
	// author writes for: "By Jane Doe | Fox News".
	orgAfterByline = regexp.MustCompile(`^\p{Lu}[\p{L}.&'’-]*(?:\s+\p{Lu}[\p{L}.&'’-]*){0,2}$`)
	// jobWords name a job, not an organization: "By Jane Doe | Senior
	// Editor".
	jobWords = regexp.MustCompile(`(?i)\b(?:editor|reporter|correspondent|writer|columnist|producer|contributor|staff|analyst|director|chief|desk)s?\b`)
	// agencyByline is a byline that names an organization: "By Reuters
	// Staff", "By AFP", "By The Associated Press".
	agencyByline = regexp.MustCompile(`^(?:(?P<org>\p{Lu}[\p{L}.&-]*)\s+(?i:staff|staff\s+writers?|reporters|news\s+service|wire\s+services?)|(?P<agency>` + agencyNames + `))$`)
	// minorMeta is header text that states nothing to keep: "Updated 5:02
	// p.m. ET", "Updated 2 hours ago", "Editor: huaxia".
	minorMeta = regexp.MustCompile(`^(?i:(?:(?:last\s+)?(?:updated|modified|edited)\b.{0,40})|\d{1,3}\s+(?:min(?:ute)?s?|hours?|days?)\s+ago|(?:editor|editors|writer|reporter|author)\s*[:：].{1,60})$`)
	// metaStart is how a fact of a header line other than a date opens.
	metaStart = regexp.MustCompile(`^(?i:by|source|via|updated|modified|edited|last|editor|editors|writer|reporter|author)\b`)
	// agencies is what follows a source's name when it used others'
	// reports: "Source: Al Jazeera and news agencies".
	agencies = regexp.MustCompile(`\s+(?i:and|with|&)\s+(?i:news\s+|wire\s+)?(?i:agencies|agency\s+reports|wires)$`)
)

// agencyCase writes an agency's name in capitals ("KYODO NEWS") as a
// name: a single word stays as it is (AFP, UPI).
func agencyCase(name string) string {
	words := strings.Fields(name)
	if len(words) < 2 || strings.ToUpper(name) != name {
		return name
	}
	for i, w := range words {
		words[i] = w[:1] + strings.ToLower(w[1:])
	}
	return strings.Join(words, " ")
}

// maxFacts is how many facts of a header line metaLine reads: the last
// holds the rest of the line.
const maxFacts = 8

// maxAgencyName is the longest agency name (bytes) agencyByline reads alone
// as a fact of a header line.
const maxAgencyName = 40

// agencyNames are the news agencies whose name alone, as a byline or a
// fact of a header line ("PTI | Updated: …"), says whose the story is.
const agencyNames = `(?:The\s+)?(?:Associated\s+Press|AP|Reuters|AFP|Agence\s+France-Presse|Xinhua|Bloomberg|dpa|EFE|ANSA|Kyodo(?:\s+News)?|Yonhap|PTI|IANS|ANI|TASS|UPI|Anadolu|Bernama|Interfax)`

// maxHeaderLine is the longest line (bytes) that can be a header line:
// date lines, credits and bylines are short (date.HeaderLine's own bound).
const maxHeaderLine = 200

// maxMetaWords bounds the words of a line of facts (a byline, a source,
// a date, an editor, joined by bars).
const maxMetaWords = 30

// metaLine reads a header line of facts joined by bars or dots, each a
// date, a byline (maybe dated: "By Jane Doe | July 01, 2001 09:19 AM UTC",
// "Posted on February 26, 2023 by Jane Doe"), a source ("Source: Xinhua"),
// an editor, a read time or an update note. It takes the line only when
// every part is one of these.
func (d *draft) metaLine(l string, n int, note string, order date.Order) bool {
	if len(l) > furniture.MaxShortLine || strings.Count(l, " ") > maxMetaWords {
		return false // text, not a line of facts
	}
	if !strings.ContainsAny(l, "|·•/0123456789") && !metaStart.MatchString(l) {
		return false // one part, no date, no word a fact opens with: text
	}
	var segs []string
	for _, seg := range furniture.Facts(l, maxFacts) {
		if !strings.Contains(seg, " / ") {
			segs = append(segs, seg)
			continue
		}
		if _, ok := date.HeaderLine(seg, date.DayFirst); ok {
			segs = append(segs, seg)
			continue
		}
		segs = append(segs, slashSeparator.Split(seg, 8)...)
	}
	var dates []time.Time
	author, source := "", ""
	unknown, dated := 0, false
	for _, seg := range segs {
		if seg == "" {
			continue
		}
		dseg := seg
		if i := strings.Index(seg, " by "); i > 0 {
			dseg = seg[:i]
		}
		_, segDated := date.HeaderLine(dseg, date.DayFirst) // a date, even one whose order is open ("03/04/2023 by Jane")
		dated = dated || segDated
		if i := strings.Index(seg, " by "); i > 0 {
			if hd, ok := date.HeaderLine(seg[:i], order); ok && hd.Rest == "" {
				dates, seg = append(dates, hd.Time), "By "+seg[i+4:]
			}
		}
		if len(seg) > 3 && strings.EqualFold(seg[:3], "by ") {
			if t, before, ok := date.Trailing(seg, order); ok {
				if _, isBy := furniture.Byline(before); isBy {
					dates, seg = append(dates, t), before
				}
			}
		}
		if !strings.Contains(seg, " - ") && !strings.Contains(seg, " – ") && !strings.Contains(seg, " — ") {
			// not an agency's name before a date
		} else if m := agencyDated.FindStringSubmatch(seg); m != nil {
			if hd, ok := date.HeaderLine(m[2], order); ok && hd.Rest == "" {
				dates, source, dated = append(dates, hd.Time), agencyCase(m[1]), true
				continue // "KYODO NEWS - Mar 14, 2024 - 02:41"
			}
		}
		hd, isDate := date.HeaderLine(seg, order)
		name, isBy := furniture.Byline(seg)
		switch {
		case isDate && hd.Rest == "":
			dates = append(dates, hd.Time)
		case isBy && agencyByline.MatchString(name):
			m := agencyByline.FindStringSubmatch(name)
			source = m[1] + m[2]
		case isBy:
			author = name
			if m := bylineOrg.FindStringSubmatch(seg); m != nil {
				source = m[1]
			}
		case len(seg) > 3 && strings.EqualFold(seg[:3], "by ") && orgByline.MatchString(seg):
			source = orgByline.FindStringSubmatch(seg)[1]
		case len(segs) > 1 && len(seg) <= maxAgencyName && agencyByline.MatchString(seg):
			m := agencyByline.FindStringSubmatch(seg)
			source = m[1] + m[2] // "PTI | Updated: Jul 8, 2024, 11:36 IST"
		case sourceLabel.MatchString(seg):
			source = agencies.ReplaceAllString(sourceLabel.FindStringSubmatch(seg)[1], "")
		case author != "" && source == "" && orgAfterByline.MatchString(seg) && !jobWords.MatchString(seg) && strings.ToUpper(seg) != seg:
			// Not a place in capitals, as Reuters writes where the author filed: "By Jane Doe | WASHINGTON".
			source = seg
		case minorMeta.MatchString(seg) || furniture.Rule(seg) != "" || segDated && order == date.Unsettled:
		case len(strings.Fields(seg)) <= 4 && !endsSentence(seg):
			unknown++ // "TOI News Desk / TIMESOFINDIA.COM / Updated: Jun 6, 2023, 14:12 IST"
		default:
			return false
		}
	}
	if unknown > 0 && (!dated || unknown > 2) {
		return false
	}
	o := Origin{Rule: "byline", Line: n, Text: l, Note: note}
	switch {
	case author == "" && source == "" && len(dates) == 0:
		if !minorMeta.MatchString(l) && !dated {
			return false
		}
	case author == "" && source == "":
		o.Rule = "header-date"
	}
	if author != "" && d.Author == "" {
		d.Author = author
		d.set("author", o)
	}
	if source != "" && d.Source == "" {
		d.Source = source
		d.set("source", Origin{Rule: "header-source", Line: n, Text: l, Note: note})
	}
	if o.Rule == "byline" {
		o.Rule = "byline-date"
	}
	for _, t := range dates {
		d.addHeaderDate(t, false, o, n)
	}
	d.drop("header-meta", n, 0, l)
	return true
}

// sourceLine takes a line of the body that names the story's source
// ("Source: Al Jazeera and news agencies"), reporting whether it was one.
// What a page states outright wins over a wire dateline.
func (d *draft) sourceLine(l string, n int) bool {
	if len(l) > furniture.MaxShortLine {
		return false
	}
	m := sourceLabel.FindStringSubmatch(l)
	if m == nil {
		return false
	}
	if d.Source == "" {
		d.Source = agencies.ReplaceAllString(m[1], "")
		d.set("source", Origin{Rule: "source-line", Line: n, Text: l})
	}
	d.drop("source-line", n, 0, l)
	return true
}

// addHeaderDate records a date of the header, noting the order a numeric
// date was read in when the page's language settled it.
func (d *draft) addHeaderDate(t time.Time, updated bool, o Origin, n int) {
	if d.orderWhy != "" && date.Ambiguous(o.Text) {
		o.Note = strings.TrimPrefix(o.Note+"; ", "; ") + d.orderWhy
	}
	d.headerDates = append(d.headerDates, dated{t: t, o: o, line: n, updated: updated})
}

// takeHeaderDate sets the date from the header's dates (see pickDate) when
// nothing set it before.
func (d *draft) takeHeaderDate() {
	k := pickDate(d.headerDates)
	if k < 0 || !d.Date.IsZero() {
		return
	}
	o := d.headerDates[k].o
	if k > 0 && !d.headerDates[0].updated && d.headerDates[0].t.Truncate(24*time.Hour).Equal(d.headerDates[k].t.Truncate(24*time.Hour)) {
		o.Note = strings.TrimPrefix(o.Note+"; ", "; ") + "adds the time of day to the date on line " + strconv.Itoa(d.headerDates[0].line)
	}
	d.setDate(d.headerDates[k].t, o)
}

// pickDate chooses among a header's dates, returning the index of the one
// taken (-1 when there is none): the first labelled as the date of first
// publication, else the first not labelled as an update (the first of all
// when every one is), unless it has no time of day and a
// later one gives the same day with a time (" date 2023-04-20" then
// "(Xinhua) 10:34, April 20, 2023").
func pickDate(dates []dated) int {
	if len(dates) == 0 {
		return -1
	}
	first := slices.IndexFunc(dates, func(d dated) bool { return d.first })
	if first < 0 {
		first = max(0, slices.IndexFunc(dates, func(d dated) bool { return !d.updated }))
	}
	f := dates[first].t
	if f.Equal(f.Truncate(24 * time.Hour)) {
		for k, d := range dates[first+1:] {
			if d.t.Truncate(24*time.Hour).Equal(f) && !d.t.Equal(f) && !d.updated {
				return first + 1 + k
			}
		}
	}
	return first
}

// dateOrder returns the order in which numeric dates on line are read
// (date.OrderOf): the language the file declares settles it, else the
// language of its text; Unsettled for a line with no date it matters to.
// It is worked out at most once a page, and only for a page that needs it.
func (d *draft) dateOrder(line string) date.Order {
	if !date.Ambiguous(line) {
		return date.Unsettled
	}
	if !d.orderKnown {
		d.orderKnown = true
		tag, why := d.langHintOrigin.Text, d.langHintOrigin.Rule
		if date.OrderOf(tag) == date.Unsettled {
			code, _ := lang.Detect(d.page)
			tag, why = code, "the language of its text"
		}
		if d.order = date.OrderOf(tag); d.order != date.Unsettled {
			d.orderWhy = "numeric date read " + map[date.Order]string{date.DayFirst: "day", date.MonthFirst: "month"}[d.order] +
				" first, as the page's language (" + tag + ", " + why + ") writes it"
		}
	}
	return d.order
}

// A line of a text dump that no rule recognizes, standing among header
// lines, is header too: a date line in a form nothing reads, a kicker, a
// photo credit. It is never glued to the body, so that a wire dateline
// below it still gives the source.
const (
	maxStrayWords  = 12 // a longer line is text
	strayLookahead = 3  // how many lines below may hold the header line it stands with
)

// strayHeader reports whether lines[i], which no rule recognized, is a
// short line with a header line (a date line, a credit, a byline) or a
// wire dateline among the few non-blank lines after it.
func (d *draft) strayHeader(lines []string, i int) bool {
	l := lines[i]
	if len(strings.Fields(l)) > maxStrayWords || endsSentence(l) {
		return false
	}
	seen := 0
	for _, next := range lines[i+1:] {
		if next == "" {
			continue
		}
		if seen++; seen > strayLookahead {
			break
		}
		if _, ok := date.ReadDateline(next); ok {
			return true
		}
		probe := newDraft("")
		probe.page, probe.langHintOrigin = d.page, d.langHintOrigin
		probe.order, probe.orderKnown = d.dateOrder(next), date.Ambiguous(next)
		if furniture.Rule(next) != "" || probe.headerLine(next, 0, "") {
			return true
		}
		if len(strings.Fields(next)) > maxStrayWords || endsSentence(next) {
			break
		}
	}
	return false
}

// endsSentence reports whether s ends like a sentence of running text.
func endsSentence(s string) bool {
	r, _ := utf8.DecodeLastRuneInString(strings.TrimRight(s, `"'”’)`))
	return strings.ContainsRune(".!?。", r) && len(strings.Fields(s)) > 4
}
