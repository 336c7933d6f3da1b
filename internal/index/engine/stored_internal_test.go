package engine

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/blevesearch/bleve/v2"
	bsearch "github.com/blevesearch/bleve/v2/search"
	index "github.com/blevesearch/bleve_index_api"

	"github.com/newsfind/newsfind/internal/index/schema"
)

// A hit read from its segment by its number has the ID and stored fields
// bleve's ExternalID and LoadAndHighlightFields give it, on the seeds and
// articles with a section, a zone, authors and a URL (every stored field
// between them) and on updated segments with deleted articles.
func TestLoadReadsWhatBleveReads(t *testing.T) {
	seeded, _ := openBuilt(t, seedsDir)
	zoned := t.TempDir()
	err := os.WriteFile(filepath.Join(zoned, "a.jsonl"), []byte(`{"title":"Talks in Tashkent","body":"Ministers met in Tashkent.","section":"world","source":"Xinhua","date":"2021-06-15T23:30:00+05:00","author":["A. Writer","B. Writer"],"url":"https://example.org/talks","people":["Wang Yi","Rashid Alimov"]}
{"title":"Budget <b>day</b>","body":"The chancellor spoke.","section":"business","date":"2005-03-16T09:00:00-05:00"}
`), 0o644)
	if err != nil {
		t.Fatal(err)
	}
	sectioned, _ := openBuilt(t, zoned)
	shown := map[string]bool{}
	for _, ix := range []*testIndex{seeded, sectioned, openUpdatedZipf(t, 3000)} {
		var hits, want []*bsearch.DocumentMatch
		for _, doc := range ix.table.Live {
			hits = append(hits, &bsearch.DocumentMatch{IndexInternalID: index.NewIndexInternalID(nil, uint64(doc))})
			want = append(want, &bsearch.DocumentMatch{IndexInternalID: index.NewIndexInternalID(nil, uint64(doc))})
		}
		if err := ix.load(hits, schema.StoredFields); err != nil {
			t.Fatal(err)
		}
		if err := loadByID(ix.reader, want, schema.StoredFields); err != nil {
			t.Fatal(err)
		}
		for i := range hits {
			if hits[i].ID != want[i].ID || !reflect.DeepEqual(hits[i].Fields, want[i].Fields) {
				t.Fatalf("document %d: %s %v, bleve's %s %v", hits[i].IndexInternalID.Value(), hits[i].ID, hits[i].Fields, want[i].ID, want[i].Fields)
			}
			for f := range hits[i].Fields {
				shown[f] = true
			}
		}
	}
	// A number past the last segment's documents is an error, not a read
	// outside it.
	past := &bsearch.DocumentMatch{IndexInternalID: index.NewIndexInternalID(nil, uint64(seeded.table.Docs))}
	if err := seeded.load([]*bsearch.DocumentMatch{past}, hitFields); err == nil {
		t.Errorf("document %d of %d loaded", seeded.table.Docs, seeded.table.Docs)
	}
	for _, f := range schema.StoredFields {
		if !shown[f] {
			t.Errorf("no article has a stored %s: the test does not compare it", f)
		}
	}
}

// loadByID is load as bleve's API does it, by ID: ExternalID, then
// LoadAndHighlightFields.
func loadByID(r index.IndexReader, hits []*bsearch.DocumentMatch, names []string) error {
	fields := &bleve.SearchRequest{Fields: names}
	for _, h := range hits {
		id, err := r.ExternalID(h.IndexInternalID)
		if err != nil {
			return err
		}
		h.ID = id
		h.Complete(nil)
		if err, _ := bleve.LoadAndHighlightFields(h, fields, "", r, nil); err != nil {
			return err
		}
	}
	return nil
}
