package server

import (
	"context"
	"fmt"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/newsfind/newsfind/internal/index"
	"github.com/newsfind/newsfind/internal/index/engine"
	"github.com/newsfind/newsfind/internal/index/indextest"
	"github.com/newsfind/newsfind/web"
)

// The browser test drives the real page (web/) in headless Chromium against
// newTestServer: a real index behind the real handler. It checks what only a
// browser can: that typing searches, that the URL follows the state (query,
// facet filters, date range), that Back works, that an article's names lead
// to searches, and that article text is shown as text, never run as HTML.

// findChrome returns the browser to drive, or "" when there is none.
func findChrome() string {
	if p := os.Getenv("CHROME_PATH"); p != "" {
		return p
	}
	if _, err := os.Stat("/usr/bin/chromium"); err == nil {
		return "/usr/bin/chromium"
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// browser is one headless tab and what it saw that no step asked about:
// uncaught exceptions, Content-Security-Policy refusals and dialogs such as
// alert(), any of which fails the test.
type browser struct {
	ctx  context.Context
	mu   sync.Mutex
	seen []string
}

func (b *browser) note(s string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.seen = append(b.seen, s)
}

// newBrowser starts headless Chromium with a 60 s deadline for the whole
// test. Cleanup stops it and reports what it saw.
func newBrowser(t *testing.T) *browser {
	t.Helper()
	path := findChrome()
	if path == "" {
		t.Skip("no chromium found; install Debian's chromium to run the browser test")
	}
	profile := t.TempDir() // removed after the browser, which cleans up first
	ctx, cancelTimeout := context.WithTimeout(context.Background(), 60*time.Second)
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.Headless,
		chromedp.NoFirstRun,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.UserDataDir(profile),
		chromedp.WindowSize(1280, 900),
	)
	ctx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	ctx, cancelTab := chromedp.NewContext(ctx)
	if err := chromedp.Do(ctx); err != nil { // starts the browser
		cancelTab()
		cancelAlloc()
		cancelTimeout()
		t.Fatalf("start %s: %v", path, err)
	}
	b := &browser{ctx: ctx}

	var wg sync.WaitGroup
	console := chromedp.Console(ctx)
	dialogs := chromedp.Events(ctx, page.JavascriptDialogOpening)
	wg.Go(func() {
		for m, err := range console {
			if err != nil {
				return
			}
			switch {
			case m.IsException():
				b.note(fmt.Sprintf("uncaught exception at %s:%d: %s", m.URL, m.Line+1, m.Text))
			case strings.Contains(m.Text, "Content Security Policy"):
				b.note("CSP refusal: " + m.Text)
			}
		}
	})
	wg.Go(func() {
		for ev, err := range dialogs {
			if err != nil {
				return
			}
			b.note(fmt.Sprintf("%s dialog opened: %q", ev.Type, ev.Message))
			// A dialog blocks the page; close it so the test can go on.
			_, _ = chromedp.Call(ctx, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{})
		}
	})

	t.Cleanup(func() {
		cancelTab()
		cancelAlloc() // waits for the browser to exit
		cancelTimeout()
		wg.Wait()
		for _, s := range b.seen {
			t.Errorf("the page %s", s)
		}
	})
	return b
}

// do runs steps or fails the test, naming what it was doing.
func (b *browser) do(t *testing.T, what string, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(b.ctx, steps...); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// hitView is one result as the page shows it.
type hitView struct {
	ID     string `json:"id"`
	Href   string `json:"href"`
	Title  string `json:"title"`
	Source string `json:"source"`
	Date   string `json:"date"`
	HTML   string `json:"html"`
	Text   string `json:"text"`
}

// articleView is the full-article view as the page shows it.
type articleView struct {
	Title      string   `json:"title"`
	Meta       string   `json:"meta"`
	Facts      string   `json:"facts"` // the list under the meta line, as text
	Paragraphs []string `json:"paragraphs"`
	Text       string   `json:"text"`
	Scripts    int      `json:"scripts"`
	// Marks are the words marked in the title and body.
	Marks []string `json:"marks"`
	// Similar are the links of the similar articles' list.
	Similar []struct {
		ID   string `json:"id"`
		Href string `json:"href"`
		Text string `json:"text"`
	} `json:"similar"`
	// Versions reports whether the place of the story's other versions is
	// in the view (shown or not).
	Versions bool `json:"versions"`
	// Links are the links in the article view; Href is resolved.
	Links []struct {
		Text  string `json:"text"`
		Href  string `json:"href"`
		Field string `json:"field"` // the filter a name link searches
	} `json:"links"`
}

// pageView is what a person sees, read from the DOM.
type pageView struct {
	Params  map[string][]string `json:"params"` // the query string
	Summary string              `json:"summary"`
	// DidYouMean is the text of the did-you-mean line ("" when hidden);
	// DidYouMeanElems lists the elements in it.
	DidYouMean      string    `json:"didYouMean"`
	DidYouMeanElems []string  `json:"didYouMeanElems"`
	Error           string    `json:"error"`
	Hits            []hitView `json:"hits"`
	Facets          []struct {
		Field   string `json:"field"`
		Value   string `json:"value"`
		Count   int    `json:"count"`
		Pressed bool   `json:"pressed"`
		Visible bool   `json:"visible"` // false: folded behind "more"
	} `json:"facets"`
	DateFrom string       `json:"dateFrom"` // the date inputs' values
	DateTo   string       `json:"dateTo"`
	Clear    bool         `json:"clear"`   // whether "Clear filters" shows
	Article  *articleView `json:"article"` // nil when the results show
	// Foreign lists elements in the results and the article view that the
	// page never builds itself (script, img, b, …): they could only come
	// from article text.
	Foreign []string `json:"foreign"`
	// Overflow is how many CSS pixels the page is wider than the window.
	Overflow int `json:"overflow"`
}

const readPage = `(() => {
	const $ = (s, root = document) => root.querySelector(s);
	const params = {};
	for (const [k, v] of new URLSearchParams(location.search)) (params[k] ||= []).push(v);
	const art = $("#article");
	const built = ["LI", "H1", "H2", "A", "P", "DIV", "MARK", "TIME", "SPAN", "DL", "DT", "DD", "SECTION", "OL", "UL"];
	return {
		params,
		summary: $("#summary").textContent,
		didYouMean: $("#did-you-mean").hidden ? "" : $("#did-you-mean").textContent,
		didYouMeanElems: [...document.querySelectorAll("#did-you-mean *")].map((e) => e.tagName),
		error: $("#error").hidden ? "" : $("#error").textContent,
		hits: [...document.querySelectorAll("#results li.hit")].map((li) => {
			const a = $("a", li);
			return {
				id: a ? a.dataset.id || "" : "", href: a ? a.href : "",
				title: a ? a.textContent : "",
				source: $(".source", li)?.textContent || "",
				date: $("time", li)?.getAttribute("datetime") || "",
				html: li.innerHTML, text: li.innerText,
			};
		}),
		facets: [...document.querySelectorAll("#facets button[data-field]")].map((b) => ({
			field: b.dataset.field, value: b.dataset.value, pressed: b.getAttribute("aria-pressed") === "true",
			count: Number($(".count", b)?.textContent.replace(/,/g, "")), visible: b.checkVisibility(),
		})),
		dateFrom: $("#date-from").value, dateTo: $("#date-to").value,
		clear: $("#clear-filters").checkVisibility(),
		article: art.hidden ? null : {
			title: $("#article-title").textContent,
			meta: $("#article-meta").textContent,
			facts: $("#article-facts").innerText,
			links: [...art.querySelectorAll("a")].map((a) => ({
				text: a.textContent, href: a.href, field: a.dataset.field || "",
			})),
			paragraphs: [...document.querySelectorAll("#article-body p")].map((p) => p.textContent),
			text: art.innerText,
			scripts: art.querySelectorAll("script").length,
			marks: [...document.querySelectorAll("#article-title mark, #article-body mark")].map((m) => m.textContent),
			similar: $("#similar").hidden ? [] : [...document.querySelectorAll("#similar-list a")].map((a) => ({
				id: a.dataset.id || "", href: a.href, text: a.textContent,
			})),
			versions: !!$("#article-versions"),
		},
		foreign: [...document.querySelectorAll("#results *, #article *")]
			.filter((e) => !built.includes(e.tagName)).map((e) => e.outerHTML),
		overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
	};
})()`

// slowFetch wraps the page's fetch so that a search for "cooperation" answers
// only after 500 ms (in-page time, standing in for a slow network), ignoring
// any abort. It sets window.overlapped when another request starts meanwhile
// and window.slowDone once the page has been handed the late answer.
const slowFetch = `(() => {
	window.realFetch = window.fetch;
	window.slowDone = false;
	window.overlapped = false;
	let pending = false;
	window.fetch = async (url, opts) => {
		if (!String(url).includes("q=cooperation")) {
			if (pending) window.overlapped = true;
			return window.realFetch(url, opts);
		}
		pending = true;
		await new Promise((resolve) => setTimeout(resolve, 500));
		const res = await window.realFetch(url, { ...opts, signal: undefined });
		const body = await res.json();
		pending = false;
		return {
			ok: res.ok, status: res.status, statusText: res.statusText,
			// The page handles the body in microtasks; the flag goes up after.
			json: async () => { setTimeout(() => { window.slowDone = true; }, 0); return body; },
		};
	};
})()`

// patchArticles wraps the page's fetch so that every article the API sends
// passes through a JavaScript function (filled in for %s) before the page
// sees it: the way to hand the page metadata no seed article has.
// window.restoreFetch() undoes it.
const patchArticles = `(() => {
	const real = window.fetch;
	const patch = %s;
	window.restoreFetch = () => { window.fetch = real; };
	window.fetch = async (url, opts) => {
		const res = await real(url, opts);
		if (!String(url).includes("api/articles/") || !res.ok) return res;
		const body = patch(await res.json());
		return { ok: res.ok, status: res.status, statusText: res.statusText, json: async () => body };
	};
})()`

// setDate sets the date input id to value (YYYY-MM-DD, or "" to empty it)
// and reports the change, as the browser does when a person picks a date.
// Typing one is not used: the order of its fields depends on the locale.
func setDate(id, value string) chromedp.Action[chromedp.Void] {
	return chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`(() => {
		const input = document.getElementById(%q);
		input.value = %q;
		input.dispatchEvent(new Event("change", { bubbles: true }));
	})()`, id, value))
}

// settle waits until the query string satisfies cond (a JavaScript
// expression over p, a URLSearchParams) and the page has drawn the answer
// to it (it sets aria-busy on <body> while a request is out), then returns
// what the page shows.
func (b *browser) settle(t *testing.T, what, cond string) pageView {
	t.Helper()
	expr := `(() => { const p = new URLSearchParams(location.search);
		return (` + cond + `) && !document.body.hasAttribute("aria-busy"); })()`
	_, err := chromedp.Run(b.ctx, chromedp.Poll[chromedp.Void](expr,
		chromedp.WithPollingInterval(20*time.Millisecond),
		chromedp.WithPollingTimeout(15*time.Second)))
	if err != nil {
		v, _ := chromedp.Run(b.ctx, chromedp.Evaluate[pageView](readPage))
		t.Fatalf("waiting for %s (%s): %v; the page shows %+v", what, cond, err, v)
	}
	return b.view(t)
}

func (b *browser) view(t *testing.T) pageView {
	t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Evaluate[pageView](readPage))
	if err != nil {
		t.Fatalf("read the page: %v", err)
	}
	return v
}

// wantHits checks the number of hits and that none of them is empty.
func wantHits(t *testing.T, v pageView, n int) {
	t.Helper()
	if v.Error != "" {
		t.Fatalf("the page shows an error: %q", v.Error)
	}
	if len(v.Hits) != n {
		titles := make([]string, len(v.Hits))
		for i, h := range v.Hits {
			titles[i] = h.Title
		}
		t.Fatalf("%d hits %q (summary %q), want %d", len(v.Hits), titles, v.Summary, n)
	}
	for i, h := range v.Hits {
		if h.Title == "" || h.ID == "" || h.Href == "" {
			t.Errorf("hit %d has no title link: %s", i, h.HTML)
		}
	}
}

func pressed(v pageView) []string {
	var on []string
	for _, f := range v.Facets {
		if f.Pressed {
			on = append(on, f.Field+"="+f.Value)
		}
	}
	return on
}

func TestBrowser(t *testing.T) {
	ts := newTestServer(t)
	b := newBrowser(t)
	var all int // articles in the index: the start page shows them all
	steps := []struct {
		name string
		run  func(t *testing.T)
	}{
		{"EmptyQueryShowsNewest", func(t *testing.T) {
			b.do(t, "load the page", chromedp.Navigate(ts.URL+"/"), chromedp.WaitVisible(chromedp.ID("q")))
			v := b.settle(t, "the newest articles", `p.size === 0 && document.querySelector("#summary").textContent !== ""`)
			if len(v.Hits) == 0 {
				t.Fatalf("no articles on the start page; summary %q, error %q", v.Summary, v.Error)
			}
			all = len(v.Hits)
			// The seeds are dated: date controls and "newest first".
			if dc := b.dateControls(t); !dc.Range || len(dc.Sorts) != 3 || !strings.HasSuffix(v.Summary, "newest first") {
				t.Errorf("dated archive: date controls %+v, summary %q; want the range, 3 sorts, newest first", dc, v.Summary)
			}
		}},
		{"TypeNorov", func(t *testing.T) {
			b.do(t, "type Norov", chromedp.SendKeys(chromedp.ID("q"), "Norov"))
			v := b.settle(t, "results for Norov", `p.get("q") === "Norov"`)
			wantHits(t, v, 2)
			for _, h := range v.Hits {
				if !strings.Contains(h.HTML, "<mark>Norov</mark>") {
					t.Errorf("hit %s does not mark Norov: %s", h.ID, h.HTML)
				}
			}
			if !strings.HasPrefix(v.Summary, "2 results") {
				t.Errorf("summary = %q, want it to start with %q", v.Summary, "2 results")
			}
			loc, err := chromedp.Run(b.ctx, chromedp.Location())
			if err != nil || !strings.Contains(loc, "q=Norov") {
				t.Errorf("location = %q (%v), want q=Norov in it", loc, err)
			}
		}},
		{"FacetFiltersAndBackRestores", func(t *testing.T) {
			before := b.view(t)
			if len(before.Facets) == 0 {
				t.Fatal("no facet values to click")
			}
			f := before.Facets[0] // sources come first, most common first
			b.do(t, "click facet "+f.Field+"="+f.Value,
				chromedp.Click(chromedp.CSS("#facets button[data-field]")))
			cond := fmt.Sprintf(`p.get("q") === "Norov" && p.getAll(%q).includes(%q)`, f.Field, f.Value)
			v := b.settle(t, "the filtered results", cond)
			if len(v.Hits) == 0 || len(v.Hits) > len(before.Hits) {
				t.Fatalf("%d hits after filtering %s=%s, want 1..%d", len(v.Hits), f.Field, f.Value, len(before.Hits))
			}
			for _, h := range v.Hits {
				if f.Field == "source" && h.Source != f.Value || f.Field == "year" && !strings.HasPrefix(h.Date, f.Value) {
					t.Errorf("hit %s (source %q, date %q) does not match the filter %s=%s", h.ID, h.Source, h.Date, f.Field, f.Value)
				}
			}
			if on := pressed(v); len(on) != 1 || on[0] != f.Field+"="+f.Value {
				t.Errorf("active facets %q, want just %s=%s", on, f.Field, f.Value)
			}

			b.do(t, "go back", chromedp.Evaluate[chromedp.Void](`history.back()`))
			v = b.settle(t, "the unfiltered results", fmt.Sprintf(`p.get("q") === "Norov" && !p.has(%q)`, f.Field))
			wantHits(t, v, len(before.Hits))
			if on := pressed(v); len(on) != 0 {
				t.Errorf("after Back, active facets %q, want none", on)
			}

			b.do(t, "go forward", chromedp.Evaluate[chromedp.Void](`history.forward()`))
			v = b.settle(t, "the filtered results again", cond)
			if on := pressed(v); len(on) != 1 {
				t.Errorf("after Forward, active facets %q, want %s=%s", on, f.Field, f.Value)
			}
			b.do(t, "go back again", chromedp.Evaluate[chromedp.Void](`history.back()`))
			b.settle(t, "the unfiltered results", fmt.Sprintf(`p.get("q") === "Norov" && !p.has(%q)`, f.Field))
		}},
		{"OrganizationFacetAndClear", func(t *testing.T) {
			before := b.view(t)
			// The rarest organization on show, so that filtering drops hits.
			org, count := "", 0
			for _, f := range before.Facets {
				if f.Field == "org" && f.Visible && (org == "" || f.Count < count) {
					org, count = f.Value, f.Count
				}
			}
			if org == "" || count < 1 || count >= len(before.Hits) {
				t.Fatalf("no Organizations value on show in fewer than all %d hits; facets %+v", len(before.Hits), before.Facets)
			}
			b.do(t, "click organization "+org,
				chromedp.Click(chromedp.CSS(fmt.Sprintf(`#facets button[data-field="org"][data-value=%q]`, org))))
			v := b.settle(t, "the results for "+org,
				fmt.Sprintf(`p.get("q") === "Norov" && p.getAll("org").length === 1 && p.get("org") === %q`, org))
			wantHits(t, v, count)
			loc, err := chromedp.Run(b.ctx, chromedp.Location())
			if err != nil || !strings.Contains(loc, "org="+url.QueryEscape(org)) {
				t.Errorf("location = %q (%v), want org=%s in it", loc, err, url.QueryEscape(org))
			}
			if on := pressed(v); len(on) != 1 || on[0] != "org="+org {
				t.Errorf("active facets %q, want just org=%s", on, org)
			}
			if !v.Clear {
				t.Fatal(`no "Clear filters" button with a filter on`)
			}
			b.do(t, "clear the filters", chromedp.Click(chromedp.ID("clear-filters")))
			v = b.settle(t, "the unfiltered results", `p.get("q") === "Norov" && [...p.keys()].join() === "q"`)
			wantHits(t, v, len(before.Hits))
			if on := pressed(v); len(on) != 0 || v.Clear {
				t.Errorf("after Clear filters, active facets %q and Clear shown %v, want none", on, v.Clear)
			}
		}},
		{"TitleOpensArticle", func(t *testing.T) {
			hit := b.view(t).Hits[0]
			b.do(t, "click the first title", chromedp.Click(chromedp.CSS("#results li.hit a")))
			v := b.settle(t, "the article view", fmt.Sprintf(`p.get("id") === %q`, hit.ID))
			b.do(t, "see the article", chromedp.WaitVisible(chromedp.CSS("#article-body p")))
			a := v.Article
			if a == nil {
				t.Fatalf("no article view; error %q", v.Error)
			}
			if a.Title != hit.Title || len(a.Paragraphs) < 2 || !strings.Contains(a.Text, "Norov") {
				t.Errorf("article view = %+v, want %q with paragraphs about Norov", a, hit.Title)
			}
			// Opened from a search, the article marks the searched word,
			// and only it.
			if len(a.Marks) < 2 || slices.ContainsFunc(a.Marks, func(m string) bool { return m != "Norov" }) {
				t.Errorf("marked words %q, want Norov, in the title and body", a.Marks)
			}
			// The articles like it are links to their own views, not to
			// itself, beside the place for other versions of the story.
			if len(a.Similar) == 0 || !a.Versions {
				t.Fatalf("similar articles %+v, versions' place %v: want a list and the place", a.Similar, a.Versions)
			}
			for _, l := range a.Similar {
				if l.ID == hit.ID || l.Text == "" || !strings.HasPrefix(l.Href, ts.URL+"/?id=") {
					t.Errorf("similar link %+v: want another article's view", l)
				}
			}
			next := a.Similar[0]
			b.do(t, "open the first similar article", chromedp.Click(chromedp.CSS("#similar-list a")))
			v = b.settle(t, "the similar article", fmt.Sprintf(`p.get("id") === %q && p.get("q") === "Norov"`, next.ID))
			if v.Article == nil || v.Article.Title != next.Text {
				t.Fatalf("the similar article's view: %+v, want %q", v.Article, next.Text)
			}
			b.do(t, "go back to the first article", chromedp.Evaluate[chromedp.Void](`history.back()`))
			b.settle(t, "the article again", fmt.Sprintf(`p.get("id") === %q`, hit.ID))
			b.do(t, "follow the back link", chromedp.Click(chromedp.ID("back")))
			v = b.settle(t, "the results again", `p.get("q") === "Norov" && !p.has("id")`)
			wantHits(t, v, 2)
		}},
		{"SlowOlderAnswerDoesNotWin", func(t *testing.T) {
			// Hold back the answer for "cooperation" (5 hits) until the
			// search after it (Norov, 2 hits) has been sent, and deliver
			// it in full even if the page aborts it: the page must
			// still show Norov.
			b.do(t, "slow down one search", chromedp.Evaluate[chromedp.Void](slowFetch))
			b.do(t, "search cooperation, then Norov",
				chromedp.Evaluate[chromedp.Void](`document.getElementById("q").select()`),
				chromedp.SendKeys(chromedp.ID("q"), "cooperation"+kb.Enter),
				chromedp.Evaluate[chromedp.Void](`document.getElementById("q").select()`),
				chromedp.SendKeys(chromedp.ID("q"), "Norov"+kb.Enter))
			v := b.settle(t, "the slow answer to arrive", `p.get("q") === "Norov" && window.slowDone`)
			overlapped, err := chromedp.Run(b.ctx, chromedp.Evaluate[bool](`window.overlapped`))
			if err != nil || !overlapped {
				t.Fatalf("the Norov search was not sent while cooperation was pending (%v); nothing was checked", err)
			}
			wantHits(t, v, 2)
			for _, h := range v.Hits {
				if !strings.Contains(h.HTML, "<mark>Norov</mark>") {
					t.Errorf("the older answer replaced the newer one: hit %s", h.Title)
				}
			}
			b.do(t, "restore fetch", chromedp.Evaluate[chromedp.Void](`window.fetch = window.realFetch`))
		}},
		{"ArticleTextIsNeverHTML", func(t *testing.T) {
			// Select the old words so typing replaces them, then press Enter.
			b.do(t, "search xssprobe",
				chromedp.Evaluate[chromedp.Void](`document.getElementById("q").select()`),
				chromedp.SendKeys(chromedp.ID("q"), "xssprobe"+kb.Enter))
			v := b.settle(t, "results for xssprobe", `p.get("q") === "xssprobe"`)
			wantHits(t, v, 1)
			h := v.Hits[0]
			if len(v.Foreign) > 0 {
				t.Errorf("article HTML became elements in the results: %q", v.Foreign)
			}
			if !strings.Contains(h.Text, "<script>alert(1)</script>") {
				t.Errorf("hit text %q does not show <script>alert(1)</script> as text", h.Text)
			}
			if !strings.Contains(h.HTML, "<mark>xssprobe</mark>") {
				t.Errorf("hit does not mark xssprobe: %s", h.HTML)
			}

			// Names, dateline and address come from the article too; none
			// may become markup or a javascript: link.
			b.do(t, "give the probe hostile metadata", chromedp.Evaluate[chromedp.Void](fmt.Sprintf(patchArticles,
				`(a) => ({ ...a, url: "javascript:alert(3)", place: "<b>Nowhere</b>",
					people: ["<img src=x onerror=alert(4)>"], organizations: ["javascript:alert(5)"] })`)))
			// The ID has a slash, so this also checks how the page builds
			// the article address.
			b.do(t, "open the probe", chromedp.Click(chromedp.CSS("#results li.hit a")))
			v = b.settle(t, "the probe article", fmt.Sprintf(`p.get("id") === %q`, h.ID))
			a := v.Article
			if a == nil {
				t.Fatalf("no article view; error %q", v.Error)
			}
			if a.Scripts != 0 || len(v.Foreign) > 0 || !strings.Contains(a.Text, "<script>alert(1)</script>") {
				t.Errorf("article view = %+v, elements from its text %q; want its HTML shown as text", a, v.Foreign)
			}
			for _, want := range []string{"<img src=x onerror=alert(4)>", "<b>Nowhere</b>", "javascript:alert(5)"} {
				if !strings.Contains(a.Facts, want) {
					t.Errorf("article facts %q do not show %s as text", a.Facts, want)
				}
			}
			for _, l := range a.Links {
				if !strings.HasPrefix(l.Href, ts.URL+"/") {
					t.Errorf("article link %q goes to %q, want a page of this site", l.Text, l.Href)
				}
			}
			b.do(t, "restore fetch", chromedp.Evaluate[chromedp.Void](`window.restoreFetch()`))
		}},
		{"DateRangeFilters", func(t *testing.T) {
			b.do(t, "load the page", chromedp.Navigate(ts.URL+"/"))
			b.settle(t, "the newest articles", `p.size === 0 && document.querySelector("#summary").textContent !== ""`)
			length := func() int {
				n, err := chromedp.Run(b.ctx, chromedp.Evaluate[int](`history.length`))
				if err != nil {
					t.Fatalf("read history.length: %v", err)
				}
				return n
			}
			entries := length()
			// Typed, a year arrives digit by digit, each a change.
			b.do(t, "type a From date",
				setDate("date-from", "0002-07-13"), setDate("date-from", "0020-07-13"),
				setDate("date-from", "0202-07-13"), setDate("date-from", "2021-07-13"))
			from := `p.get("date_from") === "2021-07-13" && !p.has("date_to")`
			v := b.settle(t, "articles since 13 Jul 2021", from)
			if len(v.Error) > 0 || len(v.Hits) == 0 || len(v.Hits) >= all {
				t.Fatalf("%d hits since 13 Jul 2021 (error %q), want 1..%d", len(v.Hits), v.Error, all-1)
			}
			b.do(t, "pick a To date", setDate("date-to", "2021-12-18"))
			both := `p.get("date_from") === "2021-07-13" && p.get("date_to") === "2021-12-18"`
			v = b.settle(t, "articles from 13 Jul to 18 Dec 2021", both)
			wantHits(t, v, 2)
			for _, h := range v.Hits {
				if h.Date < "2021-07-13" || h.Date >= "2021-12-19" {
					t.Errorf("hit %s dated %q is outside 2021-07-13..2021-12-18", h.ID, h.Date)
				}
			}
			if v.DateFrom != "2021-07-13" || v.DateTo != "2021-12-18" {
				t.Errorf("date inputs show %q..%q, want 2021-07-13..2021-12-18", v.DateFrom, v.DateTo)
			}
			if n := length() - entries; n != 2 {
				t.Errorf("setting From (typed) and To added %d history entries, want 2", n)
			}

			b.do(t, "go back", chromedp.Evaluate[chromedp.Void](`history.back()`))
			v = b.settle(t, "the From date alone", from)
			if v.DateTo != "" || len(v.Hits) <= 2 {
				t.Errorf("after Back: To shows %q and %d hits, want it empty and more than 2", v.DateTo, len(v.Hits))
			}
			b.do(t, "go forward", chromedp.Evaluate[chromedp.Void](`history.forward()`))
			wantHits(t, b.settle(t, "both dates again", both), 2)

			// From after To: the API refuses it, the page says why and
			// keeps the filters to change.
			b.do(t, "move From past To", setDate("date-from", "2021-12-19"))
			v = b.settle(t, "the reversed range", `p.get("date_from") === "2021-12-19"`)
			if !strings.Contains(v.Error, "before") || len(v.Hits) != 0 || !v.Clear || v.DateFrom != "2021-12-19" {
				t.Errorf("reversed range: error %q, %d hits, Clear shown %v, From %q; want the API's message, no hits, Clear, From kept",
					v.Error, len(v.Hits), v.Clear, v.DateFrom)
			}
			b.do(t, "clear the filters", chromedp.Click(chromedp.ID("clear-filters")))
			v = b.settle(t, "every article", `p.size === 0`)
			wantHits(t, v, all)
			if v.DateFrom != "" || v.DateTo != "" || v.Clear {
				t.Errorf("after Clear filters the inputs show %q..%q (Clear shown %v), want them empty", v.DateFrom, v.DateTo, v.Clear)
			}
		}},
		{"ArticleNamesSearch", func(t *testing.T) {
			const id = "001_61ab04e02ec4d748.txt" // a seed naming Wang Yi, in English
			const web = "https://example.org/news?id=1&lang=en"
			b.do(t, "give the article a web address", chromedp.Evaluate[chromedp.Void](fmt.Sprintf(patchArticles,
				fmt.Sprintf(`(a) => ({ ...a, url: %q })`, web))))
			b.do(t, "open "+id, chromedp.Click(chromedp.CSS(fmt.Sprintf(`#results a[data-id=%q]`, id))))
			v := b.settle(t, "the article", fmt.Sprintf(`p.get("id") === %q`, id))
			a := v.Article
			if a == nil {
				t.Fatalf("no article view; error %q", v.Error)
			}
			if !strings.Contains(a.Facts, "English") {
				t.Errorf("article facts %q do not give the language", a.Facts)
			}
			links := map[string]string{}
			for _, l := range a.Links {
				links[l.Field+":"+l.Text] = l.Href
			}
			if got, want := links["person:Wang Yi"], ts.URL+"/?person=Wang+Yi"; got != want {
				t.Errorf("link for Wang Yi goes to %q, want %q (links %q)", got, want, links)
			}
			if got := links[":"+web]; got != web {
				t.Errorf("link for the article's address goes to %q, want %q (links %q)", got, web, links)
			}

			b.do(t, "click Wang Yi",
				chromedp.Click(chromedp.CSS(`#article-facts a[data-field="person"][data-value="Wang Yi"]`)))
			v = b.settle(t, "articles naming Wang Yi", `location.search === "?person=Wang+Yi"`)
			want := int(search_(t, ts, url.Values{"person": {"Wang Yi"}}).Total)
			if want < 1 || want >= all {
				t.Fatalf("the API finds %d of %d articles naming Wang Yi; the check would prove nothing", want, all)
			}
			wantHits(t, v, want)
			if on := pressed(v); len(on) != 1 || on[0] != "person=Wang Yi" {
				t.Errorf("active facets %q, want just person=Wang Yi", on)
			}
			if !slices.ContainsFunc(v.Hits, func(h hitView) bool { return h.ID == id }) {
				t.Errorf("the article %s is not among the hits for the person it names", id)
			}
			b.do(t, "restore fetch", chromedp.Evaluate[chromedp.Void](`window.restoreFetch()`))
		}},
		{"SuggestionsCompleteWhatIsTyped", func(t *testing.T) {
			b.do(t, "load the page", chromedp.Navigate(ts.URL+"/"), chromedp.WaitVisible(chromedp.ID("q")))
			b.settle(t, "the newest articles", `p.size === 0 && document.querySelector("#summary").textContent !== ""`)
			b.do(t, "type Shangh", chromedp.SendKeys(chromedp.ID("q"), "Shangh"))
			c := b.combo(t, "suggestions for Shangh", `c.open && c.options.length > 0`)
			if c.Role != "combobox" || c.Controls != "suggestions" || c.ListRole != "listbox" {
				t.Errorf("combobox roles: %+v", c)
			}
			if first := c.Options[0]; first.Text != "shanghai" || first.Role != "option" || first.Selected {
				t.Fatalf("first suggestion %+v, want shanghai, an option, not yet selected; all %+v", first, c.Options)
			}
			b.do(t, "press Down", chromedp.SendKeys(chromedp.ID("q"), kb.ArrowDown))
			c = b.combo(t, "the first suggestion chosen", `c.active !== ""`)
			if c.Active != c.Options[0].ID || !c.Options[0].Selected || c.Value != "Shangh" {
				t.Errorf("after Down: %+v, want the first option active and selected, the box still Shangh", c)
			}
			b.do(t, "press Enter", chromedp.SendKeys(chromedp.ID("q"), kb.Enter))
			v := b.settle(t, "results for shanghai", `p.get("q") === "shanghai"`)
			wantHits(t, v, int(search_(t, ts, url.Values{"q": {"shanghai"}}).Total))
			c = b.combo(t, "the list closed", `!c.open`)
			if c.Expanded != "false" || c.Active != "" || c.Value != "shanghai" {
				t.Errorf("after Enter: %+v, want the list closed and the box holding shanghai", c)
			}
		}},
		{"SuggestionEscapeAndClick", func(t *testing.T) {
			b.do(t, "type Nor",
				chromedp.Evaluate[chromedp.Void](`document.getElementById("q").select()`),
				chromedp.SendKeys(chromedp.ID("q"), "Nor"))
			c := b.combo(t, "suggestions for Nor", `c.open && c.options.some((o) => o.text === "Rashid Alimov" || o.text.toLowerCase().startsWith("nor"))`)
			b.do(t, "press Escape", chromedp.SendKeys(chromedp.ID("q"), kb.Escape))
			c = b.combo(t, "the list closed", `!c.open`)
			if c.Expanded != "false" || c.Value != "Nor" {
				t.Errorf("after Escape: %+v, want the list closed and Nor kept", c)
			}
			b.do(t, "type wang",
				chromedp.Evaluate[chromedp.Void](`document.getElementById("q").select()`),
				chromedp.SendKeys(chromedp.ID("q"), "wang"))
			c = b.combo(t, "Wang Yi suggested", `c.options.some((o) => o.text === "Wang Yi" && o.kind === "person")`)
			b.do(t, "click Wang Yi", chromedp.Click(chromedp.CSS(`#suggestions li[role=option]:has(.kind)`)))
			v := b.settle(t, "results for Wang Yi", `p.get("q") === "Wang Yi"`)
			if len(v.Hits) == 0 {
				t.Fatalf("no hits for Wang Yi; error %q", v.Error)
			}
			if c := b.combo(t, "the list closed", `!c.open`); c.Value != "Wang Yi" {
				t.Errorf("after the click the box holds %q", c.Value)
			}
		}},
		{"FailedSuggestionsShowNone", func(t *testing.T) {
			b.do(t, "make suggestions fail", chromedp.Evaluate[chromedp.Void](`(() => {
				window.realFetch = window.fetch;
				window.suggestAsked = 0;
				window.fetch = async (url, opts) => {
					if (!String(url).includes("api/suggest")) return window.realFetch(url, opts);
					window.suggestAsked++;
					return { ok: false, status: 500, statusText: "Internal Server Error", json: async () => ({ error: "boom" }) };
				};
			})()`))
			b.do(t, "type Norov",
				chromedp.Evaluate[chromedp.Void](`document.getElementById("q").select()`),
				chromedp.SendKeys(chromedp.ID("q"), "Norov"))
			v := b.settle(t, "results for Norov", `p.get("q") === "Norov" && window.suggestAsked > 0`)
			wantHits(t, v, 2)
			if c := b.combo(t, "no list", `true`); c.Open || c.Expanded != "false" {
				t.Errorf("a failed suggestion request shows a list: %+v", c)
			}
			b.do(t, "restore fetch", chromedp.Evaluate[chromedp.Void](`window.fetch = window.realFetch`))
		}},
		{"DidYouMean", func(t *testing.T) {
			b.do(t, "search for Norvo", chromedp.Navigate(ts.URL+"/?q=Norvo"))
			v := b.settle(t, "results for Norvo", `p.get("q") === "Norvo" && document.querySelector("#summary").textContent !== ""`)
			wantHits(t, v, 2)
			if want := "Showing results for Norov — search instead for Norvo"; v.DidYouMean != want {
				t.Errorf("did-you-mean line %q, want %q", v.DidYouMean, want)
			}
			b.do(t, "search as typed", chromedp.Click(chromedp.CSS("#did-you-mean a")))
			v = b.settle(t, "Norvo as typed", `p.get("q") === "Norvo" && p.get("typo") === "false"`)
			wantHits(t, v, 0)
			if v.DidYouMean != "" {
				t.Errorf("with typo=false the page still shows %q", v.DidYouMean)
			}
			// A suggestion is a link to the corrected search, shown as text
			// whatever it holds.
			const odd = `Norov <img src=x>`
			b.do(t, "make the API suggest markup", chromedp.Evaluate[chromedp.Void](`(() => {
				const real = window.fetch;
				window.restoreFetch = () => { window.fetch = real; };
				window.fetch = async (url, opts) => {
					const res = await real(url, opts);
					if (!String(url).includes("api/search") || !res.ok) return res;
					const body = { ...(await res.json()), did_you_mean: `+"`"+odd+"`"+`, corrected: false };
					return { ok: res.ok, status: res.status, statusText: res.statusText, json: async () => body };
				};
			})()`))
			b.do(t, "search for SCO", chromedp.Evaluate[chromedp.Void](
				`document.getElementById("q").value = "SCO"; document.getElementById("search-form").requestSubmit()`))
			v = b.settle(t, "results for SCO", `p.get("q") === "SCO" && !p.has("typo")`)
			if want := "Did you mean " + odd + "?"; v.DidYouMean != want {
				t.Errorf("did-you-mean line %q, want %q", v.DidYouMean, want)
			}
			if !slices.Equal(v.DidYouMeanElems, []string{"A", "STRONG"}) {
				t.Errorf("did-you-mean line holds %q, want a link around a strong text only", v.DidYouMeanElems)
			}
			b.do(t, "restore fetch", chromedp.Evaluate[chromedp.Void](`window.restoreFetch()`))
			b.do(t, "follow the suggestion", chromedp.Click(chromedp.CSS("#did-you-mean a")))
			b.settle(t, "the suggested search", fmt.Sprintf(`p.get("q") === %q`, odd))
		}},
		{"PhoneWidthDoesNotScrollSideways", func(t *testing.T) {
			b.do(t, "narrow the window",
				chromedp.EmulateViewport(360, 740, chromedp.EmulateMobile),
				chromedp.Navigate(ts.URL+"/?q=SCO"))
			v := b.settle(t, "results for SCO", `p.get("q") === "SCO" && document.querySelector("#summary").textContent !== ""`)
			if len(v.Hits) == 0 {
				t.Fatalf("no hits for SCO; error %q", v.Error)
			}
			if v.Overflow > 0 {
				t.Errorf("at 360 px the page is %d px too wide", v.Overflow)
			}
		}},
	}
	for _, s := range steps {
		// Each step starts where the one before left the page.
		if !t.Run(s.name, s.run) {
			return
		}
	}
}

// comboView is the search box as a combobox, read from the DOM.
type comboView struct {
	Role     string `json:"role"`
	Expanded string `json:"expanded"` // aria-expanded
	Controls string `json:"controls"` // aria-controls
	Active   string `json:"active"`   // aria-activedescendant
	Value    string `json:"value"`
	ListRole string `json:"listRole"`
	Open     bool   `json:"open"` // the list is visible
	Options  []struct {
		ID       string `json:"id"`
		Role     string `json:"role"`
		Text     string `json:"text"`
		Kind     string `json:"kind"`
		Selected bool   `json:"selected"` // aria-selected
	} `json:"options"`
}

const readCombo = `(() => {
	const q = document.getElementById("q"), list = document.getElementById("suggestions");
	return {
		role: q.getAttribute("role") || "", expanded: q.getAttribute("aria-expanded") || "",
		controls: q.getAttribute("aria-controls") || "", active: q.getAttribute("aria-activedescendant") || "",
		value: q.value, listRole: list.getAttribute("role") || "", open: list.checkVisibility(),
		options: [...list.children].map((li) => ({
			id: li.id, role: li.getAttribute("role") || "",
			text: li.querySelector(".text")?.textContent || "", kind: li.querySelector(".kind")?.textContent || "term",
			selected: li.getAttribute("aria-selected") === "true",
		})),
	};
})()`

// combo waits until cond (a JavaScript expression over c, what readCombo
// returns) holds, then returns the combobox's state.
func (b *browser) combo(t *testing.T, what, cond string) comboView {
	t.Helper()
	expr := `(() => { const c = ` + readCombo + `; return !!(` + cond + `); })()`
	_, err := chromedp.Run(b.ctx, chromedp.Poll[chromedp.Void](expr,
		chromedp.WithPollingInterval(20*time.Millisecond),
		chromedp.WithPollingTimeout(10*time.Second)))
	c, rerr := chromedp.Run(b.ctx, chromedp.Evaluate[comboView](readCombo))
	if err != nil || rerr != nil {
		t.Fatalf("waiting for %s (%s): %v %v; the combobox is %+v", what, cond, err, rerr, c)
	}
	return c
}

// dateControls is which date controls the page offers.
type dateControls struct {
	Range bool     `json:"range"` // the published-from/to fields are shown
	Sorts []string `json:"sorts"` // the sort options offered
}

func (b *browser) dateControls(t *testing.T) dateControls {
	t.Helper()
	dc, err := chromedp.Run(b.ctx, chromedp.Evaluate[dateControls](`({
		range: document.getElementById("date-range").checkVisibility(),
		sorts: [...document.querySelectorAll("#sort option")].filter((o) => !o.hidden).map((o) => o.value),
	})`))
	if err != nil {
		t.Fatalf("reading the date controls: %v", err)
	}
	return dc
}

// An archive with no dated article offers neither date filters nor date
// sorts, and does not say "newest first" (TestBrowser checks a dated one).
func TestBrowserUndatedArchive(t *testing.T) {
	dir := t.TempDir()
	for i, title := range []string{"Quokka census", "Wombat survey"} {
		indextest.WriteFile(t, filepath.Join(dir, fmt.Sprintf("a%d.txt", i)), title+"\n\nNo date is stated here, only animals counted.\n")
	}
	ix, _ := indextest.Build(t, dir)
	ts := httptest.NewServer(New(Config{Searcher: ix, Suggester: ix, Assets: web.Assets}))
	t.Cleanup(ts.Close)
	b := newBrowser(t)
	b.do(t, "load the page", chromedp.Navigate(ts.URL+"/"), chromedp.WaitVisible(chromedp.ID("q")))
	v := b.settle(t, "the articles", `document.querySelector("#summary").textContent !== ""`)
	if v.Summary != "2 articles" {
		t.Errorf("summary %q, want %q", v.Summary, "2 articles")
	}
	if dc := b.dateControls(t); dc.Range || len(dc.Sorts) != 1 || dc.Sorts[0] != "relevance" {
		t.Errorf("undated archive: date controls %+v, want no range and only relevance", dc)
	}
	if tl := b.timeline(t); tl.Shown || len(tl.Bars) != 0 {
		t.Errorf("undated archive: timeline %+v, want none", tl)
	}
}

// Past the exact count the page says how many results there are at least
// ("2+ results"): here a count of 2, twelve articles about quokkas first
// (they fill the page) and twenty that only mention a wombat, skipped (an
// excluded phrase keeps the search from counting words alone exactly).
func TestBrowserLowerBoundTotal(t *testing.T) {
	dir := t.TempDir()
	for i := range 12 {
		indextest.WriteFile(t, filepath.Join(dir, fmt.Sprintf("a%02d.txt", i)), "Quokka quokka quokka\n\nThe quokka census found a quokka.\n")
	}
	for i := range 20 {
		indextest.WriteFile(t, filepath.Join(dir, fmt.Sprintf("b%02d.txt", i)), "Animals counted\n\nA wombat was seen among many other animals counted this year.\n")
	}
	if got := summaryWithin(t, dir, 2, "quokka+wombat+-%22koala+bear%22+"); !strings.HasPrefix(got, "2+ results in ") {
		t.Errorf("summary %q, want it to start %q", got, "2+ results in ")
	}
}

// summaryWithin returns the page's summary of the search q (URL-encoded)
// over an index of the articles in dir that counts exactly exact matches.
func summaryWithin(t *testing.T, dir string, exact int, q string) string {
	t.Helper()
	ix, _ := indextest.Build(t, dir, index.WithEngine(engine.Options{ExactCount: exact}))
	ts := httptest.NewServer(New(Config{Searcher: ix, Suggester: ix, Assets: web.Assets}))
	t.Cleanup(ts.Close)
	b := newBrowser(t)
	b.do(t, "search", chromedp.Navigate(ts.URL+"/?q="+q), chromedp.WaitVisible(chromedp.ID("q")))
	return b.settle(t, "the results", `document.querySelector("#summary").textContent !== ""`).Summary
}

// A quoted phrase that far more articles hold than the exact count has
// an estimated total, which the page gives as such ("about 300 results",
// not "20+" nor "300"): here 300 articles that all hold it, so that the
// estimate is exact, and an exact count of 20.
func TestBrowserEstimatedTotal(t *testing.T) {
	dir := t.TempDir()
	for i := range 300 {
		indextest.WriteFile(t, filepath.Join(dir, fmt.Sprintf("a%03d.txt", i)), fmt.Sprintf("Island report %d\n\nThe quokka census of island %d was taken.\n", i, i))
	}
	if got := summaryWithin(t, dir, 20, "%22quokka+census%22"); !strings.HasPrefix(got, "about 300 results in ") {
		t.Errorf("summary %q, want it to start %q", got, "about 300 results in ")
	}
}

// A story filed three times is one hit whose "2 more versions" opens to
// links to the other two, which open their article views.
func TestBrowserStoryVersions(t *testing.T) {
	ix, _ := indextest.Build(t, indextest.Corpus(t, map[string]string{
		"wire/v1.txt": "TimeWarner profits jump\n\n" + indextest.WireStory + "\n",
		"wire/v2.txt": "Profits up at Time Warner\n\n" + indextest.WireStory + "\n\nShares closed 1% higher.\n",
		"wire/v3.txt": "Ad sales boost Time Warner\n\n" + indextest.WireStory + "\n",
	}))
	ts := httptest.NewServer(New(Config{Searcher: ix, Suggester: ix, Assets: web.Assets}))
	t.Cleanup(ts.Close)
	b := newBrowser(t)
	b.do(t, "search", chromedp.Navigate(ts.URL+"/?q=TimeWarner+Google"), chromedp.WaitVisible(chromedp.ID("q")))
	v := b.settle(t, "the results", `p.get("q") === "TimeWarner Google" && document.querySelector("#summary").textContent !== ""`)
	wantHits(t, v, 1)
	type versions struct {
		Summary string   `json:"summary"`
		Open    bool     `json:"open"`
		Shown   int      `json:"shown"` // links laid out (visible)
		IDs     []string `json:"ids"`
	}
	read := func() versions {
		got, err := chromedp.Run(b.ctx, chromedp.Evaluate[versions](`(() => {
			const d = document.querySelector("#results .hit details.versions");
			if (!d) return { summary: "", open: false, shown: 0, ids: [] };
			const links = [...d.querySelectorAll("a[data-id]")];
			return { summary: d.querySelector("summary").textContent, open: d.open,
				shown: links.filter((a) => a.checkVisibility()).length,
				ids: links.map((a) => a.dataset.id) };
		})()`))
		if err != nil {
			t.Fatalf("read the versions: %v", err)
		}
		return got
	}
	got := read()
	if got.Summary != "2 more versions" || got.Open || got.Shown != 0 || len(got.IDs) != 2 {
		t.Fatalf("versions of the hit: %+v, want a closed \"2 more versions\" of 2 links", got)
	}
	b.do(t, "open the versions", chromedp.Click(chromedp.CSS("#results details.versions summary")))
	if got = read(); !got.Open || got.Shown != 2 {
		t.Fatalf("after a click: %+v, want open with 2 links shown", got)
	}
	for _, id := range append(got.IDs, v.Hits[0].ID) {
		if !strings.HasPrefix(id, "wire/v") {
			t.Errorf("version %q is not one of the story's", id)
		}
	}
	id := got.IDs[0]
	b.do(t, "open a version", chromedp.Click(chromedp.CSS(fmt.Sprintf(`#results details.versions a[data-id=%q]`, id))))
	b.settle(t, "the version's article", fmt.Sprintf(`p.get("id") === %q && !document.getElementById("article").hidden`, id))
	// The article view lists the story's other versions, the hit among them.
	others, err := chromedp.Run(b.ctx, chromedp.Evaluate[[]string](`(() => {
		const s = document.getElementById("article-versions");
		return s.hidden ? [] : [...s.querySelectorAll("a[data-id]")].map((a) => a.dataset.id);
	})()`))
	if err != nil {
		t.Fatal(err)
	}
	if len(others) != 2 || !slices.Contains(others, v.Hits[0].ID) || slices.Contains(others, id) {
		t.Errorf("the article view of %s lists versions %v, want the story's other two, %s among them", id, others, v.Hits[0].ID)
	}
}
