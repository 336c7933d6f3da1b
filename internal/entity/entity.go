// Package entity finds the people, places and organizations that an English
// news article mentions, under one canonical name each: "SCO" and "Shanghai
// Cooperation Organization" are one organization, and "Wang Yi" is a person,
// not a place.
//
// It combines a gazetteer curated in this repository (gazetteer.txt:
// countries, capitals and major cities, international organizations with
// their acronyms, titles of office) with a few rules on capitalized words:
//
//   - a name after a title of office or a form of address is a person
//     ("Foreign Minister Wang Yi", "Governor Mark Carney");
//   - two or three capitalized words starting with a common given name are
//     a person ("Michael Saunders");
//   - a name whose last word also follows a title alone is a person ("Tony
//     Blair" ... "Mr Blair");
//   - a capitalized phrase headed by a word such as "Committee", "Bank" or
//     "Ministry" is an organization ("Monetary Policy Committee");
//   - a person, once known, is found again wherever the name recurs, also by
//     one word of it alone ("Norov", "President Xi").
//
// It is not a statistical recognizer, and what it cannot tell it leaves out:
// a list missing a name is better than one holding a wrong one. It knows
// nothing of files, articles or the index.
package entity

import (
	"bytes"
	_ "embed"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"
)

// Kind is what an entity is.
type Kind uint8

// The kinds of entity.
const (
	Person Kind = iota + 1
	Place
	Organization
)

// String returns the kind's name: "person", "place" or "organization".
func (k Kind) String() string {
	switch k {
	case Person:
		return "person"
	case Place:
		return "place"
	case Organization:
		return "organization"
	}
	return fmt.Sprintf("Kind(%d)", k)
}

// Names of the rules that recognize an entity, as Entity.Rule reports them.
const (
	// RuleGazetteer: the name, or one of its other forms, is in the gazetteer.
	RuleGazetteer = "gazetteer"
	// RuleTitle: the name follows a title of office or a form of address.
	RuleTitle = "title-of-office"
	// RuleTitleSurname: the name's last word follows a title alone elsewhere
	// ("Mr Blair").
	RuleTitleSurname = "title-surname"
	// RuleGivenName: two or three capitalized words starting with a common
	// given name.
	RuleGivenName = "given-name"
	// RuleOrgKeyword: a capitalized phrase headed by a word such as
	// "Committee" or "Bank".
	RuleOrgKeyword = "org-keyword"
)

// Mention is where a text names an entity: a byte range of one segment of
// the text given to Extract.
type Mention struct {
	// Segment is 0 for the headline and i+1 for the i-th body paragraph.
	Segment int
	// Start and End are byte offsets in that segment.
	Start, End int
}

// Entity is one person, place or organization a text mentions.
type Entity struct {
	Kind Kind
	// Name is the canonical name: the gazetteer's for places and
	// organizations, the fullest form found for people.
	Name string
	// Mentions counts the times the text names it, in any form.
	Mentions int
	// First is the earliest mention.
	First Mention
	// Rule names the rule that recognized it (RuleGazetteer, ...), and
	// Evidence is the text it applied to, such as "Foreign Minister Wang
	// Yi"; Where locates that text.
	Rule     string
	Evidence string
	Where    Mention
}

// Extractor finds entities with a gazetteer. It is safe for concurrent use
// and never changes after New.
type Extractor struct {
	g *gazetteer
}

// New returns an Extractor using the gazetteer read from r, in the format
// of this package's gazetteer.txt.
func New(r io.Reader) (*Extractor, error) {
	g, err := parseGazetteer(r)
	if err != nil {
		return nil, err
	}
	return &Extractor{g: g}, nil
}

//go:embed gazetteer.txt
var defaultGazetteer []byte

// Default returns the Extractor for the gazetteer shipped with newsfind,
// built on first use and shared afterwards (it is read-only).
var Default = sync.OnceValue(func() *Extractor {
	x, err := New(bytes.NewReader(defaultGazetteer))
	if err != nil {
		panic(fmt.Sprintf("entity: the embedded gazetteer is invalid: %v", err)) // caught by the package tests
	}
	return x
})

// Canonical returns the canonical name and kind of a place or organization
// written name ("SCO", "BEIJING", "People's Republic of China", "Communist
// Party of China (CPC)"); ok is false
// when the gazetteer does not know it, or knows it as no entity.
func (x *Extractor) Canonical(name string) (canonical string, kind Kind, ok bool) {
	if c, k, ok := x.canonical(name); ok {
		return c, k, true
	}
	// "Communist Party of China (CPC)": the name or the acronym.
	if base, acr, found := strings.Cut(name, " ("); found && strings.HasSuffix(acr, ")") {
		if c, k, ok := x.canonical(base); ok {
			return c, k, true
		}
		return x.canonical(strings.TrimSuffix(acr, ")"))
	}
	return "", 0, false
}

func (x *Extractor) canonical(name string) (string, Kind, bool) {
	toks := tokenize(nil, name, nil)
	if len(toks) == 0 {
		return "", 0, false
	}
	e, n := x.g.match(toks, 0)
	if e == nil || n != len(toks) {
		return "", 0, false
	}
	switch e.kind {
	case gazPlace:
		return e.canon, Place, true
	case gazOrg:
		return e.canon, Organization, true
	}
	return "", 0, false
}

// Extract returns the entities that headline and the body paragraphs
// mention, most mentioned first (ties: first mentioned first). The
// headline only names entities found by the gazetteer or recognized in the
// body: headlines capitalize every word, so capitals there say nothing.
func (x *Extractor) Extract(headline string, body []string) []Entity {
	ex := extraction{g: x.g, found: map[key]*Entity{}, known: map[string]*person{}}
	ex.segs = make([]segment, 0, len(body)+1)
	ex.addSegment(headline, true)
	for _, p := range body {
		ex.addSegment(p, false)
	}
	for si := range ex.segs {
		for _, r := range ex.segs[si].runs {
			ex.analyze(si, r)
		}
	}
	ex.confirmCandidates()
	ex.countPeople()

	out := make([]Entity, 0, len(ex.order))
	for _, k := range ex.order {
		if e := ex.found[k]; e.Mentions > 0 {
			out = append(out, *e)
		}
	}
	slices.SortStableFunc(out, func(a, b Entity) int {
		if a.Mentions != b.Mentions {
			return b.Mentions - a.Mentions
		}
		if a.First.Segment != b.First.Segment {
			return a.First.Segment - b.First.Segment
		}
		return a.First.Start - b.First.Start
	})
	return out
}

// key identifies an entity while extracting.
type key struct {
	kind Kind
	name string
}

// unit is one token, or the tokens of one gazetteer phrase.
type unit struct {
	a, b int    // token range
	e    *entry // the phrase; nil for a single token
}

// segment is the headline or one paragraph, split into tokens, units and
// runs of capitalized units.
type segment struct {
	text     string
	headline bool
	toks     []token
	units    []unit
	runs     [][2]int // unit ranges
	used     []bool   // by unit: already part of an entity found in pass one
	name     []bool   // by unit: can be a word of a person's name
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

func (ex *extraction) addSegment(text string, headline bool) {
	s := segment{text: text, headline: headline}
	s.toks = tokenize(nil, text, ex.g.kept)
	s.units = make([]unit, 0, len(s.toks))
	for i := 0; i < len(s.toks); {
		e, n := ex.g.match(s.toks, i)
		if e == nil {
			n = 1
		}
		s.units = append(s.units, unit{a: i, b: i + n, e: e})
		i += n
	}
	s.used = make([]bool, len(s.units))
	s.name = make([]bool, len(s.units))
	for i := range s.units {
		s.name[i] = ex.g.nameWord(&s, i)
	}
	s.runs = ex.runs(&s)
	ex.segs = append(ex.segs, s)
}

// nameConnectors join the words of a name ("Ursula von der Leyen") or an
// organization ("Bank of England").
var nameConnectors = map[string]bool{
	"of": true, "for": true, "the": true, "de": true, "du": true, "da": true, "del": true,
	"della": true, "der": true, "den": true, "van": true, "von": true, "bin": true, "al": true,
	"di": true, "dos": true, "das": true, "la": true, "y": true,
}

// runs splits a segment into runs of capitalized units: gazetteer phrases,
// capitalized words, titles followed by a capitalized word, lower-case
// connectors between them ("of the") and an acronym in brackets after
// them ("(SCO)"). Everything else ends a run.
func (ex *extraction) runs(s *segment) [][2]int {
	var runs [][2]int
	start := -1
	end := func(i int) {
		if start >= 0 {
			runs = append(runs, [2]int{start, i})
			start = -1
		}
	}
	for i := 0; i < len(s.units); i++ {
		switch {
		case ex.joins(s, i):
			if start < 0 {
				start = i
			}
		case start >= 0 && ex.connects(s, i):
		case start >= 0 && ex.bracketed(s, i):
			i += 2
		default:
			end(i)
		}
	}
	end(len(s.units))
	return runs
}

// joins reports whether unit i is capitalized text that starts or
// continues a run.
func (ex *extraction) joins(s *segment, i int) bool {
	u := s.units[i]
	t := s.toks[u.a]
	switch {
	case u.e != nil && u.e.kind == gazTitle && !t.cap:
		return i+1 < len(s.units) && s.units[i+1].e == nil && s.toks[s.units[i+1].a].cap
	case u.e != nil:
		return true
	}
	return t.word && t.cap
}

// connects reports whether unit i is a lower-case connector followed,
// maybe after more connectors, by a unit that joins the run.
func (ex *extraction) connects(s *segment, i int) bool {
	for ; i < len(s.units); i++ {
		u := s.units[i]
		t := s.toks[u.a].text
		if u.e != nil || !nameConnectors[t] {
			return ex.joins(s, i)
		}
		if prev := s.toks[s.units[i-1].a].text; t == "the" && prev != "of" && prev != "for" {
			return false // "of the", "for the"; not "November the"
		}
	}
	return false
}

// bracketed reports whether units i..i+2 are "(", an acronym and ")".
func (ex *extraction) bracketed(s *segment, i int) bool {
	if i+2 >= len(s.units) || s.toks[s.units[i].a].text != "(" || s.toks[s.units[i+2].a].text != ")" {
		return false
	}
	u := s.units[i+1]
	return u.e != nil && u.e.kind != gazTitle || u.e == nil && s.toks[u.a].allCaps
}

// span returns where units [a, b) stand in the segment.
func (s *segment) span(a, b int) Mention {
	return Mention{Start: s.toks[s.units[a].a].start, End: s.toks[s.units[b-1].b-1].end}
}

// plain returns the token of unit i when it is a single word not in the
// gazetteer.
func (s *segment) plain(i int) (token, bool) {
	u := s.units[i]
	if u.e != nil || !s.toks[u.a].word {
		return token{}, false
	}
	return s.toks[u.a], true
}

// nameLike reports whether unit i can be a word of a person's name.
func (ex *extraction) nameLike(s *segment, i int) bool {
	return s.name[i]
}

// nameWord reports whether unit i of s can be a word of a person's name: a
// capitalized word, not in capitals, without digits, and not one of the
// gazetteer's words that are no names.
func (g *gazetteer) nameWord(s *segment, i int) bool {
	t, ok := s.plain(i)
	if !ok || !t.cap || t.allCaps || strings.IndexAny(t.text, "0123456789") >= 0 {
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

// nameOf returns the words of the name in units [a, b), connectors included
// and a possessive dropped; a gazetteer phrase inside it is one word.
func (s *segment) nameOf(a, b int) []string {
	words := make([]string, 0, b-a)
	for i := a; i < b; i++ {
		u := s.units[i]
		t := s.toks[u.a]
		switch {
		case u.b-u.a > 1:
			words = append(words, s.text[t.start:s.toks[u.b-1].end])
		case i == b-1:
			words = append(words, t.base)
		default:
			words = append(words, t.text)
		}
	}
	return words
}

// nameWords counts the capitalized words of the name in units [a, b).
func (s *segment) nameWords(a, b int) int {
	n := 0
	for i := a; i < b; i++ {
		if s.toks[s.units[i].a].cap {
			n++
		}
	}
	return n
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

// restated reports whether unit i is an acronym in brackets after the name
// it stands for, "Shanghai Cooperation Organization (SCO)": one mention, not
// two.
func (s *segment) restated(i int) bool {
	if i < 2 || s.units[i].e == nil || s.toks[s.units[i-1].a].text != "(" {
		return false
	}
	prev := s.units[i-2].e
	return prev != nil && prev.canon == s.units[i].e.canon
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
