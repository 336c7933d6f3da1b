package entity

import "strings"

// CanonicalFold is Canonical for names people type in a search, where case
// says nothing: "sco", "Sco" and "SCO" are the Shanghai Cooperation
// Organization, and so is "shanghai cooperation organisation". A name
// written as the gazetteer knows it is looked up as Canonical does first.
//
// Only a query's explicit entity field should use it: in running text
// case matters, and Extract keeps telling "Who" the word from "WHO" the
// organization.
func (x *Extractor) CanonicalFold(name string) (canonical string, kind Kind, ok bool) {
	if c, k, ok := x.Canonical(name); ok {
		return c, k, true
	}
	e := x.folded[fold(name)]
	if e == nil {
		return "", 0, false
	}
	if e.kind == gazPlace {
		return e.canon, Place, true
	}
	return e.canon, Organization, true
}

// fold is a name in lower case with its spaces collapsed.
func fold(name string) string {
	return strings.Join(strings.Fields(strings.ToLower(name)), " ")
}

// foldNames indexes the places and organizations of g by folded name,
// with nil for a folded name that means two entities.
func foldNames(g *gazetteer) map[string]*entry {
	out := map[string]*entry{}
	for name, e := range g.names {
		if e.kind != gazPlace && e.kind != gazOrg {
			continue
		}
		key := fold(name)
		if prev, seen := out[key]; seen && (prev == nil || prev.canon != e.canon || prev.kind != e.kind) {
			out[key] = nil
			continue
		}
		out[key] = e
	}
	return out
}
