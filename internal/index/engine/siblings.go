package engine

import (
	"context"
	"fmt"
	"sync"

	index "github.com/blevesearch/bleve_index_api"

	"github.com/newsfind/newsfind/internal/analyze"
)

// maxSiblingScan bounds the terms read to find a stem's forms: a stem's
// forms share all but its last letter or two, so a few hundred terms hold
// them all but for the shortest stems.
const maxSiblingScan = 256

// siblingForms finds, in the exact field (schema.Exact, which holds only
// the forms that differ from their stems), the forms of a stem that is a
// word itself: for "parliament", "parliaments"; for "major", "majors" and
// "majority". An article holds such a word as often as its stem less
// those forms. The forms are read once per search and stem.
type siblingForms struct {
	mu    sync.Mutex
	forms map[string][]string
}

// of returns the terms of field in r whose stem is stem.
func (s *siblingForms) of(ctx context.Context, r index.IndexReader, field, stem string) ([]string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if forms, ok := s.forms[stem]; ok {
		return forms, nil
	}
	prefix := stem
	if len(stem) > 3 {
		prefix = stem[:len(stem)-1] // happy → happi, agreed → agre
	}
	var forms []string
	err := scanPrefix(ctx, r, field, prefix, maxSiblingScan, func(term string, _ uint64) {
		if analyze.Stem(term) == stem {
			forms = append(forms, term)
		}
	})
	if err != nil {
		return nil, fmt.Errorf("forms of %q: %w", stem, err)
	}
	if s.forms == nil {
		s.forms = map[string][]string{}
	}
	s.forms[stem] = forms
	return forms, nil
}
