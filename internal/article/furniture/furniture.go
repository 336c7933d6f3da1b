// Package furniture tells page furniture from article text, one line at a
// time: share bars, navigation and breadcrumb trails, bylines, read-time
// notes, editor and reporting credits, copyright notices, photo captions.
// It knows nothing of files or formats; the readers of package article
// decide what to do with a line it names.
package furniture

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/newsfind/newsfind/internal/article/date"
)

// The rules in this file tell page furniture from article text, one line
// (= one paragraph) at a time, on whitespace-normalized text. Each rule
// matches a whole line: a sentence that merely mentions "share" or "editor"
// is never dropped.

// Names of the rules, as Rule reports them.
const (
	Share     = "share"       // share, print and e-mail widgets
	Editor    = "editor"      // "(Web editor: Zhang Kaiwei, Wu Chaolan)"
	Copyright = "copyright"   // "© 2023 Xinhua. All rights reserved."
	Caption   = "caption"     // a photo caption ending in "(Xinhua/Zhai Jianlan)"
	Nav       = "nav"         // a navigation bar or breadcrumb trail
	ReadTime  = "read-time"   // "3 Min Read", "5 minute read"
	Credits   = "credits"     // "Reporting by Jane Doe; Editing by John Roe"
	Signup    = "signup"      // "Newsletter sign up", "Get our briefing in your inbox"
	Clock     = "clock"       // a live page's entry time alone: "6.45pm GMT"
	Live      = "live-byline" // a live page's authors by shift: "Jane Doe (now) and Tom Lee (earlier)"
)

// sharePhrases are widget labels that make up a whole line, compared in
// lower case without surrounding brackets and punctuation.
var sharePhrases = map[string]bool{
	"suggest to a friend": true, "send to a friend": true, "email to a friend": true,
	"e-mail to a friend": true, "email this": true, "email this article": true,
	"print": true, "print this": true, "print this page": true, "print this article": true,
	"print friendly": true, "printer friendly": true, "printer-friendly version": true,
	"share": true, "share this": true, "share this article": true, "share this story": true,
	"share on facebook": true, "share on twitter": true, "tweet": true,
	"back to top": true, "go to top": true, "comments": true, "leave a comment": true,
	"related articles": true, "related stories": true, "related news": true,
	"advertisement": true, "back to news": true, "back to home": true, "back to homepage": true,
	"read more": true, "more": true, "more news": true, "most read": true, "most popular": true,
	"see also": true, "share this page": true, "email": true, "whatsapp": true, "facebook": true,
	"twitter": true, "linkedin": true, "wechat": true, "weibo": true, "copy link": true,
	"sign up": true, "subscribe": true, "subscribe now": true, "newsletter": true,
	"skip to main content": true, "skip to content": true, "skip links": true, "skip navigation": true,
	"accessibility help": true, "menu": true, "search": true, "save": true, "like this": true,
	"reuse this content": true, "explore more on these topics": true,
	"related topics": true, "more on this story": true, "image caption": true, "listen to this article": true,
}

var (
	// editorCredit is an editor's name line, bracketed or not: "(Web
	// editor: Zhang Kaiwei, Wu Chaolan)". The names must be names, so that
	// a headline such as "Editors: the new breed" stays.
	editorCredit = regexp.MustCompile(`^[(\[]?\s*(?i:(?:web|responsible|chief|copy|executive)\s+)?(?i:editors?)\s*[:：]\s*` +
		personName + `(?:\s*(?:,|、|&|and)\s*` + personName + `)*\s*[)\]]?$`)
	// copyrightLine is a copyright notice; it needs the sign or the formula,
	// since "Copyright 2004 battle looms" is a headline.
	copyrightLine = regexp.MustCompile(`^(?:©|\([cC]\)|(?i:copyright)\s*(?:©|\(c\)))|(?i:all rights reserved)\.?$`)
	// copyrightYear is a notice in words followed by more text: "Copyright
	// 2024 Nexstar Media Inc. All rights reserved. This material may not
	// be published".
	copyrightYear = regexp.MustCompile(`^(?i:copyright)\s+\d{4}\b.{0,80}(?i:all rights reserved)`)
	// copyrightHolder is the name a copyright notice gives, after the
	// sign and the years: "© 2024 Bloomberg L.P.", "Copyright 2024
	// Nexstar Media Inc. All rights reserved.".
	copyrightHolder = regexp.MustCompile(`^(?i:copyright)?\s*(?:©|\([cC]\))?\s*(?i:copyright)?\s*(?:\d{4}(?:\s*[-–]\s*\d{4})?)?\s*,?\s*(?P<name>\p{Lu}[\p{L}\p{N}'’&.-]*(?:\s+(?:\p{Lu}[\p{L}\p{N}'’&.-]*|&|of|and|the)){0,5})`)
	// corporateSuffix ends a company's name: "Inc.", "L.P.", "Ltd".
	corporateSuffix = regexp.MustCompile(`(?:,?\s+(?i:inc|l\.?p|llc|ltd|limited|plc|gmbh|corp(?:oration)?|co|ag|s\.?a)\.?)+$`)
	// photoCredit ends a caption: "(Agency/Photographer)", each side a
	// capitalized name of up to four words, no commas.
	photoCredit = regexp.MustCompile(`\(\s*\p{Lu}[\p{L}\p{N}.&'’-]*(?:\s[\p{L}\p{N}.&'’-]+){0,3}\s*/\s*\p{Lu}[\p{L}.'’-]*(?:\s[\p{L}.'’-]+){0,3}\s*\)$`)
	// crumbSeparator splits a breadcrumb trail (">", ">>", "»", "›", "→",
	// "/"). It stands between spaces:
	// "a>b" and "<b>bold</b>" are not trails.
	crumbSeparator = regexp.MustCompile(`\s(?:[>»›→/]|>>)\s`)
	// imageCredit is the credit line of a picture: "Image source, Getty
	// Images", "Photo: Reuters", "Image caption, Crews at work".
	imageCredit = regexp.MustCompile(`^(?i:image\s+(?:source|caption)|photo(?:graph)?|picture)\s*[,:]\s*\S.{0,80}$`)
	// readTime is a reading-time note.
	readTime = regexp.MustCompile(`^(?i:\d{1,3}[\s-]*min(?:ute)?s?\.?(?:\s+read(?:ing)?(?:\s+time)?)?|reading\s+time\s*:?\s*\d{1,3}\s*min(?:ute)?s?\.?)$`)
	// creditsLine is the line of wire copy that names who reported, wrote
	// or edited it: "Reporting by Jane Doe in London; Editing by John Roe".
	creditsLine = regexp.MustCompile(`^\(?(?i:(?:additional\s+)?(?:reporting|writing|editing|compiled|produced)\s+by)\s+\p{Lu}`)
	// bylineRE is an author line: "By Jane Smith", "By Li Wei and Tom
	// Lee", "By Jane Smith, Business reporter".
	bylineRE = regexp.MustCompile(`^(?i:by)\s+(?P<name>\p{Lu}[\p{L}'’.-]*(?:\s+(?:\p{Lu}[\p{L}'’.-]*|and|de|da|van|von|bin|al)){0,5})(?:\s*[,|·–—]\s*\p{L}[\p{L}'’-]*(?:\s[\p{L}'’-]+){0,3})?$`)
	// signupLine invites the reader to a newsletter: "Newsletter sign up",
	// "Get The Daily Edition by email and never miss our top stories", "By
	// signing up, you agree to the terms".
	signupLine = regexp.MustCompile(`^(?i:(?:newsletter\s+)?sign[\s-]?up(?:\s+(?:now|here|today|for\s+(?:our|the)\b.{0,60}))?|newsletter\s+sign[\s-]?up|by\s+signing\s+up\b.{0,160}|(?:get|receive|sign\s+up\s+for|subscribe\s+to|join)\b.{0,120}\b(?:by\s+e-?mail|in\s+your\s+inbox|newsletter)\b.{0,60})$`)
	// liveByline names a live page's authors by shift: "Jane Doe (now)
	// and Tom Lee (earlier)".
	liveByline = regexp.MustCompile(`^[^()]{2,60}\((?i:now|earlier|later)\)(?:\s*(?:,|and|&)\s*[^()]{2,60}\((?i:now|earlier|later)\))*$`)
	// clockLine is a time of day alone, the stamp of a live page's entry:
	// "6.45pm GMT", "17:12", "5:12 p.m. ET".
	clockLine = regexp.MustCompile(`^\d{1,2}[:.]\d{2}\s*(?i:[ap]\.?\s?m\.?)?(?:\s*[A-Z]{1,4}(?:[+-]\d{1,2})?)?$`)
	// updatedLine is a page's "last updated" note: "Page last updated
	// 13/11/2019", "Last modified: 2 May".
	UpdatedLine = regexp.MustCompile(`^(?i:(?:page\s+|this\s+page\s+was\s+)?last\s+(?:updated|modified|reviewed))\b`)
)

// Page furniture is short. Lines longer than these limits are article text
// without running the rules, which keeps a huge one-line file from costing
// seconds of regular-expression matching.
const (
	// MaxShortLine is the longest line (bytes) that can be furniture
	// other than a caption.
	MaxShortLine   = 300  // bytes: navigation, share buttons, bylines, "last updated" lines
	maxCaptionLine = 1000 // bytes: a photo caption is a sentence or two
	maxSignupLine  = 200  // bytes: a newsletter's invitation
	maxClockLine   = 24   // bytes: "11:59 p.m. GMT+10"
)

// personName is a name of up to four capitalized words (or words in a
// script without case, such as Chinese).
const personName = `[\p{Lu}\p{Lo}][\p{L}'’.-]*(?:\s[\p{Lu}\p{Lo}][\p{L}'’.-]*){0,3}`

// Rule reports which rule makes line page furniture rather than article
// text, or "" when it is text.
func Rule(line string) string {
	if len(line) > MaxShortLine {
		if len(line) <= maxCaptionLine && photoCredit.MatchString(line) {
			return Caption
		}
		return ""
	}
	core := strings.ToLower(strings.TrimFunc(line, func(r rune) bool {
		return unicode.IsPunct(r) || unicode.IsSymbol(r) || unicode.IsSpace(r)
	}))
	switch {
	case sharePhrases[core]:
		return Share
	case editorCredit.MatchString(line):
		return Editor
	case isCopyright(line, core) && len(strings.Fields(line)) <= 30:
		return Copyright
	case photoCredit.MatchString(line):
		return Caption
	case IsNav(line):
		return Nav
	case imageCredit.MatchString(line):
		return Caption
	case readTime.MatchString(line):
		return ReadTime
	case len(line) <= maxClockLine && line[0] >= '0' && line[0] <= '9' && clockLine.MatchString(line):
		return Clock
	case strings.Contains(line, ")") && (strings.Contains(core, "(now") || strings.Contains(core, "(earlier") || strings.Contains(core, "(later")) &&
		liveByline.MatchString(line):
		return Live
	case len(line) <= maxSignupLine && (strings.Contains(core, "sign") || strings.Contains(core, "mail") || strings.Contains(core, "inbox") || strings.Contains(core, "newsletter")) &&
		signupLine.MatchString(line):
		return Signup
	case creditsLine.MatchString(line) && (strings.HasPrefix(line, "(") || strings.Contains(line, ";") || len(strings.Fields(line)) <= 8):
		// A list of credits, not a sentence that opens "Reporting by ...".
		return Credits
	}
	return ""
}

// navPhrases are the items of site navigation bars, as lower-case words.
var navPhrases = splitPhrases(
	"home", "homepage", "home page", "contact us", "contact", "links", "about us",
	"sitemap", "site map", "search", "login", "log in", "sign in", "register",
	"subscribe", "rss", "archive", "help", "faq", "menu",
	"english", "中文", "français", "español", "русский", "عربي", "العربية",
	"deutsch", "português", "日本語", "한국어",
	// sections, which a menu lists in any order
	"news", "world", "business", "sport", "sports", "opinion", "culture", "lifestyle", "politics",
	"tech", "technology", "science", "health", "entertainment", "arts", "travel", "weather", "video",
	"live", "markets", "money", "economy", "local", "climate", "education", "style", "food",
	"uk", "us", "u.s.", "europe", "asia", "africa", "americas", "middle east", "just in",
)

func splitPhrases(phrases ...string) [][]string {
	out := make([][]string, len(phrases))
	for i, p := range phrases {
		out[i] = strings.Fields(p)
	}
	return out
}

// IsNav reports whether line is a navigation bar or a breadcrumb trail.
func IsNav(line string) bool {
	return isNavBar(line) || isBreadcrumb(line) || isMenu(line)
}

// isMenu reports whether line is a menu in any words: four or more short
// items between bars, each starting with a capital letter, with no digits
// or colons ("Home | China | World | Business | Sci-Tech").
func isMenu(line string) bool {
	if len(line) > MaxShortLine || strings.Count(line, "|") < 3 {
		return false
	}
	for _, item := range strings.Split(line, "|") {
		item = strings.TrimSpace(item)
		first, _ := utf8.DecodeRuneInString(item)
		if item == "" || len(strings.Fields(item)) > 3 || !unicode.IsUpper(first) && !unicode.Is(unicode.Lo, first) || strings.ContainsAny(item, "0123456789:.!?,") {
			return false
		}
	}
	return true
}

// isNavBar reports whether line is a navigation bar: two or more nav items
// ("Contact Us Links 中文", "Home | Search | RSS") and nothing else. One
// word alone is not enough: "Help" could be a headline.
func isNavBar(line string) bool {
	if len(line) > MaxShortLine {
		return false
	}
	words := strings.FieldsFunc(strings.ToLower(line), func(r rune) bool {
		return unicode.IsSpace(r) || strings.ContainsRune("|•·/", r)
	})
	items := 0
	for i := 0; i < len(words); items++ {
		n := 0
		for _, p := range navPhrases {
			if len(p) > n && len(p) <= len(words)-i && equalWords(p, words[i:i+len(p)]) {
				n = len(p)
			}
		}
		if n == 0 {
			return false
		}
		i += n
	}
	return items >= 2
}

func equalWords(a, b []string) bool {
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// homeWords open a breadcrumb trail.
var homeWords = map[string]bool{"home": true, "homepage": true, "home page": true, "首页": true}

// isBreadcrumb reports whether line is a trail, whatever its words: "Home
// > China News", "World News > Markets", "Home » Business", "News / Asia /
// China". Its parts are short names (at most five words, none ending a
// sentence, each starting with a capital or a digit); two parts are a trail
// when joined by an arrow, three when joined by slashes, which a headline
// ("Ukraine / Russia talks") may use once.
func isBreadcrumb(line string) bool {
	if len(line) > MaxShortLine || !strings.ContainsAny(line, ">»›→/") {
		return false
	}
	parts := crumbSeparator.Split(line, -1)
	if len(parts) < 2 {
		return false
	}
	for _, p := range parts {
		first, _ := utf8.DecodeRuneInString(p)
		if p == "" || len(strings.Fields(p)) > 5 || strings.ContainsAny(p, ".!?\"<>:;,") ||
			!unicode.IsUpper(first) && !unicode.IsDigit(first) && !homeWords[strings.ToLower(p)] && !unicode.Is(unicode.Lo, first) {
			return false
		}
	}
	if homeWords[strings.ToLower(parts[0])] || len(parts) >= 3 {
		return true
	}
	return !strings.Contains(line, " / ")
}

// Byline returns the author's name from a line like "By Jane Smith".
func Byline(line string) (string, bool) {
	if len(line) > MaxShortLine {
		return "", false
	}
	m := bylineRE.FindStringSubmatch(line)
	if m == nil {
		return "", false
	}
	name := m[bylineRE.SubexpIndex("name")]
	first, _, _ := strings.Cut(name, " ")
	if date.IsCalendarWord(first) {
		return "", false // "By Monday, the deadline had passed"
	}
	return name, true
}

// isCopyright reports whether line (core in lower case, without the
// marks around it) is a copyright notice.
func isCopyright(line, core string) bool {
	return copyrightLine.MatchString(line) || strings.HasPrefix(core, "copyright") && copyrightYear.MatchString(line)
}

// CopyrightHolder returns whom a copyright notice names ("© 2024
// Bloomberg L.P." names Bloomberg), without the company's legal form, or
// "" when line is no notice or names no one.
func CopyrightHolder(line string) string {
	if len(line) > MaxShortLine || !isCopyright(line, strings.ToLower(line)) {
		return ""
	}
	m := copyrightHolder.FindStringSubmatch(line)
	if m == nil {
		return ""
	}
	name := m[1]
	name = strings.TrimSuffix(name, " All") // "… All rights reserved"
	name = strings.TrimSpace(corporateSuffix.ReplaceAllString(strings.TrimRight(name, " .,-–"), ""))
	if strings.EqualFold(name, "all") || strings.EqualFold(name, "copyright") || name == "" {
		return ""
	}
	return name
}

// Facts splits a line of facts joined by bars or dots into them: "Source:
// Xinhua | 2023-04-20 10:34:56 | Editor: huaxia" (a byline, a date, a
// source, an editor). It returns at most n, the last holding the rest.
func Facts(line string, n int) []string {
	var out []string
	for len(out) < n-1 {
		i := strings.IndexAny(line, "|·•")
		if i < 0 {
			break
		}
		_, size := utf8.DecodeRuneInString(line[i:])
		out = append(out, strings.TrimSpace(line[:i]))
		line = line[i+size:]
	}
	return append(out, strings.TrimSpace(line))
}
