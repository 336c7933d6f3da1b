// Package lang tells the language of a news text: Chinese, Japanese and
// Korean by their script, seven languages written in Latin letters by the
// share of their stop words (see internal/article/README.md for why no
// language library). It guesses nothing: a short or unclear text has no
// language. Code reads a declared language tag; which of the two to trust
// is the caller's business.
package lang

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/newsfind/newsfind/internal/article/textnorm"
)

// stopWords are the commonest short words of languages written in Latin
// letters. In running text a fifth to a half of the words are such words
// of its language (fewer in text dense with names, such as sports
// results), and few are another's.
var stopWords = map[string][]string{
	"en": strings.Fields("the of and to in a is that for it on was with as by at be this are from has have had not but an or which its were been their will would said he his they who also more than"),
	"fr": strings.Fields("le la les de des du et est un une dans en pour que qui sur au aux par pas plus ne se ce il elle sont ont avec été son sa ses leur cette"),
	"de": strings.Fields("der die das und ist nicht ein eine zu den von mit sich des auf für im dem auch es an als nach wie bei aus sie er wird wurde sind hat"),
	"es": strings.Fields("el la los las de del y en que un una por con para es se no su al lo como más pero sus ha fue son entre está"),
	"it": strings.Fields("il lo la gli le di del della e è un una in che per con non si da al alla sono ha anche come più ma nel dei delle"),
	"pt": strings.Fields("o a os as de do da dos das e em um uma que para com não por se na no mais como mas foi ao pelo pela são está"),
	"nl": strings.Fields("de het een en van in is dat op te zijn met voor niet aan er om ook als bij of door maar naar werd uit wordt"),
}

// maxStopWordLen is the length of the longest stop word, in bytes.
const maxStopWordLen = 8

// stopWordLang maps each stop word to its languages.
var stopWordLang = func() map[string][]string {
	m := map[string][]string{}
	for lang, words := range stopWords {
		for _, w := range words {
			m[w] = append(m[w], lang)
		}
	}
	return m
}()

// maxLangText is how much of a text Detect reads for its script
// (bytes): a few paragraphs tell a language as well as a book.
const maxLangText = 2 << 10

// Thresholds of Detect: the fewest and most words it reads, and
// the share of them that must be stop words of the winning language.
const (
	minLangWords    = 20
	maxLangWords    = 300
	minStopWordRate = 0.12
)

// Detect tells the language of text (an ISO 639-1 code) and how it told:
// from its script (Chinese, Japanese, Korean) or from the share of its
// words that are stop words of one language, returning "" when the text is
// too short or unclear. It reads at most maxLangText bytes.
func Detect(text string) (lang, how string) {
	text = textnorm.Head(text, maxLangText)
	var letters, han, kana, hangul, latin int
	for _, r := range text {
		switch {
		case r < utf8.RuneSelf:
			if 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' {
				latin++
				letters++
			}
			continue
		case !unicode.IsLetter(r):
		case unicode.Is(unicode.Han, r):
			han++
		case unicode.In(r, unicode.Hiragana, unicode.Katakana):
			kana++
		case unicode.Is(unicode.Hangul, r):
			hangul++
		case unicode.Is(unicode.Latin, r):
			latin++
		}
		if unicode.IsLetter(r) {
			letters++
		}
	}
	switch {
	case letters == 0:
		return "", ""
	case kana*10 > letters:
		return "ja", "script: kana"
	case hangul*2 > letters:
		return "ko", "script: hangul"
	case han*2 > letters:
		return "zh", "script: Han characters"
	case latin*2 < letters:
		return "", ""
	}
	counts := map[string]int{}
	words := 0
	for i := 0; i < len(text); {
		// The next word: a run of letters. Only short words of lower-case
		// letters can be stop words, so only they are looked up.
		r, size := utf8.DecodeRuneInString(text[i:])
		if !unicode.IsLetter(r) {
			i += size
			continue
		}
		start, lower := i, unicode.IsLower(r)
		for i += size; i < len(text); i += size {
			if r, size = utf8.DecodeRuneInString(text[i:]); !unicode.IsLetter(r) {
				break
			}
		}
		if words++; words > maxLangWords {
			break
		}
		if lower && i-start <= maxStopWordLen {
			for _, l := range stopWordLang[text[start:i]] {
				counts[l]++
			}
		}
	}
	words = min(words, maxLangWords)
	if words < minLangWords {
		return "", ""
	}
	best, second := "", 0
	for l, n := range counts {
		switch {
		case best == "" || n > counts[best] || n == counts[best] && l < best:
			if best != "" {
				second = max(second, counts[best])
			}
			best = l
		default:
			second = max(second, n)
		}
	}
	if best == "" || float64(counts[best]) < minStopWordRate*float64(words) || counts[best] < 2*second {
		return "", ""
	}
	return best, "stop words"
}

// Code returns the ISO 639 code of a language tag ("en-GB", "en_US"),
// "" when it is not one.
func Code(tag string) string {
	tag = strings.ToLower(strings.TrimSpace(tag))
	if i := strings.IndexAny(tag, "-_"); i >= 0 {
		tag = tag[:i]
	}
	if len(tag) < 2 || len(tag) > 3 || strings.IndexFunc(tag, func(r rune) bool { return r < 'a' || r > 'z' }) >= 0 {
		return ""
	}
	return tag
}
