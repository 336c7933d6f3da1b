package server

import (
	"net/http"
	"strings"

	"github.com/go-chi/chi/v5"
	"github.com/newsfind/newsfind/internal/search"
)

// similarPath ends the path of the articles like one:
// /api/articles/{id}/similar.
const similarPath = "/similar"

// articles serves /api/articles/{id} and /api/articles/{id}/similar. An ID
// holds slashes (it is a path in the articles folder), so one route takes
// both, told apart by the last segment: an article's ID ends in its
// file's extension or in "#line", never in "/similar". The articles like
// one cost a search, so they wait for a search's slot (admit).
func (s *server) articles() http.HandlerFunc {
	article := s.handle(s.article)
	similar := s.admit(s.handle(s.similar))
	return func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(chi.URLParam(r, "*"), similarPath) {
			similar.ServeHTTP(w, r)
			return
		}
		article(w, r)
	}
}

// markedArticle is an article as the article view asks for it after a
// search (?q=): the article, and its title and body with the search's
// words marked.
type markedArticle struct {
	search.Article
	Marked search.Marked `json:"marked"`
}

// similar answers /api/articles/{id}/similar?size=n.
func (s *server) similar(w http.ResponseWriter, r *http.Request) error {
	if s.cfg.Explorer == nil {
		return statusError{http.StatusNotFound, "this server finds no similar articles"}
	}
	req := search.SimilarRequest{ID: strings.TrimSuffix(chi.URLParam(r, "*"), similarPath)}
	if req.ID == "" {
		return statusError{http.StatusNotFound, "no article ID given"}
	}
	var err error
	if req.Size, err = intParam(r.URL.Query().Get("size"), "size"); err != nil {
		return err
	}
	if err := req.Validate(); err != nil {
		return err
	}
	res, err := s.cfg.Explorer.Similar(r.Context(), req)
	if err != nil {
		return err
	}
	if res.Hits == nil {
		res.Hits = []search.Hit{}
	}
	writeJSON(w, http.StatusOK, res)
	return nil
}
