// Package web holds newsfind's browser page, embedded into searchd.
//
// The page is plain HTML, CSS and JavaScript with no build step and no
// resources from other origins. It keeps all of its state (query, filters,
// sort, page, open article) in the query string of "/", and talks to the
// server only through the JSON API (/api/search, /api/articles/{id}). It is
// not a server: internal/server decides how and where Assets are served.
package web

import "embed"

// Assets is the page: index.html, app.js, timeline.js (the timeline
// chart), style.css and its icon, favicon.svg, at its root.
//
//go:embed index.html app.js timeline.js style.css favicon.svg
var Assets embed.FS
