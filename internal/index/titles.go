package index

import (
	"context"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/newsfind/newsfind/internal/search"
)

// Title suggestions complete what is typed with the titles of articles
// that hold every word typed in their title, the last word also as the
// start of a word while it is being typed ("blair rej" → "Blair rejects
// Tory tax claims"). They come after the words and names, at most
// maxTitleSuggestions of them and never more than half the list, and
// only once minTitleLetters letters are typed: a title is a whole
// article, a word or a name a whole search.
const (
	maxTitleSuggestions = 3
	minTitleLetters     = 3
)

// titleQuery returns the search of the title field that finds the titles
// completing text, and false when text has too few letters for one.
func titleQuery(text string) (string, bool) {
	trailing := strings.TrimRightFunc(text, unicode.IsSpace) != text
	words := strings.FieldsFunc(text, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsNumber(r) })
	letters := 0
	var b strings.Builder
	for i, w := range words {
		letters += utf8.RuneCountInString(w)
		b.WriteString("title:" + w)
		if i == len(words)-1 && !trailing {
			b.WriteString("*")
		}
		b.WriteString(" ")
	}
	return strings.TrimSpace(b.String()), letters >= minTitleLetters
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
	n := min(maxTitleSuggestions, max(size/2, 1))
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
