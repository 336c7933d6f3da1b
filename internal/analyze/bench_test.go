package analyze

import (
	"bytes"
	"strconv"
	"sync"
	"testing"

	"github.com/blevesearch/bleve/v2/analysis"
)

// benchAnalyzers are the analyzers the benchmarks compare: the stock bleve
// chain newsfind_en used to be, and the fused analyzer it is now.
func benchAnalyzers(b *testing.B) []struct {
	name string
	a    analysis.Analyzer
} {
	return []struct {
		name string
		a    analysis.Analyzer
	}{
		{"reference", newReference(b)},
		{"fused", newFused(b)},
	}
}

// BenchmarkAnalyzeBBC analyzes every BBC article once per iteration on one
// goroutine. Each article is copied first, as bleve copies stored fields
// before analysis; the reference chain lower-cases its input in place, so
// without the copy it would analyze already lower-cased text after the first
// iteration.
func BenchmarkAnalyzeBBC(b *testing.B) {
	_, texts := bbcTexts(b)
	total := textBytes(texts)
	for _, c := range benchAnalyzers(b) {
		b.Run(c.name, func(b *testing.B) {
			warm(c.a, texts)
			buf := make([]byte, 0, 64<<10)
			b.SetBytes(total)
			b.ReportAllocs()
			for b.Loop() {
				buf = analyzeAll(c.a, buf, texts)
			}
		})
	}
}

// BenchmarkAnalyzeBBCParallel is BenchmarkAnalyzeBBC from GOMAXPROCS
// goroutines sharing the analyzer and its caches, as concurrent batches do.
func BenchmarkAnalyzeBBCParallel(b *testing.B) {
	_, texts := bbcTexts(b)
	total := textBytes(texts)
	for _, c := range benchAnalyzers(b) {
		b.Run(c.name, func(b *testing.B) {
			warm(c.a, texts)
			b.SetBytes(total)
			b.ReportAllocs()
			b.RunParallel(func(pb *testing.PB) {
				buf := make([]byte, 0, 64<<10)
				for pb.Next() {
					buf = analyzeAll(c.a, buf, texts)
				}
			})
		})
	}
}

// BenchmarkTokenizeBBC measures the tokenizers alone: bleve's unicode
// tokenizer against the fused analyzer's cut into runs with its ASCII fast
// path (tokens recorded, no filtering or output allocation).
func BenchmarkTokenizeBBC(b *testing.B) {
	_, texts := bbcTexts(b)
	total := textBytes(texts)
	b.Run("unicode", func(b *testing.B) {
		tok := newReference(b).(*analysis.DefaultAnalyzer).Tokenizer
		b.SetBytes(total)
		b.ReportAllocs()
		for b.Loop() {
			for _, t := range texts {
				tok.Tokenize(t)
			}
		}
	})
	b.Run("fused", func(b *testing.B) {
		fused := newFused(b)
		warm(fused, texts)
		sc := &scratch{}
		b.SetBytes(total)
		b.ReportAllocs()
		for b.Loop() {
			for _, t := range texts {
				r := analysisRun{a: fused, input: t, snap: fused.cache.snapshot(), sc: sc, pos: 1}
				sc.recs = sc.recs[:0]
				if !r.tokenize() {
					fused.reference.Analyze(bytes.Clone(t))
				}
			}
		}
	})
}

// warm analyzes texts once so that stem caches hold their vocabulary, as
// they do after the first few hundred articles of an indexing run.
func warm(a analysis.Analyzer, texts [][]byte) {
	for _, t := range texts {
		a.Analyze(bytes.Clone(t))
	}
}

// BenchmarkStemCacheLookup compares the term cache's lock-free snapshot
// against the sync.Map the Stemmer filter uses, for warm lookups of a news
// vocabulary from parallel goroutines.
func BenchmarkStemCacheLookup(b *testing.B) {
	_, texts := bbcTexts(b)
	var words [][]byte
	seen := map[string]bool{}
	ref := newReference(b)
	for _, t := range texts[:min(len(texts), 400)] {
		for _, tok := range ref.Analyze(bytes.Clone(t)) {
			if !seen[string(tok.Term)] {
				seen[string(tok.Term)] = true
				words = append(words, tok.Term)
			}
		}
	}
	stem := func(raw []byte) termEntry { return termEntry{term: Stem(string(raw))} }
	b.Run("sync.Map", func(b *testing.B) {
		s := &Stemmer{}
		for _, w := range words {
			s.stem(w)
		}
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			i := 0
			for pb.Next() {
				s.stem(words[i%len(words)])
				i++
			}
		})
	})
	b.Run("snapshot", func(b *testing.B) {
		c := newTermCache(maxCachedTerms)
		for range 3 {
			for _, w := range words {
				c.lookupSlow(w, stem)
			}
		}
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			i := 0
			snap := c.snapshot()
			for pb.Next() {
				w := words[i%len(words)]
				if _, ok := snap[string(w)]; !ok {
					c.lookupSlow(w, stem)
				}
				i++
				if i%512 == 0 { // one snapshot load per analysed text
					snap = c.snapshot()
				}
			}
		})
	})
	b.Run("RWMutex", func(b *testing.B) {
		var mu sync.RWMutex
		m := map[string]string{}
		for _, w := range words {
			m[string(w)] = Stem(string(w))
		}
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			i := 0
			for pb.Next() {
				mu.RLock()
				_ = m[string(words[i%len(words)])]
				mu.RUnlock()
				i++
			}
		})
	})
	b.Logf("%s distinct terms", strconv.Itoa(len(words)))
}

// textBytes is the size of texts in bytes.
func textBytes(texts [][]byte) int64 {
	var total int64
	for _, t := range texts {
		total += int64(len(t))
	}
	return total
}

// analyzeAll analyzes a copy of each text (bleve's lower-case filter
// rewrites its input) in buf, and returns buf for reuse.
func analyzeAll(a analysis.Analyzer, buf []byte, texts [][]byte) []byte {
	for _, t := range texts {
		buf = append(buf[:0], t...)
		a.Analyze(buf)
	}
	return buf
}
