// Package pagemeta reads what a web page's markup says about its article,
// apart from the text: JSON-LD objects (schema.org NewsArticle and kin),
// meta tags (Open Graph, article:*, Dublin Core, ...), the <html lang>, the
// canonical link, <time> elements and the <title>. It knows nothing of
// articles' other fields or of files.
package pagemeta

import (
	"encoding/json"
	"regexp"
	"slices"
	"strings"

	"github.com/newsfind/newsfind/internal/article/textnorm"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Page is what a page's markup says about its article, apart from the
// text: JSON-LD objects (schema.org NewsArticle and kin), meta tags (Open
// Graph, article:*, Dublin Core, name="author", ...), the <html lang>, the
// canonical link and <time datetime> elements.
type Page struct {
	Lang      string            // the <html lang>
	Metas     map[string]string // by lower-case name, property or itemprop; first value wins
	Canonical string            // the canonical link's href
	Times     []string          // datetime of <time> elements outside navigation and lists
	TimeTexts []string          // text of such <time> elements without a datetime
	Title     string            // the <title>
	LDErrors  []string          // why a JSON-LD script could not be read

	articles []ldObject
	ids      map[string]map[string]any // JSON-LD objects by @id, to resolve references
	websites []ldObject                // WebSite and Organization objects, for a site name
}

// ldObject is one JSON-LD object with its schema.org type.
type ldObject struct {
	typ string
	obj map[string]any
}

// articleTypes ranks the schema.org types whose object describes the
// article itself: news types first.
var articleTypes = []string{
	"NewsArticle", "ReportageNewsArticle", "ReportageNews", "AnalysisNewsArticle", "OpinionNewsArticle",
	"BackgroundNewsArticle", "ReviewNewsArticle", "AskPublicNewsArticle",
	"Article", "BlogPosting", "LiveBlogPosting", "Report", "TechArticle", "ScholarlyArticle",
	"SocialMediaPosting", "WebPage",
}

// maxMetaNodes bounds how many elements Read visits: metadata is in the
// head and near the top, and a page larger than this is no article.
const maxMetaNodes = 200000

// Read collects a parsed page's metadata. It walks the tree without
// recursion, so a deeply nested page cannot exhaust the stack.
func Read(doc *html.Node) *Page {
	m := &Page{Metas: map[string]string{}, ids: map[string]map[string]any{}}
	type item struct {
		n    *html.Node
		skip bool // inside navigation, a list, an aside or a footer
	}
	stack := []item{{doc, false}}
	for visited := 0; len(stack) > 0 && visited < maxMetaNodes; visited++ {
		it := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		n := it.n
		skip := it.skip
		if n.Type == html.ElementNode {
			switch n.DataAtom {
			case atom.Html:
				m.Lang = attr(n, "lang")
			case atom.Meta:
				m.addMeta(n)
			case atom.Link:
				if strings.EqualFold(attr(n, "rel"), "canonical") && m.Canonical == "" {
					m.Canonical = attr(n, "href")
				}
			case atom.Script:
				if strings.Contains(strings.ToLower(attr(n, "type")), "ld+json") && n.FirstChild != nil {
					m.addJSONLD(n.FirstChild.Data)
				}
				continue
			case atom.Time:
				dt := attr(n, "datetime")
				switch {
				case skip && attr(n, "itemprop") != "datePublished", len(m.Times)+len(m.TimeTexts) >= 5:
				case dt != "":
					m.Times = append(m.Times, dt)
				default:
					m.TimeTexts = append(m.TimeTexts, textnorm.Line(textOf(n)))
				}
			case atom.Title:
				if m.Title == "" {
					m.Title = textnorm.Line(textOf(n))
				}
			case atom.Nav, atom.Aside, atom.Footer, atom.Li:
				skip = true
			case atom.Style, atom.Noscript, atom.Template:
				continue
			}
			if ip := attr(n, "itemprop"); ip != "" && n.DataAtom != atom.Meta {
				if v := attr(n, "content"); v != "" {
					m.setMeta(ip, v)
				} else if v := attr(n, "datetime"); v != "" {
					m.setMeta(ip, v)
				}
			}
		}
		// Push children last first, so they are visited in document order.
		for c := n.LastChild; c != nil; c = c.PrevSibling {
			stack = append(stack, item{c, skip})
		}
	}
	slices.SortStableFunc(m.articles, func(a, b ldObject) int {
		return slices.Index(articleTypes, a.typ) - slices.Index(articleTypes, b.typ)
	})
	return m
}

// textOf returns the text of n's child text nodes (a <title> or <time>
// holds no markup worth more).
func textOf(n *html.Node) string {
	var b strings.Builder
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.TextNode {
			b.WriteString(c.Data)
		}
	}
	return b.String()
}

// attr returns the value of n's attribute key, "" when it has none.
func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

// addMeta records a <meta> tag under each of its names.
func (m *Page) addMeta(n *html.Node) {
	content := attr(n, "content")
	if content == "" {
		return
	}
	for _, k := range []string{"property", "name", "itemprop", "http-equiv"} {
		if v := attr(n, k); v != "" {
			m.setMeta(v, content)
		}
	}
}

// setMeta records content under name, unless the name has a value.
func (m *Page) setMeta(name, content string) {
	name = strings.ToLower(strings.TrimSpace(name))
	if _, ok := m.Metas[name]; !ok {
		m.Metas[name] = textnorm.Line(content)
	}
}

// Meta returns the first of the named meta tags that has a value, and its
// name.
func (m *Page) Meta(names ...string) (value, name string) {
	for _, n := range names {
		if v := m.Metas[n]; v != "" {
			return v, n
		}
	}
	return "", ""
}

// ldWrappers are what pages put around JSON-LD that JSON does not allow.
var ldWrappers = regexp.MustCompile(`^\s*(?:<!--|//\s*<!\[CDATA\[|<!\[CDATA\[)|(?:-->|//\s*\]\]>|\]\]>)\s*$`)

// addJSONLD records the objects of one JSON-LD script.
func (m *Page) addJSONLD(src string) {
	src = ldWrappers.ReplaceAllString(src, "")
	var v any
	if err := json.Unmarshal([]byte(src), &v); err != nil {
		m.LDErrors = append(m.LDErrors, "invalid JSON-LD: "+err.Error())
		return
	}
	m.addLD(v, 0)
}

// addLD records a JSON-LD value: objects, arrays of them and @graph lists.
func (m *Page) addLD(v any, depth int) {
	if depth > 4 {
		return
	}
	switch v := v.(type) {
	case []any:
		for _, x := range v {
			m.addLD(x, depth+1)
		}
	case map[string]any:
		if id, ok := v["@id"].(string); ok && len(v) > 1 {
			if _, seen := m.ids[id]; !seen {
				m.ids[id] = v
			}
		}
		for _, t := range ldTypes(v) {
			switch {
			case slices.Contains(articleTypes, t) || strings.HasSuffix(t, "NewsArticle"):
				m.articles = append(m.articles, ldObject{t, v})
			case t == "WebSite" || strings.HasSuffix(t, "Organization"):
				m.websites = append(m.websites, ldObject{t, v})
			default:
				continue
			}
			break
		}
		if g, ok := v["@graph"]; ok {
			m.addLD(g, depth+1)
		}
	}
}

// ldTypes returns an object's @type, which may be one string or a list.
func ldTypes(o map[string]any) []string {
	switch t := o["@type"].(type) {
	case string:
		return []string{t}
	case []any:
		var out []string
		for _, x := range t {
			if s, ok := x.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

// resolve returns the object a reference {"@id": "..."} points to, or o.
func (m *Page) resolve(o map[string]any) map[string]any {
	if id, ok := o["@id"].(string); ok && len(o) == 1 {
		if full, ok := m.ids[id]; ok {
			return full
		}
	}
	return o
}

// LDText returns a property's text: a string, an object's name or @value,
// or the first of a list of these.
func (m *Page) LDText(v any) string {
	switch v := v.(type) {
	case string:
		return textnorm.Line(html.UnescapeString(v)) // sites write "&amp;" in JSON-LD too
	case map[string]any:
		v = m.resolve(v)
		for _, k := range []string{"name", "@value"} {
			if s, ok := v[k].(string); ok {
				return textnorm.Line(html.UnescapeString(s))
			}
		}
	case []any:
		for _, x := range v {
			if s := m.LDText(x); s != "" {
				return s
			}
		}
	}
	return ""
}

// LDAuthors returns the names of an article's authors, split into people
// and organizations.
func (m *Page) LDAuthors(v any) (people, orgs []string) {
	var add func(v any, depth int)
	add = func(v any, depth int) {
		if depth > 3 {
			return
		}
		switch v := v.(type) {
		case string:
			if s := textnorm.Line(v); s != "" && !IsURL(s) {
				people = append(people, s)
			}
		case map[string]any:
			v = m.resolve(v)
			name, _ := v["name"].(string)
			if name = textnorm.Line(name); name == "" || IsURL(name) {
				return
			}
			if types := ldTypes(v); len(types) > 0 && strings.HasSuffix(types[0], "Organization") {
				orgs = append(orgs, name)
			} else {
				people = append(people, name)
			}
		case []any:
			for _, x := range v {
				add(x, depth+1)
			}
		}
	}
	add(v, 0)
	return people, orgs
}

// IsURL reports whether s is an address rather than a name: article:author
// often holds a profile's URL.
func IsURL(s string) bool {
	return strings.HasPrefix(s, "http://") || strings.HasPrefix(s, "https://") || strings.HasPrefix(s, "/") || strings.HasPrefix(s, "@")
}

// LDField returns the first article object's value of a JSON-LD property,
// and the rule naming where it came from.
func (m *Page) LDField(prop string) (any, string) {
	for _, a := range m.articles {
		if v, ok := a.obj[prop]; ok && v != nil {
			return v, "json-ld " + a.typ + "." + prop
		}
	}
	return nil, ""
}

// LDString returns the text of a JSON-LD property of the first article
// object that has one (a string, or an object's name), and the rule naming
// where it came from.
func (m *Page) LDString(prop string) (string, string) {
	if v, rule := m.LDField(prop); v != nil {
		if s := m.LDText(v); s != "" {
			return s, rule
		}
	}
	return "", ""
}

// SiteName returns the site's name as the page's metadata states it.
func (m *Page) SiteName() string {
	if s, _ := m.LDString("publisher"); s != "" {
		return s
	}
	if s, _ := m.Meta("og:site_name"); s != "" {
		return s
	}
	s, _ := m.WebsiteName()
	return s
}

// WebsiteName returns the name of the first JSON-LD WebSite or
// Organization object that has one, and the rule naming where it came
// from.
func (m *Page) WebsiteName() (name, rule string) {
	for _, w := range m.websites {
		if s := m.LDText(w.obj["name"]); s != "" {
			return s, "json-ld " + w.typ + ".name"
		}
	}
	return "", ""
}
