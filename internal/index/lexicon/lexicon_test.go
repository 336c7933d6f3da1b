package lexicon_test

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/newsfind/newsfind/internal/index/lexicon"
)

// build returns a lexicon of two fields from "field term count" triples,
// given in order.
func build(t *testing.T, entries ...any) *lexicon.Lexicon {
	t.Helper()
	b := lexicon.NewBuilder("content", "exact")
	for i := 0; i < len(entries); i += 3 {
		b.Add(entries[i].(string), entries[i+1].(string), uint64(entries[i+2].(int)))
	}
	l, err := b.Lexicon()
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// list returns what l holds, as "field:term=count".
func list(t *testing.T, l *lexicon.Lexicon) []string {
	t.Helper()
	var out []string
	for _, f := range l.Fields() {
		if err := l.Terms(f, func(term string, docs uint64) { out = append(out, fmt.Sprintf("%s:%s=%d", f, term, docs)) }); err != nil {
			t.Fatal(err)
		}
	}
	return out
}

func TestApply(t *testing.T) {
	l := build(t, "content", "elect", 5, "content", "film", 2, "content", "oil", 1, "exact", "films", 2)
	d := lexicon.NewDelta()
	d.Add("content", "film", 3)   // more
	d.Add("content", "oil", -1)   // none left
	d.Add("content", "aaa", 1)    // new, first
	d.Add("content", "zzz", 2)    // new, last
	d.Add("content", "green", 4)  // new, between
	d.Add("content", "elect", 0)  // unchanged
	d.Add("exact", "films", -1)   // fewer
	d.Add("exact", "election", 1) // new in the other field
	got, err := l.Apply(d)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"content:aaa=1", "content:elect=5", "content:film=5", "content:green=4", "content:zzz=2",
		"exact:election=1", "exact:films=1"}
	if g := list(t, got); !slices.Equal(g, want) {
		t.Errorf("applied: %v\nwant %v", g, want)
	}
	if g := list(t, l); len(g) != 4 {
		t.Errorf("the lexicon applied to changed: %v", g)
	}
	if got, err := l.Apply(lexicon.NewDelta()); err != nil || !slices.Equal(list(t, got), list(t, l)) {
		t.Errorf("an empty delta changed the lexicon: %v, %v", err, got)
	}
}

// A delta that does not fit the lexicon (counts taken below zero, a field
// it does not hold) is refused: it was made against another lexicon.
func TestApplyRefusesAnotherLexiconsDelta(t *testing.T) {
	l := build(t, "content", "film", 2)
	for name, d := range map[string]func(*lexicon.Delta){
		"below zero":    func(d *lexicon.Delta) { d.Add("content", "film", -3) },
		"absent term":   func(d *lexicon.Delta) { d.Add("content", "oil", -1) },
		"unknown field": func(d *lexicon.Delta) { d.Add("title", "film", 1) },
		"too many":      func(d *lexicon.Delta) { d.Add("content", "film", 1<<32) },
	} {
		delta := lexicon.NewDelta()
		d(delta)
		if _, err := l.Apply(delta); err == nil {
			t.Errorf("%s: applied", name)
		}
	}
}

func TestBuilderRefusesTermsOutOfOrder(t *testing.T) {
	b := lexicon.NewBuilder("content")
	b.Add("content", "film", 1)
	b.Add("content", "elect", 1)
	if _, err := b.Lexicon(); err == nil {
		t.Error("terms out of order accepted")
	}
	b = lexicon.NewBuilder("content")
	b.Add("content", "film", 1)
	b.Add("content", "film", 1)
	if _, err := b.Lexicon(); err == nil {
		t.Error("a term added twice accepted")
	}
}

func TestSaveAndLoad(t *testing.T) {
	l := build(t, "content", "elect", 5, "content", "film", 2, "exact", "films", 2)
	path := filepath.Join(t.TempDir(), lexicon.File)
	if err := l.Save(path, "fp-1"); err != nil {
		t.Fatal(err)
	}
	read, fp, err := lexicon.LoadAny(path)
	if err != nil {
		t.Fatal(err)
	}
	defer read.Close()
	if fp != "fp-1" || !slices.Equal(list(t, read), list(t, l)) || !slices.Equal(read.Fields(), l.Fields()) {
		t.Errorf("read back %q %v, want fp-1 %v", fp, list(t, read), list(t, l))
	}
	// A damaged file is refused.
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	b[len(b)/2] ^= 0xff
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, _, err := lexicon.LoadAny(path); err == nil {
		t.Error("a damaged file was read")
	}
	if _, _, err := lexicon.LoadAny(filepath.Join(t.TempDir(), "none")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a missing file: %v", err)
	}
}
