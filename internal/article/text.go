package article

import (
	"strconv"
	"strings"
	"time"

	"github.com/newsfind/newsfind/internal/article/date"
	"github.com/newsfind/newsfind/internal/article/textenc"
	"github.com/newsfind/newsfind/internal/search"
)

// textParser reads plain-text articles. Two shapes occur: the BBC form (the
// title on the first line, a blank line, then the body) and text dumps of
// news web pages, whose first lines carry navigation, the headline (maybe
// twice), a date line and an agency credit, and whose paragraphs are mixed
// with photo captions, share buttons and editor credits.
//
// Each non-blank line is one paragraph: both shapes write a paragraph per
// line, and keeping lines apart keeps bulleted lists readable.
type textParser struct{}

var _ Parser = textParser{}

// Parse implements Parser for .txt files.
func (p textParser) Parse(id string, data []byte) ([]search.Article, error) {
	return articlesOf(p.read(id, data))
}

func (textParser) format() string { return "text" }

// read reads a .txt file into its one article.
func (textParser) read(id string, data []byte) ([]*draft, error) {
	text, err := textenc.Decode(data)
	if err != nil {
		return nil, err
	}
	lines := strings.Split(text, "\n")
	for i, l := range lines {
		lines[i] = normalizeSpace(l)
	}
	d := newDraft(id)
	bodyStart := readHeader(d, lines)
	if d.Title == "" {
		return nil, ErrNoTitle
	}
	for i := bodyStart; i < len(lines); i++ {
		l := lines[i]
		if l == "" {
			continue
		}
		if rule := boilerplate(l); rule != "" {
			d.drop(rule, i+1, 0, l)
			continue
		}
		d.paras = append(d.paras, l)
		d.paraLines = append(d.paraLines, i+1)
	}
	d.set("body", Origin{Rule: "text-lines", Note: "each non-blank line after the header is a paragraph; page furniture dropped"})
	d.page = text
	d.finish()
	return []*draft{d}, nil
}

// maxYearSearch bounds how far into a page a dateline's year is looked for
// (bytes); a news page states its year near the top.
const maxYearSearch = 64 << 10

// dated is a date found in a page's header, with where it was found.
type dated struct {
	t    time.Time
	o    Origin
	line int
}

// readHeader reads the lines before the body into d: navigation and
// breadcrumbs, the title (the first other line, possibly after a date on
// the same line), then any mix of the title repeated, date lines, an agency
// credit and a byline. It returns the index of the first body line.
func readHeader(d *draft, lines []string) int {
	var dates []dated
	i := 0
	for ; i < len(lines); i++ {
		l, n := lines[i], i+1
		if l == "" {
			continue
		}
		if d.Title == "" {
			if rule := boilerplate(l); rule != "" {
				d.drop(rule, n, 0, l)
				continue
			}
			d.titleLine = n
			if t, rest, ok := date.HeaderLine(l); ok {
				dates = append(dates, dated{t, Origin{Rule: "date-before-title", Line: n, Text: l}, n})
				d.Title = rest
				d.set("title", Origin{Rule: "first-text-line", Line: n, Text: l, Note: "after the date on the same line"})
				continue
			}
			d.Title = l
			d.set("title", Origin{Rule: "first-text-line", Line: n, Text: l})
			continue
		}
		if strings.EqualFold(l, d.Title) {
			d.drop("title-repeated", n, 0, l)
			continue
		}
		if t, rest, ok := date.HeaderLine(l); ok && rest == "" {
			dates = append(dates, dated{t, Origin{Rule: "header-date", Line: n, Text: l}, n})
			d.drop("header-date", n, 0, l)
			continue
		}
		if agency, t, ok := date.Credit(l); ok {
			if d.Source == "" {
				d.Source = agency
				d.set("source", Origin{Rule: "credit-line", Line: n, Text: l})
			}
			dates = append(dates, dated{t, Origin{Rule: "credit-line", Line: n, Text: l}, n})
			d.drop("credit-line", n, 0, l)
			continue
		}
		if name, ok := byline(l); ok && d.Author == "" {
			d.Author = name
			d.set("author", Origin{Rule: "byline", Line: n, Text: l})
			d.drop("byline", n, 0, l)
			continue
		}
		if isNav(l) || isBreadcrumb(l) {
			d.drop(ruleNav, n, 0, l)
			continue
		}
		break
	}
	if k := pickDate(dates); k >= 0 {
		d.Date = dates[k].t
		o := dates[k].o
		if k > 0 {
			o.Note = "adds the time of day to the date on line " + strconv.Itoa(dates[0].line)
		}
		d.set("date", o)
	}
	return i
}

// pickDate chooses among a header's dates, returning the index of the one
// taken (-1 when there is none): the first, unless it has no time of day
// and a later one gives the same day with a time (" date 2023-04-20" then
// "(Xinhua) 10:34, April 20, 2023").
func pickDate(dates []dated) int {
	if len(dates) == 0 {
		return -1
	}
	first := dates[0].t
	if first.Equal(first.Truncate(24 * time.Hour)) {
		for k, d := range dates[1:] {
			if d.t.Truncate(24*time.Hour).Equal(first) && !d.t.Equal(first) {
				return k + 1
			}
		}
	}
	return 0
}
