package engine

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"testing"
	"unicode/utf8"

	"github.com/newsfind/newsfind/internal/index/gen"
	"github.com/newsfind/newsfind/internal/index/lexicon"
	"github.com/newsfind/newsfind/internal/index/schema"
)

// termsOf lists what lex holds of fields, as "field:term=count".
func termsOf(t *testing.T, lex *lexicon.Lexicon, fields []string) []string {
	t.Helper()
	var out []string
	for _, f := range fields {
		if err := lex.Terms(f, func(term string, docs uint64) {
			out = append(out, fmt.Sprintf("%s:%s=%d", f, term, docs))
		}); err != nil {
			t.Fatal(err)
		}
	}
	return out
}

// An update's lexicon, derived from its predecessor's by walking only the
// segments it gained and lost, holds what walks of every segment find:
// after articles are added, replaced and removed (a segment emptied), and
// after segments of the predecessor are merged into one.
func TestLexiconDerivedFromPredecessor(t *testing.T) {
	fields := []string{schema.Content, schema.Exact, schema.Pairs}
	articles := t.TempDir()
	writeFacetCorpus(t, articles, "a.jsonl", 300, 1)
	writeFacetCorpus(t, articles, "b.jsonl", 200, 2)
	writeFacetCorpus(t, articles, "z.jsonl", 600, 9)
	built, dir := openBuilt(t, articles)
	lex, err := built.Lexicon("", fields...)
	if err != nil {
		t.Fatal(err)
	}
	if lex.Len() == 0 {
		t.Fatal("empty lexicon")
	}
	if err := lex.Save(filepath.Join(built.Path(), lexicon.File), built.Fingerprint()); err != nil {
		t.Fatal(err)
	}
	prev := built.Path()
	lostRe := regexp.MustCompile(`msg="lexicon derived".* lost=(\d+)`)
	lostAny := false
	for _, step := range []struct {
		name   string
		change func()
		merge  bool
	}{
		{"added", func() { writeFacetCorpus(t, articles, "c.jsonl", 40, 4) }, false},
		{"added again", func() { writeFacetCorpus(t, articles, "d.jsonl", 30, 5) }, false},
		{"replaced and removed", func() {
			writeFacetCorpus(t, articles, "b.jsonl", 150, 3)
			if err := os.Remove(filepath.Join(articles, "c.jsonl")); err != nil {
				t.Fatal(err)
			}
		}, false},
		{"merged", func() { writeFacetCorpus(t, articles, "e.jsonl", 20, 6) }, true},
	} {
		step.change()
		if _, err := gen.Update(context.Background(), gen.Config{Articles: articles, Index: dir}); err != nil {
			t.Fatal(err)
		}
		cur, err := gen.Current(dir)
		if err != nil {
			t.Fatal(err)
		}
		if step.merge {
			// The small segments the updates added merge; the build's stay.
			if err := compact(context.Background(), cur, 250); err != nil {
				t.Fatal(err)
			}
		}
		var log bytes.Buffer
		g, err := Open(cur, Options{Log: slog.New(slog.NewTextHandler(&log, nil))})
		if err != nil {
			t.Fatal(err)
		}
		derived, err := g.Lexicon(prev, fields...)
		if err != nil {
			t.Fatal(err)
		}
		m := lostRe.FindStringSubmatch(log.String())
		if m == nil {
			t.Fatalf("%s: lexicon not derived from the predecessor's:\n%s", step.name, log.String())
		}
		lostAny = lostAny || m[1] != "0"
		walked, err := g.Lexicon("", fields...)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := termsOf(t, derived, fields), termsOf(t, walked, fields); !slices.Equal(got, want) {
			t.Errorf("%s: derived lexicon of %d terms differs from the walk's %d", step.name, len(got), len(want))
		}
		if err := derived.Save(filepath.Join(cur, lexicon.File), g.Fingerprint()); err != nil {
			t.Fatal(err)
		}
		if err := g.Close(); err != nil {
			t.Fatal(err)
		}
		prev = cur
		t.Logf("%s: %s", step.name, m[0])
	}
	if !lostAny {
		t.Error("no update lost a segment: taking a lost segment's counts away went untested")
	}
}

// openWithLexicon opens a generation of updated segments, with deleted
// articles, whose folder holds its lexicon of content and exact forms.
func openWithLexicon(t *testing.T) (*testIndex, *lexicon.Lexicon, *Generation) {
	t.Helper()
	ix := openUpdatedZipf(t, 3000)
	lex, err := ix.Lexicon("", schema.Content, schema.Exact)
	if err != nil {
		t.Fatal(err)
	}
	if err := lex.Save(filepath.Join(ix.path, lexicon.File), ix.Fingerprint()); err != nil {
		t.Fatal(err)
	}
	g, err := Open(ix.path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { g.Close() })
	if g.lex == nil {
		t.Fatal("the lexicon written for the generation is not read")
	}
	return ix, lex, g
}

// A generation whose folder holds its lexicon reads prefixes' terms from
// it, and they are those a walk of its dictionaries finds, counts
// included, on updated segments with deleted articles; a lexicon written
// for another snapshot is not read.
func TestPrefixesReadFromTheLexicon(t *testing.T) {
	ix, lex, g := openWithLexicon(t)
	list := func(ctx context.Context, field, prefix string, limit int) []string {
		var out []string
		if err := scanPrefix(ctx, g.reader, field, prefix, limit, func(term string, docs uint64) {
			out = append(out, fmt.Sprintf("%s=%d", term, docs))
		}); err != nil {
			t.Fatal(err)
		}
		return out
	}
	read := 0
	for _, field := range []string{schema.Content, schema.Exact} {
		for _, prefix := range []string{"", "h", "harb", "harbour", "ne", "new", "q", "qu", "zz", "\xff"} {
			for _, limit := range []int{1, 3, maxPrefixScan} {
				got, want := list(g.probeContext(context.Background()), field, prefix, limit), list(context.Background(), field, prefix, limit)
				if !slices.Equal(got, want) {
					t.Errorf("%s %q (%d): %v from the lexicon, %v walking", field, prefix, limit, got, want)
				}
				read += len(got)
			}
		}
	}
	if read == 0 {
		t.Error("no prefix has a term: nothing compared")
	}
	// The terms come from the lexicon given, not from the dictionaries.
	b := lexicon.NewBuilder(schema.Content)
	b.Add(schema.Content, "harbourmaster", 7)
	only, err := b.Lexicon()
	if err != nil {
		t.Fatal(err)
	}
	if got := list(context.WithValue(context.Background(), lexiconKey{}, only), schema.Content, "harb", 10); !slices.Equal(got, []string{"harbourmaster=7"}) {
		t.Errorf("harb from a lexicon of one term: %v", got)
	}
	// A field the lexicon does not hold is walked.
	if got := list(context.WithValue(context.Background(), lexiconKey{}, only), schema.Title, "harb", 10); len(got) == 0 {
		t.Error("a field the lexicon does not hold: no terms")
	}
	// Stale: written for another snapshot.
	if err := lex.Save(filepath.Join(ix.path, lexicon.File), "another"); err != nil {
		t.Fatal(err)
	}
	stale, err := Open(ix.path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer stale.Close()
	if stale.lex != nil {
		t.Error("a lexicon written for another snapshot is read")
	}
}

// A typo's neighbours are read from the generation's lexicon (one walk of
// its sorted terms with a Levenshtein automaton), and they are the terms
// bleve's fuzzy look-up finds running the automaton over each segment's
// dictionary: for misspellings of its terms (a letter dropped, two
// swapped, one replaced, one added) and for words it lacks, one and two
// edits away.
func TestNearFromTheLexicon(t *testing.T) {
	_, lex, g := openWithLexicon(t)
	fromLexicon, fromSegments := &vocabulary{g: g}, &vocabulary{g: &Generation{reader: g.reader}}
	near := func(v *vocabulary, field, prefix, word string, edits int) []string {
		var out []string
		if err := v.fuzzy(field, prefix, word, edits, func(term string, _ uint64) { out = append(out, term) }); err != nil {
			t.Fatal(err)
		}
		slices.Sort(out)
		return out
	}
	found := 0
	for _, field := range []string{schema.Content, schema.Exact} {
		var words []string
		if err := lex.Terms(field, func(term string, _ uint64) { words = append(words, term) }); err != nil {
			t.Fatal(err)
		}
		var typos []string
		for i := 0; i < len(words); i += max(1, len(words)/60) {
			w := []rune(words[i])
			if len(w) < 3 {
				continue
			}
			k := 1 + i%(len(w)-1)
			swapped := slices.Clone(w)
			swapped[k-1], swapped[k] = swapped[k], swapped[k-1]
			typos = append(typos, string(w), string(slices.Delete(slices.Clone(w), k, k+1)), string(swapped),
				string(w[:k])+"x"+string(w[k+1:]), string(w[:k])+"e"+string(w[k:]))
		}
		typos = append(typos, "zzyzx", "qu", "harbourmsater", "é")
		for _, w := range typos {
			_, n := utf8.DecodeRuneInString(w)
			for _, prefix := range []string{"", w[:n]} {
				for _, edits := range []int{1, 2} {
					got, want := near(fromLexicon, field, prefix, w, edits), near(fromSegments, field, prefix, w, edits)
					if !slices.Equal(got, want) {
						t.Errorf("%s %q (%d edits, starting %q): %q from the lexicon, %q from the segments", field, w, edits, prefix, got, want)
					}
					found += len(got)
				}
			}
		}
	}
	if found == 0 {
		t.Error("no typo has a neighbour: nothing compared")
	}
	t.Logf("%d neighbours compared", found)
}
