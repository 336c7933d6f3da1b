// Package analyze provides newsfind's text analysis for English news: the
// bleve analyzer that turns titles and bodies into index terms, and the same
// chain for query text, so both sides agree on every term.
//
// Importing the package registers the analyzer and its stemming filter with
// bleve under the names below. Both binaries import it: an index whose
// mapping names an unregistered analyzer cannot be opened.
package analyze

import (
	"fmt"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/analysis/token/lowercase"
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
	"github.com/blevesearch/bleve/v2/registry"
	"github.com/kljensen/snowball/english"
)

// Names under which this package registers with bleve. They are stored in
// index mappings, so they must never change meaning.
const (
	// Analyzer is the analyzer for English news text: unicode tokenizer,
	// lower-casing, English possessives, English stop words, snowball stems.
	// It is implemented by FusedAnalyzer, which does all of it in one pass
	// and gives the same tokens as the chain of stock bleve components.
	Analyzer = "newsfind_en"
	// StemFilter is the token filter stemming with the snowball (Porter2)
	// English stemmer of github.com/kljensen/snowball, after the stem
	// overrides (see Stem).
	StemFilter = "newsfind_snowball_en"
	// ExactAnalyzer is the analyzer of the exact form of English text: the
	// same tokens as Analyzer, lower-cased, without possessives and with
	// accents folded, but neither stemmed nor stripped of stop words, so a
	// name ("Cooper") stays apart from the words that share its stem
	// ("cooperation") and a phrase of stop words ("The Who") can be found.
	// It is implemented by FusedAnalyzer too.
	ExactAnalyzer = "newsfind_exact"
	// FormsAnalyzer is the analyzer of the exact forms that differ from
	// their stems: of the words Analyzer keeps, those whose lower-cased,
	// folded form is not its own stem ("cooperation", "elections", not
	// "cooper" or "election"'s stem "elect"), each at the position of the
	// stemmed token it is the form of. A word that is its own stem adds
	// nothing a field of stems lacks, and leaving those words out halves
	// what the field costs (see DifferFilter and docs/RELEVANCE.md).
	FormsAnalyzer = "newsfind_forms"
	// DifferFilter is the token filter dropping the tokens that are their
	// own stem, FormsAnalyzer's last step.
	DifferFilter = "newsfind_differ"
	// FoldFilter is the token filter folding accented Latin letters to
	// ASCII ("café" → "cafe", "Zürich" → "zurich"; see Fold).
	FoldFilter = "newsfind_fold"
)

func init() {
	registry.RegisterTokenFilter(StemFilter, func(map[string]any, *registry.Cache) (analysis.TokenFilter, error) {
		return sharedStemmer, nil
	})
	registry.RegisterTokenFilter(DifferFilter, func(map[string]any, *registry.Cache) (analysis.TokenFilter, error) {
		return differFilter{}, nil
	})
	registry.RegisterTokenFilter(FoldFilter, func(map[string]any, *registry.Cache) (analysis.TokenFilter, error) {
		return foldFilter{}, nil
	})
	registry.RegisterAnalyzer(Analyzer, func(_ map[string]any, cache *registry.Cache) (analysis.Analyzer, error) {
		return newFusedAnalyzer(cache, stemmed)
	})
	registry.RegisterAnalyzer(FormsAnalyzer, func(_ map[string]any, cache *registry.Cache) (analysis.Analyzer, error) {
		return newFusedAnalyzer(cache, forms)
	})
	registry.RegisterAnalyzer(GramsAnalyzer, func(_ map[string]any, cache *registry.Cache) (analysis.Analyzer, error) {
		return newGrams(cache)
	})
	registry.RegisterAnalyzer(PairsAnalyzer, func(config map[string]any, cache *registry.Cache) (analysis.Analyzer, error) {
		return newPairs(config, cache)
	})
	registry.RegisterAnalyzer(ExactAnalyzer, func(_ map[string]any, cache *registry.Cache) (analysis.Analyzer, error) {
		return newFusedAnalyzer(cache, exact)
	})
}

// chain describes one of the analyzers this package registers: its name,
// its reference chain's token filters after the tokenizer, whether it drops
// stop words, stems, or keeps only the words that differ from their stems,
// and the term cache its instances share (each index
// mapping builds its own analyzer from a fresh registry cache, so the cache
// warms once).
type chain struct {
	name      string
	filters   []string
	stop      bool
	stem      bool
	differing bool
	terms     *termCache
}

var (
	stemmed = &chain{
		name:    Analyzer,
		filters: []string{lowercase.Name, FoldFilter, en.PossessiveName, en.StopName, StemFilter},
		stop:    true,
		stem:    true,
		terms:   newTermCache(maxCachedTerms),
	}
	forms = &chain{
		name:      FormsAnalyzer,
		filters:   []string{lowercase.Name, FoldFilter, en.PossessiveName, en.StopName, DifferFilter},
		stop:      true,
		differing: true,
		terms:     newTermCache(maxCachedTerms),
	}
	exact = &chain{
		name:    ExactAnalyzer,
		filters: []string{lowercase.Name, FoldFilter, en.PossessiveName},
		terms:   newTermCache(maxCachedTerms),
	}
)

// newReferenceAnalyzer builds the analysis chain an analyzer of this package
// is defined by, from bleve's stock components and this package's filters:
// for newsfind_en the unicode tokenizer, then lower-casing, accent folding,
// English possessives, English stop words and the cached snowball stemmer;
// for newsfind_exact the same up to possessives. Each filter is a separate
// pass over the token stream. The fused analyzer must produce exactly its
// tokens; it also falls back to it for input that is not valid UTF-8. Like
// bleve's lower-case filter, it may overwrite its input.
func newReferenceAnalyzer(cache *registry.Cache, ch *chain) (analysis.Analyzer, error) {
	tokenizer, err := cache.TokenizerNamed(unicode.Name)
	if err != nil {
		return nil, fmt.Errorf("reference analyzer: tokenizer %q: %w", unicode.Name, err)
	}
	var filters []analysis.TokenFilter
	for _, name := range ch.filters {
		f, err := cache.TokenFilterNamed(name)
		if err != nil {
			return nil, fmt.Errorf("reference analyzer: token filter %q: %w", name, err)
		}
		filters = append(filters, f)
	}
	return &analysis.DefaultAnalyzer{Tokenizer: tokenizer, TokenFilters: filters}, nil
}

// maxCachedStems bounds the stem cache. News vocabulary is small (about
// 30,000 distinct terms in 100,000 articles), so the bound is only a guard
// against pathological input such as random strings.
const maxCachedStems = 1 << 18

// sharedStemmer is shared by every analyzer instance so the cache warms once.
var sharedStemmer = &Stemmer{}

// Stemmer is a bleve token filter that replaces each token with its snowball
// English stem. Stemming dominates analysis time when done per token, so
// stems are cached per distinct term; it is safe for concurrent use. Each
// token gets its own copy of the stem, so nothing downstream can change the
// cache by changing a token.
type Stemmer struct {
	cache sync.Map // string → string
	size  atomic.Int64
}

// Filter stems every token in place.
func (s *Stemmer) Filter(input analysis.TokenStream) analysis.TokenStream {
	for _, tok := range input {
		tok.Term = []byte(s.stem(tok.Term))
	}
	return input
}

func (s *Stemmer) stem(term []byte) string {
	if v, ok := s.cache.Load(string(term)); ok {
		return v.(string)
	}
	word := string(term)
	stem := Stem(word)
	if s.size.Load() < maxCachedStems {
		if _, loaded := s.cache.LoadOrStore(word, stem); !loaded {
			s.size.Add(1)
		}
	}
	return stem
}

// StemCached is Stem, from the cache the analyzers' stemming fills.
func StemCached(word string) string { return sharedStemmer.stem([]byte(word)) }

// differFilter drops the tokens that are their own stem.
type differFilter struct{}

// Filter implements analysis.TokenFilter.
func (differFilter) Filter(input analysis.TokenStream) analysis.TokenStream {
	out := input[:0]
	for _, tok := range input {
		if Stem(string(tok.Term)) != string(tok.Term) {
			out = append(out, tok)
		}
	}
	return out
}

// Stem returns the stem of one lower-case word as the index stores it. British
// "-isation" spellings are folded into "-ization" first, so "organisation"
// and "organization" share a stem, as Porter2 alone would not do. A word on
// the override list (see overrides.go) gets the stem the list gives it, as
// Lucene's StemmerOverrideFilter does.
func Stem(word string) string {
	if base, ok := strings.CutSuffix(word, "isation"); ok {
		word = base + "ization"
	} else if base, ok := strings.CutSuffix(word, "isations"); ok {
		word = base + "izations"
	}
	if stem, ok := stemOverrides[word]; ok {
		return stem
	}
	return english.Stem(word, false)
}
