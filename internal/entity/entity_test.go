package entity

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// names returns the extracted entities of kind k, in order.
func names(ents []Entity, k Kind) []string {
	var out []string
	for _, e := range ents {
		if e.Kind == k {
			out = append(out, e.Name)
		}
	}
	return out
}

func TestDefaultGazetteerParses(t *testing.T) {
	if _, err := New(strings.NewReader(string(defaultGazetteer))); err != nil {
		t.Fatal(err)
	}
}

func TestGazetteerErrors(t *testing.T) {
	for _, src := range []string{
		"[planets]\nMars\n",                    // unknown section
		"Mars\n",                               // outside a section
		"[place]\nParis\n[org]\nParis\n",       // one name, two kinds
		"[place]\nGeorgia\nJordan | Georgia\n", // one name, two entities
	} {
		if _, err := New(strings.NewReader(src)); err == nil {
			t.Errorf("New(%q) accepted it", src)
		}
	}
}

func TestCanonical(t *testing.T) {
	x := Default()
	tests := []struct {
		in, want string
		kind     Kind
	}{
		{"SCO", "Shanghai Cooperation Organization", Organization},
		{"Shanghai Cooperation Organisation", "Shanghai Cooperation Organization", Organization},
		{"Shanghai Cooperation Organization", "Shanghai Cooperation Organization", Organization},
		{"Communist Party of China (CPC)", "Communist Party of China", Organization},
		{"CPC", "Communist Party of China", Organization},
		{"UN", "United Nations", Organization},
		{"NATO", "North Atlantic Treaty Organization", Organization},
		{"BEIJING", "Beijing", Place},
		{"People's Republic of China", "China", Place},
		{"U.S.", "United States", Place},
		{"Wang Yi", "", 0},         // a person: not in the gazetteer
		{"Shanghai Spirit", "", 0}, // known, but no entity
		{"President", "", 0},
		{"Who", "", 0}, // "WHO" is the organization, "Who" a word
		{"", "", 0},
	}
	for _, tt := range tests {
		got, kind, ok := x.Canonical(tt.in)
		if got != tt.want || kind != tt.kind || ok != (tt.want != "") {
			t.Errorf("Canonical(%q) = %q, %v, %v; want %q, %v", tt.in, got, kind, ok, tt.want, tt.kind)
		}
	}
}

func TestExtract(t *testing.T) {
	tests := []struct {
		name                 string
		headline             string
		body                 []string
		people, places, orgs []string
	}{
		{
			name:   "title of office, acronym and full name are one organization",
			body:   []string{"State Councilor and Foreign Minister Wang Yi met with Secretary-General of the Shanghai Cooperation Organization (SCO) Zhang Ming in Beijing. Wang Yi said the SCO matters."},
			people: []string{"Wang Yi", "Zhang Ming"}, places: []string{"Beijing"}, orgs: []string{"Shanghai Cooperation Organization"},
		},
		{
			name:   "a surname alone is the person named in full elsewhere",
			body:   []string{"Chinese President Xi Jinping spoke.", "President Xi and Norov met.", "SCO Secretary-General Vladimir Norov said. Norov added more. Xi agreed."},
			people: []string{"Xi Jinping", "Vladimir Norov"}, orgs: []string{"Shanghai Cooperation Organization"},
		},
		{
			name:   "the title's complement is no part of the name",
			body:   []string{"Vice Minister of Foreign Affairs of China Le Yucheng met him at the Ministry of Foreign Affairs of China."},
			people: []string{"Le Yucheng"}, places: []string{"China"}, orgs: []string{"Ministry of Foreign Affairs of China"},
		},
		{
			name:   "given names, and surnames after Mr",
			body:   []string{"Tony Blair and Gordon Brown met Kirsty Wark. Mr Blair said so. Later, Mr Howard agreed with Michael Howard's aides."},
			people: []string{"Tony Blair", "Michael Howard", "Gordon Brown", "Kirsty Wark"},
		},
		{
			name:   "a surname after a title confirms an unknown pair",
			body:   []string{"Sirojiddin Muhriddin spoke first.", "Then Mr Muhriddin left."},
			people: []string{"Sirojiddin Muhriddin"},
		},
		{
			name: "sentence openers, months and days are no people",
			body: []string{"But The Government said on Monday that January Sales and Tuesday Night Football would go ahead. However Downing Street said no."},
			orgs: []string{"Downing Street"},
		},
		{
			name:   "a known non-entity phrase hides the place in it",
			body:   []string{"The Shanghai Spirit guides the Belt and Road. Leaders met in Shanghai."},
			places: []string{"Shanghai"},
		},
		{
			name:   "organization keywords, compound places and datelines in capitals",
			body:   []string{"BEIJING. The Monetary Policy Committee of the Bank of England met China-Uzbekistan envoys.", "The Bank of England's Monetary Policy Committee voted."},
			places: []string{"Beijing", "China", "Uzbekistan"}, orgs: []string{"Monetary Policy Committee", "Bank of England"},
		},
		{
			name:     "the headline names only what the gazetteer or the body knows",
			headline: "Wang Yi Meets Outgoing Secretary-General Vladimir Norov In Beijing",
			body:     []string{"Foreign Minister Wang Yi met him."},
			people:   []string{"Wang Yi"}, places: []string{"Beijing"},
		},
		{
			name:   "lower-case titles",
			body:   []string{"Arsenal manager Arsene Wenger praised the prime minister Tony Blair and Chelsea boss Jose Mourinho."},
			people: []string{"Arsene Wenger", "Tony Blair", "Jose Mourinho"},
		},
		{
			name: "empty", body: nil,
		},
	}
	x := Default()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := x.Extract(tt.headline, tt.body)
			for _, c := range []struct {
				kind Kind
				want []string
			}{{Person, tt.people}, {Place, tt.places}, {Organization, tt.orgs}} {
				if g := names(got, c.kind); !slices.Equal(g, c.want) {
					t.Errorf("%vs = %q, want %q", c.kind, g, c.want)
				}
			}
		})
	}
}

func TestExtractCountsAndOrigins(t *testing.T) {
	body := []string{
		"BEIJING. Chinese State Councilor and Foreign Minister Qin Gang met with Secretary-General of the Shanghai Cooperation Organization (SCO) Zhang Ming in Beijing on Wednesday.",
		"Qin said that the SCO is an important platform.",
		"Zhang said that he will lead the secretariat. Qin agreed.",
	}
	got := Default().Extract("Chinese FM meets SCO chief", body)
	want := []string{
		"organization Shanghai Cooperation Organization 3 gazetteer 0 SCO",
		"person Qin Gang 3 title-of-office 1 Foreign Minister Qin Gang",
		"place Beijing 2 gazetteer 1 BEIJING",
		"person Zhang Ming 2 title-of-office 1 Secretary-General of the Shanghai Cooperation Organization (SCO) Zhang Ming",
	}
	var lines []string
	for _, e := range got {
		lines = append(lines, fmt.Sprintf("%v %s %d %s %d %s", e.Kind, e.Name, e.Mentions, e.Rule, e.First.Segment, e.Evidence))
		if e.Where.End > len(segment0(body, e.Where.Segment)) && e.Where.Segment > 0 {
			t.Errorf("%s: evidence range %v outside its segment", e.Name, e.Where)
		}
	}
	if !slices.Equal(lines, want) {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(lines, "\n"), strings.Join(want, "\n"))
	}
}

func segment0(body []string, seg int) string {
	if seg == 0 || seg > len(body) {
		return ""
	}
	return body[seg-1]
}

func FuzzExtract(f *testing.F) {
	for _, s := range []string{
		"", "Foreign Minister Wang Yi met Zhang Ming (SCO).", "Mr. Secretary-General's tenure",
		"Secretary-General of the (", "of the of the", "China-Uzbekistan-", "BEIJING, April 19 (Xinhua) --",
		"Mr", "President Xi Xi Xi", "Bank of", "( SCO ) (", "’s ’", "Ursula von der Leyen said",
	} {
		f.Add(s, s)
	}
	x := Default()
	f.Fuzz(func(t *testing.T, headline, body string) {
		ents := x.Extract(headline, strings.Split(body, "\n"))
		segs := append([]string{headline}, strings.Split(body, "\n")...)
		for _, e := range ents {
			if e.Name == "" || e.Mentions < 1 || !utf8.ValidString(e.Name) && utf8.ValidString(headline+body) {
				t.Errorf("bad entity %+v", e)
			}
			for _, m := range []Mention{e.First, e.Where} {
				if m.Segment < 0 || m.Segment >= len(segs) || m.Start < 0 || m.End > len(segs[m.Segment]) || m.Start > m.End {
					t.Errorf("%s: mention %+v outside the text", e.Name, m)
				}
			}
		}
	})
}
