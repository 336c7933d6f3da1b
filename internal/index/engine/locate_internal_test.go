package engine

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/newsfind/newsfind/internal/index/schema"
	"github.com/newsfind/newsfind/internal/search"
)

// The hits of words in more articles than a zap segment's postings are
// read whole for (minChunkedPostings) are located through zapread, which
// decodes a posting's locations only when its clause is counted at a hit
// (a locator lands on a posting after each hit): every hit shown has its
// words marked, as the first pass's words, a phrase's and a word being
// typed's.
func TestHitsOfCommonWordsAreMarked(t *testing.T) {
	articles := t.TempDir()
	writeZipfCorpus(t, filepath.Join(articles, "news.jsonl"), 2500)
	ix, _ := openBuilt(t, articles)
	r, err := openPostings(context.Background(), ix.reader, "said", schema.Content, false, false, true)
	if err != nil {
		t.Fatal(err)
	}
	chunked := false
	for _, s := range r.(*postingsReader).segs {
		chunked = chunked || s.chunks != nil
	}
	r.Close()
	if !chunked {
		t.Fatal(`"said" is not read through zapread in any segment: the test does not locate what it is meant to`)
	}
	for _, q := range []struct{ query, mark string }{
		{"said", "<mark>said</mark>"},
		{"said market", "<mark>said</mark>"},
		{`"new year"`, "<mark>new</mark> <mark>year</mark>"},
		{"market sai", "<mark>said</mark>"},
		{"said -market", "<mark>said</mark>"},
	} {
		req := search.Request{Query: q.query, NoCollapse: true, Size: 20}
		for page := 1; page <= 2; page++ {
			req.Page = page
			res := ix.must(t, req)
			if len(res.Hits) == 0 {
				t.Fatalf("%q page %d: no hits", q.query, page)
			}
			for _, h := range res.Hits {
				if all := strings.Join(append(h.Fragments["body"], h.Fragments["title"]...), " "); !strings.Contains(all, q.mark) {
					t.Errorf("%q page %d: hit %s without %s: %q", q.query, page, h.ID, q.mark, all)
				}
			}
		}
	}
}
