package article

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/newsfind/newsfind/internal/article/date"
	"github.com/newsfind/newsfind/internal/article/furniture"
	"github.com/newsfind/newsfind/internal/article/section"
	"github.com/newsfind/newsfind/internal/article/summary"
	"github.com/newsfind/newsfind/internal/article/textnorm"
	"github.com/newsfind/newsfind/internal/entity"
	"github.com/newsfind/newsfind/internal/search"
)

// draft is an article being read: the fields found so far, where each came
// from, and what the format-independent steps of finish need.
type draft struct {
	search.Article
	origins map[string]Origin
	// paras are the body's paragraphs; paraLines their 1-based lines in the
	// file, when lines mean something (nil for HTML).
	paras     []string
	paraLines []int
	// titleLine is the title's line in the file, 0 when lines mean nothing.
	titleLine int
	// dropped lists text left out of the body.
	dropped []Origin
	// page is text of the whole page in which finish looks for the year of
	// a dateline ("April 19") when the article has no date.
	page string
	// langHint is the language the file's metadata declares, taken when the
	// text itself does not tell.
	langHint       string
	langHintOrigin Origin
	// dlPara is the paragraph that opens with the wire dateline.
	dlPara int
	// headerDates are the dates of the header lines, for takeHeaderDate.
	headerDates []dated
	// order is how numeric dates on the page are read, once orderKnown;
	// orderWhy says what settled it ("" when nothing did).
	order      date.Order
	orderKnown bool
	orderWhy   string
	// people, places and organizations are lists the file gives itself
	// (JSON); nil means "extract them from the text".
	people, places, orgs []string
	listOrigin           Origin
	// entities are the extracted entities, for Explain.
	entities      []entity.Entity
	givenEntities []EntityOrigin
	// cuts say which fields were cut to their caps (limits.go), for the
	// caller to report.
	cuts []string
}

// newDraft starts a draft for the article with the given ID.
func newDraft(id string) *draft {
	return &draft{Article: search.Article{ID: id}, origins: map[string]Origin{}}
}

// set records a field's origin.
func (d *draft) set(field string, o Origin) {
	d.origins[field] = o
}

// drop records text left out of the body.
func (d *draft) drop(rule string, line, para int, text string) {
	d.dropped = append(d.dropped, Origin{Rule: rule, Line: line, Paragraph: para, Text: text})
}

// paraOrigin returns an Origin pointing at body paragraph i (0-based).
func (d *draft) paraOrigin(rule string, i int, text string) Origin {
	o := Origin{Rule: rule, Paragraph: i + 1, Text: text}
	if i < len(d.paraLines) {
		o.Line = d.paraLines[i]
	}
	return o
}

// segmentOrigin returns an Origin for text of an entity-extraction segment:
// 0 is the title, i the i-th paragraph.
func (d *draft) segmentOrigin(rule string, seg int, text string) Origin {
	if seg == 0 {
		return Origin{Rule: rule, Line: d.titleLine, Text: text, Note: "in the title"}
	}
	return d.paraOrigin(rule, seg-1, text)
}

// finish fills the fields every format derives the same way from the title
// and paragraphs: body and word count, what a wire dateline says (place,
// agency, and the date when nothing better gave one), the date a first
// sentence opens with, language, summary and entities.
func (d *draft) finish() {
	if d.Section == "" {
		if d.Section = section.Of(d.ID); d.Section != "" {
			d.set("section", Origin{Rule: "folder", Text: d.Section})
		}
	}
	d.capFields()
	d.Body = strings.Join(d.paras, "\n\n")
	d.WordCount = textnorm.CountWords(d.Body)

	lead, leadPara := "", 0 // the opening text without its dateline
	var dl date.Dateline
	if len(d.paras) > 0 {
		var ok bool
		if dl, ok = d.findDateline(); ok {
			lead, leadPara = d.paras[d.dlPara][dl.End:], d.dlPara
			d.datelineFields(dl)
		} else {
			lead = d.paras[0]
		}
		if lead == "" && len(d.paras) > leadPara+1 {
			lead, leadPara = d.paras[leadPara+1], leadPara+1
		}
	}
	if d.Date.IsZero() && lead != "" {
		if t, text, ok := date.FirstSentence(lead); ok {
			d.setDate(t, d.paraOrigin("first-sentence-date", leadPara, text))
		}
	}
	if _, ok := d.origins["date"]; !ok && d.Date.IsZero() {
		d.set("date", Origin{Rule: "none", Note: "no publication date found; left empty"})
	}

	d.language()
	if s := summary.Of(lead, d.paras[min(leadPara+1, len(d.paras)):]); s != "" {
		d.Summary = s
		d.set("summary", d.paraOrigin("first-sentences", leadPara, ""))
	}
	d.extractEntities(dl)
}

// copyrightSource takes the source from a copyright notice the text holds
// ("© 2024 Bloomberg L.P."), when nothing better named one: the page's
// own statement of whose the article is, after its metadata, a source
// line, a byline and the wire dateline.
func (d *draft) copyrightSource() {
	if d.Source != "" {
		return
	}
	for _, o := range d.dropped {
		if o.Rule != furniture.Copyright {
			continue
		}
		if name := furniture.CopyrightHolder(o.Text); name != "" {
			d.Source = name
			d.set("source", Origin{Rule: "copyright-line", Line: o.Line, Text: o.Text, Note: "the holder a copyright notice names"})
			return
		}
	}
}

// maxStrayParas is how many paragraphs may stand above a wire dateline:
// lines of a header no rule recognized, or a standfirst.
const maxStrayParas = 2

// findDateline reads the wire dateline the story opens with, setting
// dlPara to its paragraph. It may stand below a standfirst, and below short
// lines (a date line in a form nothing reads, a kicker), which are header,
// not text: they are dropped from the body, so that the dateline's place
// and agency never depend on whether the lines above it were understood.
func (d *draft) findDateline() (date.Dateline, bool) {
	for k := 0; k < len(d.paras) && k <= maxStrayParas; k++ {
		dl, ok := date.ReadDateline(d.paras[k])
		if !ok {
			continue
		}
		kept := 0
		for i := range k {
			if p := d.paras[i]; len(strings.Fields(p)) <= maxStrayWords && !endsSentence(p) {
				d.drop("before-dateline", d.paraOrigin("", i, "").Line, 0, p)
				continue
			}
			d.paras[kept] = d.paras[i]
			if len(d.paraLines) > i {
				d.paraLines[kept] = d.paraLines[i]
			}
			kept++
		}
		d.paras = append(d.paras[:kept], d.paras[k:]...)
		if len(d.paraLines) >= k {
			d.paraLines = append(d.paraLines[:kept], d.paraLines[k:]...)
		}
		d.dlPara = kept
		d.Body = strings.Join(d.paras, "\n\n")
		d.WordCount = textnorm.CountWords(d.Body)
		return dl, true
	}
	return date.Dateline{}, false
}

// datelineFields takes the place, the agency and maybe the date from a wire
// dateline at the start of the first paragraph.
func (d *draft) datelineFields(dl date.Dateline) {
	text := d.paras[d.dlPara][:dl.End]
	if d.Place == "" && dl.Place != "" {
		d.Place = placeName(dl.Place)
		d.set("place", d.paraOrigin("dateline", d.dlPara, strings.TrimSpace(text)))
	}
	if d.Source == "" && dl.Agency != "" {
		d.Source = dl.Agency
		d.set("source", d.paraOrigin("dateline-agency", d.dlPara, strings.TrimSpace(text)))
	}
	if !d.Date.IsZero() || dl.Month == 0 {
		return
	}
	if t, ok := date.Day(dl.Year, dl.Month, dl.Day); ok {
		d.setDate(t, d.paraOrigin("dateline", d.dlPara, strings.TrimSpace(text)))
		return
	}
	// The dateline gives month and day; the year comes from the first full
	// date on the page, and the dateline's day is taken in whichever year
	// brings it closest to that date.
	ref, start, end, found := date.Find(textnorm.Head(d.page, maxYearSearch))
	if !found {
		note := "the dateline gives " + dl.Month.String() + " " + strconv.Itoa(dl.Day) + " but the page states no year"
		if prev, ok := d.origins["date"]; ok && prev.Rule == "none" && prev.Note != "" {
			note += "; earlier: " + prev.Note
		}
		d.set("date", Origin{Rule: "none", Note: note})
		return
	}
	if t, ok := date.NearestYear(dl.Month, dl.Day, ref); ok {
		o := d.paraOrigin("dateline+page-year", d.dlPara, strings.TrimSpace(text))
		o.Note = "year from " + strconv.Quote(d.page[start:end])
		d.setDate(t, o)
	}
}

// placeName returns the canonical name of a dateline's place: the
// gazetteer's ("BEIJING" is "Beijing"), else the words capitalized.
func placeName(s string) string {
	if name, _, ok := entity.Default().Canonical(s); ok {
		return name
	}
	words := strings.Fields(s)
	for i, w := range words {
		if r := []rune(w); len(r) > 1 {
			words[i] = string(r[0]) + strings.ToLower(string(r[1:]))
		}
	}
	return strings.Join(words, " ")
}

// extractEntities fills People, Places and Organizations: from the file's
// own lists when it gives them, else from the title and body. The dateline
// counts only for its place: its agency is the source, not a mention.
func (d *draft) extractEntities(dl date.Dateline) {
	x := entity.Default()
	if d.people != nil || d.places != nil || d.orgs != nil {
		d.People = d.canonicalList(x, d.people, "people", entity.Person)
		d.Places = d.canonicalList(x, d.places, "places", entity.Place)
		d.Organizations = d.canonicalList(x, d.orgs, "organizations", entity.Organization)
		if d.people != nil && d.places != nil && d.orgs != nil {
			return
		}
	}
	segs := d.paras
	if dl.End > 0 {
		segs = slices.Clone(d.paras)
		segs[d.dlPara] = dl.Place + ". " + d.paras[d.dlPara][dl.End:]
	}
	d.entities = x.Extract(d.Title, segs)
	for _, e := range d.entities {
		switch {
		case e.Kind == entity.Person && d.people == nil:
			d.People = append(d.People, e.Name)
		case e.Kind == entity.Place && d.places == nil:
			d.Places = append(d.Places, e.Name)
		case e.Kind == entity.Organization && d.orgs == nil:
			d.Organizations = append(d.Organizations, e.Name)
		}
	}
	d.entities = slices.DeleteFunc(d.entities, func(e entity.Entity) bool {
		return e.Kind == entity.Person && d.people != nil || e.Kind == entity.Place && d.places != nil || e.Kind == entity.Organization && d.orgs != nil
	})
	d.People = d.capEntities("people", d.People)
	d.Places = d.capEntities("places", d.Places)
	d.Organizations = d.capEntities("organizations", d.Organizations)
}

// canonicalList returns the names of a list the file gives, each under its
// canonical name when the gazetteer knows it, once, in the file's order.
func (d *draft) canonicalList(x *entity.Extractor, names []string, field string, kind entity.Kind) []string {
	if names == nil {
		return nil
	}
	var out []string
	seen := map[string]bool{}
	for _, n := range d.capEntities(field, names) {
		if n = textnorm.Line(n); len(n) > MaxFieldBytes {
			d.cut(field+" name", len(n), MaxFieldBytes)
			n = cutText(n, MaxFieldBytes)
		}
		if n == "" {
			continue
		}
		rule := d.listOrigin.Rule + " " + field
		if c, k, ok := x.Canonical(n); ok && k == kind {
			if c != n {
				rule += " (canonical name from the gazetteer)"
			}
			n = c
		}
		if seen[n] {
			continue
		}
		seen[n] = true
		out = append(out, n)
		d.givenEntities = append(d.givenEntities, EntityOrigin{Kind: kind.String(), Name: n, Origin: Origin{Rule: rule, Line: d.listOrigin.Line}})
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// setDate sets the date and records its origin, keeping the note of a
// date tried before and not understood.
func (d *draft) setDate(t time.Time, o Origin) {
	if prev, ok := d.origins["date"]; ok && prev.Rule == "none" && prev.Note != "" {
		o.Note = strings.TrimPrefix(o.Note+"; ", "; ") + "earlier: " + prev.Note
	}
	d.Date = t
	d.set("date", o)
}
