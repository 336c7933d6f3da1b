package textnorm

import (
	"testing"
)

func TestNormalizeSpace(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Home\u00a0>\u00a0China News", "Home > China News"},
		{"has\u2002left", "has left"},
		{"with\u00a0 Vice", "with Vice"},
		{" \t date  2023-04-20 ", "date 2023-04-20"},
		{"zero\u200bwidth soft\u00adhyphen", "zerowidth softhyphen"},
		{"ideographic\u3000space", "ideographic space"},
		{"\u00a0\u2002 ", ""},
	}
	for _, tt := range tests {
		if got := Space(tt.in); got != tt.want {
			t.Errorf("Space(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
