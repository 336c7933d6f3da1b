package article

import "github.com/newsfind/newsfind/internal/article/lang"

// language fills d.Language from the text, else from the language the file
// declares.
func (d *draft) language() {
	code, how := lang.Detect(d.Title + "\n" + d.Body)
	switch {
	case code != "":
		d.Language = code
		d.set("language", Origin{Rule: "detected", Note: how})
	case d.langHint != "":
		d.Language = d.langHint
		d.set("language", d.langHintOrigin)
	default:
		d.set("language", Origin{Rule: "none", Note: "too little text, or no clear winner, to tell the language; left empty"})
	}
}
