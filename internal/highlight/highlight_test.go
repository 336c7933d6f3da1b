package highlight

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/newsfind/newsfind/internal/analyze"
)

func newHighlighter(t *testing.T, query string) *Highlighter {
	t.Helper()
	a := mapping.NewIndexMapping().AnalyzerNamed(analyze.Analyzer)
	terms := map[string]bool{}
	for _, tok := range a.Analyze([]byte(query)) {
		terms[string(tok.Term)] = true
	}
	return New(a, terms)
}

func TestMark(t *testing.T) {
	tests := []struct {
		query, text, want string
		matched           bool
	}{
		{"norov", "Wang Yi Meets Vladimir Norov", "Wang Yi Meets Vladimir <mark>Norov</mark>", true},
		{"cooperate", "Shanghai Cooperation Organization", "Shanghai <mark>Cooperation</mark> Organization", true},
		{"spirit", "the “Shanghai Spirit”", "the “Shanghai <mark>Spirit</mark>”", true},
		{"bold", "<b>bold</b> & 'quoted'", "&lt;b&gt;<mark>bold</mark>&lt;/b&gt; &amp; &#39;quoted&#39;", true},
		{"absent", "<script>x</script>", "&lt;script&gt;x&lt;/script&gt;", false},
		{"", "plain", "plain", false},
	}
	for _, tt := range tests {
		got, ok := newHighlighter(t, tt.query).Mark(tt.text)
		if got != tt.want || ok != tt.matched {
			t.Errorf("Mark(%q) for %q = %q, %v; want %q, %v", tt.text, tt.query, got, ok, tt.want, tt.matched)
		}
	}
}

func TestFragments(t *testing.T) {
	filler := strings.Repeat("lorem ipsum dolor sit amet ", 20)
	text := "Norov opened. " + filler + "\n\nThe SCO and Norov met in Beijing. " + filler + "Beijing ends."
	h := newHighlighter(t, "Norov Beijing")
	frags := h.Fragments(text, 2, 120)
	if len(frags) != 2 {
		t.Fatalf("got %d fragments, want 2: %q", len(frags), frags)
	}
	// The passage with both terms wins; the runner-up is the earliest
	// other match; they come in text order.
	if !strings.HasPrefix(frags[0], "<mark>Norov</mark> opened.") || !strings.Contains(frags[1], "<mark>Norov</mark> met in <mark>Beijing</mark>") {
		t.Errorf("fragments = %q", frags)
	}
	for _, f := range frags {
		if len(stripMarks(f)) > 120+len("……") {
			t.Errorf("fragment longer than asked: %d bytes: %q", len(f), f)
		}
		if strings.Contains(f, "\n") || strings.Contains(f, "  ") {
			t.Errorf("fragment keeps line breaks or double spaces: %q", f)
		}
	}
	if got := h.Fragments("nothing to see", 2, 100); got != nil {
		t.Errorf("no match: got %q, want nil", got)
	}
}

func TestFragmentsCutOnWordAndRuneBoundaries(t *testing.T) {
	text := strings.Repeat("Ünïcödé wörds ", 30) + "target " + strings.Repeat("中国新闻 ", 30)
	for size := 10; size < 120; size += 7 {
		for _, f := range newHighlighter(t, "target").Fragments(text, 1, size) {
			if !strings.Contains(f, "<mark>target</mark>") {
				t.Errorf("size %d: fragment %q lacks the match", size, f)
			}
			if !utf8.ValidString(f) {
				t.Errorf("size %d: invalid UTF-8 in %q", size, f)
			}
		}
	}
}

func stripMarks(s string) string {
	return strings.NewReplacer("<mark>", "", "</mark>", "").Replace(s)
}

// collapseSpace is strings.Fields joined by single spaces, Unicode white
// space included, whatever runs and ends it meets.
func TestCollapseSpace(t *testing.T) {
	pieces := []string{"word", "é", " ", "  ", "\n\n", "\t", "\u00a0", "\u2003", "\r\n", "<mark>x</mark>", "\u0085", "ü"}
	var texts []string
	for _, a := range pieces {
		for _, b := range pieces {
			for _, c := range pieces {
				texts = append(texts, a+b+c, "x"+a+b+"y"+c+"z")
			}
		}
	}
	for _, s := range texts {
		if got, want := collapseSpace(s), strings.Join(strings.Fields(s), " "); got != want {
			t.Errorf("collapseSpace(%q) = %q, want %q", s, got, want)
		}
	}
}
