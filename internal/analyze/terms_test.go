package analyze

import (
	"slices"
	"testing"

	"github.com/blevesearch/bleve/v2/mapping"
)

func TestTermsAt(t *testing.T) {
	a := mapping.NewIndexMapping().AnalyzerNamed(Analyzer)
	terms, offsets := TermsAt(a, "Prime Minister of the UK")
	if want := []string{"prime", "minist", "uk"}; !slices.Equal(terms, want) {
		t.Errorf("terms = %q, want %q", terms, want)
	}
	if want := []uint64{0, 1, 4}; !slices.Equal(offsets, want) { // "of the" leave a gap
		t.Errorf("offsets = %v, want %v", offsets, want)
	}
	if !DropsStopWords(a, "The Who") || DropsStopWords(a, "Tony Blair") {
		t.Error("DropsStopWords: want true for The Who only")
	}
}
