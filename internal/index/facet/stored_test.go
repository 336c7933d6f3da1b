package facet

import (
	"errors"
	"path/filepath"
	"reflect"
	"slices"
	"testing"

	"github.com/blevesearch/bleve/v2/numeric"

	"github.com/newsfind/newsfind/internal/index/schema"
	"github.com/newsfind/newsfind/internal/index/sidecar"
)

// sampleTable builds a table as the engine does, from doc values: three
// live documents out of five numbers, one without a date, people on two.
func sampleTable() *Table {
	docs := []struct {
		n      uint32
		date   int64
		source string
		people []string
	}{
		{0, 1_700_000_000e9, "Xinhua", []string{"Wang Yi", "Sergey Lavrov"}},
		{2, 0, "TASS", nil},
		{4, 1_600_000_000e9, "Xinhua", []string{"Wang Yi"}},
	}
	var builders []*Builder
	for _, g := range Groups {
		b := NewBuilder(len(docs), g.Dates, g.Kinds)
		visit := func(field string, term []byte) { // what the engine reads
			if slices.Contains(b.Fields(), field) {
				b.Visit(field, term)
			}
		}
		for _, d := range docs {
			b.Doc(d.n)
			if d.date != 0 {
				visit(schema.Date, numeric.MustNewPrefixCodedInt64(d.date, 0))
			}
			visit(schema.Source, []byte(d.source))
			for _, p := range d.people {
				visit(schema.Person, []byte(p))
			}
		}
		builders = append(builders, b)
	}
	return Assemble(builders)
}

func TestSaveLoad(t *testing.T) {
	want := sampleTable()
	path := filepath.Join(t.TempDir(), "facets")
	if err := want.Save(path, "fp"); err != nil {
		t.Fatal(err)
	}
	got, err := Load(path, "fp")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("loaded table differs:\n got %+v\nwant %+v", got, want)
	}
	if !reflect.DeepEqual(got.All.Facets(got), want.All.Facets(want)) {
		t.Errorf("facets of everything differ: %v, want %v", got.All.Facets(got), want.All.Facets(want))
	}
	if _, err := Load(path, "another index"); !errors.Is(err, sidecar.ErrStale) {
		t.Errorf("load for another index: %v, want ErrStale", err)
	}
}

// A file that passes its checksum but whose numbers point outside the
// table is refused, not trusted.
func TestLoadChecksBounds(t *testing.T) {
	for name, damage := range map[string]func(*Table){
		"value ordinal": func(t *Table) { t.cols[Source].ords[0] = 7 },
		"live document": func(t *Table) { t.Live[2] = 99 },
		"live order":    func(t *Table) { t.Live[1], t.Live[2] = t.Live[2], t.Live[1] },
		"missing dates": func(t *Table) { t.dates = t.dates[:1] },
		"value ranges":  func(t *Table) { t.cols[Person].start[1] = 9 },
	} {
		tab := sampleTable()
		damage(tab)
		path := filepath.Join(t.TempDir(), "facets")
		if err := tab.Save(path, "fp"); err != nil {
			t.Fatal(err)
		}
		if _, err := Load(path, "fp"); err == nil {
			t.Errorf("%s out of range: loaded", name)
		}
	}
}
