package entity

import "strings"

// The organization-keyword rule: a capitalized phrase headed by a word such
// as "Committee", "Bank" or "Ministry".

// organizations applies the organization-keyword rule to units [a, b) of
// segment si: a phrase of capitalized words ending in a word such as
// "Committee", or with one followed by "of" ("Bank of Korea"), maybe after
// a known organization or place ("SCO Consortium of ...").
func (ex *extraction) organizations(si, a, b int) {
	s := &ex.segs[si]
	for i := a; i < b; {
		// A piece: no titles, no known non-entities, no brackets, no used units.
		j := i
		for j < b && !s.used[j] && ex.inOrgName(s, i, j) {
			j++
			if t := s.toks[s.units[j-1].b-1]; t.base != t.text && !pluralPossessives[t.base] {
				break // "Bank of England's": a possessive ends a name, but not "Women's"
			}
		}
		if j > i {
			ex.orgIn(si, i, j)
		}
		i = max(j, i+1)
	}
}

// pluralPossessives are words whose possessive is part of many names
// ("Women's Tennis Association", "People's Bank").
var pluralPossessives = map[string]bool{
	"Women": true, "Men": true, "People": true, "Children": true, "Workers": true, "Worker": true,
	"Citizens": true, "Consumers": true, "Employers": true, "Teachers": true, "Nurses": true,
	"Students": true, "Writers": true, "Artists": true, "Journalists": true, "Farmers": true,
	"Veterans": true, "Lawyers": true, "Alzheimer": true, "Parkinson": true, "Homeowners": true,
}

// inOrgName reports whether unit j can be part of an organization's name
// that starts at unit i: a word, a place or an organization, or after "of"
// or "for" a known phrase such as "Foreign Affairs" or "Justice".
func (ex *extraction) inOrgName(s *segment, i, j int) bool {
	u := s.units[j]
	switch {
	case u.e == nil:
		return s.toks[u.a].word
	case u.e.kind == gazPlace || u.e.kind == gazOrg:
		return true
	case j > i && (u.e.kind == gazOther || u.e.kind == gazTitle):
		prev := s.toks[s.units[j-1].a].text
		return prev == "of" || prev == "for" || prev == "the"
	}
	return false
}

// orgIn finds an organization named by the whole of units [a, b), or by
// units [a, k] when the head word at k ends the phrase.
func (ex *extraction) orgIn(si, a, b int) {
	s := &ex.segs[si]
	for a < b {
		if t, ok := s.plain(a); ok && (ex.g.function[t.text] || nameConnectors[t.text]) {
			a++
			continue
		}
		break
	}
	head := -1
	for k := a; k < b; k++ {
		t, ok := s.plain(k)
		if !ok || !ex.g.orghead[t.base] {
			continue
		}
		if k == b-1 || t.base != t.text {
			head = k + 1
			break
		}
		if next, ok := s.plain(k + 1); ok && (next.text == "of" || next.text == "for") {
			head = b
			obj := k + 2
			if t, ok := s.plain(obj); ok && t.text == "the" {
				obj++
			}
			if obj < b && s.units[obj].e != nil && s.units[obj].e.kind == gazOrg {
				head = k + 1 // "Monetary Policy Committee of the Bank of England": two
			}
			break
		}
	}
	for head > a { // "Department of": no connector ends a name
		if t, ok := s.plain(head - 1); !ok || !nameConnectors[t.text] {
			break
		}
		head--
	}
	if head < 0 || s.nameWords(a, head) < 2 || head-a > 8 {
		return
	}
	// A person's name is no organization's first words ("John Lewis Partnership" aside).
	if t, ok := s.plain(a); ok && ex.g.given[t.text] {
		return
	}
	name := strings.Join(s.nameOf(a, head), " ")
	m := s.span(a, head)
	ex.add(Organization, name, RuleOrgKeyword, si, m)
	for k := a; k < head; k++ {
		s.used[k] = true
	}
}
