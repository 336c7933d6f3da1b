package summary

import (
	"strings"
	"testing"
)

func TestSummarize(t *testing.T) {
	long := strings.Repeat("word ", 100)
	tests := []struct {
		lead string
		more []string
		want string
	}{
		{"Mr. Smith met U.S. officials on Dec. 3 in Washington. He said so. A third.", nil, "Mr. Smith met U.S. officials on Dec. 3 in Washington. He said so."},
		{"One sentence only.", []string{"The next paragraph starts here. And goes on."}, "One sentence only. The next paragraph starts here."},
		{`"We will win," he said. Then he left.`, nil, `"We will win," he said. Then he left.`},
		{"The rate is 0.75 percent. It held.", nil, "The rate is 0.75 percent. It held."},
		{"", []string{"ignored"}, ""},
	}
	for _, tt := range tests {
		if got := Of(tt.lead, tt.more); got != tt.want {
			t.Errorf("Of(%.40q) = %q, want %q", tt.lead, got, tt.want)
		}
	}
	if got := Of(long, nil); len(got) > Max || !strings.HasSuffix(got, "word…") || len(got) < Max-10 {
		t.Errorf("Of(long) = %q (%d bytes), want it cut at a word near %d bytes", got, len(got), Max)
	}
}
