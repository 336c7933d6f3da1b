package decode

import (
	"errors"
	"testing"
)

func TestDecodeText(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string
		err  error
	}{
		{"utf8", "Caf\u00e9 \u00a3600m\n", "Caf\u00e9 \u00a3600m\n", nil},
		{"latin1 pound", "cost \xa3600m", "cost \u00a3600m", nil},
		{"windows-1252 quotes", "\x93Yes,\x94 he\x92s \x96 here\x85", "\u201cYes,\u201d he\u2019s \u2013 here\u2026", nil},
		{"unassigned 1252 byte", "a\x81b", "a\ufffdb", nil},
		{"utf8 with a stray byte", "\u00e9t\u00e9 \xa3", "\u00e9t\u00e9 \u00a3", nil},
		{"utf8 bom", "\xef\xbb\xbfTitle", "Title", nil},
		{"utf16le bom", "\xff\xfeT\x00i\x00\n\x00", "Ti\n", nil},
		{"utf16be bom", "\xfe\xff\x00T\x00i", "Ti", nil},
		{"crlf and cr", "a\r\nb\rc", "a\nb\nc", nil},
		{"a few controls become spaces", "Title\x1b here and plenty of ordinary text around it to dilute", "Title  here and plenty of ordinary text around it to dilute", nil},
		{"nul", "Title\x00\n", "", ErrBinary},
		{"binary junk", "\x00\x01\x02\xff\xfe", "", ErrBinary},
		{"png header", "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "", ErrBinary},
		{"many controls", "ab\x01\x02cd", "", ErrBinary},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Text([]byte(tt.in))
			if !errors.Is(err, tt.err) || got != tt.want {
				t.Errorf("Text(%q) = %q, %v; want %q, %v", tt.in, got, err, tt.want, tt.err)
			}
		})
	}
}

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
		if got := NormalizeSpace(tt.in); got != tt.want {
			t.Errorf("NormalizeSpace(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
