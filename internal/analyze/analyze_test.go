package analyze

import (
	"os"
	"slices"
	"testing"

	"github.com/blevesearch/bleve/v2/mapping"
)

// terms analyzes text with the registered analyzer, as an index would.
func terms(t *testing.T, text string) []string {
	t.Helper()
	a := mapping.NewIndexMapping().AnalyzerNamed(Analyzer)
	if a == nil {
		t.Fatalf("analyzer %q is not registered", Analyzer)
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
		{"Shanghai Cooperation Organization (SCO)", []string{"shanghai", "cooper", "organ", "sco"}},
		{"Wang Yi Meets with Outgoing SCO Secretary-General Vladimir Norov",
			[]string{"wang", "yi", "meet", "outgo", "sco", "secretari", "general", "vladimir", "norov"}},
		// Curly and straight possessives both go; stop words go.
		{"SCO Secretary-General’s meeting with Vice Foreign Minister of China",
			[]string{"sco", "secretari", "general", "meet", "vice", "foreign", "minist", "china"}},
		{"Rashid Alimov's important contributions", []string{"rashid", "alimov", "import", "contribut"}},
		{"the world's largest regional cooperation organization", []string{"world", "largest", "region", "cooper", "organ"}},
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
