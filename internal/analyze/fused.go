package analyze

import (
	"fmt"
	"sync"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/registry"
	"github.com/blevesearch/segment"
)

// FusedAnalyzer is the analyzer registered as newsfind_en and as
// newsfind_exact. It produces exactly the tokens of the analyzer's reference
// chain (bleve's unicode tokenizer, then to_lower, accent folding,
// possessive_en and, for newsfind_en, stop_en and the snowball stemmer
// (newsfind_forms: stop_en and dropping the words that are their own stem); see
// newReferenceAnalyzer) — same terms, byte offsets, positions and types — at
// a fraction of the cost:
//
//   - Plain ASCII text is cut into words by a table-driven scanner that
//     implements the Unicode 8.0 word-break rules of
//     github.com/blevesearch/segment restricted to ASCII. Any stretch of
//     text holding a non-ASCII byte, delimited by ASCII characters that
//     always break words on both sides, goes to the real segmenter.
//   - Every step after tokenizing depends only on the token's bytes, so a
//     single cache lookup on the raw token gives its final term or says it
//     is a stop word.
//   - The tokens of one call share three allocations: the token structs,
//     the stream of pointers to them and the bytes of all terms.
//
// Input that is not valid UTF-8 is analysed by the reference chain itself,
// since the segmenter's handling of invalid bytes is not worth reproducing.
// Unlike the reference chain, FusedAnalyzer never modifies its input. It is
// safe for concurrent use.
type FusedAnalyzer struct {
	stop      analysis.TokenMap // nil: stop words are kept
	stem      bool
	differing bool // only the words that are not their own stem
	cache     *termCache
	reference analysis.Analyzer
}

// newFusedAnalyzer builds the analyzer ch describes with the stop words and
// reference chain found in cache.
func newFusedAnalyzer(cache *registry.Cache, ch *chain) (*FusedAnalyzer, error) {
	a := &FusedAnalyzer{stem: ch.stem, differing: ch.differing, cache: ch.terms}
	if ch.stop {
		stop, err := cache.TokenMapNamed(stopTokenMapName)
		if err != nil {
			return nil, fmt.Errorf("analyzer %s: stop words %q: %w", ch.name, stopTokenMapName, err)
		}
		a.stop = stop
	}
	ref, err := newReferenceAnalyzer(cache, ch)
	if err != nil {
		return nil, fmt.Errorf("analyzer %s: %w", ch.name, err)
	}
	a.reference = ref
	return a, nil
}

// Character classes of ASCII bytes under Unicode 8.0 word-break rules.
const (
	cLetter   = 1 << iota // ALetter: A-Z a-z
	cDigit                // Numeric: 0-9
	cExtend               // ExtendNumLet: '_'
	cMidLet               // may join two letters: MidLetter ':', MidNumLet '.', Single_Quote '\''
	cMidNum               // may join two digits: MidNum ',' ';', MidNumLet '.', Single_Quote '\''
	cBreak                // always a word break on both sides, and never part of a word
	cNonASCII             // a byte of a multi-byte UTF-8 sequence (or an invalid byte)

	cWord = cLetter | cDigit | cExtend
)

// class holds the class bits of every byte value. Double_Quote '"' has none:
// it joins Hebrew letters only, so it is neither part of an ASCII word nor a
// safe place to cut the text.
var class = func() (t [256]uint8) {
	for b := 0; b < 128; b++ {
		t[b] = cBreak
	}
	for b := 128; b < 256; b++ {
		t[b] = cNonASCII
	}
	for b := 'a'; b <= 'z'; b++ {
		t[b] = cLetter
		t[b-'a'+'A'] = cLetter
	}
	for b := '0'; b <= '9'; b++ {
		t[b] = cDigit
	}
	t['_'] = cExtend
	t[':'] = cMidLet
	t[','] = cMidNum
	t[';'] = cMidNum
	t['.'] = cMidLet | cMidNum
	t['\''] = cMidLet | cMidNum
	t['"'] = 0
	return t
}()

// tokRec is one kept token before the final allocation.
type tokRec struct {
	term       string
	start, end int
	pos        int
	typ        analysis.TokenType
}

// scratch is per-call working memory, pooled between calls.
type scratch struct {
	recs []tokRec
	buf  []byte // lower-casing space for cache misses
}

var scratchPool = sync.Pool{New: func() any { return &scratch{recs: make([]tokRec, 0, 256)} }}

// maxPooledRecs keeps a huge document from pinning a huge scratch buffer.
const maxPooledRecs = 1 << 14

// analysisRun is the state of one Analyze call.
type analysisRun struct {
	a     *FusedAnalyzer
	input []byte
	snap  map[string]termEntry
	sc    *scratch
	pos   int // position of the next token, counting stop words
	bytes int // total length of the kept terms
}

// Analyze returns the tokens of input; see FusedAnalyzer.
func (a *FusedAnalyzer) Analyze(input []byte) analysis.TokenStream {
	sc := scratchPool.Get().(*scratch)
	r := analysisRun{a: a, input: input, snap: a.cache.snapshot(), sc: sc, pos: 1}
	r.sc.recs = r.sc.recs[:0]
	ok := r.tokenize()
	var out analysis.TokenStream
	if ok {
		out = r.build()
	}
	if cap(sc.recs) <= maxPooledRecs {
		clear(sc.recs) // drop references to terms
		scratchPool.Put(sc)
	}
	if !ok {
		return a.reference.Analyze(append([]byte(nil), input...))
	}
	return out
}

// tokenize records the kept tokens of r.input in r.sc.recs. It returns false
// when the input must go to the reference chain instead.
func (r *analysisRun) tokenize() bool {
	in := r.input
	n := len(in)
	for i := 0; i < n; {
		if class[in[i]] == cBreak {
			i++
			continue
		}
		// A run of bytes between two cBreak bytes (or the ends of input).
		start := i
		var seen uint8
		for i < n {
			c := class[in[i]]
			if c == cBreak {
				break
			}
			seen |= c
			i++
		}
		if seen&cNonASCII == 0 {
			r.asciiRun(start, i)
		} else if !r.unicodeRun(start, i) {
			return false
		}
	}
	return true
}

// asciiRun tokenizes in[start:end], which holds ASCII bytes and no cBreak
// byte, as the unicode segmenter would. It is the segmenter's longest match
// restricted to ASCII: a word is a run of letters, digits and underscores in
// which a MidLetter-like byte may stand between two letters and a
// MidNum-like byte between two digits; a word with digits and no letters is
// Numeric, any other word (even "_") is AlphaNumeric. Every other byte is a
// segment of its own that yields no token.
func (r *analysisRun) asciiRun(start, end int) {
	in := r.input
	for k := start; k < end; {
		c := class[in[k]]
		if c&cWord == 0 {
			k++
			continue
		}
		s := k
		var kinds uint8
		for k < end {
			c = class[in[k]]
			if c&cWord != 0 {
				kinds |= c
				k++
				continue
			}
			if k+1 < end {
				prev, next := class[in[k-1]], class[in[k+1]]
				if c&cMidLet != 0 && prev&next&cLetter != 0 ||
					c&cMidNum != 0 && prev&next&cDigit != 0 {
					kinds |= next
					k += 2
					continue
				}
			}
			break
		}
		typ := analysis.AlphaNumeric
		if kinds&(cLetter|cDigit) == cDigit {
			typ = analysis.Numeric
		}
		r.token(s, k, typ)
	}
}

// unicodeRun tokenizes in[start:end], which holds a non-ASCII byte and no
// cBreak byte, with the unicode segmenter. It returns false for invalid
// UTF-8.
//
// The cut is exact: no word can hold a cBreak byte, so the segmenter breaks
// before in[end] in the whole text too, and in[start] begins a segment of the
// whole text unless it could extend the segment of the cBreak byte before
// it (combining marks and format characters attach to any preceding
// character). The run is therefore started at that cBreak byte when in[start]
// is not ASCII, or at the CR of a CR LF pair, which is one segment.
func (r *analysisRun) unicodeRun(start, end int) bool {
	in := r.input
	if !utf8.Valid(in[start:end]) {
		return false
	}
	if in[start] >= utf8.RuneSelf && start > 0 {
		start--
		if in[start] == '\n' && start > 0 && in[start-1] == '\r' {
			start--
		}
	}
	seg := segment.NewWordSegmenterDirect(in[start:end])
	off := start
	for seg.Segment() {
		e := off + len(seg.Bytes())
		switch seg.Type() {
		case segment.None:
		case segment.Ideo, segment.Kana:
			r.token(off, e, analysis.Ideographic)
		case segment.Number:
			r.token(off, e, analysis.Numeric)
		default:
			r.token(off, e, analysis.AlphaNumeric)
		}
		off = e
	}
	return seg.Err() == nil && off == end
}

// token handles the token in[s:e] at the next position.
func (r *analysisRun) token(s, e int, typ analysis.TokenType) {
	raw := r.input[s:e]
	ent, ok := r.snap[string(raw)]
	if !ok {
		ent = r.a.cache.lookupSlow(raw, r.analyse)
	}
	if !ent.drop {
		r.sc.recs = append(r.sc.recs, tokRec{term: ent.term, start: s, end: e, pos: r.pos, typ: typ})
		r.bytes += len(ent.term)
	}
	r.pos++
}

// analyse applies the reference chain's token filters to one raw token.
func (r *analysisRun) analyse(raw []byte) termEntry {
	r.sc.buf = append(r.sc.buf[:0], raw...)
	t := stripPossessive(Fold(lowerInPlace(r.sc.buf)))
	if _, stop := r.a.stop[string(t)]; stop {
		return termEntry{drop: true}
	}
	if !r.a.stem {
		form := string(t)
		return termEntry{term: form, drop: r.a.differing && Stem(form) == form}
	}
	return termEntry{term: Stem(string(t))}
}

// build turns the recorded tokens into a token stream with three
// allocations.
func (r *analysisRun) build() analysis.TokenStream {
	recs := r.sc.recs
	if len(recs) == 0 {
		return analysis.TokenStream{}
	}
	terms := make([]byte, 0, r.bytes)
	toks := make([]analysis.Token, len(recs))
	out := make(analysis.TokenStream, len(recs))
	for i, rec := range recs {
		b := len(terms)
		terms = append(terms, rec.term...)
		toks[i] = analysis.Token{
			Start:    rec.start,
			End:      rec.end,
			Term:     terms[b:len(terms):len(terms)],
			Position: rec.pos,
			Type:     rec.typ,
		}
		out[i] = &toks[i]
	}
	return out
}
