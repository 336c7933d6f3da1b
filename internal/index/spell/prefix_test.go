package spell

import (
	"maps"
	"slices"
	"strings"
	"testing"
)

// Expansions read each dictionary once per prefix, whatever the number of
// Gets, and keep the most held terms, leaving out skip.
func TestExpansionsReadOnce(t *testing.T) {
	reads := 0
	terms := func(prefix string) (map[string]uint64, error) {
		reads++
		return map[string]uint64{prefix + "a": 3, prefix + "b": 7, "parl": 9}, nil
	}
	var e Expansions
	ps := []Prefix{{Lower: "parl", Term: "parl"}, {Lower: "x"}, {Lower: "runs", Term: "run"}}
	for range 3 {
		got, err := e.Get(Dictionaries{Terms: terms}, ps, []string{"parl"})
		if err != nil {
			t.Fatal(err)
		}
		if want := []string{"parlb", "parla"}; !slices.Equal(got[0], want) || len(got[1]) != 0 {
			t.Fatalf("expansions %q, want %q for parl and none for x (shorter than MinPrefixLen)", got, want)
		}
		if want := []string{"runsb", "runsa"}; !slices.Equal(got[2], want) {
			t.Fatalf("expansions of runs %q, want %q (as typed only)", got[2], want)
		}
	}
	// "parl" and "runs" once each; "x" is too short.
	if reads != 2 {
		t.Errorf("the dictionary was read %d times, want 2", reads)
	}
}

// A prefix expands to the terms starting with it and to the terms of the
// forms starting with it, not to the terms starting with its own term:
// "election" is "elect", but "electronics" does not start with "election".
func TestExpansionsOfForms(t *testing.T) {
	stems := map[string]string{"elections": "elect", "election": "elect", "electioneering": "electioneer",
		"government": "govern", "governments": "govern", "governmental": "government"}
	termsHeld := map[string]uint64{"elect": 900, "electron": 400, "electr": 300, "electioneer": 5,
		"govern": 1000, "government": 20, "governor": 50}
	formsHeld := map[string]uint64{"election": 800, "elections": 300, "electioneering": 5, "electronics": 350,
		"government": 950, "governments": 200, "governmental": 20}
	prefixed := func(held map[string]uint64) Dictionary {
		return func(prefix string) (map[string]uint64, error) {
			out := map[string]uint64{}
			for t, n := range held {
				if strings.HasPrefix(t, prefix) {
					out[t] = n
				}
			}
			return out, nil
		}
	}
	d := Dictionaries{Terms: prefixed(termsHeld), Forms: prefixed(formsHeld), Stem: func(f string) string {
		if s, ok := stems[f]; ok {
			return s
		}
		return f
	}}
	for _, tt := range []struct {
		p    Prefix
		skip []string
		want []string
	}{
		{Prefix{Lower: "election", Term: "elect"}, []string{"elect"}, []string{"electioneer"}},
		{Prefix{Lower: "electi", Term: "electi"}, []string{"electi"}, []string{"elect", "electioneer"}},
		{Prefix{Lower: "governm", Term: "governm"}, []string{"governm"}, []string{"govern", "government"}},
		{Prefix{Lower: "gov", Term: "gov"}, []string{"gov"}, []string{"govern", "governor", "government"}},
	} {
		var e Expansions
		got, err := e.Get(d, []Prefix{tt.p}, tt.skip)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got[0], tt.want) {
			t.Errorf("%q expands to %q, want %q (terms %v)", tt.p.Lower, got[0], tt.want, slices.Sorted(maps.Keys(termsHeld)))
		}
	}
}
