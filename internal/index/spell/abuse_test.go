package spell

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/newsfind/newsfind/internal/analyze"
	"github.com/newsfind/newsfind/internal/search"
)

// vocab is a vocabulary of one common word, "government", that counts the
// look-ups that cost most: Near, a walk of the term dictionary's automaton.
type vocab struct{ near int }

func (v *vocab) Term(word string) (string, bool) { return analyze.Stem(strings.ToLower(word)), true }
func (v *vocab) Docs() (uint64, error)           { return 1000, nil }
func (v *vocab) DocFreq(_ context.Context, term string) (uint64, error) {
	if term == analyze.Stem("government") {
		return 500, nil
	}
	return 0, nil
}
func (v *vocab) Near(context.Context, string, int) ([]string, error) {
	v.near++
	return []string{analyze.Stem("government")}, nil
}
func (v *vocab) Spellings(context.Context, string, int) (map[string]int, error) {
	return map[string]int{"government": 9}, nil
}
func (v *vocab) Forms(context.Context, string, int) (map[string]uint64, error) {
	return map[string]uint64{"government": 400}, nil
}
func (v *vocab) HasPrefix(context.Context, string) (bool, error) { return false, nil }

// A word typed hundreds of times, in any case, is corrected once (it was
// corrected at every repetition: a second for 400 "goverment" on the BBC
// corpus), and each repetition keeps its own letters for did-you-mean.
func TestAbuseCorrectionsOfARepeatedWord(t *testing.T) {
	v := &vocab{}
	q := search.Parse(strings.Repeat("goverment Goverment ", 200))
	fixes, err := Corrections(context.Background(), v, q)
	if err != nil {
		t.Fatal(err)
	}
	if len(fixes) != 400 || v.near != 1 {
		t.Errorf("%d corrections with %d dictionary walks, want 400 with 1", len(fixes), v.near)
	}
	if got := DidYouMean("goverment Goverment", fixes); got != "government Government" {
		t.Errorf("DidYouMean = %q, want each word's own case", got)
	}
}

// A word too long to be a typo is searched as typed: candidates grow with
// the square of its length (a 4,000-letter word took a minute).
func TestAbuseCorrectionsSkipHugeWords(t *testing.T) {
	v := &vocab{}
	fixes, err := Corrections(context.Background(), v, search.Parse(strings.Repeat("goverment", 400)+" "))
	if err != nil || fixes != nil || v.near != 0 {
		t.Errorf("Corrections(3,600 letters) = %v, %v after %d dictionary walks; want nothing, none", fixes, err, v.near)
	}
}

// Corrections stop at the search's deadline, at the next word.
func TestAbuseCorrectionsStopAtDeadline(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	v := &vocab{}
	_, err := Corrections(ctx, v, search.Parse("goverment minstry "))
	if !errors.Is(err, context.Canceled) || v.near != 0 {
		t.Errorf("Corrections after the deadline = %v after %d dictionary walks, want context.Canceled at once", err, v.near)
	}
}
