package server

import (
	"encoding/csv"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/newsfind/newsfind/internal/search"
)

// A search to follow and to take away: /api/search.atom is an Atom 1.0
// feed of a search's newest matches (RFC 4287), /api/search.csv and
// /api/search.jsonl stream all of its matches, up to search.MaxExportRows.
// All take /api/search's parameters, and refuse the same bad ones.

// feedEntries is how many matches a feed holds, the newest.
const feedEntries = 50

// atomFeed and what it holds are an Atom feed as encoding/xml writes it:
// the elements RFC 4287 requires (id, title, updated, and an author for a
// feed whose entries have none) and links to the search.
type atomFeed struct {
	XMLName   xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	ID        string      `xml:"id"`
	Title     string      `xml:"title"`
	Updated   string      `xml:"updated"`
	Author    atomPerson  `xml:"author"`
	Generator string      `xml:"generator"`
	Links     []atomLink  `xml:"link"`
	Entries   []atomEntry `xml:"entry"`
}

type atomPerson struct {
	Name string `xml:"name"`
}

type atomLink struct {
	Rel  string `xml:"rel,attr"`
	Type string `xml:"type,attr,omitempty"`
	Href string `xml:"href,attr"`
}

type atomEntry struct {
	ID       string        `xml:"id"`
	Title    string        `xml:"title"`
	Updated  string        `xml:"updated"`
	Link     atomLink      `xml:"link"`
	Category *atomCategory `xml:"category"`
	Summary  *atomText     `xml:"summary"`
}

type atomCategory struct {
	Term string `xml:"term,attr"`
}

// atomText is a text construct; Type "html" holds HTML as escaped text.
type atomText struct {
	Type string `xml:"type,attr"`
	Text string `xml:",chardata"`
}

// atom answers /api/search.atom: the newest feedEntries matches of the
// search, as an Atom feed. Each entry's id and link are the address of
// the article's view on the page, its summary the highlighted passages of
// the result list. An article without a date is updated when the feed
// is: at its newest match's date (the Unix epoch when no match has one),
// so the feed changes only when its articles do.
func (s *server) atom(w http.ResponseWriter, r *http.Request) error {
	req, err := parseSearch(r)
	if err != nil {
		return err
	}
	req.Page, req.Size, req.Sort, req.NoFacets = 1, feedEntries, search.SortNewest, true
	res, err := s.cfg.Searcher.Search(r.Context(), req)
	if err != nil {
		return err
	}
	base := siteURL(r)
	updated := time.Unix(0, 0).UTC()
	for _, h := range res.Hits {
		if h.Date.After(updated) {
			updated = h.Date
		}
	}
	title := "newsfind: " + req.Query
	if strings.TrimSpace(req.Query) == "" {
		title = "newsfind: newest articles"
	}
	feed := atomFeed{
		ID:        base + "api/search.atom?" + r.URL.RawQuery,
		Title:     title,
		Updated:   updated.Format(time.RFC3339),
		Author:    atomPerson{Name: "newsfind"},
		Generator: "newsfind",
		Links: []atomLink{
			{Rel: "self", Type: "application/atom+xml", Href: base + "api/search.atom?" + r.URL.RawQuery},
			{Rel: "alternate", Type: "text/html", Href: base + "?" + r.URL.RawQuery},
		},
		Entries: make([]atomEntry, 0, len(res.Hits)),
	}
	for _, h := range res.Hits {
		view := base + "?id=" + url.QueryEscape(h.ID)
		e := atomEntry{ID: view, Title: h.Title, Updated: updated.Format(time.RFC3339), Link: atomLink{Rel: "alternate", Type: "text/html", Href: view}}
		if !h.Date.IsZero() {
			e.Updated = h.Date.UTC().Format(time.RFC3339)
		}
		if e.Title == "" {
			e.Title = h.ID
		}
		if h.Section != "" {
			e.Category = &atomCategory{Term: h.Section}
		}
		if body := h.Fragments["body"]; len(body) > 0 {
			e.Summary = &atomText{Type: "html", Text: strings.Join(body, " … ")}
		}
		feed.Entries = append(feed.Entries, e)
	}
	out, err := xml.MarshalIndent(feed, "", "  ")
	if err != nil {
		return fmt.Errorf("atom feed: %w", err)
	}
	w.Header().Set("Content-Type", "application/atom+xml; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write([]byte(xml.Header)) // the status is sent; a failed write means the client left
	_, _ = w.Write(out)
	return nil
}

// siteURL is the address of the page that served r, for the absolute
// IRIs a feed needs: its scheme and host as the request came in.
func siteURL(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host + "/"
}

// exportColumns are the columns of a CSV export, and the fields of a JSON
// Lines one.
var exportColumns = []string{"id", "title", "date", "source", "section", "url", "people", "places", "organizations"}

// Headers of an export: the number of matches, and whether the export
// holds fewer (cut at Config.MaxExportRows).
const (
	totalHeader     = "X-Total-Count"
	truncatedHeader = "X-Truncated"
)

// exportCSV answers /api/search.csv: every match, one row each after a
// header row; several people, places or organizations are separated by
// "; ". A cut export says so in its X-Truncated header (the rows are
// data only, for spreadsheets and CSV readers). A failure after
// the first row aborts the response, so that a client sees a broken
// download rather than a short file.
func (s *server) exportCSV(w http.ResponseWriter, r *http.Request) error {
	return s.export(w, r, "text/csv; charset=utf-8", &csvRows{w: w})
}

// exportJSONL answers /api/search.jsonl: every match as a JSON object on
// a line of its own (the fields of exportColumns, empty ones left out). A
// cut export ends with a line {"truncated": true, "total": …, "rows": …};
// a failure after the first row ends it with a line {"error": …}.
func (s *server) exportJSONL(w http.ResponseWriter, r *http.Request) error {
	return s.export(w, r, "application/x-ndjson; charset=utf-8", &jsonlRows{w: w})
}

// exportRows is a search.ExportRow that writes a format's rows to w.
type exportRows interface {
	search.ExportRow
	started() bool
	// end finishes the rows written: total matches, rows of them written,
	// and why they stopped short ("" when they did not). An error means
	// the response cannot be finished.
	end(total uint64, rows int, stopped string) error
}

func (s *server) export(w http.ResponseWriter, r *http.Request, contentType string, rows exportRows) error {
	req, err := parseSearch(r)
	if err != nil {
		return err
	}
	exp, ok := s.cfg.Searcher.(search.Exporter)
	if !ok {
		return statusError{http.StatusNotFound, "this server does not export searches"}
	}
	counted := &countingRows{exportRows: rows, header: w.Header(), contentType: contentType}
	counted.limit = s.cfg.MaxExportRows
	err = exp.Export(r.Context(), req, counted.limit, counted)
	if !rows.started() {
		return err // nothing written: answered as any error is
	}
	stopped := ""
	if err != nil {
		_, stopped = s.statusOf(r, err)
	}
	if err := rows.end(counted.total, counted.rows, stopped); err != nil {
		s.cfg.Log.Warn("export cut short", "path", r.URL.Path, "rows", counted.rows, "err", err)
		panic(http.ErrAbortHandler) // the status is sent: break the response
	}
	return nil
}

// countingRows sets the headers when an export starts and counts its rows.
type countingRows struct {
	exportRows
	header      http.Header
	contentType string
	limit       int
	total       uint64
	rows        int
}

func (c *countingRows) Start(total uint64) error {
	c.total = total
	c.header.Set("Content-Type", c.contentType)
	c.header.Set("Cache-Control", "no-store")
	c.header.Set(totalHeader, strconv.FormatUint(total, 10))
	if total > uint64(c.limit) {
		c.header.Set(truncatedHeader, "true")
	}
	return c.exportRows.Start(total)
}

func (c *countingRows) Row(a search.Article) error {
	c.rows++
	return c.exportRows.Row(a)
}

// csvRows writes an export as CSV (RFC 4180, through encoding/csv).
type csvRows struct {
	w     http.ResponseWriter
	c     *csv.Writer
	count int
}

func (c *csvRows) started() bool { return c.c != nil }

func (c *csvRows) Start(uint64) error {
	c.c = csv.NewWriter(c.w)
	return c.c.Write(exportColumns)
}

func (c *csvRows) Row(a search.Article) error {
	date := ""
	if !a.Date.IsZero() {
		date = a.Date.UTC().Format(time.RFC3339)
	}
	if err := c.c.Write([]string{a.ID, a.Title, date, a.Source, a.Section, a.URL,
		strings.Join(a.People, "; "), strings.Join(a.Places, "; "), strings.Join(a.Organizations, "; ")}); err != nil {
		return err
	}
	if c.count++; c.count%256 == 0 {
		c.c.Flush() // bounded buffering: rows go out as they come
		return c.c.Error()
	}
	return nil
}

func (c *csvRows) end(_ uint64, _ int, stopped string) error {
	c.c.Flush()
	if stopped != "" {
		// The rows so far go out, then the response breaks off.
		_ = http.NewResponseController(c.w).Flush()
		return errors.New(stopped)
	}
	return c.c.Error()
}

// jsonlRows writes an export as JSON Lines.
type jsonlRows struct {
	w   http.ResponseWriter
	enc *json.Encoder
}

// exportRow is one JSON Lines row.
type exportRow struct {
	ID            string    `json:"id"`
	Title         string    `json:"title"`
	Date          time.Time `json:"date,omitzero"`
	Source        string    `json:"source,omitempty"`
	Section       string    `json:"section,omitempty"`
	URL           string    `json:"url,omitempty"`
	People        []string  `json:"people,omitempty"`
	Places        []string  `json:"places,omitempty"`
	Organizations []string  `json:"organizations,omitempty"`
}

func (j *jsonlRows) started() bool { return j.enc != nil }

func (j *jsonlRows) Start(uint64) error {
	j.enc = json.NewEncoder(j.w)
	j.enc.SetEscapeHTML(false)
	return nil
}

func (j *jsonlRows) Row(a search.Article) error {
	return j.enc.Encode(exportRow{ID: a.ID, Title: a.Title, Date: a.Date, Source: a.Source, Section: a.Section,
		URL: a.URL, People: a.People, Places: a.Places, Organizations: a.Organizations})
}

func (j *jsonlRows) end(total uint64, rows int, stopped string) error {
	switch {
	case stopped != "":
		// The client sees why the rows stopped; the response is whole.
		return j.enc.Encode(map[string]string{"error": "the export stopped after " + strconv.Itoa(rows) + " rows: " + stopped})
	case total > uint64(rows):
		return j.enc.Encode(map[string]any{"truncated": true, "total": total, "rows": rows})
	}
	return nil
}
