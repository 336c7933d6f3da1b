package analyze

import (
	"os"
	"slices"
	"testing"

	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/kljensen/snowball/english"
)

// terms analyzes text with the registered analyzer, as an index would.
func terms(t *testing.T, text string) []string {
	t.Helper()
	return termsOf(t, Analyzer, text)
}

// termsOf analyzes text with the analyzer registered as name.
func termsOf(t *testing.T, name, text string) []string {
	t.Helper()
	a := mapping.NewIndexMapping().AnalyzerNamed(name)
	if a == nil {
		t.Fatalf("analyzer %q is not registered", name)
	}
	var out []string
	for _, tok := range a.Analyze([]byte(text)) {
		out = append(out, string(tok.Term))
	}
	return out
}

func TestAnalyzePhrasesFromSeeds(t *testing.T) {
	tests := []struct {
		text string
		want []string
	}{
		{"Shanghai Cooperation Organization (SCO)", []string{"shanghai", "cooperat", "organiz", "sco"}},
		{"Wang Yi Meets with Outgoing SCO Secretary-General Vladimir Norov",
			[]string{"wang", "yi", "meet", "outgo", "sco", "secretari", "general", "vladimir", "norov"}},
		// Curly and straight possessives both go; stop words go.
		{"SCO Secretary-General’s meeting with Vice Foreign Minister of China",
			[]string{"sco", "secretari", "general", "meet", "vice", "foreign", "minist", "china"}},
		{"Rashid Alimov's important contributions", []string{"rashid", "alimov", "importan", "contribut"}},
		{"the world's largest regional cooperation organization", []string{"world", "largest", "region", "cooperat", "organiz"}},
		{"BEIJING, April 19 (Xinhua) --", []string{"beij", "april", "19", "xinhua"}},
		{"", nil},
	}
	for _, tt := range tests {
		if got := terms(t, tt.text); !slices.Equal(got, tt.want) {
			t.Errorf("analyze(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
}

func TestVariantsShareAStem(t *testing.T) {
	pairs := [][2]string{
		{"Organizations", "organization"},
		{"Cooperation", "cooperate"},
		{"organisation", "organization"}, // British spelling, seed 003
		{"civilisations", "civilizations"},
		{"meets", "meeting"},
		{"Proposals", "proposal"},
	}
	for _, p := range pairs {
		a, b := terms(t, p[0]), terms(t, p[1])
		if len(a) != 1 || !slices.Equal(a, b) {
			t.Errorf("%q → %q and %q → %q should be one stem", p[0], a, p[1], b)
		}
	}
}

// TestStemOverrides checks each entry of the override list: Porter2 alone
// conflates its words with the words it is kept apart from (else the entry
// is useless), and with the override they have different stems, while the
// entry's own words still share one.
func TestStemOverrides(t *testing.T) {
	for _, g := range stemOverrideGroups {
		t.Run(g.stem, func(t *testing.T) {
			for _, a := range g.apart {
				if english.Stem(a, false) != english.Stem(g.words[0], false) {
					t.Errorf("Porter2 does not conflate %q with %q: the override is not needed", a, g.words[0])
				}
				for _, w := range g.words {
					if got := terms(t, w); slices.Equal(got, terms(t, a)) {
						t.Errorf("%q and %q share the stem %q", w, a, got)
					}
				}
			}
			for _, w := range g.words {
				if got := terms(t, w); !slices.Equal(got, []string{g.stem}) {
					t.Errorf("%q → %q, want %q", w, got, g.stem)
				}
			}
		})
	}
}

// TestAccentsFold checks that accented and unaccented spellings analyze to
// the same terms, in both analyzers.
func TestAccentsFold(t *testing.T) {
	pairs := [][2]string{
		{"café", "cafe"},
		{"Café", "CAFE"},
		{"cafe\u0301", "cafe"}, // combining acute accent
		{"Zürich", "Zurich"},
		{"Beyoncé’s", "Beyonce"},
		{"naïve résumé", "naive resume"},
		{"Straße", "strasse"},
		{"Łódź", "Lodz"},
	}
	for _, name := range []string{Analyzer, ExactAnalyzer} {
		for _, p := range pairs {
			a, b := termsOf(t, name, p[0]), termsOf(t, name, p[1])
			if len(a) == 0 || !slices.Equal(a, b) {
				t.Errorf("%s: %q → %q and %q → %q should be the same terms", name, p[0], a, p[1], b)
			}
		}
	}
	// Other scripts are not folded away.
	if got := termsOf(t, ExactAnalyzer, "Москва ΑΘΗΝΑ"); !slices.Equal(got, []string{"москва", "αθηνα"}) {
		t.Errorf("exact(Москва ΑΘΗΝΑ) = %q", got)
	}
}

// TestExactAnalyzer checks the exact form: lower case, folded, without
// possessives, neither stemmed nor stripped of stop words, positions
// counted as in newsfind_en.
func TestExactAnalyzer(t *testing.T) {
	tests := []struct {
		text string
		want []string
	}{
		{"Cooperation with Ms Cooper's team", []string{"cooperation", "with", "ms", "cooper", "team"}},
		{"The Who", []string{"the", "who"}},
		{"To be or not to be", []string{"to", "be", "or", "not", "to", "be"}},
		{"House of Commons", []string{"house", "of", "commons"}},
		{"Organisations at the Café", []string{"organisations", "at", "the", "cafe"}},
	}
	for _, tt := range tests {
		if got := termsOf(t, ExactAnalyzer, tt.text); !slices.Equal(got, tt.want) {
			t.Errorf("exact(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
	// Same tokens as newsfind_en at the same positions and offsets, where
	// newsfind_en keeps one.
	a := mapping.NewIndexMapping().AnalyzerNamed(Analyzer)
	e := mapping.NewIndexMapping().AnalyzerNamed(ExactAnalyzer)
	text := []byte("The Who's Roger Daltrey played at the Café de Paris in Zürich")
	stemmed, all := a.Analyze(text), e.Analyze(text)
	k := 0
	for _, tok := range all {
		if k < len(stemmed) && stemmed[k].Position == tok.Position {
			if s := stemmed[k]; s.Start != tok.Start || s.End != tok.End {
				t.Errorf("token at position %d: exact %d-%d, stemmed %d-%d", tok.Position, tok.Start, tok.End, s.Start, s.End)
			}
			k++
		}
	}
	if k != len(stemmed) {
		t.Errorf("%d of newsfind_en's %d tokens have an exact token at their position", k, len(stemmed))
	}
}

func TestStemCacheAgreesWithStemmer(t *testing.T) {
	s := &Stemmer{}
	for _, w := range []string{"cooperation", "cooperation", "spirit", "organisations", "running", "running"} {
		if got, want := s.stem([]byte(w)), Stem(w); got != want {
			t.Errorf("cached stem(%q) = %q, want %q", w, got, want)
		}
	}
}

// BenchmarkAnalyze analyzes news text as indexing does, from several
// goroutines sharing the stem cache.
func BenchmarkAnalyze(b *testing.B) {
	text, err := os.ReadFile("../../seeds/001_61ab04e02ec4d748.txt")
	if err != nil {
		b.Fatal(err)
	}
	a := mapping.NewIndexMapping().AnalyzerNamed(Analyzer)
	b.SetBytes(int64(len(text)))
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			a.Analyze(text)
		}
	})
}

// TestFormsAnalyzer checks the exact forms field: the words that differ
// from their stems, at their positions; stop words and words that are their
// own stem are left out.
func TestFormsAnalyzer(t *testing.T) {
	tests := []struct {
		text string
		want []string
	}{
		{"Cooperation with Ms Cooper's team", []string{"cooperation"}},
		{"The Who", nil},
		// Folded, Zürich and Café are their own stems.
		{"Elections in Zürich's parliaments", []string{"elections", "parliaments"}},
		{"Organisations at the Café", []string{"organisations"}},
	}
	for _, tt := range tests {
		if got := termsOf(t, FormsAnalyzer, tt.text); !slices.Equal(got, tt.want) {
			t.Errorf("forms(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
	f := mapping.NewIndexMapping().AnalyzerNamed(FormsAnalyzer)
	for _, tok := range f.Analyze([]byte("The elections of the parliaments")) {
		if want := map[string]int{"elections": 2, "parliaments": 5}[string(tok.Term)]; tok.Position != want {
			t.Errorf("%q at position %d, want %d", tok.Term, tok.Position, want)
		}
	}
}

// TestGramsAnalyzer checks the stop-word field: stop words, and pairs of
// neighbouring stop words, in their exact form.
func TestGramsAnalyzer(t *testing.T) {
	tests := []struct {
		text string
		want []string
	}{
		{"The Who", []string{"the", "the who", "who"}},
		{"To be, or not to be", []string{"to", "to be", "be", "be or", "or", "or not", "not", "not to", "to", "to be", "be"}},
		{"House of Commons", []string{"of"}},
		{"of the SCO", []string{"of", "of the", "the"}},
		{"Cooperation with Ms Cooper", []string{"with"}},
		{"Zürich", nil},
	}
	for _, tt := range tests {
		if got := termsOf(t, GramsAnalyzer, tt.text); !slices.Equal(got, tt.want) {
			t.Errorf("grams(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
	if !IsStopWord("the") || IsStopWord("cooper") {
		t.Error("IsStopWord: the is one, cooper is not")
	}
}
