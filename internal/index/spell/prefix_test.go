package spell

import (
	"slices"
	"testing"
)

// Expansions read the dictionary once per prefix form, whatever the number
// of Gets, and keep the most held terms, leaving out skip.
func TestExpansionsReadOnce(t *testing.T) {
	reads := 0
	dict := func(prefix string) (map[string]uint64, error) {
		reads++
		return map[string]uint64{prefix + "a": 3, prefix + "b": 7, "parl": 9}, nil
	}
	var e Expansions
	ps := []Prefix{{Lower: "parl", Term: "parl"}, {Lower: "x"}}
	for range 3 {
		got, err := e.Get(dict, ps, []string{"parl"})
		if err != nil {
			t.Fatal(err)
		}
		if want := []string{"parlb", "parla"}; !slices.Equal(got[0], want) || len(got[1]) != 0 {
			t.Fatalf("expansions %q, want %q for parl and none for x (shorter than MinPrefixLen)", got, want)
		}
	}
	if reads != 2 { // "parl" as typed and as its term; "x" is too short
		t.Errorf("the dictionary was read %d times, want 2", reads)
	}
}
