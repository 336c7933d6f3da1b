package server

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/newsfind/newsfind/internal/search"
	"github.com/newsfind/newsfind/internal/search/searchtest"
	"github.com/newsfind/newsfind/web"
	"github.com/pb33f/libopenapi"
	validator "github.com/pb33f/libopenapi-validator"
	"github.com/pb33f/libopenapi-validator/config"
	verrors "github.com/pb33f/libopenapi-validator/errors"
)

// newAPIValidator reads the served OpenAPI document into a validator of
// requests and responses. Strict mode reports properties, parameters and
// headers the document does not declare, so a field added to a response
// without documenting it fails the tests below.
func newAPIValidator(t *testing.T) validator.Validator {
	t.Helper()
	return newValidator(t, config.WithStrictMode(),
		// The page's security headers come with every answer; they are no
		// part of the API.
		config.WithStrictIgnoredHeadersExtra("Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy"))
}

// newValidator reads the served OpenAPI document into a validator with
// format assertions (dates) and opts.
func newValidator(t *testing.T, opts ...config.Option) validator.Validator {
	t.Helper()
	doc, err := libopenapi.NewDocument(OpenAPI)
	if err != nil {
		t.Fatalf("read the OpenAPI document: %v", err)
	}
	v, errs := validator.NewValidator(doc, append([]config.Option{config.WithFormatAssertions()}, opts...)...)
	if len(errs) > 0 {
		t.Fatalf("build the validator: %v", errs)
	}
	return v
}

// The document is valid OpenAPI 3.1, and every operation answers errors
// with the shared Error shape, by default too, so statuses the document does
// not list (a new 429 or 413) still validate as errors.
func TestOpenAPIDocumentIsValid(t *testing.T) {
	v := newAPIValidator(t)
	if ok, errs := v.ValidateDocument(); !ok {
		t.Fatalf("the OpenAPI document is not valid: %s", describe(errs))
	}
	var doc struct {
		OpenAPI string                                `json:"openapi"`
		Paths   map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(OpenAPI, &doc); err != nil {
		t.Fatal(err)
	}
	if doc.OpenAPI != "3.1.0" {
		t.Errorf("openapi = %q, want 3.1.0", doc.OpenAPI)
	}
	for p, item := range doc.Paths {
		for method, raw := range item {
			if method == "parameters" || p == "/metrics" {
				continue
			}
			var op struct {
				Responses map[string]json.RawMessage `json:"responses"`
			}
			if err := json.Unmarshal(raw, &op); err != nil {
				t.Fatal(err)
			}
			if def := string(op.Responses["default"]); !strings.Contains(def, "#/components/responses/Error") {
				t.Errorf("%s %s: no default response of the Error shape: %s", method, p, def)
			}
		}
	}
}

// describe lists validation errors for a test failure.
func describe(errs []*verrors.ValidationError) string {
	var b strings.Builder
	for _, e := range errs {
		b.WriteString("\n\t" + e.Message + ": " + e.Reason)
		for _, s := range e.SchemaValidationErrors {
			b.WriteString("\n\t\t" + s.FieldPath + ": " + s.Reason)
		}
	}
	return b.String()
}

// exchange is one request to a real server, checked against the document.
type exchange struct {
	method, path, token, contentType, body string
	status                                 int
	// docRejects: the document itself refuses the request (a bound or
	// format it states); unchecked (0) when the document cannot tell, as
	// for date_to before date_from.
	docRejects check
	// want, when set, must appear in the response body: it shows the case
	// exercises the part of the document it is about.
	want string
}

type check int

const (
	dontCheck check = iota
	accepts
	rejects
)

// run sends x to ts and validates the response against the document, and
// the request too, as docRejects says.
func (x exchange) run(t *testing.T, v validator.Validator, ts *httptest.Server) []byte {
	t.Helper()
	name := x.method + " " + x.path
	newReq := func(base string) *http.Request {
		req, err := http.NewRequest(x.method, base+x.path, strings.NewReader(x.body))
		if err != nil {
			t.Fatal(err)
		}
		if x.token != "" {
			req.Header.Set("Authorization", "Bearer "+x.token)
		}
		if x.contentType != "" {
			req.Header.Set("Content-Type", x.contentType)
		}
		return req
	}
	resp, err := ts.Client().Do(newReq(ts.URL))
	if err != nil {
		t.Fatal(err)
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != x.status {
		t.Errorf("%s = %d %s, want %d", name, resp.StatusCode, firstBytes(body), x.status)
	}
	if x.want != "" && !bytes.Contains(body, []byte(x.want)) {
		t.Errorf("%s: %s does not hold %s: the case does not check what it is for", name, firstBytes(body), x.want)
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	if ok, errs := v.ValidateHttpResponse(newReq(""), resp); !ok {
		t.Errorf("%s: the %d response does not match the document: %s\n\tbody: %s", name, resp.StatusCode, describe(errs), firstBytes(body))
	}
	switch ok, errs := v.ValidateHttpRequestSync(newReq("")); {
	case x.docRejects == accepts && !ok:
		t.Errorf("%s: the document refuses a request searchd accepts: %s", name, describe(errs))
	case x.docRejects == rejects && ok:
		t.Errorf("%s: the document accepts a request searchd refuses with %d", name, resp.StatusCode)
	}
	return body
}

func firstBytes(b []byte) string {
	if len(b) > 300 {
		return string(b[:300]) + "…"
	}
	return string(b)
}

// Every endpoint's real answers, successes and errors, from a real searchd
// over a real index of the seeds with the write API on, match the OpenAPI
// document; requests searchd refuses for a bound the document states are
// refused by the document too.
func TestOpenAPIMatchesRealResponses(t *testing.T) {
	v := newAPIValidator(t)
	f := newAdminFixture(t, Config{AdminToken: testToken})
	const seed = "004_f693d5a72e5eb8f0.txt"
	big := strings.Repeat("word ", DefaultMaxIngestBytes/5+10)
	seedText, err := os.ReadFile(filepath.Join(f.articles, seed))
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range []exchange{
		{method: "GET", path: "/api/search?q=Norov", status: 200, docRejects: accepts, want: `"fragments"`},
		{method: "GET", path: "/api/search?q=Norov", status: 200, docRejects: accepts, want: `"cached":true`},
		{method: "GET", path: "/api/search?q=Shanghia+cooperation", status: 200, docRejects: accepts, want: `"did_you_mean"`},
		{method: "GET", path: "/api/search?q=Shanghia", status: 200, docRejects: accepts, want: `"corrected":true`},
		{method: "GET", path: "/api/search?q=%22Shanghai+Norov+Spirit%22", status: 200, docRejects: accepts, want: `"relaxed":true`},
		{method: "GET", path: "/api/search?q=SCO&source=Xinhua&source=BBC&year=2021&year=2023&month=2023-04&person=Qin+Gang&place=Beijing&org=SCO" +
			"&date_from=2019-01-01&date_to=2023-12-31&sort=-date&recency=30&page=1&size=5&cache=false&prefix=false&typo=0", status: 200, docRejects: accepts},
		{method: "GET", path: "/api/search?q=SCO&facets=false&sort=date", status: 200, docRejects: accepts, want: `"facets":{}`},
		{method: "GET", path: "/api/search?q=SCO&exact=true", status: 200, docRejects: accepts, want: `"total_exact":true`},
		{method: "GET", path: "/api/search?q=SCO&exact=maybe", status: 400, docRejects: rejects},
		{method: "GET", path: "/api/search?q=" + strings.Repeat("a", 5000), status: 400, docRejects: rejects, want: `4096`},
		{method: "GET", path: "/api/search?q=SCO&date_from=9999-12-31", status: 400, docRejects: accepts, want: `2261`},
		{method: "GET", path: "/api/search?q=", status: 200, docRejects: accepts, want: `"person":[`},
		{method: "GET", path: "/api/search?q=SCO&size=100&page=1000&recency=36500", status: 200, docRejects: accepts},
		{method: "GET", path: "/api/search?q=SCO&size=500", status: 400, docRejects: rejects},
		{method: "GET", path: "/api/search?q=SCO&page=0", status: 400, docRejects: rejects},
		{method: "GET", path: "/api/search?q=SCO&page=1001", status: 400, docRejects: rejects},
		{method: "GET", path: "/api/search?q=SCO&sort=best", status: 400, docRejects: rejects},
		// The validator checks the type and enum of a repeated parameter's
		// values, not their pattern or bounds: the document states them.
		{method: "GET", path: "/api/search?q=SCO&month=2021-13", status: 400},
		{method: "GET", path: "/api/search?q=SCO&year=twenty", status: 400, docRejects: rejects},
		{method: "GET", path: "/api/search?q=SCO&date_from=2021-02-30", status: 400, docRejects: rejects},
		{method: "GET", path: "/api/search?q=SCO&facets=maybe", status: 400, docRejects: rejects},
		{method: "GET", path: "/api/search?q=SCO&recency=0", status: 400, docRejects: rejects},
		{method: "GET", path: "/api/search?q=SCO&date_from=2022-01-01&date_to=2021-01-01", status: 400},
		{method: "GET", path: "/api/suggest?q=wang&size=5", status: 200, docRejects: accepts, want: `"kind":"person"`},
		{method: "GET", path: "/api/suggest?q=", status: 200, docRejects: accepts, want: `"suggestions":[]`},
		{method: "GET", path: "/api/suggest?q=a&size=50", status: 400, docRejects: rejects},
		{method: "GET", path: "/api/suggest?q=" + strings.Repeat("a", 201), status: 400, docRejects: rejects},
		{method: "GET", path: "/api/articles/" + seed, status: 200, docRejects: accepts, want: `"word_count"`},
		{method: "GET", path: "/api/articles/nope.txt", status: 404, docRejects: accepts},
		{method: "GET", path: "/api/articles/" + seed + "?q=cooperate", status: 200, docRejects: accepts, want: `"marked":{"title":`},
		{method: "GET", path: "/api/articles/" + seed + "?q=" + strings.Repeat("a", 5000), status: 400, docRejects: rejects, want: `4096`},
		{method: "GET", path: "/api/articles/" + seed + "/similar", status: 200, docRejects: accepts, want: `"fragments"`},
		{method: "GET", path: "/api/articles/" + seed + "/similar?size=20", status: 200, docRejects: accepts, want: `"hits":[`},
		{method: "GET", path: "/api/articles/" + seed + "/similar?size=21", status: 400, docRejects: rejects, want: `size`},
		{method: "GET", path: "/api/articles/" + seed + "/similar?size=0", status: 400, docRejects: rejects, want: `size`},
		{method: "GET", path: "/api/articles/nope.txt/similar", status: 404, docRejects: accepts},
		{method: "GET", path: "/healthz", status: 200, docRejects: accepts, want: `"articles":5`},
		{method: "GET", path: "/metrics", status: 200, docRejects: accepts, want: "newsfind_http_requests_total"},
		{method: "POST", path: "/api/articles?filename=openapi-story.txt", token: testToken, contentType: "text/plain",
			body: "Okapi calf born\n\nAn okapi calf was born at the zoo.\n", status: 201, docRejects: accepts, want: `"searchable":true`},
		{method: "POST", path: "/api/articles?filename=openapi-story.txt", token: testToken, contentType: "text/plain",
			body: "Something else\n\nAnother story.\n", status: 409, docRejects: accepts},
		{method: "POST", path: "/api/articles", token: testToken, contentType: "application/json",
			body:   `{"title":"Narwhal tusks studied","date":"2024-03-05","source":"Polar Times","body":"Scientists studied narwhal tusks."}`,
			status: 201, docRejects: accepts, want: `"ingest/2024/03/05/`},
		// A second version of a seed's story: search shows one hit with
		// its duplicates, or both with collapse=false.
		{method: "POST", path: "/api/articles?filename=openapi-copy.txt", token: testToken, contentType: "text/plain",
			body: "Another headline\n\n" + string(seedText), status: 201, docRejects: accepts, want: `"searchable":true`},
		{method: "GET", path: "/api/search?q=Qin+Gang+Zhang+Ming", status: 200, docRejects: accepts, want: `"duplicates":["`},
		{method: "GET", path: "/api/search?q=Qin+Gang+Zhang+Ming&collapse=false", status: 200, docRejects: accepts, want: `"openapi-copy.txt"`},
		{method: "GET", path: "/api/search?q=SCO&collapse=maybe", status: 400, docRejects: rejects, want: `collapse`},
		{method: "POST", path: "/api/articles?filename=empty.txt", token: testToken, contentType: "text/plain", status: 400},
		{method: "POST", path: "/api/articles?filename=../outside.txt", token: testToken, contentType: "text/plain", body: "T\n\nB\n", status: 400},
		{method: "POST", path: "/api/articles?filename=big.txt", token: testToken, contentType: "text/plain", body: big, status: 413},
		{method: "POST", path: "/api/articles?filename=a.txt", contentType: "text/plain", body: "T\n\nB\n", status: 401, docRejects: rejects},
		{method: "POST", path: "/api/articles?filename=a.txt", token: "wrong", contentType: "text/plain", body: "T\n\nB\n", status: 401},
		{method: "DELETE", path: "/api/articles/openapi-story.txt", token: testToken, status: 200, docRejects: accepts, want: `"deleted"`},
		{method: "DELETE", path: "/api/articles/openapi-story.txt", token: testToken, status: 404, docRejects: accepts},
		{method: "GET", path: "/api/admin/status", token: testToken, status: 200, docRejects: accepts, want: `"result_cache"`},
		{method: "POST", path: "/api/admin/reindex", token: testToken, status: 202, docRejects: accepts, want: `"rebuilding":true`},
	} {
		x.run(t, v, f.ts)
	}
	// The document, served, is checked as a document, not property by
	// property.
	served := exchange{method: "GET", path: "/api/openapi.json", status: 200, docRejects: accepts}.run(t, newValidator(t), f.ts)
	if !bytes.Equal(served, OpenAPI) {
		t.Error("/api/openapi.json does not serve the document")
	}
	// The rebuild ends before the fixture's folders are removed.
	deadline := time.Now().Add(30 * time.Second)
	for {
		body := exchange{method: "GET", path: "/api/admin/status", token: testToken, status: 200, docRejects: accepts}.run(t, v, f.ts)
		if !bytes.Contains(body, []byte(`"rebuild":`)) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the rebuild did not finish in 30s")
		}
		time.Sleep(10 * time.Millisecond) // polling for the rebuild's end, with a deadline
	}
}

// The answers of a server whose admin API is off, of one whose index is
// busy or unavailable, match the document too.
func TestOpenAPIMatchesFailures(t *testing.T) {
	v := newAPIValidator(t)
	disabled, _ := newAdminServer(t, "")
	for _, x := range []exchange{
		{method: "GET", path: "/api/admin/status", token: testToken, status: 403, docRejects: accepts},
		{method: "POST", path: "/api/admin/reindex", token: testToken, status: 403, docRejects: accepts},
	} {
		x.run(t, v, disabled)
	}

	busy := newAdminFixture(t, Config{AdminToken: testToken, RequestTimeout: 100 * time.Millisecond})
	holdIndexLock(t, busy.index)
	for _, x := range []exchange{
		{method: "POST", path: "/api/articles?filename=busy.txt", token: testToken, contentType: "text/plain",
			body: "Okapi calf born\n\nAn okapi calf was born at the zoo.\n", status: 202, docRejects: accepts, want: `"message"`},
		{method: "DELETE", path: "/api/articles/004_f693d5a72e5eb8f0.txt", token: testToken, status: 503, docRejects: accepts},
	} {
		x.run(t, v, busy.ts)
	}

	down := &uncountable{searchtest.Searcher{
		SearchFn: func(context.Context, search.Request) (search.Result, error) {
			return search.Result{}, search.ErrUnavailable
		},
	}}
	ts := httptest.NewServer(New(Config{Searcher: down, Assets: web.Assets}))
	t.Cleanup(ts.Close)
	for _, x := range []exchange{
		{method: "GET", path: "/api/search?q=SCO", status: 503, docRejects: accepts},
		{method: "GET", path: "/api/suggest?q=wa", status: 404, docRejects: accepts},
		{method: "GET", path: "/api/articles/x.txt/similar", status: 404, docRejects: accepts, want: "no similar"},
		{method: "GET", path: "/healthz", status: 503, docRejects: accepts},
	} {
		x.run(t, v, ts)
	}
}

// uncountable is a searcher whose index cannot be counted, as one closed.
type uncountable struct{ searchtest.Searcher }

func (*uncountable) Count() (uint64, error) { return 0, search.ErrUnavailable }

// A status no operation lists, such as the 429 with Retry-After of a rate
// limit, validates against the default Error response; a body of another
// shape does not.
func TestOpenAPIDefaultErrorResponse(t *testing.T) {
	v := newAPIValidator(t)
	req := httptest.NewRequest("GET", "/api/search?q=SCO", nil)
	respond := func(status int, body string) *http.Response {
		return &http.Response{StatusCode: status, Request: req, Body: io.NopCloser(strings.NewReader(body)),
			Header: http.Header{"Content-Type": {"application/json; charset=utf-8"}, "Retry-After": {"2"}}}
	}
	for _, status := range []int{413, 429, 503} {
		if ok, errs := v.ValidateHttpResponse(req, respond(status, `{"error":"slow down"}`)); !ok {
			t.Errorf("%d with the Error shape: %s", status, describe(errs))
		}
	}
	if ok, _ := v.ValidateHttpResponse(req, respond(429, `{"message":"slow down"}`)); ok {
		t.Error("a 429 without the Error shape validates: the default response checks nothing")
	}
}
