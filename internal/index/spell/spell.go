package spell

import (
	"cmp"
	"context"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/newsfind/newsfind/internal/analyze"
	"github.com/newsfind/newsfind/internal/search"
)

// Vocabulary is what spelling asks of an index: the term the search
// analyzer makes of a word, how many articles hold a term, the terms of
// its dictionary near a term, and the spellings articles use for a term.
type Vocabulary interface {
	// Term returns the one term of word, or false when it has none or
	// several.
	Term(word string) (string, bool)
	// Docs returns the number of articles.
	Docs() (uint64, error)
	// DocFreq returns the number of articles holding term: 0 when none.
	DocFreq(ctx context.Context, term string) (uint64, error)
	// Near returns the terms of the dictionary within edits edits of term
	// that start with its first letter: the first letter is kept, as in
	// edits1 ("gover" does not find "move").
	Near(ctx context.Context, term string, edits int) ([]string, error)
	// Spellings returns the lower-cased words that make term, with how
	// often each occurs, in the first n articles holding it.
	Spellings(ctx context.Context, term string, n int) (map[string]int, error)
	// Forms returns the lower-cased words within edits edits of word that
	// the archive holds and that differ from their terms, with the number
	// of articles each is in.
	Forms(ctx context.Context, word string, edits int) (map[string]uint64, error)
	// HasPrefix reports whether some term starts with prefix.
	HasPrefix(ctx context.Context, prefix string) (bool, error)
}

// Typo tolerance. A plain word (not quoted, not a field value) of
// typoMinLetters letters or more whose term is in no article, or in few
// (rareDocs), also matches the archive's own terms one typing error away
// (two for words of typoTwoEditsLetters letters or more), as Meilisearch
// and Typesense do, when such a term is in at least typoRatio times as
// many articles. An error is a letter left out, added, replaced, or two
// neighbours swapped (Damerau's edits).
//
// The index holds stems, and a typo can change what the stemmer strips
// ("goverment" stems to "gover", "government" to "govern"), so distances
// are measured on words: every word one edit from the typed one is
// stemmed and looked up, and the term dictionary (an FST) gives the terms
// within the allowed distance of the typed word's stem (beginning with the
// same letter). A correction must be in typoRatio times as many articles as
// the typed term (at least one when it is in none); the best by document
// frequency is kept, and a second when it is in at least 1/typoRatio as
// many articles as the best.
//
// A correction never pushes down an article holding the word as typed:
// when one does, the corrections are searched beside the word with weight
// typoWeight, so that any article with the typed word outranks those with
// only a correction. When none does (the term matches nothing, or only
// other words sharing its stem, checked on the few articles it is in),
// the best correction stands in for the word, and the result says so
// (search.Result.Corrected).

const (
	typoMinLetters = 5
	// typoMaxLetters bounds the words corrected: candidates grow with the
	// square of a word's length (a 4,000-letter word took a minute), and
	// no word people mistype is longer.
	typoMaxLetters      = 32
	typoTwoEditsLetters = 9
	typoRatio           = 10
	typoMaxFixes        = 2
	typoWeight          = 0.1
	// typoVerbatimDocs bounds the articles read to tell whether the typed
	// word itself is in the index (or only words sharing its stem); a term
	// in more is taken to be a word people use.
	typoVerbatimDocs = 5
	// typoSurfaceDocs bounds the articles read for a correction's spelling.
	typoSurfaceDocs = 5
	// typoSurfaceEdits is how far from the typed word a correction's
	// spelling is looked for among the archive's written forms.
	typoSurfaceEdits = 2
)

// rareDocs is how many articles a term may be in and still be looked at
// as a possible typo, in an index of n articles: 5, or one in a thousand.
func rareDocs(n uint64) uint64 { return max(typoVerbatimDocs, n/1000) }

// Correction is what typo tolerance makes of one typed word.
type Correction struct {
	word    string   // the word's letters as typed
	term    string   // its term (stem)
	fixes   []string // corrected terms, most frequent first
	surface string   // the archive's commonest spelling of fixes[0] nearest word
	// replace is set when no article holds the word as typed: the
	// corrections stand in for it.
	replace bool
}

// Corrections returns the corrections of q's plain words by clause index,
// or nil when none needs one. A word typed several times is corrected once
// (a query of a word repeated hundreds of times took a second), and ctx is
// checked at every word.
func Corrections(ctx context.Context, v Vocabulary, q search.Query) (map[int]*Correction, error) {
	var out map[int]*Correction
	var docs uint64
	corrected := map[string]*Correction{}
	for i, cl := range q.Clauses {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if cl.Field != "" || cl.Phrase || cl.Quoted || cl.Exclude {
			continue
		}
		word := typoWord(cl.Text)
		if word == "" {
			continue
		}
		term, ok := v.Term(word)
		if !ok {
			continue
		}
		if cl.Partial || cl.Prefix {
			// A word still being typed is corrected only when no word of
			// the archive starts with it: "parlia" is the start of
			// "parliament", not a misspelling of "par".
			if started, err := v.HasPrefix(ctx, strings.ToLower(word)); err != nil || started {
				if err != nil {
					return nil, err
				}
				continue
			}
		}
		df, err := v.DocFreq(ctx, term)
		if err != nil {
			return nil, err
		}
		if docs == 0 {
			if docs, err = v.Docs(); err != nil {
				return nil, err
			}
		}
		if df > rareDocs(docs) {
			continue // the common case: one dictionary look-up
		}
		c, done := corrected[strings.ToLower(word)]
		if !done {
			if c, err = correct(ctx, v, word, term, df); err != nil {
				return nil, err
			}
			corrected[strings.ToLower(word)] = c
		} else if c != nil {
			typed := *c // the same correction, of this word's letters
			typed.word, c = word, &typed
		}
		if c != nil {
			if out == nil {
				out = map[int]*Correction{}
			}
			out[i] = c
		}
	}
	return out, nil
}

// typoWord returns the letters of a typed word when typo tolerance applies
// to it (typoMinLetters letters, nothing but letters once the punctuation
// around it is trimmed), else "".
func typoWord(text string) string {
	w := strings.TrimFunc(text, func(r rune) bool { return !unicode.IsLetter(r) })
	if n := utf8.RuneCountInString(w); n < typoMinLetters || n > typoMaxLetters || strings.IndexFunc(w, func(r rune) bool { return !unicode.IsLetter(r) }) >= 0 {
		return ""
	}
	return w
}

// correct finds the corrections of word, whose term is in df articles.
func correct(ctx context.Context, v Vocabulary, word, term string, df uint64) (*Correction, error) {
	lower := strings.ToLower(word)
	cands, err := candidates(ctx, v, lower, term)
	if err != nil {
		return nil, err
	}
	type cand struct {
		term string
		df   uint64
	}
	var best []cand
	for t, n := range cands {
		if n >= max(1, typoRatio*df) {
			best = append(best, cand{t, n})
		}
	}
	if len(best) == 0 {
		return nil, nil
	}
	slices.SortFunc(best, func(a, b cand) int { return cmp.Or(cmp.Compare(b.df, a.df), cmp.Compare(a.term, b.term)) })
	best = best[:min(len(best), typoMaxFixes)]
	if len(best) > 1 && best[1].df*typoRatio < best[0].df {
		best = best[:1] // a rare second reading is noise ("parchment")
	}
	c := &Correction{word: word, term: term}
	for _, b := range best {
		c.fixes = append(c.fixes, b.term)
	}
	if c.surface, err = spelling(ctx, v, c.fixes[0], lower); err != nil {
		return nil, err
	}
	if c.surface == "" {
		return nil, nil // cannot happen: the term is in articles
	}
	c.replace = df == 0
	if df > 0 && df <= typoVerbatimDocs {
		forms, err := v.Spellings(ctx, term, typoVerbatimDocs)
		if err != nil {
			return nil, err
		}
		c.replace = forms[lower] == 0
	}
	return c, nil
}

// candidates returns the index's terms (other than term) within reach of
// the typed word, with the number of articles each is in: the terms of the
// words one edit from word, and the terms within one edit of term (two
// when term has typoTwoEditsLetters letters or more: the distance allowed
// goes by the letters compared, and a stem is shorter than its word).
func candidates(ctx context.Context, v Vocabulary, word, term string) (map[string]uint64, error) {
	terms := map[string]bool{}
	for _, e := range edits1(word) {
		terms[analyze.Stem(e)] = true
	}
	edits := 1
	if utf8.RuneCountInString(term) >= typoTwoEditsLetters {
		edits = 2
	}
	if utf8.RuneCountInString(term) >= typoMinLetters {
		near, err := v.Near(ctx, term, edits)
		if err != nil {
			return nil, err
		}
		for _, t := range near {
			terms[t] = true
		}
	}
	delete(terms, term)
	delete(terms, "")
	out := map[string]uint64{}
	for t := range terms {
		n, err := v.DocFreq(ctx, t)
		if err != nil {
			return nil, err
		}
		if n > 0 {
			out[t] = n
		}
	}
	return out, nil
}

// edits1 returns the words one edit from word (Damerau: a letter deleted,
// two neighbours swapped, a letter replaced or inserted), over the letters
// a to z and those of word, keeping its first letter: people seldom mistype
// that one (Meilisearch counts an error there twice), and allowing it
// brings in unrelated words ("goverment", "coverment"). It may hold
// duplicates.
func edits1(word string) []string {
	w := []rune(word)
	letters := []rune("abcdefghijklmnopqrstuvwxyz")
	for _, r := range w {
		if !slices.Contains(letters, r) {
			letters = append(letters, r)
		}
	}
	out := make([]string, 0, len(w)*(2*len(letters)+2))
	buf := make([]rune, 0, len(w)+1)
	for i := 1; i <= len(w); i++ {
		if i < len(w) {
			out = append(out, string(append(append(buf[:0], w[:i]...), w[i+1:]...)))
		}
		if i+1 < len(w) && w[i] != w[i+1] {
			b := append(buf[:0], w...)
			b[i], b[i+1] = b[i+1], b[i]
			out = append(out, string(b))
		}
		for _, r := range letters {
			if i < len(w) && r != w[i] {
				b := append(buf[:0], w...)
				b[i] = r
				out = append(out, string(b))
			}
			b := append(append(append(buf[:0], w[:i]...), r), w[i:]...)
			out = append(out, string(b))
		}
	}
	return out
}

// spelling returns the spelling of term that the archive uses nearest to
// the typed word (by edit distance), the commonest of those as near. The
// words near the typed one that the archive holds, unstemmed, are all
// looked at (the dictionary of written forms); a word written as its own
// term is in no such dictionary, so the first articles holding term are
// read for the spellings they use too. (Reading only those made the
// choice depend on which articles came first: "elecion" was corrected to
// "elections" when the first five held no "election".)
func spelling(ctx context.Context, v Vocabulary, term, typed string) (string, error) {
	near, err := v.Forms(ctx, typed, typoSurfaceEdits)
	if err != nil {
		return "", err
	}
	read, err := v.Spellings(ctx, term, typoSurfaceDocs)
	if err != nil {
		return "", err
	}
	forms := map[string]uint64{}
	for f, n := range near {
		if t, ok := v.Term(f); ok && t == term {
			forms[f] = n
		}
	}
	for f, n := range read {
		if _, ok := forms[f]; !ok {
			forms[f] = uint64(n)
		}
	}
	best, bestDist := "", 0
	for f, n := range forms {
		d := distance(f, typed)
		if best == "" || d < bestDist || d == bestDist && (n > forms[best] || n == forms[best] && f < best) {
			best, bestDist = f, d
		}
	}
	return best, nil
}

// distance is the optimal string alignment (restricted Damerau–Levenshtein)
// distance between a and b, in letters.
func distance(a, b string) int {
	s, t := []rune(a), []rune(b)
	prev2 := make([]int, len(t)+1)
	prev := make([]int, len(t)+1)
	cur := make([]int, len(t)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(s); i++ {
		cur[0] = i
		for j := 1; j <= len(t); j++ {
			cost := 1
			if s[i-1] == t[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && s[i-1] == t[j-2] && s[i-2] == t[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(t)]
}

// DidYouMean returns query with each corrected word replaced by its
// correction's spelling, in the case it was typed in (Shanghia → Shanghai).
// Only whole words outside quotes, without a sign or a field, are
// replaced: those are the words typo tolerance corrects.
func DidYouMean(query string, fixes map[int]*Correction) string {
	repl := map[string]string{}
	for _, c := range fixes {
		repl[c.word] = matchCase(c.surface, c.word)
	}
	var b strings.Builder
	inQuote := false
	for i := 0; i < len(query); {
		r, n := utf8.DecodeRuneInString(query[i:])
		if unicode.IsSpace(r) {
			b.WriteString(query[i : i+n])
			i += n
			continue
		}
		end := i
		for end < len(query) {
			r, n := utf8.DecodeRuneInString(query[end:])
			if unicode.IsSpace(r) {
				break
			}
			end += n
		}
		tok := query[i:end]
		rest, sign := tok, byte(0)
		if rest[0] == '+' || rest[0] == '-' {
			rest, sign = rest[1:], rest[0]
		}
		field := false
		if name, after, ok := strings.Cut(rest, ":"); ok && search.Fields[strings.ToLower(name)] != "" && after != "" {
			rest, field = after, true
		}
		switch {
		case inQuote:
			// The phrase runs to the next quote.
			inQuote = !strings.Contains(tok, `"`)
		case strings.HasPrefix(rest, `"`):
			// A quote at a word's start (after a sign or a field) opens a
			// phrase.
			inQuote = !strings.Contains(rest[1:], `"`)
		case sign != '-' && !field:
			if to, ok := repl[typoWord(rest)]; ok {
				w := typoWord(rest)
				at := len(tok) - len(rest) + strings.Index(rest, w)
				tok = tok[:at] + to + tok[at+len(w):]
			}
		}
		b.WriteString(tok)
		i = end
	}
	return b.String()
}

// matchCase spells word as typed is written: capitalized, upper case or
// lower case.
func matchCase(word, typed string) string {
	switch {
	case typed == strings.ToUpper(typed):
		return strings.ToUpper(word)
	case unicode.IsUpper(first(typed)):
		r, n := utf8.DecodeRuneInString(word)
		return string(unicode.ToUpper(r)) + word[n:]
	}
	return word
}

func first(s string) rune {
	r, _ := utf8.DecodeRuneInString(s)
	return r
}

// StandIn returns the text of a plain word as searched: the correction's
// spelling in place of the word when it stands in for it (c.replace), the
// text itself otherwise (or when c is nil).
func (c *Correction) StandIn(text string) string {
	if c == nil || !c.replace {
		return text
	}
	return strings.Replace(text, c.word, c.surface, 1)
}

// Weights returns the weights of a bm25Query of terms searched with
// corrections fixes: each typed term weighs how often it is typed, each
// correction not standing in for its word typoWeight. It returns nil
// (no weights) when there is no such correction.
func Weights(terms []string, fixes map[int]*Correction) map[string]float64 {
	var w map[string]float64
	for _, c := range fixes {
		for k, t := range c.fixes {
			if k == 0 && c.replace || slices.Contains(terms, t) {
				continue // searched as typed
			}
			if w == nil {
				w = make(map[string]float64, len(terms)+2)
			}
			w[t] = typoWeight
		}
	}
	if w == nil {
		return nil
	}
	for _, t := range terms {
		w[t]++
	}
	return w
}

// StandingIn returns the corrections of fixes that stand in for their word.
func StandingIn(fixes map[int]*Correction) map[int]*Correction {
	var out map[int]*Correction
	for i, c := range fixes {
		if c.replace {
			if out == nil {
				out = map[int]*Correction{}
			}
			out[i] = c
		}
	}
	return out
}
