// Package rm3 is Lavrenko and Croft's relevance model (RM1) of the best
// answers to a search, interpolated with the search's own terms (RM3, as
// Abdul-Jaleel et al. give it; the standard expansion of Anserini and
// Terrier): the weights of the expanded query that re-scores a typed
// question's best matches (see the engine's feedback.go).
package rm3

import (
	"cmp"
	"slices"
)

// How the model is mixed with the typed words.
const (
	// Terms is how many of the model's terms are kept.
	Terms = 20
	// Original is the weight of the typed words against the model's
	// (Anserini's default).
	Original = 0.5
)

// Doc is one feedback article: its score for the search and its analyzed
// terms, in order, repeated as often as they occur.
type Doc struct {
	Score float64
	Terms []string
}

// Model is RM1 over the feedback articles: P(w|R) = Σ_d P(d|Q) ·
// P(w|d), with P(d|Q) each article's share of the scores and P(w|d) the
// term's share of the article's analyzed terms.
func Model(docs []Doc) map[string]float64 {
	var total float64
	for _, d := range docs {
		total += d.Score
	}
	model := map[string]float64{}
	for _, d := range docs {
		if len(d.Terms) == 0 {
			continue
		}
		pd := 1 / float64(len(docs)) // articles scored alike (no scores)
		if total > 0 {
			pd = d.Score / total
		}
		for _, t := range d.Terms {
			model[t] += pd / float64(len(d.Terms))
		}
	}
	return model
}

// Weights interpolates the query's terms (each weighted by how often the query
// repeats it) with the Terms most probable terms of model,
// normalized: weight = λ·qtf + (1−λ)·|q|·P(w|R), with λ Original.
// Scaling by the query's length |q| keeps a typed word's weight near what it
// is without feedback.
func Weights(query []string, model map[string]float64) map[string]float64 {
	type term struct {
		t string
		p float64
	}
	top := make([]term, 0, len(model))
	for t, p := range model {
		top = append(top, term{t, p})
	}
	slices.SortFunc(top, func(a, b term) int {
		return cmp.Or(cmp.Compare(b.p, a.p), cmp.Compare(a.t, b.t))
	})
	top = top[:min(len(top), Terms)]
	var sum float64
	for _, x := range top {
		sum += x.p
	}
	weights := make(map[string]float64, len(query)+len(top))
	for _, t := range query {
		weights[t] += Original
	}
	if sum == 0 {
		return weights
	}
	n := float64(len(query))
	for _, x := range top {
		weights[x.t] += (1 - Original) * n * x.p / sum
	}
	return weights
}
