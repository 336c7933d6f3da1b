package eval

import "math"

// The metrics below score one ranked list of document IDs (best first)
// against the set of documents judged relevant for its query. Judgments are
// binary. A document appearing twice in a list counts only at its first
// rank; later copies are ignored, neither relevant nor not.

// dedupe returns ranked without repeated IDs, keeping the first of each.
func dedupe(ranked []string) []string {
	seen := make(map[string]bool, len(ranked))
	out := make([]string, 0, len(ranked))
	for _, id := range ranked {
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}

// AveragePrecision is the mean, over all relevant documents, of the
// precision at the rank where each is retrieved; a relevant document not
// retrieved contributes 0. It is 0 when nothing is relevant. The mean of
// AveragePrecision over queries is MAP.
func AveragePrecision(ranked []string, relevant map[string]bool) float64 {
	if len(relevant) == 0 {
		return 0
	}
	var hits, sum float64
	for i, id := range dedupe(ranked) {
		if relevant[id] {
			hits++
			sum += hits / float64(i+1)
		}
	}
	return sum / float64(len(relevant))
}

// NDCG is the normalized discounted cumulative gain at cutoff k with binary
// gains: DCG = Σ rel_i / log2(i+1) over ranks i = 1..k, divided by the DCG
// of an ideal list that puts min(k, |relevant|) relevant documents first.
// It is 0 when nothing is relevant.
func NDCG(ranked []string, relevant map[string]bool, k int) float64 {
	var dcg, ideal float64
	for i, id := range dedupe(ranked) {
		if i >= k {
			break
		}
		if relevant[id] {
			dcg += discount(i)
		}
	}
	for i := range min(k, len(relevant)) {
		ideal += discount(i)
	}
	if ideal == 0 {
		return 0
	}
	return dcg / ideal
}

// discount is 1/log2(rank+1) for the 0-based position i (rank i+1).
func discount(i int) float64 { return 1 / math.Log2(float64(i+2)) }

// PrecisionAt is the fraction of the top k that is relevant. A list shorter
// than k is padded with non-relevant documents: the denominator is always k.
func PrecisionAt(ranked []string, relevant map[string]bool, k int) float64 {
	if k <= 0 {
		return 0
	}
	return float64(relevantIn(ranked, relevant, k)) / float64(k)
}

// RecallAt is the fraction of the relevant documents found in the top k. It
// is 0 when nothing is relevant.
func RecallAt(ranked []string, relevant map[string]bool, k int) float64 {
	if len(relevant) == 0 {
		return 0
	}
	return float64(relevantIn(ranked, relevant, k)) / float64(len(relevant))
}

// relevantIn counts the relevant documents in the top k of ranked.
func relevantIn(ranked []string, relevant map[string]bool, k int) int {
	n := 0
	for i, id := range dedupe(ranked) {
		if i >= k {
			break
		}
		if relevant[id] {
			n++
		}
	}
	return n
}
