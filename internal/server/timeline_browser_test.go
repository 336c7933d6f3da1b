package server

import (
	"fmt"
	"testing"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
)

// timelineView is the timeline as the page draws it.
type timelineView struct {
	Shown   bool     `json:"shown"`
	Caption string   `json:"caption"`
	Bars    []string `json:"bars"`   // each bar's first day
	Labels  []string `json:"labels"` // and what it says
	Chosen  []string `json:"chosen"` // the first days of the bars marked chosen
}

func (b *browser) timeline(t *testing.T) timelineView {
	t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Evaluate[timelineView](`(() => {
		const bars = [...document.querySelectorAll("#timeline g.bar")];
		return {
			shown: document.getElementById("timeline").checkVisibility(),
			caption: document.getElementById("timeline-caption").textContent,
			bars: bars.map((g) => g.dataset.from),
			labels: bars.map((g) => g.getAttribute("aria-label")),
			chosen: bars.filter((g) => g.classList.contains("chosen")).map((g) => g.dataset.from),
		};
	})()`))
	if err != nil {
		t.Fatalf("read the timeline: %v", err)
	}
	return v
}

// barCenter returns the middle of the timeline bar starting on day, in
// the window's coordinates.
func (b *browser) barCenter(t *testing.T, day string) (x, y float64) {
	t.Helper()
	p, err := chromedp.Run(b.ctx, chromedp.Evaluate[[]float64](fmt.Sprintf(`(() => {
		const r = document.querySelector('#timeline g.bar[data-from=%q] rect.hit').getBoundingClientRect();
		return [r.left + r.width / 2, r.top + r.height / 2];
	})()`, day)))
	if err != nil || len(p) != 2 {
		t.Fatalf("find the bar of %s: %v", day, err)
	}
	return p[0], p[1]
}

// The timeline draws the dated matches above the results, by year on the
// seeds; clicking a bar sets the date range to its days, and dragging
// across bars to theirs; the month facet list it replaces is gone; a
// search with no dated match shows none.
func TestBrowserTimeline(t *testing.T) {
	ts := newTestServer(t)
	b := newBrowser(t)
	b.do(t, "load the page", chromedp.Navigate(ts.URL+"/"), chromedp.WaitVisible(chromedp.ID("q")))
	v := b.settle(t, "the newest articles", `p.size === 0 && document.querySelector("#summary").textContent !== ""`)
	tl := b.timeline(t)
	want := []string{"2018-01-01", "2019-01-01", "2020-01-01", "2021-01-01", "2022-01-01", "2023-01-01"}
	if !tl.Shown || fmt.Sprint(tl.Bars) != fmt.Sprint(want) || tl.Labels[3] != "2021: 2 articles" || tl.Labels[2] != "2020: 0 articles" {
		t.Fatalf("start page: timeline %+v, want the years 2018 to 2023", tl)
	}
	for _, f := range v.Facets {
		if f.Field == "month" {
			t.Errorf("the month facet is listed (%+v): the timeline replaces it", f)
		}
	}

	b.do(t, "click the bar of 2021", chromedp.Click(chromedp.CSS(`#timeline g.bar[data-from="2021-01-01"] rect.hit`)))
	v = b.settle(t, "the articles of 2021", `p.get("date_from") === "2021-01-01" && p.get("date_to") === "2021-12-31"`)
	wantHits(t, v, 2)
	if v.DateFrom != "2021-01-01" || v.DateTo != "2021-12-31" {
		t.Errorf("date inputs show %q..%q, want 2021-01-01..2021-12-31", v.DateFrom, v.DateTo)
	}
	// The feed and the downloads follow the search shown.
	links, err := chromedp.Run(b.ctx, chromedp.Evaluate[[]string](`[document.querySelector('link[rel=alternate][type="application/atom+xml"]').href,
		document.getElementById("feed-link").href, document.getElementById("csv-link").href,
		String(document.getElementById("take-away").checkVisibility())]`))
	wantFeed := ts.URL + "/api/search.atom?q=&date_from=2021-01-01&date_to=2021-12-31"
	if err != nil || len(links) != 4 || links[0] != wantFeed || links[1] != wantFeed ||
		links[2] != ts.URL+"/api/search.csv?q=&date_from=2021-01-01&date_to=2021-12-31" || links[3] != "true" {
		t.Errorf("feed and download links %q (%v), want the feed %s announced and shown, and the CSV of the same search", links, err, wantFeed)
	}
	tl = b.timeline(t)
	if len(tl.Bars) != 6 || tl.Bars[0] != "2021-07-01" || tl.Bars[5] != "2021-12-01" || len(tl.Chosen) != 6 {
		t.Fatalf("2021: timeline %+v, want the months July to December 2021, all chosen", tl)
	}

	x0, y := b.barCenter(t, "2021-07-01")
	x1, _ := b.barCenter(t, "2021-09-01")
	b.do(t, "drag from July to September",
		chromedp.MouseEvent(input.DispatchMouseEventTypeMousePressed, x0, y, chromedp.ButtonLeft),
		chromedp.MouseEvent(input.DispatchMouseEventTypeMouseMoved, (x0+x1)/2, y, chromedp.ButtonLeft),
		chromedp.MouseEvent(input.DispatchMouseEventTypeMouseMoved, x1, y, chromedp.ButtonLeft),
		chromedp.MouseEvent(input.DispatchMouseEventTypeMouseReleased, x1, y, chromedp.ButtonLeft))
	v = b.settle(t, "the articles of July to September 2021", `p.get("date_from") === "2021-07-01" && p.get("date_to") === "2021-09-30"`)
	wantHits(t, v, 1)

	b.do(t, "search for the undated probe", chromedp.Navigate(ts.URL+"/?q=xssprobe"))
	v = b.settle(t, "the probe", `p.get("q") === "xssprobe" && document.querySelector("#summary").textContent !== ""`)
	wantHits(t, v, 1)
	if tl := b.timeline(t); tl.Shown {
		t.Errorf("undated matches: timeline %+v shown, want none", tl)
	}
	// A hit with neither date nor source shows its section instead.
	meta, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](`document.querySelector("#results li.hit .meta")?.textContent || ""`))
	if err != nil || meta != "probe" {
		t.Errorf("the undated probe's meta line %q (%v), want its section, probe", meta, err)
	}
}
