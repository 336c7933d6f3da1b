package engine

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/blevesearch/bleve/v2/index/scorch"
	index "github.com/blevesearch/bleve_index_api"

	"github.com/newsfind/newsfind/internal/index/gen"
	"github.com/newsfind/newsfind/internal/index/schema"
)

// postingsReader reads what scorch's term field reader reads, term by
// term, with and without frequencies, norms and locations, stepping and
// advancing to targets across zap's chunks, on segments with deleted
// articles.
func TestPostingsReaderMatchesScorch(t *testing.T) {
	articles := t.TempDir()
	corpus := filepath.Join(articles, "news.jsonl")
	writeZipfCorpus(t, corpus, 6000)
	dir := filepath.Join(t.TempDir(), "index")
	if _, err := gen.Build(context.Background(), gen.Config{Articles: articles, Index: dir}); err != nil {
		t.Fatal(err)
	}
	// Change some articles: their old versions are deleted from the
	// segments that hold them.
	data, err := os.ReadFile(corpus)
	if err != nil {
		t.Fatal(err)
	}
	lines := bytes.SplitAfter(data, []byte("\n"))
	for i := 7; i < len(lines); i += 97 {
		lines[i] = bytes.Replace(lines[i], []byte(`"body":"`), []byte(`"body":"harbour quill `), 1)
	}
	if err := os.WriteFile(corpus, bytes.Join(lines, nil), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := gen.Update(context.Background(), gen.Config{Articles: articles, Index: dir}); err != nil {
		t.Fatal(err)
	}
	ix := openIndex(t, dir, Options{})
	snap := ix.reader.(*scorch.IndexSnapshot)
	deleted := false
	for _, s := range snap.Segments() {
		deleted = deleted || s.Deleted() != nil && !s.Deleted().IsEmpty()
	}
	if !deleted {
		t.Fatal("no segment has deleted articles")
	}

	jumpable := 0 // terms read across 3 chunks or more by a jumping reader
	rng := rand.New(rand.NewPCG(8, 3))
	for _, term := range []string{"new", "year", "said", "peopl", "harbour", "quill", "quartz", "cooper", "nosuchterm"} {
		for _, opts := range [][3]bool{{true, true, true}, {true, true, false}, {false, false, false}} {
			r, err := openPostings(context.Background(), snap, term, schema.Content, opts[0], opts[1], opts[2])
			if err != nil {
				t.Fatal(err)
			}
			want, err := snap.TermFieldReader(context.Background(), []byte(term), schema.Content, opts[0], opts[1], opts[2])
			if err != nil {
				t.Fatal(err)
			}
			if r.Count() != want.Count() {
				t.Errorf("%s: count %d, scorch's %d", term, r.Count(), want.Count())
			}
			for _, s := range r.(*postingsReader).segs {
				if s.chunk > 0 && s.zap.ActualBM.Maximum()/uint32(s.chunk) >= 2 {
					jumpable++
				}
			}
			// Step and advance alike, to targets near and far.
			var got, exp *index.TermFieldDoc
			for step := 0; ; step++ {
				if step%3 == 0 || exp == nil {
					got, err = r.Next(nil)
					if err == nil {
						exp, err = want.Next(nil)
					}
				} else {
					target := index.NewIndexInternalID(nil, exp.ID.Value()+1+uint64(rng.ExpFloat64()*[]float64{3, 300, 3000}[step%3]))
					got, err = r.Advance(target, nil)
					if err == nil {
						exp, err = want.Advance(target, nil)
					}
				}
				if err != nil {
					t.Fatal(err)
				}
				if got == nil || exp == nil {
					if got != exp {
						t.Fatalf("%s %v step %d: %v, scorch's %v", term, opts, step, got, exp)
					}
					break
				}
				if !sameTermFieldDoc(got, exp) {
					t.Fatalf("%s %v step %d: %s, scorch's %s", term, opts, step, describe(got), describe(exp))
				}
			}
			_ = want.Close()
		}
	}
	if jumpable == 0 {
		t.Error("no postings list spans 3 chunks: nothing was jumped over")
	}
}

func describe(d *index.TermFieldDoc) string {
	return fmt.Sprintf("article %d, tf %d, norm %g, %d locations", d.ID.Value(), d.Freq, d.Norm, len(d.Vectors))
}

func sameTermFieldDoc(a, b *index.TermFieldDoc) bool {
	if !a.ID.Equals(b.ID) || a.Freq != b.Freq || a.Norm != b.Norm || len(a.Vectors) != len(b.Vectors) {
		return false
	}
	for i := range a.Vectors {
		if !reflect.DeepEqual(*a.Vectors[i], *b.Vectors[i]) {
			return false
		}
	}
	return true
}
