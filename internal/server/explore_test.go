package server

import (
	"net/url"
	"slices"
	"testing"

	"github.com/newsfind/newsfind/internal/search"
)

// section filters by the first folder of an article's path, and hits and
// the section facet carry it.
func TestSectionParameter(t *testing.T) {
	ts := newTestServer(t)
	all := search_(t, ts, url.Values{"q": {""}})
	if want := []search.Facet{{Value: "probe", Count: 1}}; !slices.Equal(all.Facets["section"], want) {
		t.Errorf("section facet %v, want %v", all.Facets["section"], want)
	}
	res := search_(t, ts, url.Values{"q": {""}, "section": {"probe"}})
	if res.Total != 1 || len(res.Hits) != 1 || res.Hits[0].ID != "probe/xss.txt" || res.Hits[0].Section != "probe" {
		t.Errorf("section=probe: %d matches %+v, want probe/xss.txt with its section", res.Total, res.Hits)
	}
}

// The answers of the exploring features — sections, the timeline, the
// feed and the exports — match the OpenAPI document.
func TestOpenAPIMatchesExploreResponses(t *testing.T) {
	v := newAPIValidator(t)
	f := newAdminFixture(t, Config{AdminToken: testToken})
	for _, x := range []exchange{
		{method: "POST", path: "/api/articles?filename=sport/okapi.txt", token: testToken, contentType: "text/plain",
			body: "Okapi calf born\n\nAn okapi calf was born at the zoo.\n", status: 201, docRejects: accepts},
		{method: "GET", path: "/api/search?q=okapi&section=sport&section=world", status: 200, docRejects: accepts, want: `"section":"sport"`},
		{method: "GET", path: "/api/search?q=", status: 200, docRejects: accepts, want: `"section":[{"value":"sport","count":1}]`},
		{method: "GET", path: "/api/search?q=", status: 200, docRejects: accepts, want: `"timeline":{"interval":"year","buckets":[{"start":"2018-01-01","count":1}`},
		{method: "GET", path: "/api/search?q=Norov", status: 200, docRejects: accepts, want: `"interval":"month"`},
	} {
		x.run(t, v, f.ts)
	}
}
