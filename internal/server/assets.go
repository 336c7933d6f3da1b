package server

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strconv"
	"strings"
	"time"
)

// assetCacheControl makes browsers revalidate the page's files on every
// use: their names carry no version, so a long max-age would keep an old
// script after an upgrade, while a revalidation costs a 304 without a body.
const assetCacheControl = "no-cache"

// asset is one file of the page, read and compressed once at start-up.
type asset struct {
	name        string
	contentType string
	body        []byte
	etag        string // strong validator of body
	gz          []byte // body gzipped; nil when that would not be smaller
	gzETag      string // validator of the gzipped representation
}

// assets serves the web page's files from memory: each file with its
// Content-Type, an ETag, Cache-Control, and gzipped when the client accepts
// it and that makes it smaller (Vary: Accept-Encoding). Conditional and
// range requests are answered by http.ServeContent (304 on a matching
// If-None-Match).
type assets struct {
	files map[string]*asset
	err   error // why the files could not be read; every request is a 500
	log   func(msg string, args ...any)
}

// aliases are paths served with another file: browsers ask for
// /favicon.ico whatever the page says, and an SVG icon serves them all.
var aliases = map[string]string{
	"":            "index.html",
	"favicon.ico": "favicon.svg",
}

// loadAssets reads every file of fsys (nil: none) and precompresses those
// that shrink, so no request pays for compression.
func loadAssets(fsys fs.FS) (map[string]*asset, error) {
	files := map[string]*asset{}
	if fsys == nil {
		return files, nil
	}
	err := fs.WalkDir(fsys, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return err
		}
		body, err := fs.ReadFile(fsys, name)
		if err != nil {
			return err
		}
		a := &asset{name: name, body: body, etag: etagOf(body, "")}
		a.contentType = mime.TypeByExtension(path.Ext(name))
		if a.contentType == "" {
			a.contentType = http.DetectContentType(body)
		}
		if compressible(a.contentType) {
			var buf bytes.Buffer
			zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression) // the level is valid
			if _, err := zw.Write(body); err != nil {
				return fmt.Errorf("gzip %s: %w", name, err)
			}
			if err := zw.Close(); err != nil {
				return fmt.Errorf("gzip %s: %w", name, err)
			}
			if buf.Len() < len(body) {
				a.gz, a.gzETag = buf.Bytes(), etagOf(body, "-gzip")
			}
		}
		files[name] = a
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read the page's files: %w", err)
	}
	return files, nil
}

// etagOf is a strong ETag for a representation of body: its hash, with a
// suffix telling the encodings apart (a cache must not answer a client that
// takes no gzip with the gzipped bytes).
func etagOf(body []byte, suffix string) string {
	sum := sha256.Sum256(body)
	return `"` + base64.RawURLEncoding.EncodeToString(sum[:12]) + suffix + `"`
}

// compressible says whether a file of this type is text that gzip shrinks.
func compressible(contentType string) bool {
	mt, _, _ := mime.ParseMediaType(contentType)
	return strings.HasPrefix(mt, "text/") || mt == "image/svg+xml" ||
		mt == "application/json" || mt == "application/javascript" || mt == "application/manifest+json"
}

func (s *assets) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if s.err != nil {
		s.log("web page unavailable", "path", r.URL.Path, "err", s.err)
		http.Error(w, "the page's files could not be read", http.StatusInternalServerError)
		return
	}
	name := strings.TrimPrefix(path.Clean("/"+r.URL.Path), "/")
	if name == "index.html" { // one address for the page, as http.FileServer does
		target := "./"
		if r.URL.RawQuery != "" {
			target += "?" + r.URL.RawQuery
		}
		http.Redirect(w, r, target, http.StatusMovedPermanently)
		return
	}
	if alias, ok := aliases[name]; ok {
		name = alias
	}
	a, ok := s.files[name]
	if !ok {
		http.NotFound(w, r)
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, r.Method+" is not allowed on "+r.URL.Path, http.StatusMethodNotAllowed)
		return
	}
	h := w.Header()
	h.Set("Content-Type", a.contentType)
	h.Set("Cache-Control", assetCacheControl)
	body, etag := a.body, a.etag
	if a.gz != nil {
		h.Add("Vary", "Accept-Encoding")
		if acceptsGzip(r.Header.Values("Accept-Encoding")) {
			body, etag = a.gz, a.gzETag
			h.Set("Content-Encoding", "gzip")
		}
	}
	h.Set("ETag", etag)
	http.ServeContent(w, r, a.name, time.Time{}, bytes.NewReader(body))
}

// acceptsGzip reads Accept-Encoding (RFC 9110 §12.5.3): gzip (or x-gzip,
// or *) listed with a q-value above zero, and gzip not refused by name.
func acceptsGzip(headers []string) bool {
	named, star := -1.0, -1.0
	for _, h := range headers {
		for part := range strings.SplitSeq(h, ",") {
			coding, params, _ := strings.Cut(part, ";")
			q := 1.0
			for p := range strings.SplitSeq(params, ";") {
				k, v, ok := strings.Cut(strings.TrimSpace(p), "=")
				if ok && strings.EqualFold(strings.TrimSpace(k), "q") {
					if f, err := strconv.ParseFloat(strings.TrimSpace(v), 64); err == nil {
						q = f
					} else {
						q = 0 // unreadable: do not assume consent
					}
				}
			}
			switch c := strings.ToLower(strings.TrimSpace(coding)); c {
			case "gzip", "x-gzip":
				named = max(named, q)
			case "*":
				star = max(star, q)
			}
		}
	}
	if named >= 0 {
		return named > 0
	}
	return star > 0
}
