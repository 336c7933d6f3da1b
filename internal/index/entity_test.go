package index_test

import (
	"slices"
	"testing"

	"github.com/newsfind/newsfind/internal/search"
)

// Field queries and filters on the people, places and organizations the
// article reader extracted (pinned in internal/article's golden files).
func TestEntitySearch(t *testing.T) {
	ix, _ := build(t, seedsDir)
	tests := []struct {
		name string
		req  search.Request
		want []string
	}{
		{"person phrase", search.Request{Query: `person:"Wang Yi"`}, []string{seedAlimov, seedNorovOut, seedDushanbe}},
		{"person surname, any case", search.Request{Query: "person:norov"}, []string{seedNorovOut, seedNorovVice}},
		{"org by acronym", search.Request{Query: "org:SCO"}, []string{seedAlimov, seedNorovOut, seedDushanbe, seedNorovVice, seedQinZhang}},
		{"org by name", search.Request{Query: `org:"Communist Party of China"`}, []string{seedNorovOut}},
		{"place", search.Request{Query: "place:Beijing"}, []string{seedNorovOut, seedQinZhang}},
		{"person filter", search.Request{Filters: search.Filters{People: []string{"Xi Jinping"}}}, []string{seedNorovOut, seedQinZhang}},
		{"place filter", search.Request{Filters: search.Filters{Places: []string{"Tashkent"}}}, []string{seedNorovVice}},
		{"org filter", search.Request{Filters: search.Filters{Orgs: []string{"United Nations"}}}, []string{seedAlimov}},
		{"month filter", search.Request{Filters: search.Filters{Months: []string{"2021-12", "2021-07"}}}, []string{seedNorovOut, seedDushanbe}},
	}
	for _, tt := range tests {
		got := ids(mustSearch(t, ix, tt.req))
		slices.Sort(got)
		want := slices.Clone(tt.want)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("%s: %v, want %v", tt.name, got, want)
		}
	}
	res := mustSearch(t, ix, search.Request{})
	counts := map[string]map[string]int{}
	for name, fs := range res.Facets {
		counts[name] = map[string]int{}
		for _, f := range fs {
			counts[name][f.Value] = f.Count
		}
	}
	if counts["org"]["Shanghai Cooperation Organization"] != 5 || counts["person"]["Wang Yi"] != 3 ||
		counts["place"]["China"] != 4 || counts["month"]["2021-12"] != 1 {
		t.Errorf("facets = %v", counts)
	}
}

// A filtered facet still lists the other values one could add (counted
// without its own filter); the other facets count the filtered result.
func TestDisjunctiveFacets(t *testing.T) {
	ix, _ := build(t, seedsDir)
	res := mustSearch(t, ix, search.Request{Query: "SCO", Filters: search.Filters{Years: []int{2021}}})
	if res.Total != 2 {
		t.Fatalf("total %d, want the 2 articles of 2021", res.Total)
	}
	years := map[string]int{}
	for _, f := range res.Facets["year"] {
		years[f.Value] = f.Count
	}
	if years["2021"] != 2 || years["2018"] != 1 || years["2023"] != 1 {
		t.Errorf("year facet under a year filter = %v, want every year's count", res.Facets["year"])
	}
	for _, f := range res.Facets["person"] {
		if f.Value == "Le Yucheng" { // only in the 2019 article
			t.Errorf("person facet counts articles outside the filter: %v", res.Facets["person"])
		}
	}
}
