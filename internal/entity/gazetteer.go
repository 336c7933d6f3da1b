package entity

import (
	"bufio"
	"cmp"
	"fmt"
	"io"
	"slices"
	"strings"
)

// gazKind is what a gazetteer phrase names.
type gazKind uint8

const (
	gazPlace gazKind = iota + 1
	gazOrg
	gazTitle // a title of office or a form of address: a name may follow
	gazOther // a known phrase that is no entity
)

// entry is one way of writing one gazetteer phrase.
type entry struct {
	toks  []string // its tokens, as written
	upper []string // the tokens in upper case, to match "BEIJING"
	kind  gazKind
	canon string // the canonical name
}

// gazetteer holds the phrases and word lists an Extractor knows, indexed for
// matching a token at a time. It is never changed after parseGazetteer.
type gazetteer struct {
	first    map[string][]*entry // by first token as written; longest first
	upper    map[string][]*entry // by first token in upper case, for all-capital text
	lower    map[string][]*entry // titles by lower-case first token
	given    map[string]bool     // common given names
	nonname  map[string]bool     // capitalized words that are no part of a name
	function map[string]bool     // sentence openers dropped from the front of a run
	orghead  map[string]bool     // words that head an organization's name
	names    map[string]*entry   // every phrase by its whole text, for Canonical
	// keep holds the lower-case words tokenize must keep: connectors, and
	// the lower-case words of phrases and titles.
	keep map[string]bool
	// keepFirst marks the first bytes of the words in keep, and keepLen is
	// the longest: a cheap test before the map.
	keepFirst [256]bool
	keepLen   int
	// notName unites nonname, function and orghead: words that are no part
	// of a person's name.
	notName map[string]bool
}

// sections maps a section heading of the gazetteer file to the kind of its
// phrases (0 for the word lists).
var sections = map[string]gazKind{
	"place": gazPlace, "org": gazOrg, "title": gazTitle, "honorific": gazTitle, "other": gazOther,
	"given": 0, "nonname": 0, "function": 0, "orghead": 0,
}

// parseGazetteer reads a gazetteer in the format of gazetteer.txt.
func parseGazetteer(r io.Reader) (*gazetteer, error) {
	g := &gazetteer{
		first: map[string][]*entry{}, upper: map[string][]*entry{}, lower: map[string][]*entry{},
		given: map[string]bool{}, nonname: map[string]bool{}, function: map[string]bool{},
		orghead: map[string]bool{}, names: map[string]*entry{}, keep: map[string]bool{},
	}
	for w := range nameConnectors {
		g.keep[w] = true
	}
	sc := bufio.NewScanner(r)
	section, n := "", 0
	for sc.Scan() {
		n++
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if strings.HasPrefix(line, "[") && strings.HasSuffix(line, "]") {
			section = line[1 : len(line)-1]
			if _, ok := sections[section]; !ok {
				return nil, fmt.Errorf("gazetteer line %d: unknown section %q", n, section)
			}
			continue
		}
		if err := g.add(section, line); err != nil {
			return nil, fmt.Errorf("gazetteer line %d: %w", n, err)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read gazetteer: %w", err)
	}
	g.notName = map[string]bool{}
	for _, set := range []map[string]bool{g.nonname, g.function, g.orghead} {
		for w := range set {
			g.notName[w] = true
		}
	}
	for w := range g.keep {
		g.keepFirst[w[0]] = true
		g.keepLen = max(g.keepLen, len(w))
	}
	for _, m := range []map[string][]*entry{g.first, g.upper, g.lower} {
		for _, list := range m {
			slices.SortStableFunc(list, func(a, b *entry) int { return cmp.Compare(len(b.toks), len(a.toks)) })
		}
	}
	return g, nil
}

// add adds one line of section to g.
func (g *gazetteer) add(section, line string) error {
	words := map[string]map[string]bool{"given": g.given, "nonname": g.nonname, "function": g.function, "orghead": g.orghead}
	if set, ok := words[section]; ok {
		for _, w := range strings.Fields(line) {
			set[w] = true
		}
		return nil
	}
	kind, ok := sections[section]
	if !ok {
		return fmt.Errorf("%q is outside a section", line)
	}
	names := strings.Split(line, "|")
	canon := strings.TrimSpace(names[0])
	for _, name := range names {
		name = strings.TrimSpace(name)
		toks := tokenize(nil, name, nil)
		if len(toks) == 0 {
			return fmt.Errorf("empty name in %q", line)
		}
		if prev, dup := g.names[name]; dup && (prev.kind != kind || prev.canon != canon) {
			return fmt.Errorf("%q is already %q", name, prev.canon)
		}
		e := &entry{kind: kind, canon: canon}
		for _, t := range toks {
			e.toks = append(e.toks, t.text)
			e.upper = append(e.upper, strings.ToUpper(t.text))
			if !t.cap && t.word {
				g.keep[t.text] = true
			}
			if kind == gazTitle && t.word {
				g.keep[strings.ToLower(t.text)] = true
			}
		}
		g.names[name] = e
		g.first[e.toks[0]] = append(g.first[e.toks[0]], e)
		if e.upper[0] != e.toks[0] {
			g.upper[e.upper[0]] = append(g.upper[e.upper[0]], e)
		}
		if kind == gazTitle {
			low := strings.ToLower(e.toks[0])
			g.lower[low] = append(g.lower[low], e)
		}
	}
	return nil
}

// kept reports whether tokenize keeps the lower-case word w.
func (g *gazetteer) kept(w string) bool {
	return len(w) <= g.keepLen && g.keepFirst[w[0]] && g.keep[w]
}

// match returns the longest gazetteer phrase starting at toks[i] and the
// number of tokens it spans; nil when none does.
func (g *gazetteer) match(toks []token, i int) (*entry, int) {
	t := toks[i]
	if !t.word {
		return nil, 0
	}
	var best *entry
	n := 0
	try := func(list []*entry) {
		for _, e := range list {
			if len(e.toks) <= n {
				return // sorted longest first
			}
			if g.matches(e, toks[i:]) {
				best, n = e, len(e.toks)
				return
			}
		}
	}
	if t.cap {
		try(g.first[t.text])
		if t.base != t.text {
			try(g.first[t.base])
		}
		if t.allCaps && len(t.base) >= 4 {
			try(g.upper[t.base])
		}
	} else {
		try(g.lower[t.text])
	}
	return best, n
}

// matches reports whether the phrase e is written at the start of toks. A
// possessive may end it ("China's"); a title matches in any case; other
// phrases match as written or, word by word, in capitals of four letters or
// more ("BEIJING").
func (g *gazetteer) matches(e *entry, toks []token) bool {
	if len(toks) < len(e.toks) {
		return false
	}
	last := len(e.toks) - 1
	for j, want := range e.toks {
		t := toks[j]
		got := t.text
		if j == last && t.base != t.text && t.text != want {
			got = t.base
		}
		switch {
		case got == want:
		case e.kind == gazTitle && strings.EqualFold(got, want):
		case t.allCaps && len(got) >= 4 && got == e.upper[j]:
		default:
			return false
		}
	}
	return true
}
