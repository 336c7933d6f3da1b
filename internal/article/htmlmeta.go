package article

import (
	"encoding/json"
	"regexp"
	"slices"
	"strings"

	"github.com/newsfind/newsfind/internal/article/decode"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// pageMeta is what a page's markup says about its article, apart from the
// text: JSON-LD objects (schema.org NewsArticle and kin), meta tags (Open
// Graph, article:*, Dublin Core, name="author", ...), the <html lang>, the
// canonical link and <time datetime> elements.
type pageMeta struct {
	lang      string
	metas     map[string]string // by lower-case name, property or itemprop; first value wins
	canonical string
	times     []string // datetime of <time> elements outside navigation and lists
	timeTexts []string // text of such <time> elements without a datetime
	title     string   // the <title>
	articles  []ldObject
	ids       map[string]map[string]any // JSON-LD objects by @id, to resolve references
	websites  []ldObject                // WebSite and Organization objects, for a site name
	ldErrors  []string
}

// ldObject is one JSON-LD object with its schema.org type.
type ldObject struct {
	typ string
	obj map[string]any
}

// articleTypes ranks the schema.org types whose object describes the
// article itself: news types first.
var articleTypes = []string{
	"NewsArticle", "ReportageNews", "AnalysisNewsArticle", "OpinionNewsArticle",
	"BackgroundNewsArticle", "ReviewNewsArticle", "AskPublicNewsArticle",
	"Article", "BlogPosting", "LiveBlogPosting", "Report", "TechArticle", "ScholarlyArticle",
	"SocialMediaPosting", "WebPage",
}

// maxMetaNodes bounds how many elements readMeta visits: metadata is in the
// head and near the top, and a page larger than this is no article.
const maxMetaNodes = 200000

// readMeta collects a parsed page's metadata. It walks the tree without
// recursion, so a deeply nested page cannot exhaust the stack.
func readMeta(doc *html.Node) *pageMeta {
	m := &pageMeta{metas: map[string]string{}, ids: map[string]map[string]any{}}
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
				m.lang = attr(n, "lang")
			case atom.Meta:
				m.addMeta(n)
			case atom.Link:
				if strings.EqualFold(attr(n, "rel"), "canonical") && m.canonical == "" {
					m.canonical = attr(n, "href")
				}
			case atom.Script:
				if strings.Contains(strings.ToLower(attr(n, "type")), "ld+json") && n.FirstChild != nil {
					m.addJSONLD(n.FirstChild.Data)
				}
				continue
			case atom.Time:
				dt := attr(n, "datetime")
				switch {
				case skip && attr(n, "itemprop") != "datePublished", len(m.times)+len(m.timeTexts) >= 5:
				case dt != "":
					m.times = append(m.times, dt)
				default:
					m.timeTexts = append(m.timeTexts, cleanLine(textOf(n)))
				}
			case atom.Title:
				if m.title == "" {
					m.title = cleanLine(textOf(n))
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
func (m *pageMeta) addMeta(n *html.Node) {
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

func (m *pageMeta) setMeta(name, content string) {
	name = strings.ToLower(strings.TrimSpace(name))
	if _, ok := m.metas[name]; !ok {
		m.metas[name] = cleanLine(content)
	}
}

// meta returns the first of the named meta tags that has a value, and its
// name.
func (m *pageMeta) meta(names ...string) (value, name string) {
	for _, n := range names {
		if v := m.metas[n]; v != "" {
			return v, n
		}
	}
	return "", ""
}

// ldWrappers are what pages put around JSON-LD that JSON does not allow.
var ldWrappers = regexp.MustCompile(`^\s*(?:<!--|//\s*<!\[CDATA\[|<!\[CDATA\[)|(?:-->|//\s*\]\]>|\]\]>)\s*$`)

// addJSONLD records the objects of one JSON-LD script.
func (m *pageMeta) addJSONLD(src string) {
	src = ldWrappers.ReplaceAllString(src, "")
	var v any
	if err := json.Unmarshal([]byte(src), &v); err != nil {
		m.ldErrors = append(m.ldErrors, "invalid JSON-LD: "+err.Error())
		return
	}
	m.addLD(v, 0)
}

// addLD records a JSON-LD value: objects, arrays of them and @graph lists.
func (m *pageMeta) addLD(v any, depth int) {
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
			case slices.Contains(articleTypes, t):
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
func (m *pageMeta) resolve(o map[string]any) map[string]any {
	if id, ok := o["@id"].(string); ok && len(o) == 1 {
		if full, ok := m.ids[id]; ok {
			return full
		}
	}
	return o
}

// ldText returns a property's text: a string, an object's name or @value,
// or the first of a list of these.
func (m *pageMeta) ldText(v any) string {
	switch v := v.(type) {
	case string:
		return cleanLine(html.UnescapeString(v)) // sites write "&amp;" in JSON-LD too
	case map[string]any:
		v = m.resolve(v)
		for _, k := range []string{"name", "@value"} {
			if s, ok := v[k].(string); ok {
				return cleanLine(html.UnescapeString(s))
			}
		}
	case []any:
		for _, x := range v {
			if s := m.ldText(x); s != "" {
				return s
			}
		}
	}
	return ""
}

// ldAuthors returns the names of an article's authors, split into people
// and organizations.
func (m *pageMeta) ldAuthors(v any) (people, orgs []string) {
	var add func(v any, depth int)
	add = func(v any, depth int) {
		if depth > 3 {
			return
		}
		switch v := v.(type) {
		case string:
			if s := cleanLine(v); s != "" && !isURL(s) {
				people = append(people, s)
			}
		case map[string]any:
			v = m.resolve(v)
			name, _ := v["name"].(string)
			if name = cleanLine(name); name == "" || isURL(name) {
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

// isURL reports whether s is an address rather than a name: article:author
// often holds a profile's URL.
func isURL(s string) bool {
	return strings.HasPrefix(s, "http://") || strings.HasPrefix(s, "https://") || strings.HasPrefix(s, "/") || strings.HasPrefix(s, "@")
}

// cleanLine makes s one normalized line: control characters and runs of
// spaces become one space.
func cleanLine(s string) string {
	if strings.IndexFunc(s, isControl) >= 0 {
		s = strings.Map(func(r rune) rune {
			if isControl(r) {
				return ' '
			}
			return r
		}, s)
	}
	return decode.NormalizeSpace(s)
}

func isControl(r rune) bool { return r < 0x20 || r == 0x7f || r >= 0x80 && r < 0xa0 }
