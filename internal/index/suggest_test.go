package index_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/newsfind/newsfind/internal/search"
)

// seedsHolding counts the seed files whose text matches pattern, as grep
// -l would: the document frequency the index should report, found without
// it.
func seedsHolding(t *testing.T, pattern string) int {
	t.Helper()
	re := regexp.MustCompile(pattern)
	files, err := filepath.Glob(filepath.Join(seedsDir, "*.txt"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no seed files (%v)", err)
	}
	n := 0
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if re.Match(b) {
			n++
		}
	}
	return n
}

func suggest(t *testing.T, s search.Suggester, q string, size int) []search.Suggestion {
	t.Helper()
	out, err := s.Suggest(context.Background(), search.SuggestRequest{Query: q, Size: size})
	if err != nil {
		t.Fatalf("Suggest(%q): %v", q, err)
	}
	return out.Suggestions
}

// find returns the suggestion with text and kind, or false.
func find(got []search.Suggestion, text string, kind search.SuggestKind) (search.Suggestion, bool) {
	for _, s := range got {
		if s.Text == text && s.Kind == kind {
			return s, true
		}
	}
	return search.Suggestion{}, false
}

func TestSuggestSeeds(t *testing.T) {
	ix, _ := build(t, seedsDir)
	tests := []struct {
		q, text string
		kind    search.SuggestKind
		grep    string // the seeds holding the completion, as a pattern
	}{
		{"shangh", "shanghai", search.SuggestTerm, `(?i)\bshanghai\b`},
		{"Shangh", "shanghai", search.SuggestTerm, `(?i)\bshanghai\b`},
		{"SCO summit shangh", "SCO summit shanghai", search.SuggestTerm, `(?i)\bshanghai\b`},
		{"wang", "Wang Yi", search.SuggestPerson, `Wang Yi`},
		{"wang y", "Wang Yi", search.SuggestPerson, `Wang Yi`},
		{"  WANG   y", "Wang Yi", search.SuggestPerson, `Wang Yi`},
		{"jinp", "Xi Jinping", search.SuggestPerson, `Xi Jinping`},
		{"meeting with xi", "meeting with Xi Jinping", search.SuggestPerson, `Xi Jinping`},
		{"tashk", "Tashkent", search.SuggestPlace, `Tashkent`},
		{"communist p", "Communist Party of China", search.SuggestOrg, `Communist Party of China`},
		{"norov", "norov", search.SuggestTerm, `(?i)\bnorov\b`},
		// Words as written, not stems ("minist").
		{"minis", "minister", search.SuggestTerm, `(?i)\bminister\b`},
		{"the SCO's secre", "the SCO's secretary", search.SuggestTerm, `(?i)\bsecretary\b`},
	}
	for _, tt := range tests {
		got := suggest(t, ix, tt.q, 20)
		s, ok := find(got, tt.text, tt.kind)
		if !ok {
			t.Errorf("Suggest(%q) = %+v, want %q (%s) among them", tt.q, got, tt.text, tt.kind)
			continue
		}
		if want := seedsHolding(t, tt.grep); s.Count != want || want == 0 {
			t.Errorf("Suggest(%q): %q counted in %d articles, grep finds %d", tt.q, tt.text, s.Count, want)
		}
	}
	for _, s := range suggest(t, ix, "minis", 20) {
		if s.Text == "minist" {
			t.Errorf(`Suggest("minis") offers the stem "minist": %+v`, s)
		}
	}
	if got := suggest(t, ix, "shangh", 1); len(got) != 1 || got[0].Text != "shanghai" {
		t.Errorf(`Suggest("shangh", size 1) = %+v, want shanghai first`, got)
	}
}

func TestSuggestOrderAndLimits(t *testing.T) {
	ix, _ := build(t, seedsDir)
	got := suggest(t, ix, "s", 20)
	if len(got) < 5 {
		t.Fatalf(`Suggest("s") = %+v, want many`, got)
	}
	seen := map[string]bool{}
	for i, s := range got {
		if i > 0 && s.Count > got[i-1].Count {
			t.Errorf("suggestion %d %+v counts more than the one before %+v", i, s, got[i-1])
		}
		if k := strings.ToLower(s.Text); seen[k] {
			t.Errorf("%q suggested twice: %+v", s.Text, got)
		}
		seen[strings.ToLower(s.Text)] = true
	}
	if got := suggest(t, ix, "s", 3); len(got) != 3 {
		t.Errorf(`Suggest("s", size 3) gave %d`, len(got))
	}
	if got := suggest(t, ix, "s", 0); len(got) != search.DefaultSuggestSize {
		t.Errorf(`Suggest("s") with no size gave %d, want %d`, len(got), search.DefaultSuggestSize)
	}
	for _, q := range []string{"", "   ", "zzzzqx", "shanghai!"} {
		out, err := ix.Suggest(context.Background(), search.SuggestRequest{Query: q})
		if err != nil || out.Suggestions == nil || len(out.Suggestions) != 0 {
			t.Errorf("Suggest(%q) = %+v, %v; want an empty list", q, out, err)
		}
	}
	// A finished word completes no word, but still begins names.
	if got := suggest(t, ix, "wang ", 20); len(got) != 1 || got[0].Text != "Wang Yi" {
		t.Errorf(`Suggest("wang ") = %+v, want just Wang Yi`, got)
	}
	for _, req := range []search.SuggestRequest{
		{Query: "a", Size: search.MaxSuggestSize + 1},
		{Query: "a", Size: -1},
		{Query: strings.Repeat("a", search.MaxSuggestQuery+1)},
	} {
		if _, err := ix.Suggest(context.Background(), req); !errors.Is(err, search.ErrInvalid) {
			t.Errorf("Suggest(size %d, %d characters) = %v, want an invalid request", req.Size, len(req.Query), err)
		}
	}
}

// On the BBC corpus, "parlia" completes to "parliament" first: it is in
// more articles than any other word or name beginning so.
func TestSuggestBBC(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the BBC index")
	}
	ix, _ := build(t, bbcDir(t))
	got := suggest(t, ix, "parlia", 8)
	if len(got) == 0 || got[0].Text != "parliament" || got[0].Kind != search.SuggestTerm {
		t.Fatalf(`Suggest("parlia") = %+v, want parliament first`, got)
	}
	if got := suggest(t, ix, "tony bla", 8); len(got) == 0 || !strings.EqualFold(got[0].Text, "tony blair") {
		t.Errorf(`Suggest("tony bla") = %+v, want tony blair first`, got)
	}
}
