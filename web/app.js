// newsfind's search page.
//
// All state lives in the query string of this page (q, page, sort, the
// filters source, section, year, month, person, place, org, date_from,
// date_to, and id), so every view can be bookmarked, shared and reloaded,
// and Back/Forward work. render() reads that state, asks the JSON API and draws either a
// result list or one article.
//
// Safety rule: the only server text inserted as HTML is a hit's fragments
// and an article's marked title and body, which the server escapes except
// for <mark> tags. Everything else goes in through textContent.
"use strict";

(() => {
  const DEBOUNCE_MS = 250;
  const SUGGEST_MS = 100; // suggestions come sooner than results
  const SUGGEST_SIZE = 8;
  const MAX_PAGE = 1000; // the API refuses deeper pages
  const SORTS = ["relevance", "-date", "date"];
  // The facet groups in the order shown; each field is also the name of a
  // repeatable filter in the URL and the API.
  const FACETS = [["source", "Source"], ["section", "Section"], ["year", "Year"], ["month", "Month"],
    ["person", "People"], ["place", "Places"], ["org", "Organizations"]];
  // Article entity lists and the filter each one searches.
  const ENTITIES = [["people", "person", "People"], ["places", "place", "Places"],
    ["organizations", "org", "Organizations"]];
  const FACET_SHOWN = 5; // values per group before "more"
  const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun",
    "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

  const $ = (id) => document.getElementById(id);
  const ui = {
    form: $("search-form"), q: $("q"), sort: $("sort"), home: $("home"),
    error: $("error"), searchView: $("search-view"),
    facets: $("facets"), facetGroups: $("facet-groups"),
    summary: $("summary"), results: $("results"), pager: $("pager"),
    didYouMean: $("did-you-mean"),
    filterToggle: $("filter-toggle"), clear: $("clear-filters"),
    dateRange: $("date-range"), dateFrom: $("date-from"), dateTo: $("date-to"),
    takeAway: $("take-away"), feedLink: $("feed-link"), csvLink: $("csv-link"),
    jsonlLink: $("jsonl-link"), feedAlternate: $("feed-alternate"),
    article: $("article"), back: $("back"), articleTitle: $("article-title"),
    articleMeta: $("article-meta"), articleFacts: $("article-facts"),
    articleBody: $("article-body"), suggestions: $("suggestions"),
    similar: $("similar"), similarList: $("similar-list"),
    articleVersions: $("article-versions"), versionsList: $("versions-list"),
  };
  const SIMILAR_SIZE = 5; // articles like the one shown

  // ---- state <-> URL ----

  function readState(search) {
    const p = new URLSearchParams(search);
    const page = parseInt(p.get("page"), 10);
    const sort = p.get("sort");
    const s = {
      q: p.get("q") || "",
      page: page >= 1 ? Math.min(page, MAX_PAGE) : 1,
      sort: SORTS.includes(sort) ? sort : "relevance",
      // Dates go to the API as given: it explains a malformed one.
      dateFrom: (p.get("date_from") || "").trim(),
      dateTo: (p.get("date_to") || "").trim(),
      id: p.get("id") || "",
      // typo=false searches the words as typed, without corrections.
      noTypo: p.get("typo") === "false",
    };
    for (const [field] of FACETS) s[field] = distinct(p.getAll(field));
    return s;
  }

  // noFilters is the change that turns every filter off.
  function noFilters() {
    const c = { dateFrom: "", dateTo: "" };
    for (const [field] of FACETS) c[field] = [];
    return c;
  }

  // filterCount counts the active filters; a date range counts as one.
  function filterCount(s) {
    let n = s.dateFrom || s.dateTo ? 1 : 0;
    for (const [field] of FACETS) n += s[field].length;
    return n;
  }

  function appendFilters(p, s) {
    for (const [field] of FACETS) {
      for (const v of s[field]) p.append(field, v);
    }
    if (s.dateFrom) p.set("date_from", s.dateFrom);
    if (s.dateTo) p.set("date_to", s.dateTo);
  }

  function distinct(values) {
    return [...new Set(values.filter((v) => v !== ""))];
  }

  // pageURL is the address of a view of this page. Defaults are left out so
  // that shared links stay short.
  function pageURL(s) {
    const p = new URLSearchParams();
    if (s.id) p.set("id", s.id);
    if (s.q) p.set("q", s.q);
    if (s.noTypo) p.set("typo", "false");
    appendFilters(p, s);
    if (s.sort !== "relevance") p.set("sort", s.sort);
    if (s.page > 1) p.set("page", String(s.page));
    const qs = p.toString();
    return location.pathname + (qs ? "?" + qs : "");
  }

  function searchURL(s, facets) {
    const p = new URLSearchParams({ q: s.q, page: String(s.page), sort: s.sort });
    appendFilters(p, s);
    if (s.noTypo) p.set("typo", "false");
    if (!facets) p.set("facets", "false");
    return "api/search?" + p.toString();
  }

  // Facets depend on the query and filters only, and counting them is most
  // of a search's cost on a large archive: paging or re-sorting reuses the
  // ones already shown.
  let facetCache = { key: null, facets: null, timeline: null };
  function facetKey(s) {
    const p = new URLSearchParams({ q: s.q, typo: String(!s.noTypo) });
    appendFilters(p, s);
    return p.toString();
  }

  // takeAwayURL is the address of the search s as a feed ("atom") or a
  // download ("csv", "jsonl"): its words and filters (and, for a
  // download, its order); a feed is always newest first.
  function takeAwayURL(s, format) {
    const p = new URLSearchParams({ q: s.q });
    appendFilters(p, s);
    if (s.noTypo) p.set("typo", "false");
    if (format !== "atom" && s.sort !== "relevance") p.set("sort", s.sort);
    return "api/search." + format + "?" + p.toString();
  }

  // drawTakeAway points the feed and download links, and the feed the
  // page announces to feed readers, at the search shown.
  function drawTakeAway(s, total) {
    ui.feedAlternate.href = ui.feedLink.href = takeAwayURL(s, "atom");
    ui.csvLink.href = takeAwayURL(s, "csv");
    ui.jsonlLink.href = takeAwayURL(s, "jsonl");
    ui.takeAway.hidden = total === 0;
  }

  // articleURL is the API's address of an article; with the search it was
  // opened from, the answer marks that search's words.
  function articleURL(id, q) {
    const url = "api/articles/" + id.split("/").map(encodeURIComponent).join("/");
    return q ? url + "?" + new URLSearchParams({ q }) : url;
  }

  function similarURL(id) {
    return articleURL(id) + "/similar?size=" + SIMILAR_SIZE;
  }

  let state = readState(location.search);

  // navigate moves to the view next and records it in the history.
  // how is "push" for deliberate actions (Enter, clicks) and "type" while
  // typing into the control named by field ("q" unless given): the first
  // keystroke after anything else adds one history entry, later keystrokes
  // in the same control replace it, so Back skips the half-typed words (and
  // the half-typed dates: a date input reports each digit of a year).
  function navigate(next, how, field) {
    const url = pageURL(next);
    const here = location.pathname + location.search;
    const typing = how === "type" ? field || "q" : false;
    const entry = { typing, fromResults: !state.id && !!next.id };
    const typingOn = typing && history.state && history.state.typing === typing;
    if (url === here || typingOn) {
      history.replaceState({ ...history.state, typing }, "", url);
    } else {
      history.pushState(entry, "", url);
    }
    const moved = next.id !== state.id || next.page !== state.page;
    state = next;
    render();
    if (moved && how === "push") window.scrollTo(0, 0);
  }

  function withChanges(changes) {
    // Any change to what is searched starts again at page 1.
    return { ...state, page: 1, id: "", ...changes };
  }

  // ---- talking to the API ----

  let seq = 0; // the latest request; older answers are dropped
  let inflight = null;

  async function getJSON(url, signal) {
    let res;
    try {
      res = await fetch(url, { signal, headers: { Accept: "application/json" } });
    } catch (err) {
      if (err.name === "AbortError") throw err;
      throw new Error("Could not reach the server. Check your connection and try again.");
    }
    let body = null;
    try {
      body = await res.json();
    } catch (err) {
      if (err.name === "AbortError") throw err;
    }
    if (!res.ok) {
      const msg = body && typeof body.error === "string" && body.error
        ? body.error : "The server answered " + res.status + " " + res.statusText + ".";
      throw new Error(msg);
    }
    if (!body || typeof body !== "object") {
      throw new Error("The server sent an answer this page cannot read.");
    }
    return body;
  }

  async function render() {
    const mine = ++seq;
    if (inflight) inflight.abort();
    inflight = new AbortController();
    const { signal } = inflight;
    const s = state;
    syncControls(s);
    document.body.setAttribute("aria-busy", "true");
    try {
      if (s.id) {
        // The similar articles are asked for at once; the article does
        // without them when they fail.
        const similar = getJSON(similarURL(s.id), signal).catch(() => null);
        const a = await getJSON(articleURL(s.id, s.q), signal);
        if (mine === seq) {
          showArticle(a);
          drawVersions(a, s);
        }
        const like = await similar;
        if (mine === seq) drawSimilar(like, s);
      } else {
        const key = facetKey(s);
        const cached = facetCache.key === key;
        const r = await getJSON(searchURL(s, !cached), signal);
        if (cached) {
          r.facets = facetCache.facets;
          r.facets_approximate = facetCache.approximate;
          r.timeline = facetCache.timeline;
        } else {
          facetCache = { key, facets: r.facets, approximate: r.facets_approximate, timeline: r.timeline };
        }
        if (mine === seq) showResults(r, s);
      }
    } catch (err) {
      if (mine === seq && err.name !== "AbortError") showError(err.message, s);
    } finally {
      if (mine === seq) document.body.removeAttribute("aria-busy");
    }
  }

  // ---- drawing ----

  function el(tag, className, text) {
    const e = document.createElement(tag);
    if (className) e.className = className;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function syncControls(s) {
    if (ui.q.value.trim() !== s.q) ui.q.value = s.q;
    ui.sort.value = s.sort;
    // Only a different value is written: writing would reset a date the
    // person is still typing.
    if (ui.dateFrom.value !== s.dateFrom) ui.dateFrom.value = s.dateFrom;
    if (ui.dateTo.value !== s.dateTo) ui.dateTo.value = s.dateTo;
    ui.back.href = pageURL({ ...s, id: "" });
  }

  function showView(articleView) {
    ui.searchView.hidden = articleView;
    ui.article.hidden = !articleView;
  }

  function showError(message, s) {
    ui.error.textContent = message;
    ui.error.hidden = false;
    if (s.id) {
      showView(true);
      ui.articleTitle.textContent = "Article not available";
      ui.articleMeta.textContent = "";
      ui.articleFacts.replaceChildren();
      ui.articleFacts.hidden = true;
      ui.articleBody.replaceChildren();
      drawSimilar(null, s);
      document.title = "Not available — newsfind";
    } else {
      // Keep the active filters on screen: one of them may be the problem.
      showView(false);
      ui.summary.textContent = "";
      ui.didYouMean.hidden = true;
      ui.results.replaceChildren();
      drawPager(1, 0, s);
      drawTimeline(null, s);
      drawTakeAway(s, 0);
      drawFacets({}, s, 0);
    }
  }

  // formatDate turns an RFC 3339 time into "18 Dec 2021": the calendar date
  // as written, in the publication's own zone (the offset it carries), so
  // "2023-02-26T23:30:00-05:00" is 26 Feb wherever the page is read.
  function formatDate(iso) {
    const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso || "");
    if (!m || +m[1] <= 1 || +m[2] < 1 || +m[2] > 12) return "";
    return +m[3] + " " + MONTHS[+m[2] - 1] + " " + +m[1];
  }

  // meta builds "date · source · …" from text parts, skipping empty ones.
  function fillMeta(node, date, parts) {
    node.replaceChildren();
    const shown = formatDate(date);
    if (shown) {
      const t = el("time", "", shown);
      t.dateTime = date;
      node.append(t);
    }
    for (const [cls, text] of parts) {
      if (!text) continue;
      if (node.childNodes.length) node.append(" · ");
      node.append(el("span", cls, text));
    }
  }

  function plural(n, one, many) {
    return n.toLocaleString("en") + " " + (n === 1 ? one : many);
  }

  // counted is how many results r says there are: past the search's exact
  // count its total is an estimate (total_estimated), "about 97,700
  // results", or else a lower bound (total_exact false), "10,000+ results".
  function counted(r, total, one, many) {
    if (r.total_estimated) return "about " + plural(total, one, many);
    return r.total_exact === false ? total.toLocaleString("en") + "+ " + many : plural(total, one, many);
  }

  // Whether the matches have dates: an archive (or a search) with no dated
  // article has nothing to sort or filter by date, so the page offers
  // neither, no timeline, and does not say "newest first". Known from the
  // timeline (or the year facet) whenever facets were counted; a date
  // filter or sort in force keeps the controls, so it can be changed.
  let dated = true;
  function showDateControls(r, s) {
    if (r.facets && Array.isArray(r.facets.year)) dated = r.facets.year.length > 0 || !!r.timeline;
    const shown = dated || !!(s.dateFrom || s.dateTo) || s.year.length > 0 || s.month.length > 0
      || s.sort === "date" || s.sort === "-date";
    ui.dateRange.hidden = !shown;
    for (const o of ui.sort.options) {
      if (o.value !== "relevance") o.hidden = o.disabled = !shown;
    }
    return shown;
  }

  function showResults(r, s) {
    ui.error.hidden = true;
    showView(false);
    const total = Number(r.total) || 0;
    const size = Number(r.size) || 10;
    const page = Number(r.page) || s.page;
    const hits = Array.isArray(r.hits) ? r.hits : [];
    const pages = Math.min(Math.ceil(total / size), MAX_PAGE);
    const filters = filterCount(s);
    const withDates = showDateControls(r, s);

    if (total === 0) {
      ui.summary.textContent = (s.q ? "No results for “" + s.q + "”." : "No articles.")
        + (filters ? " Try removing a filter (" + filters + " active)." : "");
    } else {
      const took = Number(r.took_ms) || 0;
      let text = counted(r, total, "result", "results") + " in "
        + (took < 10 ? took.toFixed(1) : Math.round(took)) + " ms" + (r.cached ? " (cached)" : "");
      if (!s.q) text = counted(r, total, "article", "articles")
        + (withDates ? ", " + (s.sort === "date" ? "oldest" : "newest") + " first" : "");
      if (pages > 1 && page <= pages) text += " · page " + page + " of " + pages;
      if (r.relaxed) text = "Nothing matches the exact phrase or field; showing articles with the words. " + text;
      ui.summary.textContent = text;
    }

    drawDidYouMean(r, s);
    drawTimeline(total ? r.timeline : null, s);
    ui.results.start = (page - 1) * size + 1;
    ui.results.replaceChildren(...hits.map((h) => hitItem(h, s)));
    if (total > 0 && hits.length === 0) {
      const li = el("li", "empty", "This page is past the last result. ");
      const a = el("a", "", "Go to page 1");
      a.href = pageURL({ ...s, page: 1 });
      a.dataset.page = "1";
      li.append(a);
      ui.results.append(li);
    }
    drawPager(page, pages, s);
    drawTakeAway(s, total);
    approximate = !!r.facets_approximate;
    drawFacets(r.facets || {}, s, total);
    document.title = (s.q ? s.q + " — " : "") + "newsfind";
  }

  // drawDidYouMean shows the archive's spelling of a misspelt query: the
  // results are for it ("Showing results for …", with a link to search as
  // typed) or, when the words as typed found articles themselves, it is
  // offered as a link. Everything is text.
  function drawDidYouMean(r, s) {
    const dym = typeof r.did_you_mean === "string" ? r.did_you_mean : "";
    const box = ui.didYouMean;
    box.replaceChildren();
    box.hidden = !dym || !s.q;
    if (box.hidden) return;
    const link = (next, child) => {
      const a = el("a");
      a.href = pageURL(next);
      a.append(child);
      a.addEventListener("click", (e) => {
        if (!plainClick(e)) return;
        e.preventDefault();
        navigate(next, "push");
      });
      return a;
    };
    if (r.corrected) {
      box.append("Showing results for ", el("strong", "", dym), " — search instead for ",
        link(withChanges({ noTypo: true }), s.q));
    } else {
      box.append("Did you mean ", link(withChanges({ q: dym, noTypo: false }), el("strong", "", dym)), "?");
    }
  }

  function firstFragments(h, field) {
    const f = h.fragments && h.fragments[field];
    return Array.isArray(f) ? f.filter((x) => typeof x === "string" && x !== "") : [];
  }

  function hitItem(h, s) {
    const li = el("li", "hit");
    const heading = el("h2", "hit-title");
    const a = el("a");
    a.href = pageURL({ ...s, id: h.id });
    a.dataset.id = h.id;
    const title = firstFragments(h, "title");
    if (title.length) a.innerHTML = title[0]; // escaped by the server but for <mark>
    else a.textContent = h.title || h.id;
    heading.append(a);
    li.append(heading);

    const meta = el("p", "meta");
    // The section says where an article without a date or source is from.
    const section = !formatDate(h.date) && !h.source ? h.section : "";
    fillMeta(meta, h.date, [["source", h.source], ["section", section]]);
    if (meta.childNodes.length) li.append(meta);

    for (const frag of firstFragments(h, "body")) {
      const p = el("p", "fragment");
      p.innerHTML = frag; // escaped by the server but for <mark>
      li.append(p);
    }
    const versions = versionsList(h, s);
    if (versions) li.append(versions);
    return li;
  }

  // versionsList is the "N more versions" of a hit that stands for a story
  // filed several times (its duplicates): closed, it opens to links to
  // each version's article view. null when the hit has none.
  function versionsList(h, s) {
    const ids = Array.isArray(h.duplicates) ? h.duplicates.filter((x) => typeof x === "string" && x !== "") : [];
    if (!ids.length) return null;
    const box = el("details", "versions");
    box.append(el("summary", "", ids.length + (ids.length === 1 ? " more version" : " more versions")));
    const list = el("ul");
    for (const id of ids) {
      const a = el("a", "", id);
      a.href = pageURL({ ...s, id });
      a.dataset.id = id;
      const item = el("li");
      item.append(a);
      list.append(item);
    }
    box.append(list);
    return box;
  }

  function pageLink(label, target, s, current) {
    const li = el("li");
    if (target === null) {
      li.append(el("span", "gap", label));
      return li;
    }
    const a = el("a", "", label);
    a.href = pageURL({ ...s, page: target });
    a.dataset.page = String(target);
    if (current) a.setAttribute("aria-current", "page");
    li.append(a);
    return li;
  }

  // drawPager shows prev/next and page numbers around the current page, the
  // first and last always, "…" for the gaps.
  function drawPager(page, pages, s) {
    ui.pager.replaceChildren();
    ui.pager.hidden = pages <= 1;
    if (pages <= 1) return;
    const ul = el("ul");
    if (page > 1) {
      const prev = pageLink("‹ Previous", Math.min(page - 1, pages), s, false);
      prev.firstChild.rel = "prev";
      ul.append(prev);
    }
    let last = 0;
    for (let n = 1; n <= pages; n++) {
      if (n !== 1 && n !== pages && Math.abs(n - page) > 2) continue;
      if (n - last > 1) ul.append(pageLink("…", null, s, false));
      ul.append(pageLink(String(n), n, s, n === page));
      last = n;
    }
    if (page < pages) {
      const next = pageLink("Next ›", page + 1, s, false);
      next.firstChild.rel = "next";
      ul.append(next);
    }
    ui.pager.append(ul);
  }

  // drawTimeline draws the dated matches over time above the results
  // (timeline.js); a bar, or bars dragged across, set the date range.
  function drawTimeline(timeline, s) {
    if (!window.newsfindTimeline) return;
    window.newsfindTimeline.draw(timeline, { from: s.dateFrom, to: s.dateTo }, (from, to) => {
      navigate(withChanges({ dateFrom: from, dateTo: to }), "push");
    });
  }

  // facetLabel is how a value is shown: months as "Dec 2021".
  function facetLabel(field, value) {
    const m = field === "month" && /^(\d{4})-(\d{2})$/.exec(value);
    const month = m ? Number(m[2]) : 0;
    return month >= 1 && month <= 12 ? MONTHS[month - 1] + " " + m[1] : value;
  }

  // Groups the person opened with "more"; kept while the page is open.
  const expanded = new Set();

  // drawFacets draws the filter column: a group of toggles per facet with
  // values, the date range and "Clear filters". The column is left out only
  // when there is nothing to narrow and nothing to undo.
  // approximate is set while the shown facet counts are those of a
  // sample (of a search past its exact count: estimates, or the first
  // matches counted as they are).
  let approximate = false;

  function drawFacets(facets, s, total) {
    // Redrawing replaces the buttons: keep the keyboard on the one in use.
    const had = document.activeElement;
    const focus = had && ui.facetGroups.contains(had) ? { ...had.dataset } : null;
    ui.facetGroups.replaceChildren();
    for (const [field, label] of FACETS) {
      const counts = (Array.isArray(facets[field]) ? facets[field] : [])
        .filter((f) => f && f.value !== "" && f.value !== undefined && f.value !== null)
        .map((f) => ({ value: String(f.value), count: Number(f.count) || 0 }));
      // An active filter stays visible, so it can be turned off.
      for (const v of s[field]) {
        if (!counts.some((f) => f.value === v)) counts.unshift({ value: v, count: 0 });
      }
      // The timeline shows the months; a month filter in force (from a
      // link) still shows, so that it can be turned off.
      if (field === "month" && !s.month.length) continue;
      if (field === "year" || field === "month") counts.sort((a, b) => b.value.localeCompare(a.value));
      if (!counts.length) continue;
      ui.facetGroups.append(facetGroup(field, label, counts, s));
    }
    const filters = filterCount(s);
    ui.clear.hidden = filters === 0;
    ui.dateRange.classList.toggle("active", !!(s.dateFrom || s.dateTo));
    ui.dateFrom.parentElement.classList.toggle("set", !!s.dateFrom);
    ui.dateTo.parentElement.classList.toggle("set", !!s.dateTo);
    ui.filterToggle.textContent = "Filters" + (filters ? " (" + filters + ")" : "");
    ui.facets.hidden = total === 0 && filters === 0;
    if (focus) {
      const again = [...ui.facetGroups.querySelectorAll("button")].find((b) =>
        b.dataset.field === focus.field && b.dataset.value === focus.value
        && b.dataset.more === focus.more);
      if (again) again.focus({ preventScroll: true });
    }
  }

  function facetGroup(field, label, counts, s) {
    const group = el("div", "facet-group");
    const id = "facet-" + field;
    const h = el("h3", "", label);
    h.id = id;
    const ul = el("ul");
    ul.id = id + "-values";
    ul.setAttribute("aria-labelledby", id);
    // Folding away a single value would save nothing.
    const fold = counts.length > FACET_SHOWN + 1;
    let extra = 0;
    counts.forEach((f, i) => {
      const on = s[field].includes(f.value);
      const b = el("button", "facet");
      b.type = "button";
      b.dataset.field = field;
      b.dataset.value = f.value;
      b.setAttribute("aria-pressed", String(on));
      b.append(el("span", "value", facetLabel(field, f.value)), " ",
        el("span", "count", (approximate && f.count ? "≈" : "") + f.count.toLocaleString("en")));
      const li = el("li");
      // Values past the first few wait behind "more"; active ones never do.
      if (fold && i >= FACET_SHOWN && !on) {
        li.className = "extra";
        extra++;
      }
      li.append(b);
      ul.append(li);
    });
    group.append(h, ul);
    if (extra) {
      const more = el("button", "more");
      more.type = "button";
      more.dataset.more = field;
      more.setAttribute("aria-controls", ul.id);
      more.dataset.extra = String(extra);
      group.append(more);
      setExpanded(group, expanded.has(field));
    }
    return group;
  }

  function setExpanded(group, open) {
    const more = group.querySelector("button.more");
    for (const li of group.querySelectorAll("li.extra")) li.hidden = !open;
    more.setAttribute("aria-expanded", String(open));
    more.textContent = open ? "Show fewer" : Number(more.dataset.extra).toLocaleString("en") + " more";
  }

  // languageName turns a language code such as "en" into "English".
  function languageName(code) {
    try {
      return new Intl.DisplayNames(["en"], { type: "language" }).of(code) || code;
    } catch {
      return code; // not a language tag, or no Intl.DisplayNames
    }
  }

  // webAddress returns url when it is an http(s) address, else "": anything
  // else (javascript:, data:, …) must never become a link.
  function webAddress(url) {
    if (typeof url !== "string" || url === "") return "";
    try {
      const u = new URL(url);
      return u.protocol === "http:" || u.protocol === "https:" ? u.href : "";
    } catch {
      return "";
    }
  }

  function textList(v) {
    return (Array.isArray(v) ? v : []).filter((x) => typeof x === "string" && x !== "");
  }

  // drawFacts fills the list under an article's meta line: its people,
  // places and organizations as searches, dateline, language and address.
  function drawFacts(a) {
    const dl = ui.articleFacts;
    dl.replaceChildren();
    const row = (label, ...content) => {
      const dd = el("dd");
      dd.append(...content);
      dl.append(el("dt", "", label), dd);
    };
    for (const [key, field, label] of ENTITIES) {
      const names = distinct(textList(a[key]));
      if (!names.length) continue;
      const links = [];
      for (const name of names) {
        if (links.length) links.push(", ");
        const link = el("a", "", name);
        link.href = pageURL({ ...readState(""), [field]: [name] });
        link.dataset.field = field;
        link.dataset.value = name;
        links.push(link);
      }
      row(label, ...links);
    }
    if (typeof a.place === "string" && a.place) row("Dateline", a.place);
    if (typeof a.language === "string" && a.language) row("Language", languageName(a.language));
    const href = webAddress(a.url);
    if (href) {
      const link = el("a", "", a.url);
      link.href = href;
      link.rel = "noopener noreferrer";
      row("Original", link);
    }
    dl.hidden = !dl.childNodes.length;
  }

  function showArticle(a) {
    ui.error.hidden = true;
    showView(true);
    // After a search, its words come marked (escaped by the server but
    // for <mark>); the paragraphs are split as the plain body's are.
    const m = a.marked && typeof a.marked.title === "string" && typeof a.marked.body === "string"
      ? a.marked : null;
    if (m && m.title) ui.articleTitle.innerHTML = m.title;
    else ui.articleTitle.textContent = a.title || a.id || "Untitled";
    fillMeta(ui.articleMeta, a.date, [
      ["source", a.source],
      ["author", a.author ? "By " + a.author : ""],
      ["words", a.word_count ? plural(Number(a.word_count), "word", "words") : ""],
    ]);
    drawFacts(a);
    const paragraphs = String(m ? m.body : a.body || "").split(/\n\s*\n/)
      .map((p) => p.trim()).filter((p) => p !== "");
    ui.articleBody.replaceChildren(...paragraphs.map((p) => {
      const para = el("p");
      if (m) para.innerHTML = p;
      else para.textContent = p;
      return para;
    }));
    document.title = (a.title || "Article") + " — newsfind";
    ui.articleTitle.focus({ preventScroll: true });
  }

  // drawVersions lists the other versions of the story of article a (its
  // near-duplicates, found at index time), each a link to its view.
  function drawVersions(a, s) {
    const ids = Array.isArray(a.versions) ? a.versions.filter((id) => typeof id === "string") : [];
    ui.versionsList.replaceChildren(...ids.map((id) => {
      const link = el("a", "", id);
      link.href = pageURL({ ...s, id });
      link.dataset.id = id;
      const li = el("li");
      li.append(link);
      return li;
    }));
    ui.articleVersions.hidden = ids.length === 0;
  }

  // drawSimilar lists the articles like the one shown (an answer of
  // api/articles/{id}/similar, or null), each a link to its view; the
  // search the article was opened from stays with them.
  function drawSimilar(r, s) {
    const hits = r && Array.isArray(r.hits) ? r.hits.filter((h) => h && typeof h.id === "string") : [];
    ui.similarList.replaceChildren(...hits.map((h) => {
      const li = el("li");
      const link = el("a", "", typeof h.title === "string" && h.title ? h.title : h.id);
      link.href = pageURL({ ...s, id: h.id });
      link.dataset.id = h.id;
      li.append(link);
      const meta = el("span", "meta");
      fillMeta(meta, h.date, [["source", h.source]]);
      if (meta.childNodes.length) li.append(" ", meta);
      return li;
    }));
    ui.similar.hidden = hits.length === 0;
  }

  // ---- suggestions: the search box as a WAI-ARIA combobox ----
  //
  // While one types, the words and names that complete the text show in a
  // list under the box (from api/suggest). Up/Down move through it, Enter
  // or a click searches the one chosen, Escape closes it. Only the answer
  // to the latest text is shown; a failed request shows nothing, and the
  // search box works as before.

  let suggestSeq = 0; // the latest suggestion request; older answers are dropped
  let suggestAbort = null;
  let suggestTimer = 0;
  let shown = []; // the suggestions in the list
  let active = -1; // the one chosen with the arrows, or -1

  function closeSuggestions() {
    ++suggestSeq;
    clearTimeout(suggestTimer);
    if (suggestAbort) suggestAbort.abort();
    suggestAbort = null;
    shown = [];
    active = -1;
    ui.suggestions.replaceChildren();
    ui.suggestions.hidden = true;
    ui.q.setAttribute("aria-expanded", "false");
    ui.q.removeAttribute("aria-activedescendant");
  }

  function drawSuggestions(list) {
    shown = list;
    active = -1;
    ui.q.removeAttribute("aria-activedescendant");
    ui.suggestions.replaceChildren(...list.map((sg, i) => {
      const li = el("li");
      li.id = "suggestion-" + i;
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", "false");
      li.dataset.index = String(i);
      li.append(el("span", "text", sg.text));
      // Words need no label; names say what they name.
      if (sg.kind !== "term") li.append(el("span", "kind", sg.kind));
      return li;
    }));
    const open = list.length > 0;
    ui.suggestions.hidden = !open;
    ui.q.setAttribute("aria-expanded", String(open));
  }

  function setActive(i) {
    active = i;
    for (const li of ui.suggestions.children) {
      li.setAttribute("aria-selected", String(Number(li.dataset.index) === i));
    }
    if (i >= 0) {
      ui.q.setAttribute("aria-activedescendant", "suggestion-" + i);
      ui.suggestions.children[i].scrollIntoView({ block: "nearest" });
    } else {
      ui.q.removeAttribute("aria-activedescendant");
    }
  }

  // validSuggestions keeps the well-formed items of an answer.
  function validSuggestions(body) {
    const list = body && Array.isArray(body.suggestions) ? body.suggestions : [];
    return list.filter((sg) => sg && typeof sg.text === "string" && sg.text !== "")
      .map((sg) => ({ text: sg.text, kind: typeof sg.kind === "string" ? sg.kind : "term" }));
  }

  async function askSuggestions(text) {
    const mine = ++suggestSeq;
    if (suggestAbort) suggestAbort.abort();
    suggestAbort = new AbortController();
    const url = "api/suggest?" + new URLSearchParams({ q: text, size: String(SUGGEST_SIZE) });
    let list = [];
    try {
      list = validSuggestions(await getJSON(url, suggestAbort.signal));
    } catch {
      list = []; // no suggestions; searching still works
    }
    // A late answer to older text is not shown.
    if (mine !== suggestSeq || ui.q.value !== text || document.activeElement !== ui.q) return;
    drawSuggestions(list);
  }

  function pickSuggestion(i) {
    const sg = shown[i];
    if (!sg) return;
    closeSuggestions();
    clearTimeout(typingTimer);
    ui.q.value = sg.text;
    navigate(withChanges({ q: sg.text }), "push");
  }

  ui.q.addEventListener("input", () => {
    clearTimeout(suggestTimer);
    const text = ui.q.value;
    // The text's length is capped by the API; nothing is asked beyond it.
    if (text.trim() === "" || text.length > 200) {
      closeSuggestions();
      return;
    }
    suggestTimer = setTimeout(() => askSuggestions(text), SUGGEST_MS);
  });

  ui.q.addEventListener("keydown", (e) => {
    if (e.isComposing) return;
    const open = !ui.suggestions.hidden && shown.length > 0;
    switch (e.key) {
      case "ArrowDown":
        if (!open) return;
        e.preventDefault();
        setActive(active + 1 < shown.length ? active + 1 : 0);
        break;
      case "ArrowUp":
        if (!open) return;
        e.preventDefault();
        setActive(active > 0 ? active - 1 : shown.length - 1);
        break;
      case "Enter":
        if (!open || active < 0) return; // the form searches what was typed
        e.preventDefault();
        pickSuggestion(active);
        break;
      case "Escape":
        if (!open) return; // the browser's own Escape empties the box
        e.preventDefault();
        closeSuggestions();
        break;
    }
  });

  ui.q.addEventListener("blur", () => closeSuggestions());
  // Pressing on an option must not take the focus from the box first.
  ui.suggestions.addEventListener("mousedown", (e) => e.preventDefault());
  ui.suggestions.addEventListener("click", (e) => {
    const li = e.target.closest("li[role=option]");
    if (li) pickSuggestion(Number(li.dataset.index));
  });

  // ---- events ----

  // plainClick is a left click without modifiers: other clicks open links
  // in new tabs the usual way.
  function plainClick(e) {
    return e.button === 0 && !e.metaKey && !e.ctrlKey && !e.shiftKey && !e.altKey;
  }

  let typingTimer = 0;

  ui.q.addEventListener("input", () => {
    clearTimeout(typingTimer);
    typingTimer = setTimeout(() => {
      const q = ui.q.value.trim();
      if (q !== state.q || state.id) navigate(withChanges({ q, noTypo: false }), "type");
    }, DEBOUNCE_MS);
  });

  ui.form.addEventListener("submit", (e) => {
    e.preventDefault();
    clearTimeout(typingTimer);
    closeSuggestions();
    navigate(withChanges({ q: ui.q.value.trim(), noTypo: false }), "push");
  });

  ui.sort.addEventListener("change", () => {
    navigate(withChanges({ sort: ui.sort.value }), "push");
  });

  ui.home.addEventListener("click", (e) => {
    if (!plainClick(e)) return;
    e.preventDefault();
    navigate(readState(""), "push");
    ui.q.focus();
  });

  ui.results.addEventListener("click", (e) => {
    const a = e.target.closest("a[data-id], a[data-page]");
    if (!a || !plainClick(e)) return;
    e.preventDefault();
    if (a.dataset.id !== undefined) navigate({ ...state, id: a.dataset.id }, "push");
    else navigate({ ...state, page: Number(a.dataset.page) }, "push");
  });

  ui.pager.addEventListener("click", (e) => {
    const a = e.target.closest("a[data-page]");
    if (!a || !plainClick(e)) return;
    e.preventDefault();
    navigate({ ...state, page: Number(a.dataset.page) }, "push");
  });

  ui.facets.addEventListener("click", (e) => {
    const b = e.target.closest("button");
    if (!b) return;
    if (b === ui.clear) {
      navigate(withChanges(noFilters()), "push");
      return;
    }
    if (b === ui.filterToggle) {
      const open = ui.facets.classList.toggle("open");
      b.setAttribute("aria-expanded", String(open));
      return;
    }
    if (b.dataset.more) {
      const open = !expanded.has(b.dataset.more);
      if (open) expanded.add(b.dataset.more);
      else expanded.delete(b.dataset.more);
      setExpanded(b.closest(".facet-group"), open);
      return;
    }
    const { field, value } = b.dataset;
    if (!field) return;
    const on = state[field];
    const next = on.includes(value) ? on.filter((v) => v !== value) : [...on, value];
    navigate(withChanges({ [field]: next }), "push");
  });

  // A date input reports a change for each complete date, including while
  // a year is typed digit by digit; "type" keeps those to one history entry.
  for (const [input, key, param] of [[ui.dateFrom, "dateFrom", "date_from"],
    [ui.dateTo, "dateTo", "date_to"]]) {
    input.addEventListener("change", () => {
      if (input.value !== state[key]) {
        navigate(withChanges({ [key]: input.value }), "type", param);
      }
    });
  }

  ui.articleFacts.addEventListener("click", (e) => {
    const a = e.target.closest("a[data-field]");
    if (!a || !plainClick(e)) return;
    e.preventDefault();
    navigate({ ...readState(""), [a.dataset.field]: [a.dataset.value] }, "push");
  });

  for (const list of [ui.similarList, ui.versionsList]) {
    list.addEventListener("click", (e) => {
      const a = e.target.closest("a[data-id]");
      if (!a || !plainClick(e)) return;
      e.preventDefault();
      navigate({ ...state, id: a.dataset.id }, "push");
    });
  }

  ui.back.addEventListener("click", (e) => {
    if (!plainClick(e)) return;
    e.preventDefault();
    // Coming from the results, going back restores them where they were.
    if (history.state && history.state.fromResults) history.back();
    else navigate({ ...state, id: "" }, "push");
  });

  window.addEventListener("popstate", () => {
    clearTimeout(typingTimer);
    closeSuggestions();
    state = readState(location.search);
    render();
  });

  render();
})();
