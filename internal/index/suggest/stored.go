package suggest

import (
	"fmt"

	"github.com/newsfind/newsfind/internal/index/facet"
	"github.com/newsfind/newsfind/internal/index/sidecar"
)

// File is the file in a generation's folder that holds its lists, written
// when the generation is built.
const File = "suggest.table"

// Source is an opened generation lists are built from (engine.Generation).
type Source interface {
	Count() (uint64, error)
	Terms(field string, fn func(term string, docs uint64)) error
	Facets() *facet.Table
}

// Build reads the lists of the generation src: its two dictionaries and
// the entity names of its facet table. Each term of the dictionaries'
// walks, StemField's then FormField's, is also handed to also, when
// given, so that another reader of them need not walk them again.
func Build(src Source, also func(field, term string, docs uint64)) (*Lists, error) {
	n, err := src.Count()
	if err != nil {
		return nil, err
	}
	b := NewBuilder(n)
	for _, d := range []struct {
		field string
		add   func(string, uint64)
	}{{StemField, b.AddStem}, {FormField, b.AddForm}} {
		add := d.add
		if also != nil {
			add = func(term string, docs uint64) {
				d.add(term, docs)
				also(d.field, term, docs)
			}
		}
		if err := src.Terms(d.field, add); err != nil {
			return nil, err
		}
	}
	b.ReserveNames(src.Facets().EntityValues())
	src.Facets().Entities(b.AddName)
	return b.Lists(), nil
}

// The layout Save writes.
const (
	sidecarKind    = "suggestion lists"
	sidecarVersion = 2
)

// Save writes l to the sidecar file path for the index whose fingerprint
// is given.
func (l *Lists) Save(path, fingerprint string) error {
	return sidecar.Write(path, sidecarKind, sidecarVersion, fingerprint, func(e *sidecar.Encoder) {
		e.StringList(l.words)
		e.Uint32s(l.wordCounts)
		e.StringList(l.names)
		e.StringList(l.nameKinds)
		e.Uint32s(l.nameCounts)
		e.StringList(l.keys)
		e.Uint32s(l.keyNames)
	})
}

// Load reads lists Save wrote for the index with the given fingerprint;
// it fails (sidecar.ErrStale among others) for another index or layout.
// The lists lie in the file's mapped pages until Close. Every offset is
// checked, so a file cannot send a suggestion out of bounds; the order of
// the lists is the writer's.
func Load(path, fingerprint string) (*Lists, error) {
	l := &Lists{}
	f, err := sidecar.Read(path, sidecarKind, sidecarVersion, fingerprint, func(d *sidecar.Decoder) error {
		l.words, l.wordCounts = d.StringList(), d.Uint32s()
		l.names, l.nameKinds, l.nameCounts = d.StringList(), d.StringList(), d.Uint32s()
		l.keys, l.keyNames = d.StringList(), d.Uint32s()
		if err := d.Err(); err != nil {
			return err
		}
		if len(l.wordCounts) != l.words.Len() || l.nameKinds.Len() != l.names.Len() ||
			len(l.nameCounts) != l.names.Len() || len(l.keyNames) != l.keys.Len() {
			return fmt.Errorf("suggestion lists: sections of different lengths")
		}
		for i, n := range l.keyNames {
			if int(n) >= l.names.Len() {
				return fmt.Errorf("suggestion lists: key %d names name %d of %d", i, n, l.names.Len())
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	l.file = f
	return l, nil
}
