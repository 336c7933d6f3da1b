package article

import (
	"strings"

	readability "codeberg.org/readeck/go-readability/v2"
	"github.com/newsfind/newsfind/internal/article/date"
	"github.com/newsfind/newsfind/internal/article/pagemeta"
	"github.com/newsfind/newsfind/internal/article/textnorm"
)

// A page without metadata states its date and source only in what it
// shows: a byline ("By Jane Doe | July 01, 2001 09:19 AM UTC"), a <time>
// element's text, a date line near the headline, the wire dateline, the
// site's name after the headline in <title> ("… | Reuters").

// maxVisibleLines is how many lines of the page's text around the headline
// visibleDate reads: a date line stands next to the headline, and a date
// further away may be another article's (a list of related stories).
const maxVisibleLines = 12

// visibleDate takes the date from what the page shows, when neither its
// metadata nor the opening of its main text gave one: the byline
// go-readability found, a <time> element's text, then a date line or a
// dated byline among the lines of the page near its headline.
func (d *draft) visibleDate(meta *pagemeta.Page, art readability.Article) {
	if !d.Date.IsZero() {
		return
	}
	if b := textnorm.Line(art.Byline()); b != "" && d.headerLine(b, 0, "the byline go-readability found") {
		d.takeHeaderDate()
		if !d.Date.IsZero() {
			return
		}
	}
	for _, s := range meta.TimeTexts {
		if t, ok := date.Parse(s, d.dateOrder(s)); ok {
			d.setDate(t, Origin{Rule: "time element text", Text: s})
			return
		}
	}
	lines := strings.Split(d.page, "\n")
	start := 0
	for i, l := range lines {
		if l = textnorm.Line(l); l != "" && (strings.EqualFold(l, d.Title) || strings.EqualFold(l, meta.Title)) {
			start = max(0, i-maxVisibleLines/2)
			break
		}
	}
	seen := 0
	for _, l := range lines[start:] {
		if l = textnorm.Line(l); l == "" {
			continue
		}
		if seen++; seen > maxVisibleLines {
			break
		}
		probe := newDraft(d.ID)
		probe.page, probe.langHintOrigin = d.page, d.langHintOrigin
		if probe.headerLine(l, 0, "a line of the page near its headline") && len(probe.headerDates) > 0 {
			k := pickDate(probe.headerDates)
			d.setDate(probe.headerDates[k].t, probe.headerDates[k].o)
			return
		}
	}
}

// titleSource takes the source from the site's name after the headline in
// <title> ("Storm hits coast | Reuters"), when nothing better gave one, and
// takes that name off the title if it is still there.
func (d *draft) titleSource(meta *pagemeta.Page) {
	if d.Source != "" {
		return
	}
	name, ok := titleSuffix(meta.Title)
	if !ok {
		return
	}
	d.Source = name
	d.set("source", Origin{Rule: "title suffix", Text: meta.Title, Note: "the site's name after the headline in <title>"})
	d.Title = trimSiteName(d.Title, name)
}

// titleSuffix returns the name after the last separator of a page title,
// when it is short and looks like a name (at most four words, starting
// with a capital letter or a digit, no sentence marks) and the headline
// before it is longer.
func titleSuffix(title string) (string, bool) {
	for _, sep := range titleSeparators {
		i := strings.LastIndex(title, sep)
		if i <= 0 {
			continue
		}
		name, head := strings.TrimSpace(title[i+len(sep):]), title[:i]
		words := strings.Fields(name)
		if len(words) == 0 || len(words) > 4 || len(name) > 40 || len(strings.Fields(head)) < 3 ||
			strings.ContainsAny(name, ".!?:;,\"") && !strings.HasSuffix(name, ".com") ||
			!(strings.ToUpper(name[:1]) == name[:1]) {
			continue
		}
		return name, true
	}
	return "", false
}

// shownHeadline shortens a title taken from <title> to the headline the
// page shows alone on a line, when the title is that headline followed by
// a separator and more ("Sewage spills … | Water | The Guardian",
// "China's profits rise-Xinhua"): the rest is the site's name and
// sections, whatever words they are in.
func (d *draft) shownHeadline() {
	if d.origins["title"].Rule != "readability title" || !strings.ContainsAny(d.Title, titleMarks+":") {
		return
	}
	for l := range strings.SplitSeq(d.page, "\n") {
		l = textnorm.Line(l)
		if len(l) >= len(d.Title) || len(strings.Fields(l)) < 3 || !strings.HasPrefix(d.Title, l) {
			continue
		}
		if rest := strings.TrimSpace(d.Title[len(l):]); rest != "" && (strings.ContainsAny(rest[:1], titleMarks) || strings.HasPrefix(rest, "::")) {
			d.Title = l
			o := d.origins["title"]
			o.Note = "the headline the page shows, without what follows it in <title>"
			d.set("title", o)
			return
		}
	}
}

// titleMarks separate a headline from what follows it in <title> (and
// "::"); a colon alone does not, as headlines hold colons.
const titleMarks = "|-–—·»"
