package search

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"
)

// The abuse suite of the domain (issue 17): hostile query text is refused
// with a message naming the cap, and quoted in logs only in part.

// abuseQuery is issue 17's row 1: n × "A " then ":".
func abuseQuery(n int) string { return strings.Repeat("A ", n) + ":" }

func TestAbuseQueryCaps(t *testing.T) {
	words := func(n int) string { return strings.TrimSpace(strings.Repeat("w ", n)) }
	tests := []struct {
		name, q string
		want    string // in the error; "" for none
	}{
		{"issue 17's 100 KB", abuseQuery(50_000), "at most 4096 bytes, got 100001"},
		{"one byte over", strings.Repeat("x", MaxQueryBytes+1), "at most 4096 bytes"},
		{"at the byte cap", strings.Repeat("x", MaxQueryBytes), ""},
		{"one term over", words(MaxQueryTerms + 1), "at most 512 words, phrases and field terms, got 513"},
		{"terms in groups and parts", "(" + words(300) + ") OR " + words(300), "got 600"},
		{"at the term cap", words(MaxQueryTerms), ""},
		{"operators are not terms", strings.Repeat("a AND ", MaxQueryTerms-1) + "a", ""},
		// The longest CISI question the evaluation asks: 2,119 bytes.
		{"a long typed question", strings.Repeat("information retrieval systems ", 70), ""},
	}
	for _, tt := range tests {
		req := Request{Query: tt.q}
		err := req.Validate()
		checkInvalid(t, tt.name, err, tt.want)
	}
}

// Filters of more values than MaxFilterValues, all fields together, are
// refused with a message naming the cap.
func TestAbuseFilterValues(t *testing.T) {
	values := func(n int) []string { return strings.Split(strings.Repeat("v,", n-1)+"v", ",") }
	for _, tt := range []struct {
		name string
		f    Filters
		want string
	}{
		{"at the cap", Filters{Sources: values(MaxFilterValues)}, ""},
		{"one over", Filters{People: values(MaxFilterValues + 1)}, "at most 1024 values in all, got 1025"},
		{"over across fields", Filters{Sources: values(600), Places: values(400), Years: make([]int, 30)}, "got 1030"},
	} {
		req := Request{Query: "x", Filters: tt.f}
		err := req.Validate()
		checkInvalid(t, tt.name, err, tt.want)
	}
}

// checkInvalid reports err unless it is ErrInvalid saying want, or nil
// when want is "".
func checkInvalid(t *testing.T, name string, err error, want string) {
	t.Helper()
	switch {
	case want == "" && err != nil:
		t.Errorf("%s: Validate = %v, want nil", name, err)
	case want != "" && (!errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), want)):
		t.Errorf("%s: Validate = %v, want ErrInvalid saying %q", name, err, want)
	}
}

// Parsing is linear (BenchmarkParseLength): 100 KB of "A " parses into
// every one of its words, with nothing lost or merged.
func TestAbuseParseLong(t *testing.T) {
	q := Parse(abuseQuery(50_000))
	if n := q.Terms(); n != 50_001 {
		t.Errorf("Parse(100 KB).Terms() = %d, want 50001", n)
	}
}

func TestAbuseAbbrev(t *testing.T) {
	long := abuseQuery(75_000) // issue 17's row 13: 150 KB, logged twice in full
	got := Abbrev(long)
	if len(got) > MaxLoggedQuery+32 || !strings.HasPrefix(got, "A A A") || !strings.HasSuffix(got, "… (150001 bytes)") {
		t.Errorf("Abbrev(150 KB) is %d bytes ending %q, want its first %d bytes and its length", len(got), got[max(0, len(got)-40):], MaxLoggedQuery)
	}
	if got := Abbrev("tony blair"); got != "tony blair" {
		t.Errorf("Abbrev(short) = %q, want it whole", got)
	}
	multi := strings.Repeat("中", MaxLoggedQuery) // 3 bytes each: the cut falls inside one
	if got := Abbrev(multi); !utf8.ValidString(got) || !strings.HasPrefix(got, strings.Repeat("中", MaxLoggedQuery/3)) {
		t.Errorf("Abbrev cut a character: %q", got)
	}
}
