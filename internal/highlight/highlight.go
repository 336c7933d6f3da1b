// Package highlight marks matched terms in stored text for result lists:
// short passages of a body, or a whole title, HTML-escaped, with each match
// wrapped in <mark>…</mark>.
//
// It finds matches by analyzing the text with the same analyzer the index
// used, so a stemmed query term ("cooperate") marks every form it matched
// ("Cooperation", "cooperative"), and it needs nothing from the index but
// the stored text.
package highlight

import (
	"html"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
)

// Highlighter marks the terms of one query.
type Highlighter struct {
	analyzer analysis.Analyzer
	terms    map[string]bool
}

// New returns a Highlighter for terms, which are analyzed index terms (as
// produced by analyzer).
func New(analyzer analysis.Analyzer, terms map[string]bool) *Highlighter {
	return &Highlighter{analyzer: analyzer, terms: terms}
}

type span struct{ start, end int }

type match struct {
	span
	term string
}

// Match is a matched term at bytes [Start, End) of a text, as an index
// reports it (bleve term locations).
type Match struct {
	Start, End int
	Term       string
}

// Spans is a set of matches found elsewhere (in the index), for highlighting
// without analyzing the text again.
type Spans []Match

func (s Spans) matches(text string) []match {
	out := make([]match, 0, len(s))
	for _, m := range s {
		if m.Start < 0 || m.End > len(text) || m.Start >= m.End {
			continue // not from this text
		}
		out = append(out, match{span{m.Start, m.End}, m.Term})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].start < out[j].start })
	// Drop overlaps (the same term reported by two clauses).
	kept := out[:0]
	for _, m := range out {
		if len(kept) > 0 && m.start < kept[len(kept)-1].end {
			continue
		}
		kept = append(kept, m)
	}
	return kept
}

// Mark returns all of text, escaped, with the spans marked, and whether
// there were any.
func (s Spans) Mark(text string) (string, bool) {
	m := s.matches(text)
	return format(text, span{0, len(text)}, m), len(m) > 0
}

// Fragments is Highlighter.Fragments for matches given as spans.
func (s Spans) Fragments(text string, n, size int) []string {
	return fragments(text, s.matches(text), n, size)
}

func (h *Highlighter) matches(text string) []match {
	if len(h.terms) == 0 || text == "" {
		return nil
	}
	var out []match
	for _, tok := range h.analyzer.Analyze([]byte(text)) {
		if h.terms[string(tok.Term)] {
			out = append(out, match{span{tok.Start, tok.End}, string(tok.Term)})
		}
	}
	return out
}

// Mark returns all of text, escaped, with matches marked, and whether any
// term matched.
func (h *Highlighter) Mark(text string) (string, bool) {
	m := h.matches(text)
	return format(text, span{0, len(text)}, m), len(m) > 0
}

// Fragments returns up to n passages of text of about size bytes, chosen to
// hold the most distinct matched terms and given in the order they appear.
// Each is escaped with matches marked, and starts or ends with "…" where it
// cuts the text. It returns nil when no term matches.
func (h *Highlighter) Fragments(text string, n, size int) []string {
	return fragments(text, h.matches(text), n, size)
}

func fragments(text string, ms []match, n, size int) []string {
	if len(ms) == 0 || n <= 0 {
		return nil
	}
	// One candidate window per match, starting a little before it.
	type window struct {
		span
		score float64
	}
	cands := make([]window, 0, len(ms))
	for i, m := range ms {
		w := window{span: span{max(0, m.start-size/4), 0}}
		w.end = min(len(text), w.start+size)
		distinct := map[string]bool{}
		count := 0
		for _, o := range ms[i:] {
			if o.end > w.end {
				break
			}
			distinct[o.term] = true
			count++
		}
		for j := i - 1; j >= 0 && ms[j].start >= w.start; j-- {
			distinct[ms[j].term] = true
			count++
		}
		w.score = float64(len(distinct)) + 0.1*float64(count)
		cands = append(cands, w)
	}
	sort.SliceStable(cands, func(a, b int) bool { return cands[a].score > cands[b].score })
	var picked []span
	for _, c := range cands {
		if len(picked) == n {
			break
		}
		overlaps := false
		for _, p := range picked {
			if c.start < p.end && p.start < c.end {
				overlaps = true
				break
			}
		}
		if !overlaps {
			picked = append(picked, c.span)
		}
	}
	sort.Slice(picked, func(a, b int) bool { return picked[a].start < picked[b].start })
	out := make([]string, 0, len(picked))
	for _, p := range picked {
		p = toWordBoundaries(text, p)
		s := collapseSpace(format(text, p, ms))
		if p.start > 0 {
			s = "…" + s
		}
		if p.end < len(text) {
			s += "…"
		}
		out = append(out, s)
	}
	return out
}

// toWordBoundaries shrinks a span so it neither starts nor ends inside a
// word (or a UTF-8 sequence), and trims surrounding space.
func toWordBoundaries(text string, s span) span {
	if s.start > 0 {
		if i := strings.IndexFunc(text[s.start:s.end], unicode.IsSpace); i >= 0 {
			s.start += i
		}
	}
	if s.end < len(text) {
		if i := strings.LastIndexFunc(text[s.start:s.end], unicode.IsSpace); i > 0 {
			s.end = s.start + i
		}
	}
	for s.start < s.end && !utf8.RuneStart(text[s.start]) {
		s.start++
	}
	for s.end < len(text) && s.end > s.start && !utf8.RuneStart(text[s.end]) {
		s.end--
	}
	for s.start < s.end {
		r, n := utf8.DecodeRuneInString(text[s.start:])
		if !unicode.IsSpace(r) {
			break
		}
		s.start += n
	}
	for s.end > s.start {
		r, n := utf8.DecodeLastRuneInString(text[:s.end])
		if !unicode.IsSpace(r) {
			break
		}
		s.end -= n
	}
	return s
}

// format escapes text[s.start:s.end], wrapping the matches inside it in <mark>.
func format(text string, s span, ms []match) string {
	var b strings.Builder
	b.Grow(s.end - s.start + 64)
	pos := s.start
	for _, m := range ms {
		if m.start < pos || m.end > s.end {
			continue
		}
		b.WriteString(html.EscapeString(text[pos:m.start]))
		b.WriteString("<mark>")
		b.WriteString(html.EscapeString(text[m.start:m.end]))
		b.WriteString("</mark>")
		pos = m.end
	}
	b.WriteString(html.EscapeString(text[pos:s.end]))
	return b.String()
}

// collapseSpace turns runs of white space (paragraph breaks) into one space,
// and drops it at either end: a passage is shown as one line. It is
// strings.Join(strings.Fields(s), " ") in one pass, with no copy of a
// passage that has nothing to collapse: that join was 2 % of a search's
// time at 100,000 articles.
func collapseSpace(s string) string {
	if !needsCollapse(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		if unicode.IsSpace(r) {
			space = true
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(r)
	}
	return b.String()
}

// needsCollapse reports whether s has white space other than single
// ASCII spaces between other characters.
func needsCollapse(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= utf8.RuneSelf:
			if r, _ := utf8.DecodeRuneInString(s[i:]); unicode.IsSpace(r) {
				return true
			}
		case c == ' ':
			if i == 0 || i == len(s)-1 || s[i+1] == ' ' {
				return true
			}
		case c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r':
			return true
		}
	}
	return false
}
