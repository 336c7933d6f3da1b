package index

import (
	"encoding/json"
	"fmt"

	"github.com/blevesearch/bleve/v2"
	bsearch "github.com/blevesearch/bleve/v2/search"
	index "github.com/blevesearch/bleve_index_api"
)

// termStats are the BM25 statistics of a generation: how many articles it
// holds and how many analyzed tokens each text field holds in all.
//
// bleve's own BM25 estimates a field's average length from the number of
// distinct terms in each segment's dictionary, which depends on how the
// index happened to be batched and merged (on CISI it gives 2 tokens for an
// average title of 5, and 6 for a body of 67). newsfind counts tokens as
// bleve analyzes them and stores the totals in the generation, so a score is
// the same however the index was built or updated.
type termStats struct {
	Docs   int64            `json:"docs"`
	Tokens map[string]int64 `json:"tokens"`
}

// statsKey is where a generation keeps its termStats (bleve internal data).
var statsKey = []byte("newsfind.bm25")

// countedFields are the analyzed fields whose tokens are counted.
var countedFields = []string{fieldTitle, fieldContent, fieldSourceText, fieldPersonText, fieldPlaceText, fieldOrgText}

func (s *termStats) add(sign int64, tokens map[string]int64) {
	if s.Tokens == nil {
		s.Tokens = map[string]int64{}
	}
	s.Docs += sign
	for f, n := range tokens {
		s.Tokens[f] += sign * n
	}
}

// docTokens returns the analyzed length of each counted field of a document
// that bleve has analyzed (after Batch returns).
func docTokens(doc index.Document) map[string]int64 {
	out := make(map[string]int64, len(countedFields))
	doc.VisitFields(func(f index.Field) {
		for _, name := range countedFields {
			if f.Name() == name {
				out[name] += int64(f.AnalyzedLength())
			}
		}
	})
	return out
}

func readStats(idx bleve.Index) (*termStats, error) {
	b, err := idx.GetInternal(statsKey)
	if err != nil || b == nil {
		return nil, err
	}
	var s termStats
	if err := json.Unmarshal(b, &s); err != nil {
		return nil, fmt.Errorf("read index statistics: %w", err)
	}
	return &s, nil
}

func writeStats(idx bleve.Index, s termStats) error {
	b, err := json.Marshal(s)
	if err != nil {
		return err
	}
	if err := idx.SetInternal(statsKey, b); err != nil {
		return fmt.Errorf("write index statistics: %w", err)
	}
	return nil
}

// bm25 returns the statistics bleve's BM25 scorer takes in place of its own
// estimates: every field a query may score on must be present. Keyword
// fields hold one token per article.
func (s *termStats) bm25() *bsearch.BM25Stats {
	if s == nil || s.Docs <= 0 {
		return nil
	}
	card := map[string]int{}
	for _, f := range []string{fieldSource, fieldYear, fieldMonth, fieldDate, fieldLanguage, fieldPerson, fieldPlace, fieldOrg} {
		card[f] = int(s.Docs) // filters: their scores are the same for every match
	}
	for _, f := range countedFields {
		card[f] = int(max(s.Tokens[f], 1))
	}
	return &bsearch.BM25Stats{DocCount: float64(s.Docs), FieldCardinality: card}
}
