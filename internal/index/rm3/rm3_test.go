package rm3

import (
	"math"
	"testing"
)

// RM3 on a hand-computed model: the two most probable terms are kept
// (Terms is larger than the model here), normalized, and mixed
// half and half with the query, scaled by the query's length.
func TestRM3Weights(t *testing.T) {
	model := map[string]float64{"oil": 0.3, "opec": 0.1}
	got := Weights([]string{"oil", "price", "oil"}, model)
	// λ = 0.5, |q| = 3: oil 2·0.5 + 0.5·3·0.75, price 0.5, opec 0.5·3·0.25.
	want := map[string]float64{"oil": 1 + 1.125, "price": 0.5, "opec": 0.375}
	if len(got) != len(want) {
		t.Fatalf("weights %v, want %v", got, want)
	}
	for term, w := range want {
		if math.Abs(got[term]-w) > 1e-12 {
			t.Errorf("%s: %v, want %v", term, got[term], w)
		}
	}
}
