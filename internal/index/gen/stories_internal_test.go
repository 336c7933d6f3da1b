package gen

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
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
