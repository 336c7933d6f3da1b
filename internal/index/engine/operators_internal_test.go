package engine

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/newsfind/newsfind/internal/search"
)

// On the BBC corpus, "blair AND brown" counts exactly the articles holding
// both words, "blair OR brown" either, and "NOT blair" the others. The
// expected counts come from the article files, each analyzed into its
// terms (so "Brown's" and "Browne" are "brown", as the index has them).
func TestBooleanCountsBBC(t *testing.T) {
	if _, err := os.Stat(bbcCorpus); err != nil {
		t.Skipf("BBC corpus not found at %s (set NEWSFIND_BBC): %v", bbcCorpus, err)
	}
	ix, _ := openBuilt(t, bbcCorpus)
	var both, either, files, blair uint64
	err := filepath.WalkDir(bbcCorpus, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".txt") || strings.EqualFold(d.Name(), "README.TXT") {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if !utf8.Valid(b) { // a Windows-1252 file, as the reader decodes it
			r := make([]rune, len(b))
			for i, c := range b {
				r[i] = rune(c)
			}
			b = []byte(string(r))
		}
		has := map[string]bool{}
		for _, tok := range ix.analyzer.Analyze(b) {
			has[string(tok.Term)] = true
		}
		files++
		if has["blair"] && has["brown"] {
			both++
		}
		if has["blair"] || has["brown"] {
			either++
		}
		if has["blair"] {
			blair++
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	all, err := ix.Search(context.Background(), search.Request{NoCollapse: true}) // articles, not stories
	if err != nil {
		t.Fatal(err)
	}
	if all.Total != files {
		t.Fatalf("index holds %d articles, the corpus %d files: the counts below would not compare", all.Total, files)
	}
	for q, want := range map[string]uint64{
		"blair AND brown ": both, "+blair +brown ": both, "blair OR brown ": either, "blair brown ": either,
		"NOT blair": files - blair, "-blair": files - blair,
	} {
		res, err := ix.Search(context.Background(), search.Request{Query: q, NoFacets: true, NoCollapse: true})
		if err != nil {
			t.Fatal(err)
		}
		if res.Total != want {
			t.Errorf("%q: %d articles, want %d", q, res.Total, want)
		}
	}
	t.Logf("BBC: %d articles, %d with blair and brown, %d with either", files, both, either)
}
