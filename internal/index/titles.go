package index

import (
	"context"
	"strings"
	"time"
	"unicode"

	"github.com/newsfind/newsfind/internal/search"
)

// Title suggestions complete what is typed with the titles of articles
// that hold every word typed in their title, the last word also as the
// start of a word while it is being typed ("blair rej" → "Blair rejects
// Tory tax claims"). They are offered once two words are typed, each of
// letters and digits only (one word is better completed by a word or a
// name, and costs no search), after the words and names: in the free
// places of the list, or in at most half of it, and at most
// maxTitleSuggestions.
const (
	maxTitleSuggestions = 3
	minTitleWords       = 2
)

// titleQuery returns the search of the title field that finds the titles
// completing text, and false when text does not ask for titles.
func titleQuery(text string) (string, bool) {
	trailing := strings.TrimRightFunc(text, unicode.IsSpace) != text
	words := strings.Fields(text)
	if len(words) < minTitleWords {
		return "", false
	}
	var b strings.Builder
	for i, w := range words {
		if strings.IndexFunc(w, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsNumber(r) }) >= 0 {
			return "", false
		}
		b.WriteString("title:" + w)
		if i == len(words)-1 && !trailing {
			b.WriteString("*")
		}
		b.WriteString(" ")
	}
	return strings.TrimSpace(b.String()), true
}

// withTitles adds to out the titles of g's articles completing req.Query
// (see titleQuery), the most relevant first, in place of the last
// suggestions when out is full.
func withTitles(ctx context.Context, g *served, req search.SuggestRequest, out search.Suggestions) (search.Suggestions, error) {
	q, ok := titleQuery(req.Query)
	if !ok {
		return out, nil
	}
	size := req.Size // Validate gave it its default
	n := min(maxTitleSuggestions, max(size-len(out.Suggestions), size/2))
	if n == 0 {
		return out, nil
	}
	sr := search.Request{Query: q, Size: n, NoFacets: true, NoTypo: true, NoCache: true}
	if err := sr.Validate(); err != nil {
		return out, err
	}
	res, err := g.eng.Search(ctx, sr, time.Now())
	if err != nil {
		return out, err
	}
	var titles []search.Suggestion
	seen := map[string]bool{}
	for _, s := range out.Suggestions {
		seen[strings.ToLower(s.Text)] = true
	}
	for _, h := range res.Hits {
		if t := strings.TrimSpace(h.Title); t != "" && !seen[strings.ToLower(t)] {
			seen[strings.ToLower(t)] = true
			titles = append(titles, search.Suggestion{Text: t, Kind: search.SuggestTitle, Count: 1})
		}
	}
	keep := min(len(out.Suggestions), size-len(titles))
	out.Suggestions = append(out.Suggestions[:keep:keep], titles...)
	return out, nil
}
