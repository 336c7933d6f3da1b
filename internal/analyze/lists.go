package analyze

import (
	"fmt"
	"maps"
	"slices"

	"github.com/blevesearch/bleve/v2/registry"
)

// StopWords returns the English stop words the analyzers remove, sorted:
// bleve's stop_en list (Snowball's English stop list). Other engines are
// given this list rather than their own default (internal/export), so that
// they drop the same words.
func StopWords() ([]string, error) {
	m, err := registry.NewCache().TokenMapNamed(stopTokenMapName)
	if err != nil {
		return nil, fmt.Errorf("stop words %q: %w", stopTokenMapName, err)
	}
	words := make([]string, 0, len(m))
	for w := range m {
		words = append(words, w)
	}
	slices.Sort(words)
	return words, nil
}

// StemOverrides returns a copy of the stem override list (see
// overrides.go): each overridden word and the stem Stem gives it instead
// of Porter2's.
func StemOverrides() map[string]string {
	return maps.Clone(stemOverrides)
}
