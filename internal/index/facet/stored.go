package facet

import (
	"fmt"

	"github.com/newsfind/newsfind/internal/index/sidecar"
)

// sidecarKind and sidecarVersion name the layout Save writes.
const (
	sidecarKind    = "facet table"
	sidecarVersion = 1
)

// Save writes t to the sidecar file path for the index whose fingerprint
// is given, so that Load can read it back in one pass instead of reading
// every document's doc values again.
func (t *Table) Save(path, fingerprint string) error {
	return sidecar.Write(path, sidecarKind, sidecarVersion, fingerprint, func(e *sidecar.Encoder) {
		e.Uint64(uint64(t.Docs))
		e.Strings(fieldNames())
		for _, c := range t.cols {
			e.Strings(c.values)
			e.Uint32s(c.start)
			e.Uint32s(c.ords)
		}
		e.Int64s(t.dates)
		e.Uint32s(t.Live)
	})
}

// Load reads a table Save wrote for the index with the given fingerprint.
// It fails (sidecar.ErrStale among others) when the file was written for
// another index, other facets or another layout; build the table then.
func Load(path, fingerprint string) (*Table, error) {
	t, fp, err := LoadAny(path)
	if err == nil && fp != fingerprint {
		err = fmt.Errorf("read %s: %w", path, sidecar.ErrStale)
	}
	return t, err
}

// LoadAny reads a table Save wrote for whatever index, and the fingerprint
// of that index: a table to derive another index's from (Builder.Copy).
func LoadAny(path string) (*Table, string, error) {
	t := &Table{}
	var fp string
	err := sidecar.ReadAny(path, sidecarKind, sidecarVersion, func(fingerprint string, d *sidecar.Decoder) error {
		fp = fingerprint
		t.Docs = int(d.Uint64())
		if got, want := d.Strings(), fieldNames(); fmt.Sprint(got) != fmt.Sprint(want) {
			return fmt.Errorf("%w: facets %v, not %v", sidecar.ErrStale, got, want)
		}
		for k := range t.cols {
			c := &t.cols[k]
			c.values, c.start, c.ords = d.Strings(), d.Uint32s(), d.Uint32s()
			if len(c.start) == 0 {
				c.start = nil
			}
		}
		t.dates, t.Live = d.Int64s(), d.Uint32s()
		if err := d.Err(); err != nil {
			return err
		}
		return t.check()
	})
	if err != nil {
		return nil, "", err
	}
	t.All = NewCounts(t)
	for _, doc := range t.Live {
		t.All.CountAll(t, doc)
	}
	return t, fp, nil
}

// fieldNames returns the index fields of the facets, in Kind order.
func fieldNames() []string {
	names := make([]string, NumKinds)
	for k, d := range Defs {
		names[k] = d.Field
	}
	return names
}

// check verifies that every number in t indexes what it should, so that a
// table read from a file cannot send a search out of bounds.
func (t *Table) check() error {
	if len(t.dates) != t.Docs {
		return fmt.Errorf("facet table: %d dates for %d documents", len(t.dates), t.Docs)
	}
	for i, doc := range t.Live {
		if int(doc) >= t.Docs || (i > 0 && doc <= t.Live[i-1]) {
			return fmt.Errorf("facet table: live document %d out of order or range", doc)
		}
	}
	for k, c := range t.cols {
		if c.start == nil {
			if len(c.ords) != t.Docs {
				return fmt.Errorf("facet table: %s: %d values for %d documents", Defs[k].Name, len(c.ords), t.Docs)
			}
		} else if len(c.start) != t.Docs+1 || c.start[0] != 0 || int(c.start[t.Docs]) != len(c.ords) {
			return fmt.Errorf("facet table: %s: bad value ranges", Defs[k].Name)
		} else {
			for d := 1; d <= t.Docs; d++ {
				if c.start[d] < c.start[d-1] {
					return fmt.Errorf("facet table: %s: bad value ranges", Defs[k].Name)
				}
			}
		}
		for _, o := range c.ords {
			if o != noValue && int(o) >= len(c.values) {
				return fmt.Errorf("facet table: %s: value %d of %d", Defs[k].Name, o, len(c.values))
			}
		}
	}
	return nil
}
