package server

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"regexp"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/newsfind/newsfind/internal/search"
)

// Store is the write side of searchd: saving, deleting and re-indexing
// articles. A nil Store disables the write API.
type Store interface {
	// Add saves an article file under name and returns once it is
	// searchable. When it saved the file but could not index it yet, it
	// returns the file's articles and an error wrapping search.ErrPending.
	Add(ctx context.Context, name string, data []byte) ([]search.Article, error)
	// Delete removes an article file and its articles from the index; when
	// it fails, nothing was deleted.
	Delete(ctx context.Context, id string) error
	// Check reads an article file as Add would, without saving it: the
	// articles Add would index, or the error Add would return for them.
	Check(name string, data []byte) ([]search.Article, error)
	// StartRebuild begins a full rebuild in the background.
	StartRebuild() error
	// Status reports what updates have done.
	Status() search.UpdateStatus
}

// DefaultMaxIngestBytes is the default bound on the body of an ingest
// request (Config.MaxIngestBytes): a news page with its markup is rarely a
// tenth of it, while a body many times larger held the index lock for tens
// of seconds (issue 17).
const DefaultMaxIngestBytes = 2 << 20

// requireToken lets a request through only with the configured bearer
// token. Without a configured token the admin API is disabled (403); a
// missing or wrong token is 401. Tokens are compared in constant time.
func (s *server) requireToken(next http.Handler) http.Handler {
	want := sha256.Sum256([]byte(s.cfg.AdminToken))
	return s.handle(func(w http.ResponseWriter, r *http.Request) error {
		if s.cfg.AdminToken == "" {
			return statusError{http.StatusForbidden, "the admin API is disabled: start searchd with -admin-token or SEARCHD_ADMIN_TOKEN"}
		}
		given, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		got := sha256.Sum256([]byte(strings.TrimSpace(given)))
		if !ok || subtle.ConstantTimeCompare(got[:], want[:]) != 1 {
			w.Header().Set("WWW-Authenticate", `Bearer realm="newsfind admin"`)
			return statusError{http.StatusUnauthorized, "a valid admin token is required: Authorization: Bearer <token>"}
		}
		if s.cfg.Store == nil {
			return statusError{http.StatusForbidden, "the write API is disabled: start searchd with -articles DIR"}
		}
		next.ServeHTTP(w, r)
		return nil
	})
}

// addArticle saves and indexes one article. The body is the article file:
// JSON (Content-Type application/json) or a raw text or HTML page; the file
// name comes from ?filename=, or for JSON without one, from its title.
func (s *server) addArticle(w http.ResponseWriter, r *http.Request) error {
	tooLarge := statusError{http.StatusRequestEntityTooLarge, fmt.Sprintf(
		"an article file may be at most %d bytes (%s); split a .jsonl file into several", s.cfg.MaxIngestBytes, mib(s.cfg.MaxIngestBytes))}
	if r.ContentLength > s.cfg.MaxIngestBytes {
		// Refused before reading: a client waiting on "Expect:
		// 100-continue" gets the 413 instead of sending the body.
		return tooLarge
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, s.cfg.MaxIngestBytes))
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		return tooLarge
	case err != nil:
		return search.Invalid("read body: %v", err)
	case len(body) == 0:
		return search.Invalid("the request body is empty: send the article file")
	}
	name := r.URL.Query().Get("filename")
	if name == "" {
		if ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); ct == "application/json" {
			name = jsonName(body)
		}
	}
	if err := s.checkIngest(name, body); err != nil {
		return err
	}
	arts, err := s.cfg.Store.Add(r.Context(), name, body)
	pending := errors.Is(err, search.ErrPending)
	if err != nil && !pending {
		return err
	}
	ids := make([]string, len(arts))
	for i, a := range arts {
		ids[i] = a.ID
	}
	if pending {
		// Saved is success; searchable comes later. A 202 says so in the
		// success body's shape, not as an error.
		s.cfg.Log.Warn("article saved, not searchable yet", "id", first(ids), "err", err)
		writeJSON(w, http.StatusAccepted, map[string]any{"id": first(ids), "ids": ids, "searchable": false,
			"message": pendingMessage})
		return nil
	}
	if len(ids) > 0 {
		w.Header().Set("Location", "/api/articles/"+ids[0])
	}
	writeJSON(w, http.StatusCreated, map[string]any{"id": first(ids), "ids": ids, "searchable": true})
	return nil
}

// pendingMessage answers an article that was saved but is not searchable
// yet (202).
const pendingMessage = "saved, but not searchable yet: another update holds the index; the next update indexes it"

func first(ids []string) string {
	if len(ids) == 0 {
		return ""
	}
	return ids[0]
}

var nonSlug = regexp.MustCompile(`[^a-z0-9]+`)

// jsonName names a JSON article sent without a file name after its date and
// title, plus a hash of its bytes, so sending the same article twice finds
// the same file instead of making a second one.
func jsonName(body []byte) string {
	var meta struct {
		Title string `json:"title"`
		Date  string `json:"date"`
	}
	_ = json.Unmarshal(body, &meta) // unparsable JSON is refused by the store
	slug := strings.Trim(nonSlug.ReplaceAllString(strings.ToLower(meta.Title), "-"), "-")
	if len(slug) > 60 {
		slug = strings.TrimRight(slug[:60], "-")
	}
	if slug == "" {
		slug = "article"
	}
	day := "undated"
	if t, err := time.Parse(time.DateOnly, firstN(meta.Date, 10)); err == nil {
		day = t.Format("2006/01/02")
	}
	sum := sha256.Sum256(body)
	return fmt.Sprintf("ingest/%s/%s-%x.json", day, slug, sum[:4])
}

func firstN(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

func (s *server) deleteArticle(w http.ResponseWriter, r *http.Request) error {
	id := chi.URLParam(r, "*")
	if err := s.cfg.Store.Delete(r.Context(), id); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]string{"deleted": id})
	return nil
}

func (s *server) reindex(w http.ResponseWriter, r *http.Request) error {
	if err := s.cfg.Store.StartRebuild(); err != nil {
		return err
	}
	writeJSON(w, http.StatusAccepted, map[string]any{"rebuilding": true, "status": s.cfg.Store.Status()})
	return nil
}

func (s *server) status(w http.ResponseWriter, r *http.Request) error {
	body := map[string]any{"updates": s.cfg.Store.Status()}
	if c, ok := s.cfg.Searcher.(Counter); ok {
		if n, err := c.Count(); err == nil {
			body["articles"] = n
		}
	}
	if g, ok := s.cfg.Searcher.(interface{ Generation() string }); ok {
		body["generation"] = g.Generation()
	}
	if c, ok := s.cfg.Searcher.(interface {
		CacheStats() (search.CacheStats, bool)
	}); ok {
		if st, ok := c.CacheStats(); ok {
			body["result_cache"] = st
		}
	}
	writeJSON(w, http.StatusOK, body)
	return nil
}
