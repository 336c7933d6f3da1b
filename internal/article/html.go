package article

import (
	"fmt"
	"strings"

	readability "codeberg.org/readeck/go-readability/v2"
	"codeberg.org/readeck/go-readability/v2/render"
	"github.com/newsfind/newsfind/internal/article/date"
	"github.com/newsfind/newsfind/internal/article/furniture"
	"github.com/newsfind/newsfind/internal/article/lang"
	"github.com/newsfind/newsfind/internal/article/pagemeta"
	"github.com/newsfind/newsfind/internal/article/textenc"
	"github.com/newsfind/newsfind/internal/article/textnorm"
	"github.com/newsfind/newsfind/internal/search"
	"golang.org/x/net/html"
	"golang.org/x/net/html/charset"
)

// htmlParser reads a saved news page. The article text comes from
// go-readability (a port of Firefox's Reader View), which drops navigation,
// share bars, related links, comments and cookie banners; the same line
// rules as for text dumps then drop what it keeps of captions, credits and
// widgets. Metadata comes first from the page's own statements (JSON-LD,
// Open Graph and other meta tags), read here so that Explain can name the
// tag, and only then from the text.
type htmlParser struct{}

var _ Parser = htmlParser{}

// Parse implements Parser for .html and .htm files.
func (p htmlParser) Parse(id string, data []byte) ([]search.Article, error) {
	return articlesOf(p.read(id, data))
}

func (htmlParser) format() string { return "html" }

// maxReadabilityElems bounds the elements go-readability scores; a page
// with more is no article, and scoring it would take long.
const maxReadabilityElems = 100000

// read reads a page into its one article.
func (htmlParser) read(id string, data []byte) ([]*draft, error) {
	text, err := decodeHTML(data)
	if err != nil {
		return nil, err
	}
	doc, err := html.Parse(strings.NewReader(text))
	if err != nil {
		return nil, fmt.Errorf("parse HTML: %w", err)
	}
	meta := pagemeta.Read(doc)
	d := newDraft(id)
	d.page = render.InnerText(doc)

	rp := readability.NewParser()
	rp.MaxElemsToParse = maxReadabilityElems
	art, rerr := rp.ParseAndMutate(doc, nil)
	var lines []string
	if rerr == nil && art.Node != nil {
		for _, l := range strings.Split(render.InnerText(art.Node), "\n") {
			if l = textnorm.Line(l); l != "" {
				lines = append(lines, l)
			}
		}
		d.set("body", Origin{Rule: "readability", Note: "main text found by go-readability; page furniture dropped by line rules"})
	} else {
		note := "go-readability found no article text"
		if rerr != nil {
			note += ": " + rerr.Error()
		}
		d.set("body", Origin{Rule: "none", Note: note})
	}

	d.htmlTitle(meta, art)
	if d.Title == "" {
		return nil, ErrNoTitle
	}
	d.shownHeadline()
	d.htmlLanguage(meta)
	d.htmlDate(meta)
	d.htmlSource(meta)
	d.htmlAuthor(meta, art)
	d.htmlURL(meta)
	d.htmlPlace(meta)
	d.htmlBody(lines)
	d.takeHeaderDate()
	d.visibleDate(meta, art)
	d.finish()
	d.titleSource(meta)
	d.copyrightSource()
	if len(meta.LDErrors) > 0 {
		d.drop("json-ld-error", 0, 0, strings.Join(meta.LDErrors, "; "))
	}
	return []*draft{d}, nil
}

// decodeHTML returns a page's text as UTF-8, in the encoding its byte-order
// mark or <meta charset> declares, else UTF-8 with stray bytes read as
// Windows-1252 (as textenc.Decode does).
func decodeHTML(data []byte) (string, error) {
	enc, name, _ := charset.DetermineEncoding(data, "")
	switch name {
	case "utf-8", "windows-1252", "utf-16le", "utf-16be":
		return textenc.Decode(data)
	}
	out, err := enc.NewDecoder().Bytes(data)
	if err != nil {
		return "", fmt.Errorf("decode %s: %w", name, err)
	}
	return textenc.Decode(out)
}

// htmlTitle takes the headline: JSON-LD, then Open Graph and Twitter
// tags, then what go-readability made of <title> and the headings.
func (d *draft) htmlTitle(meta *pagemeta.Page, art readability.Article) {
	site := meta.SiteName()
	if t, rule := meta.LDString("headline"); t != "" {
		d.Title = t
		d.set("title", Origin{Rule: rule, Text: t})
		return
	}
	if t, name := meta.Meta("og:title", "twitter:title"); t != "" {
		d.Title = trimSiteName(t, site)
		d.set("title", Origin{Rule: "meta " + name, Text: t})
		return
	}
	if t := textnorm.Line(art.Title()); t != "" {
		d.Title = trimSiteName(t, site)
		d.set("title", Origin{Rule: "readability title", Text: t, Note: "from <title> and the page's headings"})
	}
}

// titleSeparators stand between a headline and the site's name in a page
// title.
var titleSeparators = []string{" | ", " – ", " — ", " - ", " :: ", " : ", " · "}

// trimSiteName removes a site's name appended to a title: "Headline |
// Site", "Headline - Site".
func trimSiteName(title, site string) string {
	if site == "" {
		return title
	}
	for _, sep := range titleSeparators {
		if i := strings.LastIndex(title, sep); i > 0 && strings.EqualFold(strings.TrimSpace(title[i+len(sep):]), site) {
			return strings.TrimSpace(title[:i])
		}
	}
	return title
}

// dateMetas are the meta tags that state a publication date, most specific
// first.
var dateMetas = []string{
	"article:published_time", "og:article:published_time", "datepublished", "pubdate", "publishdate",
	"publish-date", "publish_date", "dc.date.issued", "dcterms.issued", "dc.date", "dcterms.date",
	"dcterms.created", "dc.date.created", "date", "sailthru.date", "parsely-pub-date", "citation_publication_date",
}

// htmlDate takes the publication date from the page's metadata. The text's
// own date lines and datelines are read later (htmlBody, finish) when the
// metadata gives none.
func (d *draft) htmlDate(meta *pagemeta.Page) {
	var tried []string
	try := func(value, rule string) bool {
		if value == "" {
			return false
		}
		if t, ok := date.Parse(value, d.dateOrder(value)); ok {
			o := Origin{Rule: rule, Text: value}
			if len(tried) > 0 {
				o.Note = "not understood: " + strings.Join(tried, "; ")
			}
			d.setDate(t, o)
			return true
		}
		tried = append(tried, rule+" "+fmt.Sprintf("%q", value))
		return false
	}
	if v, rule := meta.LDField("datePublished"); v != nil && try(meta.LDText(v), rule) {
		return
	}
	for _, name := range dateMetas {
		if try(meta.Metas[name], "meta "+name) {
			return
		}
	}
	for _, t := range meta.Times {
		if try(t, "time element datetime") {
			return
		}
	}
	if v, rule := meta.LDField("dateCreated"); v != nil && try(meta.LDText(v), rule) {
		return
	}
	if len(tried) > 0 {
		d.set("date", Origin{Rule: "none", Note: "not understood: " + strings.Join(tried, "; ")})
	}
}

// htmlSource takes the publisher: JSON-LD, then the site name tags.
func (d *draft) htmlSource(meta *pagemeta.Page) {
	if s, rule := meta.LDString("publisher"); s != "" {
		d.Source = s
		d.set("source", Origin{Rule: rule, Text: s})
		return
	}
	if s, name := meta.Meta("og:site_name", "application-name"); s != "" {
		d.Source = s
		d.set("source", Origin{Rule: "meta " + name, Text: s})
		return
	}
	if s, rule := meta.WebsiteName(); s != "" {
		d.Source = s
		d.set("source", Origin{Rule: rule, Text: s})
		return
	}
	if v, rule := meta.LDField("author"); v != nil {
		if _, orgs := meta.LDAuthors(v); len(orgs) > 0 {
			d.Source = orgs[0]
			d.set("source", Origin{Rule: rule, Text: orgs[0], Note: "an organization as author"})
		}
	}
}

// htmlAuthor takes the byline: JSON-LD people, then meta tags, then
// go-readability's byline. An organization is a source, not an author.
func (d *draft) htmlAuthor(meta *pagemeta.Page, art readability.Article) {
	if v, rule := meta.LDField("author"); v != nil {
		if people, _ := meta.LDAuthors(v); len(people) > 0 {
			d.Author = strings.Join(people, ", ")
			d.set("author", Origin{Rule: rule, Text: d.Author})
			return
		}
	}
	for _, name := range []string{"author", "article:author", "dc.creator", "dcterms.creator", "byl", "sailthru.author", "parsely-author"} {
		v := strings.TrimSpace(strings.TrimPrefix(meta.Metas[name], "By "))
		if v != "" && !pagemeta.IsURL(v) && !strings.EqualFold(v, d.Source) {
			d.Author = v
			d.set("author", Origin{Rule: "meta " + name, Text: meta.Metas[name]})
			return
		}
	}
	b := textnorm.Line(art.Byline())
	if _, before, ok := date.Trailing(b, d.dateOrder(b)); ok {
		b = before // "By Jane Doe | July 01, 2001 09:19 AM UTC"
	}
	if b != "" && !pagemeta.IsURL(b) && !strings.EqualFold(b, d.Source) && len(strings.Fields(b)) <= 8 {
		if name, ok := furniture.Byline(b); ok {
			b = name
		}
		d.Author = b
		d.set("author", Origin{Rule: "readability byline", Text: art.Byline()})
	}
}

// htmlURL takes the article's address.
func (d *draft) htmlURL(meta *pagemeta.Page) {
	if u, name := meta.Meta("og:url"); u != "" {
		d.URL = u
		d.set("url", Origin{Rule: "meta " + name, Text: u})
		return
	}
	if meta.Canonical != "" {
		d.URL = meta.Canonical
		d.set("url", Origin{Rule: "link rel=canonical", Text: meta.Canonical})
		return
	}
	for _, prop := range []string{"url", "mainEntityOfPage"} {
		if v, rule := meta.LDField(prop); v != nil {
			u := meta.LDText(v)
			if o, ok := v.(map[string]any); ok && u == "" {
				u, _ = o["@id"].(string)
			}
			if strings.HasPrefix(u, "http") {
				d.URL = u
				d.set("url", Origin{Rule: rule, Text: u})
				return
			}
		}
	}
}

// htmlPlace takes the place a story was filed from, when JSON-LD states it.
func (d *draft) htmlPlace(meta *pagemeta.Page) {
	for _, prop := range []string{"locationCreated", "contentLocation"} {
		if p, rule := meta.LDString(prop); p != "" {
			d.Place = placeName(p)
			d.set("place", Origin{Rule: rule, Text: p})
			return
		}
	}
}

// htmlLanguage records the language the page declares, taken when the
// text does not tell its own.
func (d *draft) htmlLanguage(meta *pagemeta.Page) {
	candidates := []struct{ v, rule string }{{meta.Lang, "html lang"}}
	if v, rule := meta.LDField("inLanguage"); v != nil {
		candidates = append(candidates, struct{ v, rule string }{meta.LDText(v), rule})
	}
	v, name := meta.Meta("content-language", "og:locale", "language")
	candidates = append(candidates, struct{ v, rule string }{v, "meta " + name})
	for _, c := range candidates {
		if code := lang.Code(c.v); code != "" {
			d.langHint = code
			d.langHintOrigin = Origin{Rule: c.rule, Text: c.v}
			return
		}
	}
}

// maxHeaderParas is how many opening paragraphs of a page's main text may
// be header lines: the title again, a date line, a credit, a byline.
const maxHeaderParas = 4

// htmlBody keeps the main text's lines that are article text. The first
// few may repeat the title or hold the date, a credit or a byline, which
// fill those fields when the metadata did not; page furniture anywhere is
// dropped.
func (d *draft) htmlBody(lines []string) {
	for i, l := range lines {
		header := len(d.paras) == 0 && i < maxHeaderParas
		switch {
		case header && strings.EqualFold(l, d.Title):
			d.drop("title-repeated", 0, 0, l)
		case header && d.headerLine(l, 0, "a header line of the main text"):
		case furniture.UpdatedLine.MatchString(l) && len(l) <= furniture.MaxShortLine:
			d.drop("updated-line", 0, 0, l)
		default:
			if rule := furniture.Rule(l); rule != "" {
				d.drop(rule, 0, 0, l)
				continue
			}
			d.paras = append(d.paras, l)
		}
	}
}
