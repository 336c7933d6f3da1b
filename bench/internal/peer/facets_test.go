package peer

import (
	"reflect"
	"testing"

	"github.com/newsfind/newsfind/internal/search"
)

func TestTopFacets(t *testing.T) {
	got := TopFacets(map[string]int{"b": 2, "a": 2, "c": 5, "d": 1}, 3)
	want := []search.Facet{{Value: "c", Count: 5}, {Value: "a", Count: 2}, {Value: "b", Count: 2}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("TopFacets = %v, want %v", got, want)
	}
	if got := TopFacets(nil, 3); len(got) != 0 || got == nil {
		t.Errorf("TopFacets(nil) = %#v, want an empty list (JSON [])", got)
	}
}
