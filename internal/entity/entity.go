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
	// folded holds the places and organizations by their names folded
	// (see fold), for CanonicalFold; nil for a folded name two entities share.
	folded map[string]*entry
}

// New returns an Extractor using the gazetteer read from r, in the format
// of this package's gazetteer.txt.
func New(r io.Reader) (*Extractor, error) {
	g, err := parseGazetteer(r)
	if err != nil {
		return nil, err
	}
	return &Extractor{g: g, folded: foldNames(g)}, nil
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
