package suggest

import (
	"fmt"
	"unsafe"

	"github.com/newsfind/newsfind/internal/index/facet"
	"github.com/newsfind/newsfind/internal/index/sidecar"
	"github.com/newsfind/newsfind/internal/search"
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
// the entity names of its facet table.
func Build(src Source) (*Lists, error) {
	n, err := src.Count()
	if err != nil {
		return nil, err
	}
	b := NewBuilder(n)
	if err := src.Terms(StemField, b.AddStem); err != nil {
		return nil, err
	}
	if err := src.Terms(FormField, b.AddForm); err != nil {
		return nil, err
	}
	src.Facets().Entities(b.AddName)
	return b.Lists(), nil
}

// The layout Save writes.
const (
	sidecarKind    = "suggestion lists"
	sidecarVersion = 1
)

// Save writes l to the sidecar file path for the index whose fingerprint
// is given.
func (l *Lists) Save(path, fingerprint string) error {
	return sidecar.Write(path, sidecarKind, sidecarVersion, fingerprint, func(e *sidecar.Encoder) {
		e.Strings([]string{string(l.words.blob)})
		e.Uint32s(l.words.ends)
		e.Uint32s(l.words.counts)
		texts := make([]string, len(l.names))
		kinds := make([]string, len(l.names))
		counts := make([]uint32, len(l.names))
		for i, n := range l.names {
			texts[i], kinds[i], counts[i] = n.text, string(n.kind), n.count
		}
		e.Strings(texts)
		e.Strings(kinds)
		e.Uint32s(counts)
		keys := make([]string, len(l.keys))
		of := make([]uint32, len(l.keys))
		for i, k := range l.keys {
			keys[i], of[i] = k.key, k.name
		}
		e.Strings(keys)
		e.Uint32s(of)
	})
}

// Load reads lists Save wrote for the index with the given fingerprint;
// it fails (sidecar.ErrStale among others) for another index or layout.
// Every offset is checked, so a file cannot send a suggestion out of
// bounds; the order of the lists is the writer's.
func Load(path, fingerprint string) (*Lists, error) {
	l := &Lists{}
	err := sidecar.Read(path, sidecarKind, sidecarVersion, fingerprint, func(d *sidecar.Decoder) error {
		blob := d.Strings()
		l.words.ends, l.words.counts = d.Uint32s(), d.Uint32s()
		texts, kinds, counts := d.Strings(), d.Strings(), d.Uint32s()
		keys, of := d.Strings(), d.Uint32s()
		if err := d.Err(); err != nil {
			return err
		}
		if len(blob) != 1 || len(l.words.counts) != len(l.words.ends) ||
			len(kinds) != len(texts) || len(counts) != len(texts) || len(of) != len(keys) {
			return fmt.Errorf("suggestion lists: sections of different lengths")
		}
		l.words.blob = unsafe.Slice(unsafe.StringData(blob[0]), len(blob[0])) // read only
		for i, e := range l.words.ends {
			if int(e) > len(l.words.blob) || (i > 0 && e < l.words.ends[i-1]) {
				return fmt.Errorf("suggestion lists: word %d out of range", i)
			}
		}
		l.names = make([]name, len(texts))
		for i := range texts {
			l.names[i] = name{text: texts[i], kind: search.SuggestKind(kinds[i]), count: counts[i]}
		}
		l.keys = make([]nameKey, len(keys))
		for i := range keys {
			if int(of[i]) >= len(l.names) {
				return fmt.Errorf("suggestion lists: key %d names name %d of %d", i, of[i], len(l.names))
			}
			l.keys[i] = nameKey{key: keys[i], name: of[i]}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return l, nil
}
