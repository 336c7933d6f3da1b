package index

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"

	"github.com/newsfind/newsfind/internal/index/engine"
	"github.com/newsfind/newsfind/internal/index/facet"
	"github.com/newsfind/newsfind/internal/index/lexicon"
	"github.com/newsfind/newsfind/internal/index/schema"
	"github.com/newsfind/newsfind/internal/index/suggest"
)

// WriteTables opens the complete generation at path as searchd will and
// writes into its folder what opening it would otherwise build from the
// whole index each time: the facet table and the suggestion lists, and
// the block maxima searches skip by (see engine.Generation.WriteImpacts). Opening
// is then one read of each file, whatever the archive's size. Builders of
// generations call it before publishing one (gen.Config.Tables). When the
// generation is a copy of another, from, the facet table is derived from
// from's for the segments both hold: an update pays for what changed.
// The dictionaries' terms and counts are kept too (package lexicon), so
// that the next update walks only the segments that changed.
// A generation built from nothing (a full build) first has its segments
// merged (engine.Compact): searches then open and walk fewer of them.
func WriteTables(ctx context.Context, path, from string) (err error) {
	if from == "" {
		if err := engine.Compact(ctx, path); err != nil {
			return fmt.Errorf("tables of %s: %w", path, err)
		}
	}
	eng, err := engine.Open(path, engine.Options{TablesFrom: from})
	if err != nil {
		return fmt.Errorf("tables of %s: %w", path, err)
	}
	defer func() { err = errors.Join(err, eng.Close()) }()
	if err := eng.Facets().Save(filepath.Join(path, facet.File), eng.Fingerprint()); err != nil {
		return err
	}
	// The dictionaries' terms, counted once (derived from from's when
	// there is one), serve both the suggestion lists and the block maxima.
	lex, err := eng.Lexicon(from, suggest.StemField, suggest.FormField, schema.Pairs)
	if err != nil {
		return fmt.Errorf("lexicon of %s: %w", path, err)
	}
	if err := lex.Save(filepath.Join(path, lexicon.File), eng.Fingerprint()); err != nil {
		return err
	}
	terms := eng.NewImpactTerms()
	lists, err := suggest.Build(lexiconSource{eng, lex}, terms.Add)
	if err != nil {
		return fmt.Errorf("suggestion lists of %s: %w", path, err)
	}
	if err := lists.Save(filepath.Join(path, suggest.File), eng.Fingerprint()); err != nil {
		return err
	}
	if err := lex.Terms(schema.Pairs, func(term string, docs uint64) { terms.Add(schema.Pairs, term, docs) }); err != nil {
		return fmt.Errorf("pairs of %s: %w", path, err)
	}
	if _, err := eng.WriteImpacts(from, terms); err != nil {
		return fmt.Errorf("block maxima of %s: %w", path, err)
	}
	return nil
}

// lexiconSource is a generation whose dictionaries' terms are read from
// its lexicon instead of walks of its segments.
type lexiconSource struct {
	*engine.Generation
	lex *lexicon.Lexicon
}

// Terms calls fn with each term of field and its count, from the lexicon.
func (s lexiconSource) Terms(field string, fn func(term string, docs uint64)) error {
	return s.lex.Terms(field, fn)
}
