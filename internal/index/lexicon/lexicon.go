// Package lexicon keeps, beside a generation's index, the terms of the
// dictionaries its derived tables are made from, with how many articles
// hold each as bleve's walk of a dictionary counts them: summed over the
// snapshot's segments, deleted articles included until their segments
// merge.
//
// A walk of a dictionary reads every term's postings header in every
// segment: seconds at a million articles, once per update. Segments never
// change once written, so a generation that shares segments with its
// predecessor has the predecessor's counts, plus those of the segments it
// gained, less those of the segments it lost (merged into others, or
// emptied): an update derives its lexicon from its predecessor's by
// walking only the segments that changed (Delta, Apply), as Lucene keeps
// term statistics per segment and sums them when a reader opens.
package lexicon

import (
	"errors"
	"fmt"
	"math"
	"slices"

	"github.com/newsfind/newsfind/internal/index/sidecar"
)

// File is the file in a generation's folder that holds its lexicon.
const File = "lexicon.table"

// The layout Save writes.
const (
	sidecarKind    = "lexicon"
	sidecarVersion = 1
)

// Lexicon is the terms of some fields, each field's in byte order, with
// their counts.
type Lexicon struct {
	fields []string
	terms  []sidecar.StringList
	counts [][]uint32
	file   *sidecar.File // the mapped file read, or nil
}

// Builder gathers a Lexicon from walks of its fields' dictionaries.
type Builder struct {
	l    *Lexicon
	last []string // of each field, the term added last
}

// NewBuilder returns a Builder of the lexicon of fields.
func NewBuilder(fields ...string) *Builder {
	l := &Lexicon{fields: fields, terms: make([]sidecar.StringList, len(fields)), counts: make([][]uint32, len(fields))}
	return &Builder{l: l, last: make([]string, len(fields))}
}

// Add adds term of field, held by docs articles. A field's terms come in
// byte order, as a walk gives them; others are refused (Lexicon reports it).
func (b *Builder) Add(field, term string, docs uint64) {
	f := slices.Index(b.l.fields, field)
	if f < 0 {
		return
	}
	if len(b.l.counts[f]) > 0 && b.last[f] >= term {
		b.l.fields = nil // out of order: the lexicon would mislead lookups
		return
	}
	b.last[f] = term
	b.l.terms[f].Append([]byte(term))
	b.l.counts[f] = append(b.l.counts[f], uint32(min(docs, math.MaxUint32)))
}

// Lexicon returns what b gathered.
func (b *Builder) Lexicon() (*Lexicon, error) {
	if b.l.fields == nil {
		return nil, errors.New("lexicon: terms added out of order")
	}
	return b.l, nil
}

// Fields returns the fields l holds.
func (l *Lexicon) Fields() []string { return l.fields }

// Terms calls fn with each term of field and its count, in byte order,
// as a walk of the field's dictionary would; field must be one of l's.
func (l *Lexicon) Terms(field string, fn func(term string, docs uint64)) error {
	f := slices.Index(l.fields, field)
	if f < 0 {
		return fmt.Errorf("lexicon: no field %q", field)
	}
	terms, counts := l.terms[f], l.counts[f]
	for i := range counts {
		fn(terms.At(i), uint64(counts[i]))
	}
	return nil
}

// Prefixed calls fn with each of the first limit terms of field that
// start with prefix, in byte order, and its count, as a walk of the
// field's dictionary from prefix would: a binary search of the sorted
// terms instead of a walk of every segment's dictionary. It reports
// false, calling nothing, when l does not hold field.
func (l *Lexicon) Prefixed(field, prefix string, limit int, fn func(term string, docs uint64)) bool {
	f := slices.Index(l.fields, field)
	if f < 0 {
		return false
	}
	lo, hi := l.terms[f].Prefixed(prefix)
	for i := lo; i < min(hi, lo+limit); i++ {
		fn(l.terms[f].At(i), uint64(l.counts[f][i]))
	}
	return true
}

// Len returns how many terms l holds, all fields together.
func (l *Lexicon) Len() int {
	n := 0
	for _, c := range l.counts {
		n += len(c)
	}
	return n
}

// Delta is what an update adds to a lexicon's counts (the segments it
// gained) and takes from them (those it lost).
type Delta struct {
	n map[string]map[string]int64 // by field, by term
}

// NewDelta returns an empty Delta.
func NewDelta() *Delta { return &Delta{n: map[string]map[string]int64{}} }

// Add adds docs, negative for a segment lost, to the count of term in
// field.
func (d *Delta) Add(field, term string, docs int64) {
	m := d.n[field]
	if m == nil {
		m = map[string]int64{}
		d.n[field] = m
	}
	m[term] += docs
}

// Apply returns a new lexicon: l's counts changed by d, the terms whose
// count falls to zero left out, those d brings in placed in order. It
// fails when d names a field l does not hold, takes a count below zero or
// raises one past what a count holds: then d was not made against l.
func (l *Lexicon) Apply(d *Delta) (*Lexicon, error) {
	for field := range d.n {
		if !slices.Contains(l.fields, field) {
			return nil, fmt.Errorf("lexicon: no field %q", field)
		}
	}
	out := &Lexicon{fields: l.fields, terms: make([]sidecar.StringList, len(l.fields)), counts: make([][]uint32, len(l.fields))}
	for f, field := range l.fields {
		changes := d.n[field]
		keys := make([]string, 0, len(changes))
		for k := range changes {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		old, oldCounts := l.terms[f], l.counts[f]
		terms := sidecar.NewStringListCap(old.Len()+len(keys), old.Bytes())
		counts := make([]uint32, 0, old.Len()+len(keys))
		put := func(term string, n int64) error {
			if n < 0 || n > math.MaxUint32 {
				return fmt.Errorf("lexicon: %s:%s would count %d articles", field, term, n)
			}
			if n > 0 {
				terms.Append([]byte(term))
				counts = append(counts, uint32(n))
			}
			return nil
		}
		var buf []byte
		i, k := 0, 0
		for i < old.Len() || k < len(keys) {
			c := 1 // old's terms are done: a new one
			if i < old.Len() {
				buf = old.AppendTo(buf[:0], i)
				switch {
				case k == len(keys) || string(buf) < keys[k]:
					c = -1
				case string(buf) == keys[k]:
					c = 0
				}
			}
			var err error
			switch {
			case c < 0: // unchanged
				terms.Append(buf)
				counts = append(counts, oldCounts[i])
				i++
			case c > 0: // new
				err = put(keys[k], changes[keys[k]])
				k++
			default:
				err = put(keys[k], int64(oldCounts[i])+changes[keys[k]])
				i, k = i+1, k+1
			}
			if err != nil {
				return nil, err
			}
		}
		out.terms[f], out.counts[f] = terms, counts
	}
	return out, nil
}

// Save writes l to the sidecar file path for the index whose fingerprint
// is given.
func (l *Lexicon) Save(path, fingerprint string) error {
	return sidecar.Write(path, sidecarKind, sidecarVersion, fingerprint, func(e *sidecar.Encoder) {
		e.Strings(l.fields)
		for f := range l.fields {
			e.StringList(l.terms[f])
			e.Uint32s(l.counts[f])
		}
	})
}

// LoadAny reads a lexicon Save wrote for whatever index, and the
// fingerprint of that index: the lexicon to derive another's from. Its
// lists lie in the file's mapped pages until Close.
func LoadAny(path string) (*Lexicon, string, error) {
	l := &Lexicon{}
	var fp string
	f, err := sidecar.ReadAny(path, sidecarKind, sidecarVersion, func(fingerprint string, d *sidecar.Decoder) error {
		fp = fingerprint
		l.fields = d.Strings()
		for range l.fields {
			terms, counts := d.StringList(), d.Uint32s()
			if terms.Len() != len(counts) {
				return fmt.Errorf("lexicon: %d terms and %d counts", terms.Len(), len(counts))
			}
			l.terms, l.counts = append(l.terms, terms), append(l.counts, counts)
		}
		if err := d.Err(); err != nil {
			return err
		}
		for f, terms := range l.terms {
			for i := 1; i < terms.Len(); i++ {
				if terms.Compare(i-1, i) >= 0 {
					return fmt.Errorf("lexicon: %s's terms out of order", l.fields[f])
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, "", err
	}
	l.file = f
	return l, fp, nil
}

// Close releases the file l was read from, if any; l must not be used
// after it.
func (l *Lexicon) Close() error {
	if l == nil {
		return nil
	}
	return l.file.Close()
}
