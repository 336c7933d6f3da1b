package search

import (
	"fmt"
	"strings"
	"testing"
)

// BenchmarkParseLength parses text of 1 KB to 150 KB in several shapes
// (issue 17: 100 KB of "A " then ":" once took seconds). Parsing is linear
// when ns/KB stays flat as the text grows. Requests cap a query far below
// these sizes (MaxQueryBytes); the parser is linear regardless.
func BenchmarkParseLength(b *testing.B) {
	shapes := map[string]string{
		"words":     "A ",
		"operators": "a AND b OR NOT c ",
		"groups":    "(a -b) ",
		"phrases":   `"a b" `,
		"fields":    "title:a ",
	}
	for _, shape := range []string{"words", "operators", "groups", "phrases", "fields"} {
		unit := shapes[shape]
		for _, kb := range []int{1, 10, 50, 100, 150} {
			text := strings.Repeat(unit, kb*1024/len(unit)) + ":"
			b.Run(fmt.Sprintf("%s/%dKB", shape, kb), func(b *testing.B) {
				b.SetBytes(int64(len(text)))
				for b.Loop() {
					Parse(text)
				}
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(kb), "ns/KB")
			})
		}
	}
}
