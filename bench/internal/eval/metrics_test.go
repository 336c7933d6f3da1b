package eval

import (
	"math"
	"testing"
)

func set(ids ...string) map[string]bool {
	m := map[string]bool{}
	for _, id := range ids {
		m[id] = true
	}
	return m
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-4 }

// Each expected value is worked out by hand in the comment beside it.
func TestMetrics(t *testing.T) {
	twelve := set("r1", "r2", "r3", "r4", "r5", "r6", "r7", "r8", "r9", "r10", "r11", "r12")
	for _, tc := range []struct {
		name          string
		ranked        []string
		relevant      map[string]bool
		ap, ndcg10    float64
		p10, r100, r2 float64
		ndcg2, p1     float64
	}{
		{
			// Relevant at ranks 1 and 3; f is never retrieved.
			// AP = (1/1 + 2/3) / 3 = 0.5556
			// DCG@10 = 1/log2(2) + 1/log2(4) = 1.5
			// IDCG@10 = 1 + 1/log2(3) + 1/log2(4) = 2.1309 → nDCG 0.7039
			// DCG@2 = 1, IDCG@2 = 1 + 0.6309 → nDCG@2 0.6131
			name: "two of three found", ranked: []string{"a", "b", "c", "d", "e"}, relevant: set("a", "c", "f"),
			ap: 0.5556, ndcg10: 0.7039, p10: 0.2, r100: 0.6667, r2: 0.3333, ndcg2: 0.6131, p1: 1,
		},
		{
			// Relevant at rank 2 only: AP = (1/2)/1; DCG = 1/log2(3) = 0.6309 = nDCG (IDCG 1).
			name: "one relevant at rank 2", ranked: []string{"x", "a", "y"}, relevant: set("a"),
			ap: 0.5, ndcg10: 0.6309, p10: 0.1, r100: 1, r2: 1, ndcg2: 0.6309, p1: 0,
		},
		{
			// A repeated ID counts once, at its first rank: the list is a, c.
			name: "duplicates ignored", ranked: []string{"a", "a", "c"}, relevant: set("a", "c"),
			ap: 1, ndcg10: 1, p10: 0.2, r100: 1, r2: 1, ndcg2: 1, p1: 1,
		},
		{
			// Ten relevant in the top ten of twelve: the ideal list is cut
			// at ten too, so nDCG@10 = 1, yet recall is 10/12 and
			// AP = 10 × 1 / 12 = 0.8333.
			name: "more relevant than the cutoff", ranked: []string{"r1", "r2", "r3", "r4", "r5", "r6", "r7", "r8", "r9", "r10"}, relevant: twelve,
			ap: 0.8333, ndcg10: 1, p10: 1, r100: 0.8333, r2: 0.1667, ndcg2: 1, p1: 1,
		},
		{
			name: "nothing retrieved", ranked: nil, relevant: set("a"),
		},
		{
			name: "nothing relevant", ranked: []string{"a"}, relevant: nil,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, m := range []struct {
				name      string
				got, want float64
			}{
				{"AP", AveragePrecision(tc.ranked, tc.relevant), tc.ap},
				{"nDCG@10", NDCG(tc.ranked, tc.relevant, 10), tc.ndcg10},
				{"nDCG@2", NDCG(tc.ranked, tc.relevant, 2), tc.ndcg2},
				{"P@10", PrecisionAt(tc.ranked, tc.relevant, 10), tc.p10},
				{"P@1", PrecisionAt(tc.ranked, tc.relevant, 1), tc.p1},
				{"R@100", RecallAt(tc.ranked, tc.relevant, 100), tc.r100},
				{"R@2", RecallAt(tc.ranked, tc.relevant, 2), tc.r2},
			} {
				if !near(m.got, m.want) {
					t.Errorf("%s = %.4f, want %.4f", m.name, m.got, m.want)
				}
			}
		})
	}
}

func TestPrecisionAtZero(t *testing.T) {
	if got := PrecisionAt([]string{"a"}, set("a"), 0); got != 0 {
		t.Errorf("P@0 = %v, want 0", got)
	}
}
