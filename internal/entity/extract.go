package entity

import "strings"

// The state of one Extract call, and pass one over each run: places and
// organizations the gazetteer knows, and the rules for people and
// organizations.

// key identifies an entity while extracting.
type key struct {
	kind Kind
	name string
}

// person is someone recognized in pass one.
type person struct {
	toks []string
	key  key
}

// candidate is a capitalized pair or triple that may be a name.
type candidate struct {
	toks []string
	seg  int
	u    [2]int // units
}

// extraction is the state of one Extract call.
type extraction struct {
	g          *gazetteer
	segs       []segment
	found      map[key]*Entity
	order      []key
	known      map[string]*person // by full name
	candidates []candidate
	surnames   map[string]Mention // words that followed a title alone ("Mr Blair")
}

// analyze applies the rules of pass one to run r of segment si.
func (ex *extraction) analyze(si int, r [2]int) {
	s := &ex.segs[si]
	a, b := r[0], r[1]
	for a < b { // "But", "The", "of": not the start of a name
		t, ok := s.plain(a)
		if !ok || !(ex.g.function[t.text] || nameConnectors[t.text]) {
			break
		}
		a++
	}
	if a == b {
		return
	}
	if !s.headline {
		ex.titled(si, a, b)
		ex.organizations(si, a, b)
	}
	for i := a; i < b; i++ {
		if s.used[i] || s.restated(i) {
			continue
		}
		u := s.units[i]
		switch {
		case u.e != nil && u.e.kind == gazPlace:
			ex.add(Place, u.e.canon, RuleGazetteer, si, s.span(i, i+1))
		case u.e != nil && u.e.kind == gazOrg:
			ex.add(Organization, u.e.canon, RuleGazetteer, si, s.span(i, i+1))
		case u.e == nil:
			ex.compoundPlaces(si, i)
		}
	}
	if !s.headline {
		ex.givenNames(si, a, b)
	}
}

// compoundPlaces counts the places of a hyphenated word made of places
// only ("China-Uzbekistan").
func (ex *extraction) compoundPlaces(si, i int) {
	s := &ex.segs[si]
	t := s.toks[s.units[i].a]
	if !t.cap || !strings.Contains(t.base, "-") {
		return
	}
	parts := strings.Split(t.base, "-")
	canon := make([]string, len(parts))
	for k, p := range parts {
		toks := tokenize(nil, p, nil)
		if len(toks) != 1 {
			return
		}
		e, _ := ex.g.match(toks, 0)
		if e == nil || e.kind != gazPlace {
			return
		}
		canon[k] = e.canon
	}
	m := s.span(i, i+1)
	for _, c := range canon {
		ex.add(Place, c, RuleGazetteer, si, m)
	}
}

// add counts a mention, at m of segment si, of a place or an organization
// that rule recognized.
func (ex *extraction) add(kind Kind, name, rule string, si int, m Mention) {
	k := key{kind, name}
	m.Segment = si
	e, ok := ex.found[k]
	if !ok {
		e = &Entity{Kind: kind, Name: name, First: m, Rule: rule, Evidence: ex.segs[si].text[m.Start:m.End], Where: m}
		ex.found[k] = e
		ex.order = append(ex.order, k)
	}
	e.Mentions++
}
