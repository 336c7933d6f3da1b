package synth

import (
	"cmp"
	"math/rand/v2"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Token ids 0 and 1 are reserved: bos opens every sentence (and title) as
// its two-token history, eos ends a title.
const (
	bos int32 = 0
	eos int32 = 1
)

// vocab interns tokens: every distinct token of the training text gets an
// id, in order of first appearance (so ids depend only on the text).
type vocab struct {
	ids    map[string]int32
	tokens []string
	// proper marks tokens seen capitalized in the middle of a sentence at
	// least once: names of people, places and organizations, which the
	// generator may replace with new names.
	proper []bool
}

func newVocab() *vocab {
	return &vocab{ids: map[string]int32{}, tokens: []string{"", ""}, proper: []bool{false, false}}
}

func (v *vocab) id(tok string) int32 {
	if id, ok := v.ids[tok]; ok {
		return id
	}
	id := int32(len(v.tokens))
	v.ids[tok] = id
	v.tokens = append(v.tokens, tok)
	v.proper = append(v.proper, false)
	return id
}

// span is a run of successors in a chain's next slice.
type span struct{ off, n uint32 }

// chain is a word Markov chain learnt from sentences: for each one- and
// two-token history, every token that followed it in the training text, as
// often as it followed it, so drawing uniformly from the list draws by
// observed frequency.
type chain struct {
	bi   map[int32]span
	tri  map[uint64]span
	next []int32
}

// chainBuilder collects (history, next) pairs before they are packed.
type chainBuilder struct {
	bi  []pair
	tri []pair
}

type pair struct {
	key  uint64
	next int32
}

func triKey(a, b int32) uint64 { return uint64(uint32(a))<<32 | uint64(uint32(b)) }

// add learns one sequence of token ids, which starts after two bos and ends
// with the last id given (a terminal punctuation mark or eos).
func (b *chainBuilder) add(ids []int32) {
	w1, w2 := bos, bos
	for _, id := range ids {
		b.bi = append(b.bi, pair{uint64(uint32(w2)), id})
		b.tri = append(b.tri, pair{triKey(w1, w2), id})
		w1, w2 = w2, id
	}
}

func (b *chainBuilder) build() *chain {
	c := &chain{bi: map[int32]span{}, tri: map[uint64]span{}}
	pack := func(pairs []pair, put func(key uint64, s span)) {
		slices.SortStableFunc(pairs, func(x, y pair) int {
			return cmp.Or(cmp.Compare(x.key, y.key), cmp.Compare(x.next, y.next))
		})
		for i := 0; i < len(pairs); {
			j := i
			for j < len(pairs) && pairs[j].key == pairs[i].key {
				c.next = append(c.next, pairs[j].next)
				j++
			}
			put(pairs[i].key, span{off: uint32(len(c.next) - (j - i)), n: uint32(j - i)})
			i = j
		}
	}
	pack(b.bi, func(k uint64, s span) { c.bi[int32(uint32(k))] = s })
	pack(b.tri, func(k uint64, s span) { c.tri[k] = s })
	return c
}

// step draws the token after w1 w2: from what followed both with
// probability triWeight, otherwise (or when the pair was never seen) from
// what followed w2 alone. Mixing the two keeps sentences locally fluent
// without copying training sentences whole. ok is false when w2 was never
// followed by anything.
func (c *chain) step(r *rand.Rand, w1, w2 int32) (int32, bool) {
	const triWeight = 0.7
	if r.Float64() < triWeight {
		if s, ok := c.tri[triKey(w1, w2)]; ok {
			return c.next[s.off+uint32(r.IntN(int(s.n)))], true
		}
	}
	s, ok := c.bi[w2]
	if !ok {
		return 0, false
	}
	return c.next[s.off+uint32(r.IntN(int(s.n)))], true
}

// terminal reports whether tok ends a sentence.
func terminal(tok string) bool { return tok == "." || tok == "?" || tok == "!" }

// attaches reports whether tok is written against the word before it.
func attaches(tok string) bool {
	switch tok {
	case ".", ",", ";", ":", "?", "!":
		return true
	}
	return false
}

// abbreviations keep their full stop: they do not end a sentence.
var abbreviations = map[string]bool{
	"Mr.": true, "Mrs.": true, "Ms.": true, "Dr.": true, "St.": true, "Jr.": true, "Sr.": true,
	"Prof.": true, "Gen.": true, "Col.": true, "Lt.": true, "Sgt.": true, "Rev.": true, "Gov.": true,
	"Sen.": true, "Rep.": true, "No.": true, "vs.": true, "etc.": true, "Inc.": true, "Ltd.": true,
	"Co.": true, "Corp.": true, "Jan.": true, "Feb.": true, "Aug.": true, "Sept.": true, "Oct.": true,
	"Nov.": true, "Dec.": true, "U.S.": true, "U.K.": true, "U.N.": true, "e.g.": true, "i.e.": true,
}

// quoteRunes are dropped from training text: a chain cannot keep quotation
// marks balanced, and the indexers ignore them.
const quoteRunes = "\"“”«»„()[]{}"

// tokenize splits a paragraph into words and the punctuation marks that
// matter to sentence shape (, ; : . ? !), dropping quotation marks,
// brackets and dashes standing alone.
func tokenize(para string) []string {
	var out []string
	for _, f := range strings.Fields(para) {
		f = strings.Trim(f, quoteRunes+"'‘’")
		f = strings.Map(func(r rune) rune {
			if strings.ContainsRune(quoteRunes, r) {
				return -1
			}
			return r
		}, f)
		if f == "" || strings.Trim(f, "-–—") == "" {
			continue
		}
		var trail []string
		for len(f) > 0 && !abbreviations[f] {
			last := f[len(f)-1:]
			if !attaches(last) {
				break
			}
			trail = append(trail, last)
			f = strings.TrimRight(f[:len(f)-1], quoteRunes+"'‘’")
		}
		if f == "" {
			continue // punctuation standing alone ("...", "-,")
		}
		out = append(out, f)
		for i := len(trail) - 1; i >= 0; i-- {
			// "!?" or "..." keep only their first mark as a token.
			if i < len(trail)-1 && attaches(trail[i]) {
				continue
			}
			out = append(out, trail[i])
		}
	}
	return out
}

// sentences splits tokens at terminal punctuation; a last sentence without
// one gets a full stop, so every sentence the chain learns ends.
func sentences(tokens []string) [][]string {
	var out [][]string
	start := 0
	for i, t := range tokens {
		if terminal(t) {
			if i > start {
				out = append(out, tokens[start:i+1])
			}
			start = i + 1
		}
	}
	if start < len(tokens) {
		out = append(out, append(slices.Clone(tokens[start:]), "."))
	}
	return out
}

// capitalized reports whether tok starts with an upper-case letter and is
// not all capitals (an acronym such as SCO or BBC is kept as it is).
func capitalized(tok string) bool {
	r, _ := utf8.DecodeRuneInString(tok)
	if !unicode.IsUpper(r) {
		return false
	}
	return strings.ContainsFunc(tok, unicode.IsLower)
}

// isNumber reports whether tok holds a digit: a figure whose digits the
// generator may change ("76%", "$1.13bn", "464,000").
func isNumber(tok string) bool { return strings.ContainsFunc(tok, unicode.IsDigit) }

// isYear reports whether tok is a year from 1900 to 2099, which stays as
// written.
func isYear(tok string) bool {
	return len(tok) == 4 && (strings.HasPrefix(tok, "19") || strings.HasPrefix(tok, "20")) &&
		!strings.ContainsFunc(tok, func(r rune) bool { return !unicode.IsDigit(r) })
}
