package index_test

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/newsfind/newsfind/internal/index/indextest"
	"github.com/newsfind/newsfind/internal/search"
)

// rows collects what an export hands out.
type rows struct {
	total  uint64
	starts int
	got    []search.Article
}

func (r *rows) Start(total uint64) error { r.total, r.starts = total, r.starts+1; return nil }
func (r *rows) Row(a search.Article) error {
	r.got = append(r.got, a)
	return nil
}

func (r *rows) ids() []string {
	var out []string
	for _, a := range r.got {
		out = append(out, a.ID)
	}
	return out
}

// An export hands out every match in the search's order, with the fields
// of a result list and not the body, cut at its limit with the total
// still told; a bad request is refused before anything is handed out.
func TestExport(t *testing.T) {
	ix, _ := indextest.Build(t, indextest.Corpus(t, map[string]string{
		"world/x.json": `{"title": "Cooperation talks", "body": "Cooperation.", "url": "https://example.com/x", "people": ["Ann Lee"]}`}))
	ctx := context.Background()
	var all rows
	if err := ix.Export(ctx, search.Request{Query: "cooperation", Sort: search.SortNewest}, search.MaxExportRows, &all); err != nil {
		t.Fatal(err)
	}
	want := []string{indextest.SeedQinZhang, indextest.SeedNorovOut, indextest.SeedDushanbe, indextest.SeedNorovVice, indextest.SeedAlimov, "world/x.json"}
	if all.starts != 1 || all.total != 6 || !slices.Equal(all.ids(), want) {
		t.Fatalf("export of cooperation: total %d (%d starts), rows %v; want 6 rows %v", all.total, all.starts, all.ids(), want)
	}
	x := all.got[5]
	if x.Title != "Cooperation talks" || x.Section != "world" || x.URL != "https://example.com/x" || !slices.Equal(x.People, []string{"Ann Lee"}) || x.Body != "" {
		t.Errorf("row %+v, want title, section, url and people, no body", x)
	}
	if all.got[0].Date.IsZero() || all.got[0].Source != "Xinhua" {
		t.Errorf("row %+v, want its date and source", all.got[0])
	}

	var cut rows
	if err := ix.Export(ctx, search.Request{Query: "cooperation", Sort: search.SortNewest}, 2, &cut); err != nil {
		t.Fatal(err)
	}
	if cut.total != 6 || !slices.Equal(cut.ids(), want[:2]) {
		t.Errorf("export cut at 2: total %d, rows %v; want 6 and %v", cut.total, cut.ids(), want[:2])
	}
	// Relevance order is the search's.
	res := indextest.Search(t, ix, search.Request{Query: "Norov", Size: search.MaxSize})
	var norov rows
	if err := ix.Export(ctx, search.Request{Query: "Norov"}, 100, &norov); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(norov.ids(), indextest.IDs(res)) {
		t.Errorf("export of Norov: %v, want the search's order %v", norov.ids(), indextest.IDs(res))
	}

	var bad rows
	for _, c := range []struct {
		req   search.Request
		limit int
	}{{search.Request{Sort: "best"}, 10}, {search.Request{}, search.MaxExportRows + 1}, {search.Request{}, 0}} {
		if err := ix.Export(ctx, c.req, c.limit, &bad); !errors.Is(err, search.ErrInvalid) || bad.starts != 0 {
			t.Errorf("Export(%+v, %d) = %v after %d starts; want ErrInvalid before any", c.req, c.limit, err, bad.starts)
		}
	}
	done, cancel := context.WithCancel(ctx)
	cancel()
	if err := ix.Export(done, search.Request{}, 10, &bad); !errors.Is(err, context.Canceled) {
		t.Errorf("Export with an ended context = %v, want context.Canceled", err)
	}
}
