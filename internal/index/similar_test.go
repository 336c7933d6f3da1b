package index_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/newsfind/newsfind/internal/index"
	"github.com/newsfind/newsfind/internal/search"
)

// Articles beside the seeds (all about the SCO) for "more like this": three
// about one football club, two about baking, and one that mentions a
// single word of those football articles choose ("stadium"), once.
var similarCorpus = map[string]string{
	"football/a.txt": "Arsenal striker scores twice\n\nThe Arsenal striker scored twice as Arsenal beat Chelsea in the league. " +
		"The keeper saved a penalty before the striker scored again. The league leaders Arsenal now face Chelsea in the cup, " +
		"and the manager praised the striker and the keeper after the league match. Fans filled the stadium; the fans sang " +
		"as the second goal went in, the best goal of the season at the stadium. The manager wants the cup this season.\n",
	"football/b.txt": "Keeper saves penalty for Arsenal\n\nThe Arsenal keeper saved a late penalty in the league. " +
		"Arsenal held on against Chelsea after the striker was sent off, and the keeper saved a second penalty. " +
		"The manager said the league title is close for Arsenal, with fans in the stadium hoping for a goal and the cup this season.\n",
	"football/c.txt": "Chelsea manager on the league\n\nThe Chelsea manager said his striker and keeper will play against Arsenal. " +
		"The league match against Arsenal is the biggest of the season, and Chelsea need a striker who scores. " +
		"Chelsea lost the last league game to Arsenal on a penalty, a goal the fans at the stadium still talk about this season; the cup is next.\n",
	"baking/d.txt": "Bake bread with butter\n\nBake the bread in a hot oven. Mix flour and butter, then add yeast to the flour. " +
		"Leave the dough to rise and bake it in the oven until the crust is brown. Butter the tin before you bake.\n",
	"baking/e.txt": "Butter and flour for cakes\n\nA cake needs flour, butter and sugar. Cream the butter with sugar, fold in the flour, " +
		"and bake in a warm oven. The oven should be hot before the cake goes in; bake until golden.\n",
	"other/f.txt": "Garden notes\n\nPrune the roses in spring and water the garden in the evening. " +
		"Roses like a sunny garden; the neighbour's dog once ran off with the gardener's hose, a penalty for leaving the gate open. The stadium next door is quiet. " +
		"Water roses at their roots.\n",
}

// similarIndex builds the seeds, similarCorpus, football/b.txt again under
// another title, and two copies of the seed seedNorovOut: one re-filed
// with another title and an edit, one with the same title and another
// date line.
func similarIndex(t *testing.T) *index.Index {
	t.Helper()
	seed, err := os.ReadFile(filepath.Join(seedsDir, seedNorovOut))
	if err != nil {
		t.Fatal(err)
	}
	text := string(seed)
	extra := map[string]string{
		"copies/edited.txt": strings.Replace(strings.Replace(text, "Wang Yi Meets with Outgoing SCO Secretary-General Vladimir Norov",
			"Chinese foreign minister receives departing SCO chief", 1), "who is returning to Uzbekistan", "who goes home to Uzbekistan", 1),
		"copies/same.txt": strings.Replace(text, "2021-12-18 17:10", "2021-12-19 09:00", 1),
	}
	for name, body := range similarCorpus {
		extra[name] = body
	}
	// football/b.txt filed again under another title.
	extra["football/b-again.txt"] = strings.Replace(similarCorpus["football/b.txt"], "Keeper saves penalty for Arsenal", "Arsenal keeper the hero", 1)
	ix, _ := build(t, copyCorpus(t, extra))
	return ix
}

func similar(t *testing.T, ix *index.Index, id string, size int) []string {
	t.Helper()
	res, err := ix.Similar(context.Background(), search.SimilarRequest{ID: id, Size: size})
	if err != nil {
		t.Fatalf("similar %s: %v", id, err)
	}
	var out []string
	for _, h := range res.Hits {
		out = append(out, h.ID)
	}
	return out
}

func TestSimilar(t *testing.T) {
	ix := similarIndex(t)

	t.Run("the same subject first", func(t *testing.T) {
		got := similar(t, ix, "football/a.txt", 5)
		b := slices.ContainsFunc(got[:min(2, len(got))], func(id string) bool { return strings.HasPrefix(id, "football/b") })
		if !b || !slices.Contains(got[:2], "football/c.txt") {
			t.Errorf("like football/a.txt: %v, want the other football articles first", got)
		}
		if slices.Contains(got, "football/a.txt") {
			t.Errorf("like football/a.txt: %v lists the article itself", got)
		}
		// One story once: football/b.txt filed twice is listed once.
		if slices.Contains(got, "football/b.txt") && slices.Contains(got, "football/b-again.txt") {
			t.Errorf("like football/a.txt: %v lists football/b.txt twice", got)
		}
		if got := similar(t, ix, "baking/d.txt", 5); len(got) == 0 || got[0] != "baking/e.txt" {
			t.Errorf("like baking/d.txt: %v, want baking/e.txt first", got)
		}
	})

	t.Run("enough of the terms shared", func(t *testing.T) {
		// other/f.txt holds one of the dozen words chosen for
		// football/a.txt: one word in common is not "like".
		if got := similar(t, ix, "football/a.txt", 20); slices.Contains(got, "other/f.txt") {
			t.Errorf("like football/a.txt: %v lists other/f.txt, which shares one word", got)
		}
	})

	t.Run("no near-duplicates", func(t *testing.T) {
		got := similar(t, ix, seedNorovOut, 20)
		for _, dup := range []string{seedNorovOut, "copies/edited.txt", "copies/same.txt"} {
			if slices.Contains(got, dup) {
				t.Errorf("like %s: %v lists %s, the same story", seedNorovOut, got, dup)
			}
		}
		if !slices.Contains(got, seedNorovVice) {
			t.Errorf("like %s: %v, want %s (Norov too) among them", seedNorovOut, got, seedNorovVice)
		}
	})

	t.Run("the hit shape of search", func(t *testing.T) {
		res, err := ix.Similar(context.Background(), search.SimilarRequest{ID: "football/a.txt"})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Hits) == 0 || len(res.Hits) > search.DefaultSimilarSize {
			t.Fatalf("%d hits, want 1 to %d", len(res.Hits), search.DefaultSimilarSize)
		}
		h := res.Hits[0]
		if h.Title == "" || h.Score <= 0 || !strings.Contains(strings.Join(h.Fragments["body"], " "), "<mark>") {
			t.Errorf("hit %+v: want a title, a score and a body fragment marking the shared words", h)
		}
	})

	t.Run("size", func(t *testing.T) {
		if got := similar(t, ix, seedNorovOut, 1); len(got) != 1 {
			t.Errorf("size 1: %v", got)
		}
	})

	t.Run("errors", func(t *testing.T) {
		for _, tt := range []struct {
			req  search.SimilarRequest
			want error
		}{
			{search.SimilarRequest{ID: "no/such.txt"}, search.ErrNotFound},
			{search.SimilarRequest{ID: seedNorovOut, Size: 21}, search.ErrInvalid},
			{search.SimilarRequest{ID: seedNorovOut, Size: -1}, search.ErrInvalid},
			{search.SimilarRequest{}, search.ErrInvalid},
		} {
			if _, err := ix.Similar(context.Background(), tt.req); !errors.Is(err, tt.want) {
				t.Errorf("%+v: %v, want %v", tt.req, err, tt.want)
			}
		}
	})

	t.Run("bounded by the deadline", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if _, err := ix.Similar(ctx, search.SimilarRequest{ID: seedNorovOut}); !errors.Is(err, context.Canceled) {
			t.Errorf("similar with its context ended: %v, want context.Canceled", err)
		}
	})
}

func TestMark(t *testing.T) {
	ix, _ := build(t, copyCorpus(t, map[string]string{
		"x.txt": "Cooperation <b>first</b>\n\nThey cooperate & trade. Nothing else.\n",
	}))
	a, err := ix.Article(context.Background(), "x.txt")
	if err != nil {
		t.Fatal(err)
	}
	m, err := ix.Mark(context.Background(), a, "cooperating -trade")
	if err != nil {
		t.Fatal(err)
	}
	if want := "<mark>Cooperation</mark> &lt;b&gt;first&lt;/b&gt;"; m.Title != want {
		t.Errorf("title %q, want %q", m.Title, want)
	}
	if want := "They <mark>cooperate</mark> &amp; trade. Nothing else."; m.Body != want {
		t.Errorf("body %q, want %q (an excluded word is not marked)", m.Body, want)
	}
	if m, err := ix.Mark(context.Background(), a, ""); err != nil || strings.Contains(m.Title+m.Body, "<mark>") {
		t.Errorf("no query: %+v, %v; want nothing marked", m, err)
	}
	if _, err := ix.Mark(context.Background(), a, strings.Repeat("x", search.MaxQueryBytes+1)); !errors.Is(err, search.ErrInvalid) {
		t.Errorf("a query too long: %v, want ErrInvalid", err)
	}
}
