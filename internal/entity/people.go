package entity

import (
	"slices"
	"strings"
)

// The rules that recognize people (a title of office, a common given name,
// a surname after a title) and pass two, which counts every mention of the
// people found.

// nameLike reports whether unit i can be a word of a person's name.
func (ex *extraction) nameLike(s *segment, i int) bool {
	return s.name[i]
}

// nameWord reports whether unit i of s can be a word of a person's name: a
// capitalized word, not in capitals, without digits, and not one of the
// gazetteer's words that are no names.
func (g *gazetteer) nameWord(s *segment, i int) bool {
	t, ok := s.plain(i)
	if !ok || !t.cap || t.allCaps || strings.ContainsAny(t.text, "0123456789") {
		return false
	}
	return !g.notName[t.base]
}

// nameEnd returns the end of the name starting at unit i: name-like words,
// with lower-case connectors inside ("von der"), ending at a possessive.
func (ex *extraction) nameEnd(s *segment, i, end int) int {
	j := i
	for j < end {
		if ex.nameLike(s, j) {
			t := s.toks[s.units[j].a]
			j++
			if t.base != t.text {
				break // "Alimov's": the name ends here
			}
			continue
		}
		if t, ok := s.plain(j); ok && j > i && !t.cap && nameConnectors[t.text] && t.text != "of" && t.text != "for" && t.text != "the" && j+1 < end && ex.nameLike(s, j+1) {
			j++
			continue
		}
		break
	}
	return j
}

// titled applies the title-of-office rule to units [a, b) of segment si: the
// name after the run's last title, past any "of the Shanghai Cooperation
// Organization (SCO)" that completes the title.
func (ex *extraction) titled(si, a, b int) {
	s := &ex.segs[si]
	t := -1
	for i := a; i < b; i++ {
		if u := s.units[i]; u.e != nil && u.e.kind == gazTitle {
			t = i
		}
	}
	if t < 0 {
		return
	}
	i := t + 1
skip:
	for i < b {
		tok, plain := s.plain(i)
		switch {
		case plain && (tok.text == "of" || tok.text == "for"):
			i++
			if i < b && s.toks[s.units[i].a].text == "the" {
				i++
			}
			if i < b { // the object: "of China", "of Agriculture"
				i++
			}
			for i < b && !ex.nameLike(s, i) && s.units[i].e == nil && s.toks[s.units[i].a].cap {
				i++ // "of Rural Affairs"
			}
		case s.toks[s.units[i].a].text == "(" && i+2 < b:
			i += 3
		case s.units[i].e != nil && s.units[i].e.kind != gazTitle:
			i++
		default:
			break skip
		}
	}
	end := ex.nameEnd(s, i, b)
	switch n := s.nameWords(i, end); {
	case n >= 2 && n <= 4:
		words := s.nameOf(i, end)
		ft := s.firstTitle(a, t)
		ex.establish(words, RuleTitle, si, s.span(ft, end))
		// The title and the name are used; what stands between them ("of
		// China") is still a mention.
		for j := ft; j <= t; j++ {
			s.used[j] = true
		}
		for j := i; j < end; j++ {
			s.used[j] = true
		}
	case n == 1:
		if ex.surnames == nil {
			ex.surnames = map[string]Mention{}
		}
		w := s.toks[s.units[i].a].base
		if _, seen := ex.surnames[w]; !seen {
			m := s.span(t, end)
			m.Segment = si
			ex.surnames[w] = m
		}
	}
}

// firstTitle returns the first unit of the titles ending at unit t, so that
// evidence reads "State Councilor and Foreign Minister" rather than
// "Minister".
func (s *segment) firstTitle(a, t int) int {
	for t > a && s.units[t-1].e != nil && s.units[t-1].e.kind == gazTitle {
		t--
	}
	return t
}

// givenNames applies the given-name rule to the names left in units
// [a, b) of segment si, and keeps the other pairs and triples as candidates
// for the title-surname rule.
func (ex *extraction) givenNames(si, a, b int) {
	s := &ex.segs[si]
	for i := a; i < b; {
		if s.used[i] || !ex.nameLike(s, i) {
			i++
			continue
		}
		end := ex.nameEnd(s, i, b)
		if n := s.nameWords(i, end); n >= 2 && n <= 3 {
			words := s.nameOf(i, end)
			if ex.g.given[words[0]] {
				ex.establish(words, RuleGivenName, si, s.span(i, end))
			} else {
				ex.candidates = append(ex.candidates, candidate{toks: words, seg: si, u: [2]int{i, end}})
			}
		}
		i = end
	}
}

// confirmCandidates applies the title-surname rule: a candidate pair is a
// person when its last word also follows a title alone ("Mr Blair").
func (ex *extraction) confirmCandidates() {
	for _, c := range ex.candidates {
		if _, ok := ex.surnames[c.toks[len(c.toks)-1]]; ok {
			s := &ex.segs[c.seg]
			ex.establish(c.toks, RuleTitleSurname, c.seg, s.span(c.u[0], c.u[1]))
		}
	}
}

// establish records that words name a person, recognized by rule from the
// text at m of segment si. Its mentions are counted in pass two.
func (ex *extraction) establish(words []string, rule string, si int, m Mention) {
	name := strings.Join(words, " ")
	if _, ok := ex.known[name]; ok {
		return
	}
	k := key{Person, name}
	ex.known[name] = &person{toks: words, key: k}
	m.Segment = si
	ex.found[k] = &Entity{Kind: Person, Name: name, Rule: rule, Evidence: ex.segs[si].text[m.Start:m.End], Where: m}
	ex.order = append(ex.order, k)
}

// countPeople is pass two: it counts every mention of every person found,
// by full name, or by one word of it that names nobody else ("Norov").
func (ex *extraction) countPeople() {
	if len(ex.known) == 0 {
		return
	}
	byFirst := map[string][]*person{} // full names by first word
	single := map[string][]*person{}  // people by first and last word
	for _, p := range ex.known {
		byFirst[p.toks[0]] = append(byFirst[p.toks[0]], p)
		single[p.toks[0]] = append(single[p.toks[0]], p)
		if last := p.toks[len(p.toks)-1]; last != p.toks[0] {
			single[last] = append(single[last], p)
		}
	}
	for si := range ex.segs {
		s := &ex.segs[si]
		for _, r := range s.runs {
			for i := r[0]; i < r[1]; {
				if !ex.nameLike(s, i) {
					i++
					continue
				}
				end := ex.nameEnd(s, i, r[1])
				ex.countIn(si, i, end, byFirst, single)
				i = end
			}
		}
	}
}

// countIn counts the people named in the name units [a, b) of segment si.
func (ex *extraction) countIn(si, a, b int, byFirst, single map[string][]*person) {
	s := &ex.segs[si]
	if b-a == 1 {
		t := s.toks[s.units[a].a]
		if ps := single[t.base]; len(ps) == 1 {
			ex.mention(ps[0], si, s.span(a, b))
		}
		return
	}
	for i := a; i < b; {
		var best *person
		for _, p := range byFirst[s.toks[s.units[i].a].text] {
			if (best == nil || len(p.toks) > len(best.toks)) && i+len(p.toks) <= b && slices.Equal(p.toks, s.nameOf(i, i+len(p.toks))) {
				best = p
			}
		}
		if best == nil {
			i++
			continue
		}
		ex.mention(best, si, s.span(i, i+len(best.toks)))
		i += len(best.toks)
	}
}

// mention counts one mention of p at m in segment si.
func (ex *extraction) mention(p *person, si int, m Mention) {
	e := ex.found[p.key]
	m.Segment = si
	if e.Mentions == 0 || m.Segment < e.First.Segment || m.Segment == e.First.Segment && m.Start < e.First.Start {
		e.First = m
	}
	e.Mentions++
}
