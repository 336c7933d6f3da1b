package entity

// A text is read as segments (the headline and each paragraph): its tokens,
// grouped into units (a gazetteer phrase or a single token), and runs of
// capitalized units that the rules of extract.go, people.go and
// organizations.go look at.

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
