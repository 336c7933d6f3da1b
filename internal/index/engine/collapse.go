package engine

import (
	"container/heap"
	"fmt"
	"slices"

	bsearch "github.com/blevesearch/bleve/v2/search"
	index "github.com/blevesearch/bleve_index_api"

	"github.com/newsfind/newsfind/internal/index/facet"
	"github.com/newsfind/newsfind/internal/search"
)

// One story once: versions of a story (facet.Stories, from the labels
// given at index time) collapse into one hit, the best-ranked version, as
// Elasticsearch's field collapsing does. The pass's top keeps at most one
// match per story, so a page of k hits holds k stories and the pages of a
// search never repeat one; counts skip every match of a story after its
// first. Both cost a map of the k kept matches and a flag per story.

// collapse sets top (when not nil) to keep one match per story and returns
// what tells a story's first match from its others; nil when req lists
// every version or the generation has no story of two versions.
func (g *Generation) collapse(req search.Request, top *topHits) *facet.Seen {
	if req.NoCollapse || g.stories.Len() == 0 {
		return nil
	}
	if top != nil {
		top.stories, top.where = g.stories, make(map[uint64]int, top.k)
	}
	return g.stories.NewSeen()
}

// story returns the key of d's story.
func (t *topHits) story(d *bsearch.DocumentMatch) uint64 {
	return t.stories.Key(uint32(d.HitNumber))
}

// collapse offers d where a version of its story is kept: the better of
// the two stays. It reports whether d's story was kept.
func (t *topHits) collapse(pool *bsearch.DocumentMatchPool, d *bsearch.DocumentMatch) bool {
	i, ok := t.where[t.story(d)]
	if !ok {
		return false
	}
	if t.before(d, t.h[i]) {
		pool.Put(t.h[i])
		t.h[i] = d
		heap.Fix(t, i)
	} else {
		pool.Put(d)
	}
	return true
}

// kept records that d goes to heap position i; evict that d leaves.
func (t *topHits) kept(d *bsearch.DocumentMatch, i int) {
	if t.where != nil {
		t.where[t.story(d)] = i
	}
}

func (t *topHits) evict(d *bsearch.DocumentMatch) {
	if t.where != nil {
		delete(t.where, t.story(d))
	}
}

// duplicates returns, for each hit, the IDs of the other versions of its
// story that matched the pass seen watched, sorted.
func (g *Generation) duplicates(hits []*bsearch.DocumentMatch, seen *facet.Seen) ([][]string, error) {
	out := make([][]string, len(hits))
	for i, h := range hits {
		var err error
		if out[i], err = g.versions(h.HitNumber, seen.Matched); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// versions returns the IDs of the other versions of document doc's story
// (those keep accepts, when set), sorted.
func (g *Generation) versions(doc uint64, keep func(uint32) bool) ([]string, error) {
	var out []string
	for _, v := range g.stories.Versions(uint32(doc)) {
		if uint64(v) == doc || keep != nil && !keep(v) {
			continue
		}
		id, err := g.reader.ExternalID(index.NewIndexInternalID(nil, uint64(v)))
		if err != nil {
			return nil, fmt.Errorf("version %d: %w", v, err)
		}
		out = append(out, id)
	}
	slices.Sort(out)
	return out, nil
}
