package server

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/newsfind/newsfind/internal/index/indextest"
	"github.com/newsfind/newsfind/web"
)

// zonedArticles are two articles whose stated zones put their instants on
// another day in UTC: late evening west of Greenwich (04:30 UTC on the
// 27th), early morning east of it (16:00 UTC on the 26th).
var zonedArticles = map[string]string{
	"west.json": `{"title": "Quokka census closes in the west", "date": "2023-02-26T23:30:00-05:00", "body": "The quokka census closed late in the evening."}`,
	"east.json": `{"title": "Quokka census opens in the east", "date": "2023-02-27T01:00:00+09:00", "body": "The quokka census opened early in the morning."}`,
}

// newZonedServer serves a real index of zonedArticles.
func newZonedServer(t *testing.T) *httptest.Server {
	t.Helper()
	dir := t.TempDir()
	for name, content := range zonedArticles {
		indextest.WriteFile(t, filepath.Join(dir, name), content)
	}
	ix, _ := indextest.Build(t, dir)
	ts := httptest.NewServer(New(Config{Searcher: ix, Suggester: ix, Assets: web.Assets}))
	t.Cleanup(ts.Close)
	return ts
}

// A stated zone is kept: each article is on its publication's own calendar
// date in the API's dates (with the offset), the month facet, the date
// filters and the timeline, and it sorts by its instant.
func TestStatedZonesKeepTheCalendarDate(t *testing.T) {
	ts := newZonedServer(t)
	var res struct {
		Hits []struct {
			ID   string `json:"id"`
			Date string `json:"date"`
		} `json:"hits"`
		Facets map[string][]struct {
			Value string `json:"value"`
			Count int    `json:"count"`
		} `json:"facets"`
	}
	if resp := get(t, ts, "/api/search?q=quokka+&sort=-date", &res); resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d", resp.StatusCode)
	}
	dates := map[string]string{}
	var order []string
	for _, h := range res.Hits {
		dates[h.ID], order = h.Date, append(order, h.ID)
	}
	if dates["west.json"] != "2023-02-26T23:30:00-05:00" || dates["east.json"] != "2023-02-27T01:00:00+09:00" {
		t.Errorf("dates %v, want each as stated, with its offset", dates)
	}
	// By instant west.json (04:30 UTC on the 27th) is newer than east.json
	// (16:00 UTC on the 26th), though its calendar date is earlier.
	if strings.Join(order, " ") != "west.json east.json" {
		t.Errorf("newest first: %v, want west.json east.json (by instant)", order)
	}
	months := map[string]int{}
	for _, f := range res.Facets["month"] {
		months[f.Value] = f.Count
	}
	if months["2023-02"] != 2 || len(months) != 1 {
		t.Errorf("month facet %v, want both in 2023-02", months)
	}
	for _, tt := range []struct {
		from, to, want string
	}{
		{"2023-02-26", "2023-02-26", "west.json"},
		{"2023-02-27", "2023-02-27", "east.json"},
		{"2023-02-27", "", "east.json"},
		{"", "2023-02-26", "west.json"},
		{"2023-02-26", "2023-02-27", "east.json west.json"},
	} {
		params := url.Values{"q": {"quokka "}}
		if tt.from != "" {
			params.Set("date_from", tt.from)
		}
		if tt.to != "" {
			params.Set("date_to", tt.to)
		}
		res := search_(t, ts, params)
		got := indextest.IDs(res)
		slices.Sort(got)
		if strings.Join(got, " ") != tt.want {
			t.Errorf("date_from=%s date_to=%s: %v, want %s", tt.from, tt.to, got, tt.want)
		}
		// The timeline puts each on the same day: a bar sets the filter.
		var days []string
		if res.Timeline != nil {
			for _, b := range res.Timeline.Buckets {
				for range b.Count {
					days = append(days, b.Start)
				}
			}
		}
		var want []string
		for _, id := range strings.Fields(tt.want) {
			want = append(want, dates[id][:len(time.DateOnly)])
		}
		slices.Sort(want)
		if !slices.Equal(days, want) {
			t.Errorf("date_from=%s date_to=%s: timeline on %v, want %v", tt.from, tt.to, days, want)
		}
	}
	var art struct {
		Date string `json:"date"`
	}
	if resp := get(t, ts, "/api/articles/west.json", &art); resp.StatusCode != http.StatusOK || art.Date != "2023-02-26T23:30:00-05:00" {
		t.Errorf("article: status %d, date %q; want 2023-02-26T23:30:00-05:00", resp.StatusCode, art.Date)
	}
}

// The page shows each article on its publication's own calendar date.
func TestBrowserStatedZones(t *testing.T) {
	ts := newZonedServer(t)
	b := newBrowser(t)
	b.do(t, "search", chromedp.Navigate(ts.URL+"/?q=quokka+&sort=-date"), chromedp.WaitVisible(chromedp.ID("q")))
	v := b.settle(t, "the results", `document.querySelectorAll("#results li.hit").length === 2`)
	shown := map[string]string{}
	for _, h := range v.Hits {
		shown[h.ID] = h.Text
	}
	if !strings.Contains(shown["west.json"], "26 Feb 2023") || !strings.Contains(shown["east.json"], "27 Feb 2023") {
		t.Errorf("shown %q; want west.json on 26 Feb 2023, east.json on 27 Feb 2023", shown)
	}
}
