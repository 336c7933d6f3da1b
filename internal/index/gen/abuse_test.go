package gen_test

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/newsfind/newsfind/internal/article"
	"github.com/newsfind/newsfind/internal/index/gen"
	"github.com/newsfind/newsfind/internal/index/indextest"
)

// TestAbuseBigArticlesAreSkippedOrCut is row 6 of issue 17: a 31 MB text
// file was indexed whole (2 GB of RSS, seconds per search). A file over
// article.MaxFileSize is skipped with a message, unread; an article over
// article.MaxBodyBytes is indexed cut, and the cut reported through Cut.
// A link out of the folder (row 4) is skipped by a full build too.
func TestAbuseBigArticlesAreSkippedOrCut(t *testing.T) {
	articles := indextest.Corpus(t, nil)
	fh, err := os.Create(filepath.Join(articles, "huge.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if err := fh.Truncate(article.MaxFileSize + 1); err != nil { // sparse
		t.Fatal(err)
	}
	if err := fh.Close(); err != nil {
		t.Fatal(err)
	}
	long := "Long read\n\n" + strings.Repeat("Quokka numbers rose again this year on the island.\n\n", article.MaxBodyBytes/40)
	writeFile(t, filepath.Join(articles, "long.txt"), long)
	if err := os.Symlink("/etc/passwd", filepath.Join(articles, "passwd.txt")); err != nil {
		t.Fatal(err)
	}

	skipped := map[string]error{}
	var cut []string
	cfg := gen.Config{Articles: articles, Index: filepath.Join(t.TempDir(), "index"),
		Skipped: func(p string, err error) { skipped[p] = err },
		Cut:     func(p string, cuts []string) { cut = append(cut, p+": "+strings.Join(cuts, "; ")) },
	}
	st := update(t, cfg)
	if err := skipped["huge.txt"]; err == nil || !strings.Contains(err.Error(), "limit") {
		t.Errorf("huge.txt: %v, want skipped for its size", err)
	}
	if err := skipped["passwd.txt"]; !errors.Is(err, article.ErrOutside) {
		t.Errorf("passwd.txt: %v, want skipped as a link out of the folder", err)
	}
	if len(cut) != 1 || !strings.HasPrefix(cut[0], "long.txt: body: ") {
		t.Errorf("cuts reported: %v, want long.txt's body", cut)
	}
	if st.Skipped != 2 {
		t.Errorf("%d skipped, want 2", st.Skipped)
	}
	if got := allIDs(t, cfg.Index); !slices.Contains(got, "long.txt") || slices.Contains(got, "huge.txt") || slices.Contains(got, "passwd.txt") {
		t.Errorf("indexed %v; want long.txt, neither huge.txt nor passwd.txt", got)
	}
}
