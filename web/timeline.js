// newsfind's timeline: the dated matches of a search as a bar chart in
// inline SVG, one bar per day, month or year (the API's "timeline").
// Clicking a bar, or dragging across bars, picks the dates they cover;
// Enter or Space on a focused bar picks it too. It draws only what it is
// given, as text and shapes: no server text becomes markup.
"use strict";

(() => {
  const SVG = "http://www.w3.org/2000/svg";
  const HEIGHT = 64; // the chart's height in its own units
  const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun",
    "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

  // parseDay reads "YYYY-MM-DD" as a UTC date, or null.
  function parseDay(s) {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(String(s));
    return m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : null;
  }

  function dayString(d) {
    return d.toISOString().slice(0, 10);
  }

  // lastDay returns the last day of the bucket starting on start.
  function lastDay(start, interval) {
    const y = start.getUTCFullYear(), m = start.getUTCMonth();
    if (interval === "year") return new Date(Date.UTC(y, 11, 31));
    if (interval === "month") return new Date(Date.UTC(y, m + 1, 0));
    return start;
  }

  // label names a bucket: "2021", "Dec 2021" or "18 Dec 2021".
  function label(start, interval) {
    const y = start.getUTCFullYear();
    if (interval === "year") return String(y);
    const month = MONTHS[start.getUTCMonth()] + " " + y;
    return interval === "month" ? month : start.getUTCDate() + " " + month;
  }

  function svgEl(tag, attrs) {
    const e = document.createElementNS(SVG, tag);
    for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, String(v));
    return e;
  }

  // buckets keeps the well-formed buckets of a timeline, with their dates.
  function buckets(timeline) {
    const list = timeline && Array.isArray(timeline.buckets) ? timeline.buckets : [];
    const interval = timeline && ["day", "month", "year"].includes(timeline.interval)
      ? timeline.interval : "";
    if (!interval) return [];
    const out = [];
    for (const b of list) {
      const start = parseDay(b && b.start);
      if (!start) return [];
      const end = lastDay(start, interval);
      out.push({ start, end, count: Math.max(0, Number(b.count) || 0),
        from: dayString(start), to: dayString(end), label: label(start, interval) });
    }
    return out;
  }

  // draw fills figure (holding an <svg> and a <figcaption>) with the chart
  // of timeline and returns whether there was one to draw. The bars whose
  // days fall within from..to (YYYY-MM-DD, either may be "") are marked
  // as chosen. onPick(from, to) is called with the days a click, a drag or
  // a key picks.
  function draw(figure, timeline, range, onPick) {
    const svg = figure.querySelector("svg");
    const caption = figure.querySelector("figcaption");
    const list = buckets(timeline);
    svg.replaceChildren();
    figure.hidden = list.length === 0;
    if (!list.length) return false;
    const n = list.length;
    const max = Math.max(1, ...list.map((b) => b.count));
    const total = list.reduce((sum, b) => sum + b.count, 0);
    const bar = 10, gap = n > 60 ? 0 : 2;
    svg.setAttribute("viewBox", "0 0 " + n * (bar + gap) + " " + HEIGHT);
    svg.setAttribute("preserveAspectRatio", "none");
    const { from = "", to = "" } = range || {};
    list.forEach((b, i) => {
      const g = svgEl("g", { class: "bar", "data-index": i, "data-from": b.from, "data-to": b.to,
        tabindex: 0, role: "button" });
      const what = b.label + ": " + b.count.toLocaleString("en") + (b.count === 1 ? " article" : " articles");
      g.setAttribute("aria-label", what);
      if ((from || to) && (!from || b.to >= from) && (!to || b.from <= to)) g.classList.add("chosen");
      const title = svgEl("title");
      title.textContent = what;
      const h = b.count ? Math.max(2, (b.count / max) * (HEIGHT - 2)) : 0;
      // The whole column answers the pointer, so short bars are easy to hit.
      g.append(title, svgEl("rect", { class: "hit", x: i * (bar + gap), y: 0, width: bar + gap, height: HEIGHT }),
        svgEl("rect", { class: "fill", x: i * (bar + gap), y: HEIGHT - h, width: bar, height: h }));
      svg.append(g);
    });
    const first = list[0].label, last = list[n - 1].label;
    caption.textContent = total.toLocaleString("en") + (total === 1 ? " dated article" : " dated articles")
      + " by " + timeline.interval + (n > 1 ? ", " + first + " – " + last : ", " + first)
      + ". Click a bar or drag across bars to choose dates.";
    figure.onPick = onPick;
    return true;
  }

  // The pointer: pressing on a bar starts a range, moving marks the bars
  // it spans, releasing picks them.
  function listen(figure) {
    const svg = figure.querySelector("svg");
    let anchor = -1;
    const bars = () => [...svg.querySelectorAll("g.bar")];
    const indexAt = (x) => {
      const r = svg.getBoundingClientRect();
      const all = bars();
      if (!all.length || r.width <= 0) return -1;
      return Math.min(all.length - 1, Math.max(0, Math.floor((x - r.left) / r.width * all.length)));
    };
    const mark = (a, b) => {
      const lo = Math.min(a, b), hi = Math.max(a, b);
      bars().forEach((g, i) => g.classList.toggle("spanned", a >= 0 && i >= lo && i <= hi));
    };
    const pick = (a, b) => {
      const all = bars();
      const lo = all[Math.min(a, b)], hi = all[Math.max(a, b)];
      if (lo && hi && figure.onPick) figure.onPick(lo.dataset.from, hi.dataset.to);
    };
    svg.addEventListener("pointerdown", (e) => {
      if (e.button !== 0) return;
      const g = e.target.closest("g.bar");
      if (!g) return;
      e.preventDefault();
      anchor = Number(g.dataset.index);
      svg.setPointerCapture(e.pointerId);
      mark(anchor, anchor);
    });
    svg.addEventListener("pointermove", (e) => {
      if (anchor >= 0) mark(anchor, indexAt(e.clientX));
    });
    svg.addEventListener("pointerup", (e) => {
      if (anchor < 0) return;
      const a = anchor;
      anchor = -1;
      mark(-1, -1);
      pick(a, indexAt(e.clientX));
    });
    svg.addEventListener("pointercancel", () => {
      anchor = -1;
      mark(-1, -1);
    });
    svg.addEventListener("keydown", (e) => {
      const g = e.target.closest("g.bar");
      if (!g || (e.key !== "Enter" && e.key !== " ")) return;
      e.preventDefault();
      pick(Number(g.dataset.index), Number(g.dataset.index));
    });
  }

  const figure = document.getElementById("timeline");
  if (figure) listen(figure);
  window.newsfindTimeline = { draw: (timeline, range, onPick) => figure ? draw(figure, timeline, range, onPick) : false };
})();
