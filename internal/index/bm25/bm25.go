// Package bm25 holds Okapi BM25's formulas as Robertson and Zaragoza give
// them: a term's weight idf, and what its occurrences in an article add,
// tf·(k1+1) / (tf + k1·(1 − b + b·len/avglen)). The engine's scorer and
// its block maxima share them, so a block's bound is computed as its
// articles are scored.
package bm25

import "math"

// Okapi BM25's parameters, at the values the literature and most engines
// (Lucene, Elasticsearch, SQLite FTS5) use: k1 saturates repeated terms, b
// normalizes for the length of the field.
const (
	K1 = 1.2
	B  = 0.75
)

// IDF is the inverse document frequency of a term n of docs articles
// hold; it is never negative.
func IDF(docs float64, n uint64) float64 {
	return math.Log(1 + (docs-float64(n)+0.5)/(float64(n)+0.5))
}

// UnionIDF is the IDF of terms taken as one term (a prefix and the words
// it starts), which the articles holding any of them hold: counts, the
// articles holding each, are summed, at most docs. The sum is at least
// their union, so the IDF is never higher than the union's, and never
// higher than any one term's.
func UnionIDF(docs float64, counts ...uint64) float64 {
	var n uint64
	for _, c := range counts {
		n += c
	}
	return IDF(docs, min(n, uint64(max(docs, 0))))
}

// LengthNorm is the length normalization of an article whose field is
// length long, against the average avg: 1 when either is unknown.
func LengthNorm(length, avg float64) float64 {
	if avg > 0 && length > 0 {
		return 1 - B + B*length/avg
	}
	return 1
}

// TF is what tf occurrences of a term add to an article's score, per unit
// of the term's weight, in an article of length normalization norm
// (LengthNorm). It is below K1 + 1 and grows with tf.
func TF(tf, norm float64) float64 {
	return tf * (K1 + 1) / (tf + K1*norm)
}

// Bound is the most a term of weight w adds to any article's score.
func Bound(w float64) float64 {
	return w * (K1 + 1)
}

// NormLength is the field length a norm of 1/√length, as bleve keeps it
// per posting, stands for; 0 without one.
func NormLength(norm float64) float64 {
	if norm <= 0 {
		return 0
	}
	return math.Round(1 / (norm * norm))
}
