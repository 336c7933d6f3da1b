// Package suggest completes what a person is typing into the search box
// from lists one index generation holds in memory: the words of the
// archive and the names of its people, places and organizations, each with
// the number of articles holding it.
//
// It knows nothing of bleve: package index fills a Builder from the
// generation package engine opened (its term dictionary and facet table)
// and serves the Lists with that generation.
package suggest

import (
	"cmp"
	"context"
	"slices"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"

	"github.com/newsfind/newsfind/internal/analyze"
	"github.com/newsfind/newsfind/internal/index/schema"
	"github.com/newsfind/newsfind/internal/index/sidecar"
	"github.com/newsfind/newsfind/internal/search"
)

// The words offered are read from two dictionaries. StemField, the stems,
// gives how many articles a search for a word finds. FormField, the exact
// forms that differ from their stems (see schema.Exact), gives the words
// themselves, so that "minis" offers "minister" and "ministers", not the
// stem "minist". A stem is offered itself when it is a word: when no other
// form shares it, or when its plural does ("parliament", "parliaments").
const (
	StemField = schema.Content
	FormField = schema.Exact
)

// minWordArticles is the archive size from which a word must be in two
// articles to be suggested: in a large archive a word one article holds is
// as likely a typo or a mangled name as a word to offer, and dropping them
// halves the list.
const minWordArticles = 1000

// maxWordBytes is the longest word kept: longer terms are tokens of URLs
// and garbled text, not words anyone types.
const maxWordBytes = 64

// Lists are what suggestions are made from, both sorted by lower-cased,
// accent-folded keys so that what was typed is a prefix whose range two
// binary searches find:
//
//   - words: terms with their document frequencies, packed into one byte
//     slice;
//   - names: entity names with the number of articles holding them, one key
//     per word of a name ("tony blair" and "blair" for Tony Blair), so that
//     "bla" finds it as well as "tony bla".
//
// A suggestion then costs a few binary searches and a scan of the matching
// ranges, with no index access. Lists never change once built and are safe
// for concurrent use.
//
// The lists are laid out as their file holds them (sidecar.StringList and
// arrays of numbers), so that Load maps them in place: a million names
// cost no memory of the process's own and no time to decode.
type Lists struct {
	// words: terms in byte order, and how many articles hold each.
	words      sidecar.StringList
	wordCounts []uint32
	// names: entity names as the facets give them, the kind of each (a
	// search.SuggestKind) and how many articles hold it.
	names      sidecar.StringList
	nameKinds  sidecar.StringList
	nameCounts []uint32
	keys       sidecar.StringList // sorted
	keyNames   []uint32           // the name of each key
	file       *sidecar.File      // what Load mapped; nil when built
}

// Close releases the file the lists were read from (Load); they must not
// be used after it. Suggestions made before stay valid.
func (l *Lists) Close() error {
	if l == nil {
		return nil
	}
	return l.file.Close()
}

// name is an entity name as the facets give it.
type name struct {
	text  string
	kind  search.SuggestKind
	count uint32
}

// nameKey is a word of a name and the rest of the name after it, folded,
// and the name's index in Lists.names.
type nameKey struct {
	key  string
	name uint32
}

// Builder collects the words and names of one generation into Lists.
type Builder struct {
	names   []name
	keys    []nameKey
	minDocs uint64
	stems   map[string]uint64
	forms   []string
}

// NewBuilder returns a Builder for an archive of articles articles.
func NewBuilder(articles uint64) *Builder {
	b := &Builder{minDocs: 1, stems: map[string]uint64{}}
	if articles >= minWordArticles {
		b.minDocs = 2
	}
	return b
}

// AddStem adds a term of StemField held by docs articles.
func (b *Builder) AddStem(term string, docs uint64) {
	if docs >= b.minDocs && len(term) <= maxWordBytes {
		b.stems[term] = docs
	}
}

// AddForm adds a term of FormField. How many articles hold it is not
// used: a word counts the articles holding its stem, those a search for it
// finds (and bleve's counts of a field without positions can be wrong).
func (b *Builder) AddForm(term string, _ uint64) {
	if len(term) <= maxWordBytes {
		b.forms = append(b.forms, term)
	}
}

// words returns the words to offer with their counts, in byte order: the
// forms of the stems added, and the stems that are words themselves.
func (b *Builder) words() []wordCount {
	out := make([]wordCount, 0, len(b.forms)+len(b.stems))
	hasForms, plural := map[string]bool{}, map[string]bool{}
	for _, f := range b.forms {
		stem := analyze.Stem(f)
		if n := b.stems[stem]; n > 0 {
			out = append(out, wordCount{f, n})
		}
		hasForms[stem] = true
		if f == stem+"s" {
			plural[stem] = true
		}
	}
	for t, n := range b.stems {
		if !hasForms[t] || plural[t] {
			out = append(out, wordCount{t, n})
		}
	}
	slices.SortFunc(out, func(a, b wordCount) int { return strings.Compare(a.term, b.term) })
	return out
}

// wordCount is a word to offer and how many articles a search for it
// finds.
type wordCount struct {
	term string
	docs uint64
}

// entityKinds maps the entity fields to the kind of their suggestions.
var entityKinds = map[string]search.SuggestKind{
	schema.Person: search.SuggestPerson,
	schema.Place:  search.SuggestPlace,
	schema.Org:    search.SuggestOrg,
}

// ReserveNames makes room for n names, and the keys of their words, so
// that adding the names of a large archive does not copy them again and
// again as the lists grow (0.1 s of processor time an update at a
// million articles).
func (b *Builder) ReserveNames(n int) {
	b.names = slices.Grow(b.names, n)
	b.keys = slices.Grow(b.keys, 2*n+n/2) // names are two or three words
}

// AddName adds a value of the entity field (schema.Person, Place or Org)
// held by docs articles; values of other fields and of no article are
// ignored.
func (b *Builder) AddName(field, value string, docs int) {
	kind, ok := entityKinds[field]
	if !ok || docs <= 0 {
		return
	}
	n := uint32(len(b.names))
	b.names = append(b.names, name{text: value, kind: kind, count: uint32(min(docs, 1<<32-1))})
	f := strings.Join(strings.Fields(fold(value)), " ")
	for i := 0; i < len(f); {
		b.keys = append(b.keys, nameKey{key: f[i:], name: n})
		next := strings.IndexByte(f[i:], ' ')
		if next < 0 {
			break
		}
		i += next + 1
	}
}

// Lists returns what b collected; b is not used again.
func (b *Builder) Lists() *Lists {
	words := b.words()
	b.stems, b.forms = nil, nil
	l := &Lists{wordCounts: make([]uint32, len(words)), nameCounts: make([]uint32, len(b.names))}
	terms := make([]string, len(words))
	for i, w := range words {
		terms[i], l.wordCounts[i] = w.term, uint32(min(w.docs, 1<<32-1))
	}
	l.words = sidecar.NewStringList(terms)
	texts, kinds := make([]string, len(b.names)), make([]string, len(b.names))
	for i, n := range b.names {
		texts[i], kinds[i], l.nameCounts[i] = n.text, string(n.kind), n.count
	}
	l.names, l.nameKinds = sidecar.NewStringList(texts), sidecar.NewStringList(kinds)
	slices.SortFunc(b.keys, func(a, b nameKey) int { return strings.Compare(a.key, b.key) })
	keys := make([]string, len(b.keys))
	l.keyNames = make([]uint32, len(b.keys))
	for i, k := range b.keys {
		keys[i], l.keyNames[i] = k.key, k.name
	}
	l.keys = sidecar.NewStringList(keys)
	b.names, b.keys = nil, nil
	return l
}

// Bytes returns the memory the lists hold (mapped or not).
func (l *Lists) Bytes() int {
	return l.words.Bytes() + 4*len(l.wordCounts) + l.names.Bytes() + l.nameKinds.Bytes() +
		4*len(l.nameCounts) + l.keys.Bytes() + 4*len(l.keyNames)
}

// Words returns how many words the lists hold.
func (l *Lists) Words() int { return l.words.Len() }

// Names returns how many entity names the lists hold.
func (l *Lists) Names() int { return l.names.Len() }

var accents = runes.Remove(runes.In(unicode.Mn))

// fold lower-cases s and removes its accents ("Zürich" → "zurich"), the
// form lists and typed text are compared in.
func fold(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		return strings.ToLower(s)
	}
	out, _, err := transform.String(transform.Chain(norm.NFD, accents, norm.NFC), s)
	if err != nil {
		out = s
	}
	return strings.ToLower(out)
}

// candidate is a suggestion and how many of the words typed it completes:
// a name matching the last two words typed ("tony bla") ranks above a word
// completing the last one, whatever their counts, as it says more about
// what is being typed.
type candidate struct {
	search.Suggestion
	words int
}

// Suggest completes req.Query: its last word with the words of the
// archive, and its last words with entity names. Suggestions completing
// more of the words typed come first (see candidate), then those more
// articles hold, then the shorter (the forms of one stem count the same
// articles: "company" before "companies"). A name that is also a word
// completed is shown once, as the name.
func (l *Lists) Suggest(ctx context.Context, req search.SuggestRequest) (search.Suggestions, error) {
	out := search.Suggestions{Suggestions: []search.Suggestion{}}
	if err := req.Validate(); err != nil {
		return out, err
	}
	if err := ctx.Err(); err != nil {
		return out, err
	}
	words := strings.Fields(req.Query)
	if len(words) == 0 {
		return out, nil
	}
	trailing := strings.TrimRightFunc(req.Query, unicode.IsSpace) != req.Query
	var cands []candidate
	if !trailing {
		cands = l.suggestWords(cands, strings.Join(words, " "), req.Size)
	}
	cands = l.suggestNames(cands, words, trailing, req.Size)
	names := map[string]bool{}
	for _, c := range cands {
		if c.Kind != search.SuggestTerm {
			names[fold(c.Text)] = true
		}
	}
	slices.SortStableFunc(cands, func(a, b candidate) int {
		return cmp.Or(cmp.Compare(b.words, a.words), cmp.Compare(b.Count, a.Count),
			cmp.Compare(kindOrder(a.Kind), kindOrder(b.Kind)), cmp.Compare(len(a.Text), len(b.Text)),
			strings.Compare(a.Text, b.Text))
	})
	seen := map[string]bool{}
	for _, c := range cands {
		k := fold(c.Text)
		if seen[k] || c.Kind == search.SuggestTerm && names[k] {
			continue
		}
		seen[k] = true
		out.Suggestions = append(out.Suggestions, c.Suggestion)
		if len(out.Suggestions) == req.Size {
			break
		}
	}
	return out, nil
}

func kindOrder(k search.SuggestKind) int {
	switch k {
	case search.SuggestTerm:
		return 0
	case search.SuggestPerson:
		return 1
	case search.SuggestPlace:
		return 2
	case search.SuggestOrg:
		return 3
	}
	return 4
}

// suggestWords appends the size most common words completing the last word
// of typed (its trailing run of letters and digits), each after the text
// before it.
func (l *Lists) suggestWords(cands []candidate, typed string, size int) []candidate {
	cut := len(typed)
	for cut > 0 {
		r, w := utf8.DecodeLastRuneInString(typed[:cut])
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && !unicode.Is(unicode.Mn, r) {
			break
		}
		cut -= w
	}
	if cut == len(typed) {
		return cands
	}
	before, prefix := typed[:cut], fold(typed[cut:])
	lo, hi := l.words.Prefixed(prefix)
	for _, i := range topByCount(lo, hi, size, func(i int) uint32 { return l.wordCounts[i] }) {
		cands = append(cands, candidate{search.Suggestion{
			Text: before + l.words.At(i), Kind: search.SuggestTerm, Count: int(l.wordCounts[i]),
		}, 1})
	}
	return cands
}

// suggestNames appends the size most common names that the last words typed
// begin (a name or a word of it): the longest such run of words that
// matches any name wins, and the words before it are kept.
func (l *Lists) suggestNames(cands []candidate, words []string, trailing bool, size int) []candidate {
	folded := make([]string, len(words))
	for i, w := range words {
		folded[i] = fold(w)
	}
	for j := range words {
		p := strings.Join(folded[j:], " ")
		if trailing {
			p += " "
		}
		lo, hi := l.keys.Prefixed(p)
		if lo == hi {
			continue
		}
		// A name may match by several of its words: count it once.
		seen := map[uint32]bool{}
		var found []uint32
		for _, n := range l.keyNames[lo:hi] {
			if !seen[n] {
				seen[n] = true
				found = append(found, n)
			}
		}
		before := strings.Join(words[:j], " ")
		if before != "" {
			before += " "
		}
		count := func(i int) uint32 { return l.nameCounts[found[i]] }
		for _, i := range topByCount(0, len(found), size, count) {
			n := int(found[i])
			cands = append(cands, candidate{search.Suggestion{
				Text: before + l.names.At(n), Kind: search.SuggestKind(l.nameKinds.At(n)), Count: int(l.nameCounts[n]),
			}, len(words) - j})
		}
		return cands
	}
	return cands
}

// topByCount returns the indexes in [lo, hi) of the size highest counts,
// highest first, ties in index order.
func topByCount(lo, hi, size int, count func(int) uint32) []int {
	var top []int // sorted by count, descending; at most size
	for i := lo; i < hi; i++ {
		c := count(i)
		if len(top) == size && c <= count(top[size-1]) {
			continue
		}
		at := sort.Search(len(top), func(k int) bool { return count(top[k]) < c })
		if len(top) < size {
			top = append(top, 0)
		}
		copy(top[at+1:], top[at:])
		top[at] = i
	}
	return top
}
