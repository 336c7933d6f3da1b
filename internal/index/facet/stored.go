package facet

import (
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"path/filepath"
	"slices"
	"time"

	"github.com/newsfind/newsfind/internal/index/facet/rows"
	"github.com/newsfind/newsfind/internal/index/sidecar"
)

// sidecarKind and sidecarVersion name the layout Save writes.
const (
	sidecarKind    = "facet table"
	sidecarVersion = 6 // 6: the multi-valued columns' rows; 5: story labels sorted, as Derive merges them
)

// File is the file in a generation's folder that holds its facet table,
// written (Save) when the generation is built.
const File = "facets.table"

// Open returns the facet table of the generation in dir, whose snapshot
// has segs: read from its File when that was written for segs, else built
// by build, which copies what it can from the table of the generation in
// prevDir (the one dir was copied from; "" for none) and reads the rest
// from the index. It logs which, and how long it took. The rows searches
// count from are laid out here (see Table.laidOut), while the generation
// opens, rather than by its first search: at 100,000 articles, ~20 ms.
func Open(dir string, segs []Segment, prevDir string, log *slog.Logger, build func(*Reuse) (*Table, error)) (*Table, error) {
	start := time.Now()
	t, err := Load(filepath.Join(dir, File), Fingerprint(segs))
	if err == nil {
		t.laidOut()
		log.Info("facet table read", "generation", dir, "documents", t.Docs,
			"bytes", t.Bytes(), "took", time.Since(start).Round(time.Millisecond))
		return t, nil
	}
	if !errors.Is(err, fs.ErrNotExist) {
		log.Warn("facet table file unusable; building the table", "err", err)
	}
	var reuse *Reuse
	if prevDir != "" {
		prev, fp, err := LoadAny(filepath.Join(prevDir, File))
		if err == nil {
			if reuse = PlanReuse(segs, prev, fp); reuse == nil {
				prev.Close()
			}
		} else if !errors.Is(err, fs.ErrNotExist) {
			log.Warn("previous facet table unusable", "err", err)
		}
	}
	t, err = build(reuse)
	copied := reuse.Docs()
	if reuse != nil {
		if err != nil {
			log.Warn("facet table not derived from the previous one; building it whole", "err", err)
			t, err = build(nil)
			copied = 0
		}
		err = errors.Join(err, reuse.Prev.Close()) // what build copied is its own
	}
	if err != nil {
		return nil, err
	}
	t.laidOut()
	log.Info("facet table built", "generation", dir, "documents", t.Docs,
		"copied", copied, "bytes", t.Bytes(), "took", time.Since(start).Round(time.Millisecond))
	return t, nil
}

// Save writes t to the sidecar file path for the index whose fingerprint
// is given, so that Load can read it back in one pass instead of reading
// every document's doc values again. The counts of everything are saved
// too, so Load need not count every document; its arrays are used as they
// lie in the file's mapped pages (see package sidecar).
func (t *Table) Save(path, fingerprint string) error {
	return sidecar.Write(path, sidecarKind, sidecarVersion, fingerprint, func(e *sidecar.Encoder) {
		e.Uint64(uint64(t.Docs))
		e.Strings(fieldNames())
		for _, c := range t.cols {
			e.StringList(c.values)
			e.Uint32s(c.start)
			e.Uint32s(c.ords)
		}
		if _, cols := t.multiColumns(false); len(cols) > 0 {
			starts, values := rows.Sizes(t.Docs, cols)
			e.Uint32Seq(starts, rows.Starts(t.Docs, cols))
			e.Uint32Seq(values, rows.Values(t.Docs, cols))
		} else {
			e.Uint32s(nil)
			e.Uint32s(nil)
		}
		e.Int64s(t.dates)
		e.Int64s(t.days)
		e.Uint32s(t.Live)
		for _, c := range t.All.n {
			e.Uint32s(c)
		}
	})
}

// Load reads a table Save wrote for the index with the given fingerprint;
// Close it when done.
// It fails (sidecar.ErrStale among others) when the file was written for
// another index, other facets or another layout; build the table then.
func Load(path, fingerprint string) (*Table, error) {
	t, fp, err := LoadAny(path)
	if err == nil && fp != fingerprint {
		return nil, errors.Join(fmt.Errorf("read %s: %w", path, sidecar.ErrStale), t.Close())
	}
	return t, err
}

// LoadAny reads a table Save wrote for whatever index, and the fingerprint
// of that index: a table to derive another index's from (Builder.Copy).
func LoadAny(path string) (*Table, string, error) {
	t := &Table{}
	var fp string
	f, err := sidecar.ReadAny(path, sidecarKind, sidecarVersion, func(fingerprint string, d *sidecar.Decoder) error {
		fp = fingerprint
		t.Docs = int(d.Uint64())
		if got, want := d.Strings(), fieldNames(); !slices.Equal(got, want) {
			return fmt.Errorf("%w: facets %v, not %v", sidecar.ErrStale, got, want)
		}
		for k := range t.cols {
			c := &t.cols[k]
			c.values, c.start, c.ords = d.StringList(), d.Uint32s(), d.Uint32s()
			if len(c.start) == 0 {
				c.start = nil
			}
		}
		multi := rows.Rows{Start: d.Uint32s(), Ords: d.Uint32s()}
		kinds, cols := t.multiColumns(false)
		if t.multi = newMultiRows(kinds, cols, multi); t.multi == nil && len(multi.Start)+len(multi.Ords) > 0 {
			return fmt.Errorf("facet table: rows without a multi-valued column")
		}
		t.dates, t.days, t.Live = d.Int64s(), d.Int64s(), d.Uint32s()
		t.All = &Counts{}
		for k := range t.All.n {
			t.All.n[k] = d.Uint32s()
		}
		t.All.whole()
		if err := d.Err(); err != nil {
			return err
		}
		return t.check()
	})
	if err != nil {
		return nil, "", err
	}
	t.fromDates()
	t.file = f
	t.stories = newStories(&t.cols[storyCol], t.Docs)
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
	for k, counts := range t.All.n {
		if len(counts) != t.cols[k].values.Len() {
			return fmt.Errorf("facet table: %d counts for %d values", len(counts), t.cols[k].values.Len())
		}
	}
	if t.multi != nil {
		if err := t.multi.Check(t.Docs, t.multi.values); err != nil {
			return fmt.Errorf("facet table: multi-valued %w", err)
		}
	}
	if len(t.days) != t.cols[Day].values.Len() {
		return fmt.Errorf("facet table: %d days for %d day values", len(t.days), t.cols[Day].values.Len())
	}
	for k, c := range t.cols {
		name := map[Kind]string{Day: "day", storyCol: "story"}[Kind(k)]
		if k < int(NumKinds) {
			name = Defs[k].Name
		}
		if c.start == nil {
			if len(c.ords) != t.Docs {
				return fmt.Errorf("facet table: %s: %d values for %d documents", name, len(c.ords), t.Docs)
			}
		} else if len(c.start) != t.Docs+1 || c.start[0] != 0 || int(c.start[t.Docs]) != len(c.ords) {
			return fmt.Errorf("facet table: %s: bad value ranges", name)
		} else {
			for d := 1; d <= t.Docs; d++ {
				if c.start[d] < c.start[d-1] {
					return fmt.Errorf("facet table: %s: bad value ranges", name)
				}
			}
		}
		for _, o := range c.ords {
			if o != noValue && int(o) >= c.values.Len() {
				return fmt.Errorf("facet table: %s: value %d of %d", name, o, c.values.Len())
			}
		}
	}
	return nil
}
