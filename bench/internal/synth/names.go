package synth

import (
	"math/rand/v2"
	"strings"
	"unicode"
	"unicode/utf8"
)

// namer makes up new proper names that look like the training text's (a
// character trigram model of its capitalized words), so the vocabulary keeps
// growing with the corpus as a real archive's does (Heaps' law): names of
// people, places and firms that no earlier article mentioned.
type namer struct {
	seed uint64
	next map[[2]rune][]rune // two-letter history → letters that followed it
}

// nameEnd ends a name in the character model; nameStart pads the history.
const (
	nameStart = '^'
	nameEnd   = '$'
)

func newNamer(seed uint64, words []string) *namer {
	n := &namer{seed: seed, next: map[[2]rune][]rune{}}
	for _, w := range words {
		h := [2]rune{nameStart, nameStart}
		for _, r := range strings.ToLower(w) {
			if !unicode.IsLetter(r) {
				break
			}
			n.next[h] = append(n.next[h], r)
			h = [2]rune{h[1], r}
		}
		n.next[h] = append(n.next[h], nameEnd)
	}
	return n
}

// name returns the k-th made-up name. It depends only on the seed, the
// training words and k, never on which names were asked for before, so
// articles can be generated in any order, in parallel.
func (n *namer) name(k uint64) string {
	r := rand.New(rand.NewPCG(n.seed^0x6e616d6573, k)) // "names"
	for range 20 {
		var b strings.Builder
		h := [2]rune{nameStart, nameStart}
		for b.Len() < 14 {
			opts := n.next[h]
			if len(opts) == 0 {
				break
			}
			c := opts[r.IntN(len(opts))]
			if c == nameEnd {
				break
			}
			b.WriteRune(c)
			h = [2]rune{h[1], c}
		}
		if s := b.String(); utf8.RuneCountInString(s) >= 3 {
			first, size := utf8.DecodeRuneInString(s)
			return string(unicode.ToUpper(first)) + s[size:]
		}
	}
	return "Name" + string(rune('a'+k%26)) // only without usable training words
}
