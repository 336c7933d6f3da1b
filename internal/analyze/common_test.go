package analyze

import (
	"bytes"
	"slices"
	"strings"
	"testing"
	"unicode"
)

// stemsInShare returns, sorted, the stems the fused analyzer cuts from at
// least one text in every of texts, numbers left out: how the default
// common stems were made (see CommonStems).
func stemsInShare(tb testing.TB, texts [][]byte, every int) []string {
	tb.Helper()
	a := newFused(tb)
	df := map[string]int{}
	seen := map[string]bool{}
	for _, text := range texts {
		clear(seen)
		for _, tok := range a.Analyze(bytes.Clone(text)) {
			term := string(tok.Term)
			if !seen[term] {
				seen[term] = true
				df[term]++
			}
		}
	}
	var stems []string
	for term, n := range df {
		if n*every >= len(texts) && !strings.ContainsFunc(term, unicode.IsDigit) {
			stems = append(stems, term)
		}
	}
	slices.Sort(stems)
	return stems
}

// The default common stems are what their comment says they are: the
// stems in one BBC article in twenty. The list is data an index records,
// so it does not follow the analyzer by itself; this says when it no
// longer matches how it was made.
func TestCommonStemsAreTheBBCsOneInTwenty(t *testing.T) {
	_, texts := bbcTexts(t)
	got := stemsInShare(t, texts, 20)
	if want := CommonStems(); !slices.Equal(got, want) {
		var extra, missing []string
		for _, s := range got {
			if !slices.Contains(want, s) {
				extra = append(extra, s)
			}
		}
		for _, s := range want {
			if !slices.Contains(got, s) {
				missing = append(missing, s)
			}
		}
		t.Errorf("BBC's stems in one article in twenty: %d, the list %d; not listed %q, listed but not in the share %q",
			len(got), len(want), extra, missing)
	}
}
