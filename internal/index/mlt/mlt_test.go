package mlt

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
)

// fixedDF is a document frequency table; a term not in it is in no
// article.
func fixedDF(m map[string]uint64) DocFreq {
	return func(_ context.Context, t string) (uint64, error) { return m[t], nil }
}

func texts(ts []Term) []string {
	var out []string
	for _, t := range ts {
		out = append(out, t.Text)
	}
	return out
}

func TestSelect(t *testing.T) {
	terms := strings.Fields("rare rare common common common once unique unique frequent frequent everywhere everywhere")
	df := fixedDF(map[string]uint64{"rare": 3, "common": 40, "once": 2, "unique": 1, "frequent": 20, "everywhere": 90, "norov": 4, "vladimir": 60})
	p := Params{MaxTerms: 2, MinTermFreq: 2, MinDocFreq: 2, MaxDocShare: 0.5, MinShould: 0.3}
	got, err := Select(context.Background(), terms, []string{"vladimir", "norov", "rare"}, 100, df, p)
	if err != nil {
		t.Fatal(err)
	}
	// rare (tf 2, df 3) and common (tf 3, df 40) rank first by tf × idf;
	// frequent ranks below them; once occurs once; unique is in no other
	// article; everywhere is in 90 of 100. Of the names' words, norov is
	// added, vladimir is in 60 of 100, rare is already chosen.
	if want := []string{"rare", "common", "norov"}; !slices.Equal(texts(got), want) {
		t.Errorf("Select: %v, want %v", texts(got), want)
	}
	if !got[2].Entity || got[0].Entity || got[0].Weight != 1 {
		t.Errorf("Select: %+v: want the name's word marked Entity, weights 1", got)
	}

	p.BoostTerms = 2
	got, _ = Select(context.Background(), terms, nil, 100, df, p)
	if got[0].Weight != 2 || got[1].Weight >= 2 || got[1].Weight <= 0 {
		t.Errorf("with BoostTerms 2: %+v, want the best term weighing 2 and the next less", got)
	}

	boom := errors.New("boom")
	if _, err := Select(context.Background(), terms, nil, 100, func(context.Context, string) (uint64, error) { return 0, boom }, p); !errors.Is(err, boom) {
		t.Errorf("a failing look-up: %v, want it returned", err)
	}
}

func TestMinMatch(t *testing.T) {
	for _, tt := range []struct {
		n     int
		share float64
		want  int
	}{{25, 0.3, 7}, {28, 0.2, 5}, {4, 0.2, 1}, {1, 0.3, 1}, {10, 0, 1}} {
		if got := MinMatch(tt.n, tt.share); got != tt.want {
			t.Errorf("MinMatch(%d, %v) = %d, want %d", tt.n, tt.share, got, tt.want)
		}
	}
}

func TestNames(t *testing.T) {
	got := Names(2, []string{"a", "b", "c"}, nil, []string{"d"})
	if want := []string{"a", "b", "d"}; !slices.Equal(got, want) {
		t.Errorf("Names: %v, want %v", got, want)
	}
}

func TestDuplicate(t *testing.T) {
	story := "The minister met the envoy in Beijing on Monday. They spoke of trade, of security and of the summit next year, " +
		"and the envoy thanked China for its support during his three years in the post."
	edited := strings.Replace(story, "on Monday", "on Tuesday", 1)
	other := "The envoy, who leaves Beijing this week, said trade and security will lead the summit's agenda next year."
	for _, tt := range []struct {
		name                   string
		selfTitle, title, body string
		want                   bool
		wantResemblanceAtLeast float64
		wantResemblanceAtMost  float64
	}{
		{"the same text", "A", "B", story, true, 1, 1},
		{"an edit", "A", "B", edited, true, 0.5, 1},
		{"the same title", "Envoy  leaves", "envoy leaves", other, true, 0, 0.5},
		{"another story", "A", "B", other, false, 0, 0.2},
	} {
		r := Resemblance(story, tt.body)
		if r < tt.wantResemblanceAtLeast || r > tt.wantResemblanceAtMost {
			t.Errorf("%s: resemblance %.3f, want %.2f to %.2f", tt.name, r, tt.wantResemblanceAtLeast, tt.wantResemblanceAtMost)
		}
		if got := NewStory(tt.selfTitle, story).Same(NewStory(tt.title, tt.body), Default.Duplicate); got != tt.want {
			t.Errorf("%s: Same = %v, want %v", tt.name, got, tt.want)
		}
	}
	if r := Resemblance("", story); r != 0 {
		t.Errorf("resemblance to nothing: %v, want 0", r)
	}
	if r := Resemblance("two words", "Two words"); r != 1 {
		t.Errorf("resemblance of two short texts: %v, want 1", r)
	}
}
