package engine

import (
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"slices"

	"github.com/blevesearch/bleve/v2/index/scorch"
	segment "github.com/blevesearch/scorch_segment_api/v2"
	zapx "github.com/blevesearch/zapx/v17"

	"github.com/newsfind/newsfind/internal/index/facet"
	"github.com/newsfind/newsfind/internal/index/lexicon"
	"github.com/newsfind/newsfind/internal/index/sidecar"
)

// Lexicon returns the terms of fields with their counts, as Terms walks
// them. When g is a copy of the generation in the folder from whose
// lexicon was saved, it is derived from that one by walking only the
// dictionaries of the segments g gained and of those it lost (read from
// from's folder): segments never change, so it holds what walks of every
// segment would, at the cost of what changed. It walks every segment
// otherwise, or when most of the index changed.
func (g *Generation) Lexicon(from string, fields ...string) (*lexicon.Lexicon, error) {
	lex, err := g.deriveLexicon(from, fields)
	if err != nil {
		g.opts.Log.Warn("previous lexicon unusable; walking every segment", "err", err)
	}
	if lex != nil {
		return lex, nil
	}
	b := lexicon.NewBuilder(fields...)
	for _, f := range fields {
		if err := g.Terms(f, func(term string, docs uint64) { b.Add(f, term, docs) }); err != nil {
			return nil, err
		}
	}
	return b.Lexicon()
}

// deriveLexicon returns g's lexicon derived from the one in from, or nil
// when there is none to derive from or deriving would cost as much as a
// walk.
func (g *Generation) deriveLexicon(from string, fields []string) (*lexicon.Lexicon, error) {
	snap, ok := g.reader.(*scorch.IndexSnapshot)
	if from == "" || !ok {
		return nil, nil
	}
	prev, fp, err := lexicon.LoadAny(filepath.Join(from, lexicon.File))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	defer prev.Close()
	if !slices.Equal(prev.Fields(), fields) {
		return nil, nil
	}
	lost := map[uint64]uint64{} // id → documents
	for _, s := range facet.ParseFingerprint(fp) {
		lost[s.ID] = s.Docs
	}
	var gained []segment.Segment
	var changed, all uint64
	for _, s := range snap.Segments() {
		size := uint64(s.FullSize())
		all += size
		if n, ok := lost[s.Id()]; ok && n == size {
			delete(lost, s.Id())
		} else {
			gained = append(gained, s.Segment())
			changed += size
		}
	}
	for _, n := range lost {
		changed += n
	}
	if changed > all/2 {
		return nil, nil
	}
	d := lexicon.NewDelta()
	for _, s := range gained {
		if err := addTerms(d, s, fields, 1); err != nil {
			return nil, err
		}
	}
	for id := range lost {
		s, err := (&zapx.ZapPlugin{}).Open(filepath.Join(from, "store", fmt.Sprintf("%012x.zap", id)))
		if err != nil {
			return nil, fmt.Errorf("segment %x lost since %s: %w", id, from, err)
		}
		err = addTerms(d, s, fields, -1)
		if err = errors.Join(err, s.Close()); err != nil {
			return nil, err
		}
	}
	lex, err := prev.Apply(d)
	if err == nil {
		g.opts.Log.Info("lexicon derived", "from", from, "gained", len(gained), "lost", len(lost), "terms", lex.Len())
	}
	return lex, err
}

// addTerms adds to d the counts of fields' terms in the segment s, times
// sign.
func addTerms(d *lexicon.Delta, s segment.Segment, fields []string, sign int64) error {
	for _, f := range fields {
		dict, err := s.Dictionary(f)
		if err != nil {
			return fmt.Errorf("terms of %s: %w", f, err)
		}
		it := dict.AutomatonIterator(nil, nil, nil)
		for {
			e, err := it.Next()
			if err != nil {
				return fmt.Errorf("terms of %s: %w", f, err)
			}
			if e == nil {
				break
			}
			d.Add(f, e.Term, sign*int64(e.Count))
		}
	}
	return nil
}

// readLexicon returns the lexicon written in g's folder for its snapshot,
// or nil when there is none (a generation built before lexicons, or one
// whose tables are being written): prefixes then walk the dictionaries.
func (g *Generation) readLexicon() *lexicon.Lexicon {
	lex, fp, err := lexicon.LoadAny(filepath.Join(g.path, lexicon.File))
	switch {
	case err == nil && fp == g.Fingerprint():
		return lex
	case err == nil:
		err = errors.Join(sidecar.ErrStale, lex.Close())
	}
	if !errors.Is(err, fs.ErrNotExist) {
		g.opts.Log.Warn("lexicon unusable; prefixes walk the dictionaries", "err", err)
	}
	return nil
}
