package bands

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/newsfind/newsfind/internal/dedup"
)

// keysOf returns random band keys, band numbers in their top bytes as
// dedup.Signature.Bands makes them.
func keysOf(r *rand.Rand) [dedup.Bands]dedup.Band {
	var k [dedup.Bands]dedup.Band
	for b := range k {
		k[b] = dedup.Band(uint64(b)<<56 | r.Uint64()>>8)
	}
	return k
}

type shared struct {
	id string
	n  int
}

func lookup(s *Set, keys [dedup.Bands]dedup.Band) []shared {
	var out []shared
	s.Lookup(keys, func(id string, n int) { out = append(out, shared{id, n}) })
	return out
}

// Look-ups find the articles sharing keys wherever their keys are: held,
// in a run, in a merged run, or in runs read again by a later Open; most
// shared first.
func TestLookupFindsSharedKeysEverywhere(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "bands")
	r := rand.New(rand.NewPCG(1, 2))
	const n = flushArticles*(maxSmallRuns+2) + 100 // runs written, merged once, and some held
	all := make([][dedup.Bands]dedup.Band, n)
	s, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	for i := range all {
		all[i] = keysOf(r)
		if err := s.Add(fmt.Sprint("a", i), all[i]); err != nil {
			t.Fatal(err)
		}
	}
	check := func(s *Set, when string) {
		t.Helper()
		for _, i := range []int{0, 1, flushArticles - 1, flushArticles, n / 2, n - 101, n - 1} {
			// A new article with 3 keys of article i and 1 of article i+1.
			q := keysOf(r)
			q[0], q[5], q[20] = all[i][0], all[i][5], all[i][20]
			j := (i + 1) % n
			q[7] = all[j][7]
			got := lookup(s, q)
			want := []shared{{fmt.Sprint("a", i), 3}, {fmt.Sprint("a", j), 1}}
			if !slices.Equal(got, want) {
				t.Errorf("%s: look-up sharing keys of articles %d and %d found %v, want %v", when, i, j, got, want)
			}
		}
		if got := lookup(s, keysOf(r)); len(got) != 0 {
			t.Errorf("%s: look-up of new keys found %v", when, got)
		}
	}
	check(s, "before Flush")
	if err := s.Flush(); err != nil {
		t.Fatal(err)
	}
	check(s, "after Flush")
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s, err = Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	check(s, "opened again")
	files, _ := filepath.Glob(filepath.Join(dir, "*"+Suffix))
	if len(files) > maxSmallRuns+1 {
		t.Errorf("%d run files for %d articles: small runs were not merged", len(files), n)
	}
}

// An article added again, as a new version, is found by the keys of both
// versions, counted together.
func TestNewVersionsAddUp(t *testing.T) {
	s, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	r := rand.New(rand.NewPCG(3, 4))
	v1, v2 := keysOf(r), keysOf(r)
	s.Add("x", v1)
	if err := s.Flush(); err != nil {
		t.Fatal(err)
	}
	s.Add("x", v2)
	q := keysOf(r)
	q[1], q[2] = v1[1], v2[2]
	if got, want := lookup(s, q), []shared{{"x", 2}}; !slices.Equal(got, want) {
		t.Errorf("look-up found %v, want %v", got, want)
	}
}

// A damaged run is refused with an error that names it and says what to
// do, never read as fewer keys.
func TestDamagedRunRefused(t *testing.T) {
	dir := t.TempDir()
	s, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	s.Add("a", keysOf(rand.New(rand.NewPCG(5, 6))))
	if err := s.Flush(); err != nil {
		t.Fatal(err)
	}
	s.Close()
	files, _ := filepath.Glob(filepath.Join(dir, "*"+Suffix))
	if len(files) != 1 {
		t.Fatalf("run files %v, want 1", files)
	}
	b, err := os.ReadFile(files[0])
	if err != nil {
		t.Fatal(err)
	}
	b[len(b)/2] ^= 0xff
	if err := os.WriteFile(files[0], b, 0o644); err != nil {
		t.Fatal(err)
	}
	_, err = Open(dir)
	if err == nil || !strings.Contains(err.Error(), filepath.Base(files[0])) || !strings.Contains(err.Error(), "full build") {
		t.Errorf("Open of a damaged run: %v, want an error naming it and the remedy", err)
	}
}
