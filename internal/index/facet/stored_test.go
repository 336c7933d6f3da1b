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
// live documents out of five numbers, one without a date, people on two,
// two versions of a story.
func sampleTable() *Table {
	docs := []struct {
		n      uint32
		date   int64
		source string
		people []string
		story  string
	}{
		{0, 1_700_000_000e9, "Xinhua", []string{"Wang Yi", "Sergey Lavrov"}, "s1"},
		{2, 0, "TASS", nil, "s2"},
		{4, 1_600_000_000e9, "Xinhua", []string{"Wang Yi"}, "s1"},
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
			visit(schema.Story, []byte(d.story))
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
	defer got.Close() // its arrays lie in the file's mapped pages
	if got.file == nil {
		t.Error("loaded table holds no mapped file")
	}
	// The rows were written as the columns give them and read back; the
	// table saved lays them out when asked, and they must be the same.
	want.laidOut()
	got.laidOut()
	file := got.file
	got.file = nil
	if !reflect.DeepEqual(got, want) {
		t.Errorf("loaded table differs:\n got %+v (file %p)\nwant %+v", got, file, want)
	}
	got.file = file
	if s := got.Stories(); s.Len() != 1 || !slices.Equal(s.Versions(4), []uint32{0, 4}) {
		t.Errorf("loaded stories: %d, versions of 4 %v; want 1, [0 4]", s.Len(), s.Versions(4))
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
		"story label":   func(t *Table) { t.cols[storyCol].ords[4] = 5 },
		"counts":        func(t *Table) { t.All.n[Person] = t.All.n[Person][:1] },
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

// A table assembled and saved, as the indexer's is, never holds its rows
// laid out: Save writes them from the columns (at a million articles the
// rows are 36 MB of the indexer's own memory, whose target is 300 MB).
func TestSaveLeavesRowsUnlaid(t *testing.T) {
	tbl := sampleTable()
	if err := tbl.Save(filepath.Join(t.TempDir(), "facets"), "fp"); err != nil {
		t.Fatal(err)
	}
	if tbl.multi != nil {
		t.Error("the saved table holds its rows laid out")
	}
	if tbl.laidOut() == nil {
		t.Error("no rows laid out when asked, with multi-valued columns")
	}
}
