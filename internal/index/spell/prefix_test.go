package spell

import (
	"slices"
	"testing"
)

// Expansions read the dictionary once per prefix form (once for a word
// that is its own term), whatever the number of Gets, and keep the most
// held terms, leaving out skip.
func TestExpansionsReadOnce(t *testing.T) {
	reads := 0
	dict := func(prefix string) (map[string]uint64, error) {
		reads++
		return map[string]uint64{prefix + "a": 3, prefix + "b": 7, "parl": 9}, nil
	}
	var e Expansions
	ps := []Prefix{{Lower: "parl", Term: "parl"}, {Lower: "x"}, {Lower: "runs", Term: "run"}}
	for range 3 {
		got, err := e.Get(dict, ps, []string{"parl"})
		if err != nil {
			t.Fatal(err)
		}
		if want := []string{"parlb", "parla"}; !slices.Equal(got[0], want) || len(got[1]) != 0 {
			t.Fatalf("expansions %q, want %q for parl and none for x (shorter than MinPrefixLen)", got, want)
		}
		if want := []string{"runb", "runsb", "runa", "runsa"}; !slices.Equal(got[2], want) {
			t.Fatalf("expansions of runs %q, want %q (as typed and as its term)", got[2], want)
		}
	}
	// "parl" once: as typed it is its term; "runs" and "run"; "x" is too short.
	if reads != 3 {
		t.Errorf("the dictionary was read %d times, want 3", reads)
	}
}
