package article

import (
	"strings"
	"time"
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
func (textParser) Parse(id string, data []byte) ([]Article, error) {
	text, err := decodeText(data)
	if err != nil {
		return nil, err
	}
	lines := strings.Split(text, "\n")
	for i, l := range lines {
		lines[i] = normalizeSpace(l)
	}
	h, rest := readHeader(lines)
	if h.title == "" {
		return nil, ErrNoTitle
	}

	var paras []string
	for _, l := range rest {
		if l != "" && boilerplate(l) == "" {
			paras = append(paras, l)
		}
	}
	a := Article{
		ID:     id,
		Title:  h.title,
		Date:   h.date,
		Source: h.source,
		Author: h.author,
		Body:   strings.Join(paras, "\n\n"),
	}
	a.WordCount = len(strings.Fields(a.Body))
	if len(paras) > 0 {
		bodyDate(&a, paras[0], lines)
	}
	return []Article{a}, nil
}

// bodyDate fills what the first paragraph tells when the header did not:
// the agency and date of a wire dateline ("BEIJING, April 19 (Xinhua) --",
// the year taken from a full date elsewhere on the page), else the date a
// first sentence opens with ("On December 28, 2018, ...").
func bodyDate(a *Article, first string, page []string) {
	agency, month, day, ok := datelineOf(first)
	if a.Source == "" {
		a.Source = agency
	}
	if !a.Date.IsZero() {
		return
	}
	if ok {
		if ref, _, _, found := findDate(head(strings.Join(page, "\n"), maxYearSearch)); found {
			a.Date, _ = nearestYear(month, day, ref)
		}
	}
	if a.Date.IsZero() {
		a.Date, _ = firstSentenceDate(first)
	}
}

// maxYearSearch bounds how far into a page a dateline's year is looked for
// (bytes); a news page states its year near the top.
const maxYearSearch = 64 << 10

// header is what the top lines of a page say about the article.
type header struct {
	title, source, author string
	date                  time.Time
}

// readHeader reads the lines before the body: navigation and breadcrumbs,
// the title (the first other line, possibly after a date on the same line),
// then any mix of the title repeated, date lines, an agency credit and a
// byline. It returns the header and the lines after it.
func readHeader(lines []string) (header, []string) {
	var h header
	var dates []time.Time
	i := 0
	for ; i < len(lines); i++ {
		l := lines[i]
		if l == "" {
			continue
		}
		if h.title == "" {
			if boilerplate(l) != "" {
				continue
			}
			if t, rest, ok := headerDate(l); ok {
				dates = append(dates, t)
				h.title = rest
				continue
			}
			h.title = l
			continue
		}
		if strings.EqualFold(l, h.title) {
			continue
		}
		if t, rest, ok := headerDate(l); ok && rest == "" {
			dates = append(dates, t)
			continue
		}
		if agency, t, ok := credit(l); ok {
			if h.source == "" {
				h.source = agency
			}
			dates = append(dates, t)
			continue
		}
		if name, ok := byline(l); ok && h.author == "" {
			h.author = name
			continue
		}
		if isNav(l) || isBreadcrumb(l) {
			continue
		}
		break
	}
	h.date = pickDate(dates)
	return h, lines[i:]
}

// pickDate chooses among a header's dates: the first, unless it has no time
// of day and a later one gives the same day with a time (" date 2023-04-20"
// then "(Xinhua) 10:34, April 20, 2023").
func pickDate(dates []time.Time) time.Time {
	if len(dates) == 0 {
		return time.Time{}
	}
	best := dates[0]
	for _, t := range dates[1:] {
		if best.Equal(best.Truncate(24*time.Hour)) && t.Truncate(24*time.Hour).Equal(best) {
			best = t
			break
		}
	}
	return best
}
