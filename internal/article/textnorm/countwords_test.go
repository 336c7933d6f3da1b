package textnorm

import (
	"strings"
	"testing"
)

func TestCountWordsIsLenFields(t *testing.T) {
	for _, s := range []string{
		"", " ", "one", " one ", "one two\tthree\nfour", "a\u00a0b\u2003c", "x\u0085y",
		"\xff\xfe bad bytes", "中文 字", "  many   spaces  ", "end\r\n",
	} {
		if got, want := CountWords(s), len(strings.Fields(s)); got != want {
			t.Errorf("CountWords(%q) = %d, want %d", s, got, want)
		}
	}
}

func FuzzCountWords(f *testing.F) {
	f.Add("one two\u00a0three")
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := CountWords(s), len(strings.Fields(s)); got != want {
			t.Errorf("CountWords(%q) = %d, want %d", s, got, want)
		}
	})
}
