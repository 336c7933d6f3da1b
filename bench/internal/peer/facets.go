package peer

import (
	"slices"
	"strings"

	"github.com/newsfind/newsfind/internal/search"
)

// TopFacets turns value counts into a facet list the way newsfind orders
// its facets: most articles first (ties by value), at most n. A peer that
// counts facets itself (fts5's archive) uses it, so both engines return
// lists of the same shape and length.
func TopFacets(counts map[string]int, n int) []search.Facet {
	out := make([]search.Facet, 0, len(counts))
	for v, c := range counts {
		out = append(out, search.Facet{Value: v, Count: c})
	}
	slices.SortFunc(out, func(a, b search.Facet) int {
		if a.Count != b.Count {
			return b.Count - a.Count
		}
		return strings.Compare(a.Value, b.Value)
	})
	return out[:min(len(out), n)]
}
