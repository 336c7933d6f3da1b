package server

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// The browser test drives the real page (web/) in headless Chromium against
// newTestServer: a real index behind the real handler. It checks what only a
// browser can: that typing searches, that the URL follows the state, that
// Back works, and that article text is shown as text, never run as HTML.

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
	Paragraphs []string `json:"paragraphs"`
	Text       string   `json:"text"`
	Scripts    int      `json:"scripts"`
}

// pageView is what a person sees, read from the DOM.
type pageView struct {
	Params  map[string][]string `json:"params"` // the query string
	Summary string              `json:"summary"`
	Error   string              `json:"error"`
	Hits    []hitView           `json:"hits"`
	Facets  []struct {
		Field   string `json:"field"`
		Value   string `json:"value"`
		Pressed bool   `json:"pressed"`
	} `json:"facets"`
	Article *articleView `json:"article"` // nil when the results show
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
	const built = ["LI", "H1", "H2", "A", "P", "DIV", "MARK", "TIME", "SPAN"];
	return {
		params,
		summary: $("#summary").textContent,
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
		})),
		article: art.hidden ? null : {
			title: $("#article-title").textContent,
			meta: $("#article-meta").textContent,
			paragraphs: [...document.querySelectorAll("#article-body p")].map((p) => p.textContent),
			text: art.innerText,
			scripts: art.querySelectorAll("script").length,
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
