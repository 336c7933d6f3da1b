package gen

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/blevesearch/bleve/v2"
	"github.com/newsfind/newsfind/internal/index/bands"
)

// A full build searches the index for an article's story only when one of
// its bands may be there: distinct articles are assigned without a search,
// versions still find each other across batches, and an update, whose index
// holds articles assigned before, searches for each article it adds.
func TestFullBuildSearchesOnlyForPossibleVersions(t *testing.T) {
	articles := t.TempDir()
	rng := rand.New(rand.NewPCG(1, 2))
	body := func() string {
		words := make([]string, 120)
		for i := range words {
			words[i] = fmt.Sprintf("w%d", rng.IntN(5000))
		}
		return strings.Join(words, " ") + "."
	}
	write := func(name, text string) {
		if err := os.WriteFile(filepath.Join(articles, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	const distinct = 40
	first := body()
	write("a00.txt", "Story 0\n\n"+first+"\n")
	for i := 1; i < distinct; i++ {
		write(fmt.Sprintf("a%02d.txt", i), fmt.Sprintf("Story %d\n\n%s\n", i, body()))
	}
	write("z-version.txt", "Story 0 again\n\n"+first+" One more sentence at the end.\n")

	var searches int
	cfg := Config{Articles: articles, Index: filepath.Join(t.TempDir(), "index"), BatchSize: 1, storySearches: &searches}
	if _, err := Build(context.Background(), cfg); err != nil {
		t.Fatal(err)
	}
	// The version's bands are all in the set; a distinct article's may be
	// by chance (false positives at a rate of about 21 in 1,000 here).
	if searches < 1 || searches > 3 {
		t.Errorf("full build of %d distinct articles and a version searched the index %d times, want the version's search and at most 2 by chance", distinct, searches)
	}

	write("z-version2.txt", "Story 0 once more\n\n"+first+" Another sentence at the end.\n")
	write("new.txt", "Story new\n\n"+body()+"\n")
	cfg.Full = false
	if _, err := Update(context.Background(), cfg); err != nil {
		t.Fatal(err)
	}
	if searches != 2 {
		t.Errorf("an update adding 2 articles searched the index %d times, want 2", searches)
	}
}

// The band keys live beside the index, not in it: a full build writes
// them as runs in the generation's bands folder, and an update's
// generation links its predecessor's runs (the same files, not copies)
// and adds one for what it indexed.
func TestBandKeysBesideTheIndex(t *testing.T) {
	articles := t.TempDir()
	for i := range 3 {
		text := fmt.Sprintf("Story %d\n\nThe %d councils met on Tuesday to weigh the plan for the river crossing, which the ministers of %d provinces backed after a year of talks, and which the engineers said would take four years to build.\n", i, i, i)
		if err := os.WriteFile(filepath.Join(articles, fmt.Sprintf("a%d.txt", i)), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cfg := Config{Articles: articles, Index: filepath.Join(t.TempDir(), "index")}
	runs := func() (string, []os.FileInfo) {
		t.Helper()
		cur, err := Current(cfg.Index)
		if err != nil {
			t.Fatal(err)
		}
		files, _ := filepath.Glob(filepath.Join(cur, bandsDir, "*"+bands.Suffix))
		var out []os.FileInfo
		for _, f := range files {
			fi, err := os.Stat(f)
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, fi)
		}
		return cur, out
	}
	if _, err := Build(context.Background(), cfg); err != nil {
		t.Fatal(err)
	}
	cur, built := runs()
	if len(built) != 1 {
		t.Fatalf("full build of 3 articles left %d runs of band keys, want 1", len(built))
	}
	idx, err := bleve.Open(cur)
	if err != nil {
		t.Fatal(err)
	}
	fields, err := idx.Fields()
	idx.Close()
	if err != nil {
		t.Fatal(err)
	}
	if slices.Contains(fields, "story_band") {
		t.Errorf("the index holds a story_band field: %v", fields)
	}

	if err := os.WriteFile(filepath.Join(articles, "new.txt"), []byte("New\n\nThe price of grain in the northern markets rose for a third week as traders weighed a dry spring against the stocks held in the ports, and millers said bread would cost more by the summer.\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Update(context.Background(), cfg); err != nil {
		t.Fatal(err)
	}
	_, updated := runs()
	if len(updated) != 2 || !os.SameFile(updated[0], built[0]) {
		t.Errorf("an update adding 1 article left runs %v after %v, want the same first run and one more", names(updated), names(built))
	}
}

func names(fis []os.FileInfo) []string {
	var out []string
	for _, fi := range fis {
		out = append(out, fi.Name())
	}
	return out
}
