package article

import (
	"slices"
	"strings"

	"github.com/newsfind/newsfind/internal/article/date"
	"github.com/newsfind/newsfind/internal/article/furniture"
	"github.com/newsfind/newsfind/internal/article/textenc"
	"github.com/newsfind/newsfind/internal/article/textnorm"
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
		lines[i] = textnorm.Space(l)
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
		if len(d.paras) < maxHeaderParas && i < bodyStart+maxHeaderLines && d.headerLine(l, i+1, "among the opening lines of the body") {
			continue // a date line or byline below a standfirst
		}
		if d.sourceLine(l, i+1) {
			continue
		}
		d.paras = append(d.paras, l)
		d.paraLines = append(d.paraLines, i+1)
	}
	d.takeHeaderDate()
	d.set("body", Origin{Rule: "text-lines", Note: "each non-blank line after the header is a paragraph; page furniture dropped"})
	d.finish()
	d.copyrightSource()
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
	titleAt := d.pickTitle(lines)
	i := 0
	for ; i < len(lines); i++ {
		l, n := lines[i], i+1
		if l == "" {
			continue
		}
		if d.Title != "" && i > d.titleLine+maxHeaderLines {
			break // a header is a few lines; the rest is text, however it looks
		}
		if d.Title == "" {
			if i < titleAt && furniture.Rule(l) == "" && !d.headerLine(l, n, "before the title") {
				d.drop("before-title", n, 0, l) // a site's name, a tagline, a kicker
				continue
			}
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

// maxHeaderLines is how many lines after the title, and after the start
// of the body, may be header lines: a page of ten thousand date lines is
// not all header, and reading each as one would be slow.
const maxHeaderLines = 16

// maxTitleSearch is how many non-blank lines at the top of a dump may
// stand before the headline.
const maxTitleSearch = 32

// pickTitle returns the index of the line of a dump that is its headline,
// or -1 to take the first line that is neither furniture nor a date line.
// A page's top mixes the headline with the site's name, a tagline and
// menus in any words: the headline is the longest line (the first of two
// within a word of each other) after the last menu or breadcrumb above the
// header lines (a date line, byline or credit) or the body; a line of
// fewer than three words, opening with a day or month name, or ending a
// sentence (a standfirst), is not it. With no header lines, a first line
// followed by a blank one, or a good first line among fewer than three
// short lines on top ("Title", then a short first paragraph), is it.
func (d *draft) pickTitle(lines []string) int {
	var cands []int
	header, lastFurniture := false, -1
	seen := 0
	for i, l := range lines {
		if l == "" {
			continue
		}
		if seen++; seen > maxTitleSearch || len(l) > maxHeaderLine && len(cands) > 0 {
			break // the body
		}
		if rule := furniture.Rule(l); rule != "" {
			if rule == furniture.Nav || rule == furniture.Share || rule == furniture.Signup {
				lastFurniture = i // menus and site widgets stand above the headline
			}
			continue
		}
		if len(cands) > 0 && isMenuItem(l) && isMenuItem(lines[cands[len(cands)-1]]) && cands[len(cands)-1] > lastFurniture {
			lastFurniture = i // a menu in any words: short items, one a line ("World", "Europe")
		}
		if hd, ok := date.HeaderLine(l, date.DayFirst); ok && hd.Rest != "" {
			cands = append(cands, i) // a date, then the headline
			break
		}
		probe := newDraft("")
		probe.page = d.page
		if probe.headerLine(l, 0, "") {
			header = true
			break
		}
		if _, ok := date.ReadDateline(l); ok || len(strings.Fields(l)) > maxStrayWords && len(cands) > 0 {
			break // the body
		}
		cands = append(cands, i)
	}
	if k := slices.IndexFunc(cands, func(i int) bool { return i > lastFurniture }); k > 0 {
		cands = cands[k:] // a site's name or tagline above the menus
	}
	if len(cands) == 0 {
		return -1
	}
	good := func(i int) bool {
		words := strings.Fields(lines[i])
		return len(words) >= 3 && !endsSentence(lines[i]) && !date.IsCalendarWord(words[0])
	}
	if first := cands[0]; !header && (len(cands) < 3 && good(first) || first+1 < len(lines) && lines[first+1] == "") {
		return first // "Title", a blank line, the body (maybe a short first paragraph)
	}
	best, bestWords := -1, 0
	for k, i := range cands {
		words := strings.Fields(lines[i])
		if !good(i) {
			continue
		}
		if len(words) > bestWords+1 { // a headline is longer than a site's name or a kicker
			best, bestWords = k, len(words)
		}
	}
	if best < 0 {
		return -1
	}
	// A standfirst without a full stop stands right below its headline
	// and is longer still.
	if prev := best - 1; prev >= 0 && cands[prev] > lastFurniture && nextLine(lines, cands[prev]) == cands[best] && good(cands[prev]) &&
		len(strings.Fields(lines[cands[prev]])) >= minHeadlineWords &&
		len(strings.Fields(lines[cands[best]])) >= len(strings.Fields(lines[cands[prev]]))+minStandfirstExtra {
		best = prev
	}
	return cands[best]
}

const (
	// minHeadlineWords is the fewest words of a headline that a longer
	// line below it may be taken for the standfirst of.
	minHeadlineWords = 5
	// minStandfirstExtra is how many more words than the line above it a
	// line must have to be taken for its standfirst.
	minStandfirstExtra = 3
)

// isMenuItem reports whether l could be an item of a menu: one or two
// words, no date, no sentence.
func isMenuItem(l string) bool {
	return len(strings.Fields(l)) <= 2 && !strings.ContainsAny(l, "0123456789.!?:")
}

// nextLine returns the index of the first non-blank line after i.
func nextLine(lines []string, i int) int {
	for j := i + 1; j < len(lines); j++ {
		if lines[j] != "" {
			return j
		}
	}
	return -1
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
