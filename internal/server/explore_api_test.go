package server

import (
	"bufio"
	"encoding/json"
	"net/url"
	"slices"
	"testing"

	"github.com/newsfind/newsfind/internal/search"
	"github.com/pb33f/libopenapi-validator/config"
	"github.com/pb33f/libopenapi-validator/content"
)

// jsonLines decodes a JSON Lines body as the array of its lines, which is
// how the document describes one.
var jsonLines = content.DecoderFunc(func(in *content.DecodeInput) (any, error) {
	lines := []any{}
	sc := bufio.NewScanner(in.Body)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var v any
		if err := json.Unmarshal(sc.Bytes(), &v); err != nil {
			return nil, err
		}
		lines = append(lines, v)
	}
	return lines, sc.Err()
})

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
	v := newValidator(t, config.WithStrictMode(),
		config.WithStrictIgnoredHeadersExtra("Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy"),
		config.WithBodyDecoder("application/x-ndjson", jsonLines))
	f := newAdminFixture(t, Config{AdminToken: testToken})
	for _, x := range []exchange{
		{method: "POST", path: "/api/articles?filename=sport/okapi.txt", token: testToken, contentType: "text/plain",
			body: "Okapi calf born\n\nAn okapi calf was born at the zoo.\n", status: 201, docRejects: accepts},
		{method: "GET", path: "/api/search?q=okapi&section=sport&section=world", status: 200, docRejects: accepts, want: `"section":"sport"`},
		{method: "GET", path: "/api/search?q=", status: 200, docRejects: accepts, want: `"section":[{"value":"sport","count":1}]`},
		{method: "GET", path: "/api/search?q=", status: 200, docRejects: accepts, want: `"timeline":{"interval":"year","buckets":[{"start":"2018-01-01","count":1}`},
		{method: "GET", path: "/api/search?q=Norov", status: 200, docRejects: accepts, want: `"interval":"month"`},
		{method: "GET", path: "/api/search.atom?q=Norov&section=sport", status: 200, docRejects: accepts, want: `<feed xmlns="http://www.w3.org/2005/Atom">`},
		{method: "GET", path: "/api/search.atom?q=okapi", status: 200, docRejects: accepts, want: `<category term="sport"></category>`},
		{method: "GET", path: "/api/search.atom?q=SCO&size=500", status: 400, docRejects: rejects},
		{method: "GET", path: "/api/search.csv?q=cooperation&sort=-date", status: 200, docRejects: accepts, want: "id,title,date,source,section,url,people,places,organizations\n"},
		{method: "GET", path: "/api/search.csv?q=SCO&sort=best", status: 400, docRejects: rejects},
		{method: "GET", path: "/api/search.jsonl?q=okapi", status: 200, docRejects: accepts, want: `"section":"sport"`},
		{method: "GET", path: "/api/search.jsonl?q=cooperation", status: 200, docRejects: accepts, want: `"Shanghai Cooperation Organization"`},
		{method: "GET", path: "/api/search.jsonl?q=SCO&page=0", status: 400, docRejects: rejects},
	} {
		x.run(t, v, f.ts)
	}
}
