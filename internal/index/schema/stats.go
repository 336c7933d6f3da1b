package schema

import (
	"encoding/json"
	"fmt"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/document"
)

// TermStats are the BM25 statistics of a generation: how many articles it
// holds and how many analyzed tokens each text field holds in all.
//
// bleve's own BM25 estimates a field's average length from the number of
// distinct terms in each segment's dictionary, which depends on how the
// index happened to be batched and merged (on CISI it gives 2 tokens for an
// average title of 5, and 6 for a body of 67). newsfind counts tokens as
// bleve analyzes them and stores the totals in the generation, so a score is
// the same however the index was built or updated.
type TermStats struct {
	Docs   int64            `json:"docs"`
	Tokens map[string]int64 `json:"tokens"`
}

// statsKey is where a generation keeps its TermStats (bleve internal data).
var statsKey = []byte("newsfind.bm25")

// CountedFields are the analyzed fields whose tokens are counted. The
// manifest stores counts by position in this list, so it may only grow at
// its end.
var CountedFields = []string{Title, Content, SourceText, PersonText, PlaceText, OrgText, Exact, Grams}

// KeywordFields are the fields that hold one term per value, for filters
// and facets; a match on one scores the same for every article.
var KeywordFields = []string{Source, Year, Month, Date, Day, Language, Person, Place, Org, Section}

// Add counts one document in (sign 1) or out (sign -1) with its tokens per
// field, as DocTokens gives them.
func (s *TermStats) Add(sign int64, tokens map[string]int64) {
	if s.Tokens == nil {
		s.Tokens = map[string]int64{}
	}
	s.Docs += sign
	for f, n := range tokens {
		s.Tokens[f] += sign * n
	}
}

// DocTokens returns the analyzed length of each counted field of a document
// that bleve has analyzed (after Batch returns).
func DocTokens(doc *document.Document) map[string]int64 {
	out := make(map[string]int64, len(CountedFields))
	for _, f := range doc.Fields {
		for _, name := range CountedFields {
			if f.Name() == name {
				out[name] += int64(f.AnalyzedLength())
			}
		}
	}
	return out
}

// ReadStats returns the statistics stored in idx, or nil when it stores
// none (an index written before they were kept).
func ReadStats(idx bleve.Index) (*TermStats, error) {
	b, err := idx.GetInternal(statsKey)
	if err != nil || b == nil {
		return nil, err
	}
	var s TermStats
	if err := json.Unmarshal(b, &s); err != nil {
		return nil, fmt.Errorf("read index statistics: %w", err)
	}
	return &s, nil
}

// Write stores s in idx, where ReadStats finds it.
func (s TermStats) Write(idx bleve.Index) error {
	b, err := json.Marshal(s)
	if err != nil {
		return err
	}
	if err := idx.SetInternal(statsKey, b); err != nil {
		return fmt.Errorf("write index statistics: %w", err)
	}
	return nil
}
