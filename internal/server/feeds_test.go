package server

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"encoding/xml"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/newsfind/newsfind/internal/index/indextest"
	"github.com/newsfind/newsfind/internal/search"
	"github.com/newsfind/newsfind/internal/search/searchtest"
	"github.com/newsfind/newsfind/web"
)

// parsedFeed is an Atom feed as a reader sees it, every element kept.
type parsedFeed struct {
	XMLName xml.Name
	ID      []string     `xml:"id"`
	Title   []string     `xml:"title"`
	Updated []string     `xml:"updated"`
	Authors []atomPerson `xml:"author"`
	Links   []atomLink   `xml:"link"`
	Entries []struct {
		ID      []string     `xml:"id"`
		Title   []string     `xml:"title"`
		Updated []string     `xml:"updated"`
		Authors []atomPerson `xml:"author"`
		Links   []atomLink   `xml:"link"`
		Summary []atomText   `xml:"summary"`
	} `xml:"entry"`
}

// checkAtom reads body as an Atom 1.0 feed and checks it against the
// rules of RFC 4287: the Atom namespace; exactly one id (an absolute IRI),
// title and updated (an RFC 3339 date-time) in the feed and in each entry;
// an author in the feed or in every entry; an alternate link for each
// entry without content; at most one summary, of a text type; entry ids
// unique.
func checkAtom(t *testing.T, body []byte) parsedFeed {
	t.Helper()
	var f parsedFeed
	if err := xml.Unmarshal(body, &f); err != nil {
		t.Fatalf("the feed is not XML: %v\n%s", err, body)
	}
	if f.XMLName != (xml.Name{Space: "http://www.w3.org/2005/Atom", Local: "feed"}) {
		t.Fatalf("root element %v, want Atom's feed", f.XMLName)
	}
	one := func(where, name string, vs []string) string {
		t.Helper()
		if len(vs) != 1 || strings.TrimSpace(vs[0]) == "" {
			t.Errorf("%s: %d %s elements %q, want exactly one, not empty", where, len(vs), name, vs)
			return ""
		}
		return vs[0]
	}
	iri := func(where, s string) {
		t.Helper()
		if u, err := url.Parse(s); err != nil || !u.IsAbs() {
			t.Errorf("%s: id %q is not an absolute IRI", where, s)
		}
	}
	date := func(where, s string) {
		t.Helper()
		if _, err := time.Parse(time.RFC3339, s); err != nil {
			t.Errorf("%s: updated %q is not an RFC 3339 date-time: %v", where, s, err)
		}
	}
	iri("feed", one("feed", "id", f.ID))
	one("feed", "title", f.Title)
	date("feed", one("feed", "updated", f.Updated))
	feedAuthor := len(f.Authors) > 0 && f.Authors[0].Name != ""
	ids := map[string]bool{}
	for i, e := range f.Entries {
		where := "entry " + e.ID[0]
		id := one(where, "id", e.ID)
		iri(where, id)
		if ids[id] {
			t.Errorf("entry id %q is not unique", id)
		}
		ids[id] = true
		one(where, "title", e.Title)
		date(where, one(where, "updated", e.Updated))
		if !feedAuthor && len(e.Authors) == 0 {
			t.Errorf("%s: no author, and the feed has none", where)
		}
		alternate := false
		for _, l := range e.Links {
			alternate = alternate || (l.Rel == "" || l.Rel == "alternate") && l.Href != ""
		}
		if !alternate {
			t.Errorf("entry %d: no alternate link (it has no content)", i)
		}
		if len(e.Summary) > 1 || len(e.Summary) == 1 && !slices.Contains([]string{"", "text", "html", "xhtml"}, e.Summary[0].Type) {
			t.Errorf("%s: summaries %+v, want at most one of a text type", where, e.Summary)
		}
	}
	return f
}

// fetchBody gets target (a path and query string) from ts and returns the
// response with its body.
func fetchBody(t *testing.T, ts *httptest.Server, target string) (*http.Response, []byte) {
	t.Helper()
	path, query, _ := strings.Cut(target, "?")
	return rawRequest(t, ts, http.MethodGet, path, query)
}

// /api/search.atom is a valid Atom feed of a search's matches, newest
// first, whose entries link to the articles' views on the page and carry
// the highlighted passage; bad parameters are 400s as for /api/search.
func TestAtomFeed(t *testing.T) {
	ts := newTestServer(t)
	resp, body := fetchBody(t, ts, "/api/search.atom?q=Norov")
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/atom+xml") {
		t.Fatalf("GET /api/search.atom?q=Norov = %d %q: %s", resp.StatusCode, resp.Header.Get("Content-Type"), body)
	}
	f := checkAtom(t, body)
	if len(f.Entries) != 2 {
		t.Fatalf("%d entries, want the 2 Norov articles: %s", len(f.Entries), body)
	}
	for i, want := range []struct{ id, updated string }{
		{indextest.SeedNorovOut, "2021-12-18T17:10:00Z"}, {indextest.SeedNorovVice, "2019-11-12T00:00:00Z"},
	} {
		e := f.Entries[i]
		view := ts.URL + "/?id=" + want.id
		if e.ID[0] != view || e.Links[0].Href != view || e.Updated[0] != want.updated {
			t.Errorf("entry %d: id %q, link %q, updated %q; want %s, updated %s", i, e.ID[0], e.Links[0].Href, e.Updated[0], view, want.updated)
		}
		if len(e.Summary) != 1 || e.Summary[0].Type != "html" || !strings.Contains(e.Summary[0].Text, "<mark>Norov</mark>") {
			t.Errorf("entry %d: summary %+v, want the highlighted passage as HTML", i, e.Summary)
		}
	}
	if f.Updated[0] != "2021-12-18T17:10:00Z" {
		t.Errorf("feed updated %q, want its newest entry's", f.Updated[0])
	}
	if !strings.Contains(string(body), `&lt;mark&gt;Norov&lt;/mark&gt;`) {
		t.Error("the summary's HTML is not escaped text")
	}

	// Newest first, whatever the sort asked for.
	_, body = fetchBody(t, ts, "/api/search.atom?q=cooperation&sort=relevance")
	var got []string
	for _, e := range checkAtom(t, body).Entries {
		got = append(got, strings.TrimPrefix(e.ID[0], ts.URL+"/?id="))
	}
	if want := []string{indextest.SeedQinZhang, indextest.SeedNorovOut, indextest.SeedDushanbe, indextest.SeedNorovVice, indextest.SeedAlimov}; !slices.Equal(got, want) {
		t.Errorf("cooperation: entries %v, want newest first %v", got, want)
	}

	// Every article, the undated probe too; its markup stays text.
	_, body = fetchBody(t, ts, "/api/search.atom?q=")
	f = checkAtom(t, body)
	if len(f.Entries) != 6 || f.Entries[5].ID[0] != ts.URL+"/?id=probe%2Fxss.txt" || f.Entries[5].Updated[0] != f.Updated[0] {
		t.Errorf("empty search: %d entries, the last %+v; want 6, the undated probe last, updated as the feed", len(f.Entries), f.Entries[len(f.Entries)-1])
	}
	for _, path := range []string{"/api/search.atom?q=a&size=500", "/api/search.atom?date_from=2022-01-01&date_to=2021-01-01", "/api/search.atom?year=twenty"} {
		if resp, body := fetchBody(t, ts, path); resp.StatusCode != http.StatusBadRequest || !strings.Contains(string(body), `"error"`) {
			t.Errorf("GET %s = %d %s, want a 400 saying why", path, resp.StatusCode, body)
		}
	}
}

// /api/search.csv and /api/search.jsonl hold every match, one row each,
// with the total in a header; bad parameters are 400s.
func TestExports(t *testing.T) {
	ts := newTestServer(t)
	resp, body := fetchBody(t, ts, "/api/search.csv?q=cooperation&sort=-date")
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/csv") ||
		resp.Header.Get(totalHeader) != "5" || resp.Header.Get(truncatedHeader) != "" {
		t.Fatalf("GET /api/search.csv = %d, headers %v: %s", resp.StatusCode, resp.Header, body)
	}
	records, err := csv.NewReader(bytes.NewReader(body)).ReadAll()
	if err != nil {
		t.Fatalf("the CSV does not parse: %v\n%s", err, body)
	}
	if len(records) != 6 || !slices.Equal(records[0], exportColumns) {
		t.Fatalf("CSV: %d records, header %q; want a header and 5 rows:\n%s", len(records), records[0], body)
	}
	first := records[1]
	if first[0] != indextest.SeedQinZhang || first[2] != "2023-04-20T10:34:00Z" || first[3] != "Xinhua" ||
		!strings.Contains(first[8], "Shanghai Cooperation Organization") || !strings.Contains(first[6], "; ") {
		t.Errorf("first row %q, want the newest article with its date, source and names", first)
	}

	resp, body = fetchBody(t, ts, "/api/search.jsonl?q=cooperation")
	if resp.StatusCode != http.StatusOK || resp.Header.Get(totalHeader) != "5" {
		t.Fatalf("GET /api/search.jsonl = %d, headers %v: %s", resp.StatusCode, resp.Header, body)
	}
	lines := strings.Split(strings.TrimSuffix(string(body), "\n"), "\n")
	if len(lines) != 5 {
		t.Fatalf("JSON Lines: %d lines, want 5:\n%s", len(lines), body)
	}
	for _, l := range lines {
		var row map[string]any
		if err := json.Unmarshal([]byte(l), &row); err != nil || row["id"] == "" || row["title"] == "" || row["body"] != nil {
			t.Errorf("line %s (%v): want an object with id and title, no body", l, err)
		}
	}
	if _, body := fetchBody(t, ts, "/api/search.csv?section=probe"); !strings.Contains(string(body), "probe/xss.txt,Probe <b>bold</b> headline,,,probe,") {
		t.Errorf("section=probe: %s, want the probe's row with its section", body)
	}
	for _, path := range []string{"/api/search.csv?sort=best", "/api/search.jsonl?month=2021-13", "/api/search.csv?date_from=9999-01-01"} {
		if resp, body := fetchBody(t, ts, path); resp.StatusCode != http.StatusBadRequest || !strings.Contains(string(body), `"error"`) {
			t.Errorf("GET %s = %d %s, want a 400 saying why", path, resp.StatusCode, body)
		}
	}
}

// An export of more matches than the cap holds the first of them and says
// it was cut: a header in both formats, a last line in JSON Lines.
func TestExportCap(t *testing.T) {
	ix, _ := indextest.Build(t, indextest.SeedsDir(t))
	ts := httptest.NewServer(New(Config{Searcher: ix, Assets: web.Assets, MaxExportRows: 3}))
	t.Cleanup(ts.Close)
	resp, body := fetchBody(t, ts, "/api/search.csv?q=")
	records, err := csv.NewReader(bytes.NewReader(body)).ReadAll()
	if err != nil || len(records) != 4 || resp.Header.Get(totalHeader) != "5" || resp.Header.Get(truncatedHeader) != "true" {
		t.Errorf("CSV capped at 3: %d records (%v), headers %v; want a header and 3 rows, total 5, truncated", len(records), err, resp.Header)
	}
	resp, body = fetchBody(t, ts, "/api/search.jsonl?q=")
	lines := strings.Split(strings.TrimSuffix(string(body), "\n"), "\n")
	if len(lines) != 4 || lines[3] != `{"rows":3,"total":5,"truncated":true}` || resp.Header.Get(truncatedHeader) != "true" {
		t.Errorf("JSON Lines capped at 3: %q, headers %v; want 3 rows and a last line saying it was cut", lines, resp.Header)
	}
}

// exporter is a fake searcher whose exports fail after two rows.
type exporter struct {
	searchtest.Searcher
}

func (*exporter) Export(ctx context.Context, req search.Request, limit int, out search.ExportRow) error {
	if err := out.Start(9); err != nil {
		return err
	}
	for _, id := range []string{"a.txt", "b.txt"} {
		if err := out.Row(search.Article{ID: id, Title: id}); err != nil {
			return err
		}
	}
	return search.ErrUnavailable
}

// An export that fails once rows went out cannot change its status: the
// JSON Lines end with a line saying why, the CSV download breaks (rather
// than look complete); one that fails before is an ordinary error.
func TestExportFailsMidway(t *testing.T) {
	ts := httptest.NewServer(New(Config{Searcher: &exporter{}, Assets: web.Assets}))
	t.Cleanup(ts.Close)
	_, body := fetchBody(t, ts, "/api/search.jsonl?q=x")
	sc := bufio.NewScanner(bytes.NewReader(body))
	var lines []string
	for sc.Scan() {
		lines = append(lines, sc.Text())
	}
	if len(lines) != 3 || !strings.Contains(lines[2], `"error":"the export stopped after 2 rows: the index is not available`) {
		t.Errorf("JSON Lines failing midway: %q, want 2 rows and an error line", lines)
	}
	resp, err := ts.Client().Get(ts.URL + "/api/search.csv?q=x")
	if err != nil {
		t.Fatal(err)
	}
	csvBody, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err == nil || resp.StatusCode != http.StatusOK || !strings.Contains(string(csvBody), "a.txt") {
		t.Errorf("CSV failing midway: %d %q, read error %v; want the rows so far, then the download broken off", resp.StatusCode, csvBody, err)
	}
	down := httptest.NewServer(New(Config{Searcher: &searchtest.Searcher{}, Assets: web.Assets}))
	t.Cleanup(down.Close)
	if resp, body := fetchBody(t, down, "/api/search.csv?q=x"); resp.StatusCode != http.StatusNotFound {
		t.Errorf("a searcher that cannot export: %d %s, want 404", resp.StatusCode, body)
	}
}
