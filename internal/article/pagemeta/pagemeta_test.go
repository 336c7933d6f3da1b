package pagemeta

import (
	"strings"
	"testing"

	"golang.org/x/net/html"
)

func TestRead(t *testing.T) {
	const page = `<html lang="en-GB"><head><title>Talks end | Daily Wire</title>
<link rel="canonical" href="https://example.com/a">
<meta property="og:site_name" content="Daily&nbsp;Wire">
<script type="application/ld+json">{"@graph": [
 {"@type": "WebSite", "@id": "#site", "name": "Example News"},
 {"@type": "NewsArticle", "headline": "Talks &amp; more", "publisher": {"@id": "#site"},
  "author": [{"@type": "Person", "name": "Jane Doe"}, {"@type": "NewsMediaOrganization", "name": "Wire Desk"}, "https://x.example/jd"]}
]}</script><script type="application/ld+json">{broken</script></head>
<body><nav><time datetime="2001-01-01">old</time></nav><time datetime="2023-04-20T10:00">x</time></body></html>`
	doc, err := html.Parse(strings.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	m := Read(doc)
	if m.Lang != "en-GB" || m.Canonical != "https://example.com/a" || m.Title != "Talks end | Daily Wire" {
		t.Errorf("Lang, Canonical, Title = %q, %q, %q", m.Lang, m.Canonical, m.Title)
	}
	if v, name := m.Meta("twitter:title", "og:site_name"); v != "Daily Wire" || name != "og:site_name" {
		t.Errorf("Meta = %q, %q; want the og:site_name, its space normalized", v, name)
	}
	if s, rule := m.LDString("headline"); s != "Talks & more" || rule != "json-ld NewsArticle.headline" {
		t.Errorf("LDString(headline) = %q, %q", s, rule)
	}
	if s := m.SiteName(); s != "Example News" {
		t.Errorf("SiteName = %q, want the publisher resolved through its @id", s)
	}
	if s, rule := m.WebsiteName(); s != "Example News" || rule != "json-ld WebSite.name" {
		t.Errorf("WebsiteName = %q, %q", s, rule)
	}
	v, _ := m.LDField("author")
	if people, orgs := m.LDAuthors(v); strings.Join(people, ",") != "Jane Doe" || strings.Join(orgs, ",") != "Wire Desk" {
		t.Errorf("LDAuthors = %q, %q; want the person, the organization, no URL", people, orgs)
	}
	if strings.Join(m.Times, ",") != "2023-04-20T10:00" {
		t.Errorf("Times = %q; want the one outside navigation", m.Times)
	}
	if len(m.LDErrors) != 1 {
		t.Errorf("LDErrors = %q; want the broken script", m.LDErrors)
	}
}
