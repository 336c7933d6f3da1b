package article

import (
	"strings"

	"github.com/newsfind/newsfind/internal/article/date"
	"github.com/newsfind/newsfind/internal/article/furniture"
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
	text, err := decodeText(data)
	if err != nil {
		return nil, err
	}
	lines := strings.Split(text, "\n")
	for i, l := range lines {
		lines[i] = normalizeSpace(l)
	}
	d := newDraft(id)
	d.page = text
	bodyStart := readHeader(d, lines)
	if d.Title == "" {
		return nil, ErrNoTitle
	}
	for i := bodyStart; i < len(lines); i++ {
		l := lines[i]
		if l == "" {
			continue
		}
		if rule := furniture.Rule(l); rule != "" {
			d.drop(rule, i+1, 0, l)
			continue
		}
		d.paras = append(d.paras, l)
		d.paraLines = append(d.paraLines, i+1)
	}
	d.set("body", Origin{Rule: "text-lines", Note: "each non-blank line after the header is a paragraph; page furniture dropped"})
	d.finish()
	return []*draft{d}, nil
}

// maxYearSearch bounds how far into a page a dateline's year is looked for
// (bytes); a news page states its year near the top.
const maxYearSearch = 64 << 10

// readHeader reads the lines before the body into d: navigation and
// breadcrumbs, date lines before the title, the title (the first other
// line, possibly after a date on the same line), then any mix of the title
// repeated, date lines, an agency credit, a byline, page furniture and
// short lines that stand among them. It returns the index of the first
// body line.
func readHeader(d *draft, lines []string) int {
	i := 0
	for ; i < len(lines); i++ {
		l, n := lines[i], i+1
		if l == "" {
			continue
		}
		if d.Title == "" {
			d.headerBeforeTitle(l, n)
			continue
		}
		switch {
		case strings.EqualFold(l, d.Title):
			d.drop("title-repeated", n, 0, l)
		case d.headerLine(l, n, ""):
		case furniture.Rule(l) != "":
			d.drop(furniture.Rule(l), n, 0, l)
		case d.strayHeader(lines, i):
			d.drop("header-unrecognized", n, 0, l)
		default:
			d.takeHeaderDate()
			return i
		}
	}
	d.takeHeaderDate()
	return i
}

// headerBeforeTitle reads a line of a text dump before its title is known:
// furniture and date lines are dropped, a date followed by text gives the
// title, and any other line is the title.
func (d *draft) headerBeforeTitle(l string, n int) {
	if rule := furniture.Rule(l); rule != "" {
		d.drop(rule, n, 0, l)
		return
	}
	order := d.dateOrder(l)
	if hd, ok := date.HeaderLine(l, order); ok && hd.Rest != "" {
		d.addHeaderDate(hd.Time, hd.Updated, Origin{Rule: "date-before-title", Line: n, Text: l}, n)
		d.Title, d.titleLine = hd.Rest, n
		d.set("title", Origin{Rule: "first-text-line", Line: n, Text: l, Note: "after the date on the same line"})
		return
	}
	if d.headerLine(l, n, "before the title") {
		return
	}
	d.Title, d.titleLine = l, n
	d.set("title", Origin{Rule: "first-text-line", Line: n, Text: l})
}
