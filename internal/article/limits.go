package article

import (
	"fmt"
	"path"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/newsfind/newsfind/internal/article/textnorm"
)

// Caps on what one article file may cost. None is reached by a real news
// article: the largest of the 2,225 BBC articles is 25 KB of text, a
// 15,000-word long read is about 100 KB, and a saved news page with its
// scripts and styles rarely passes 2 MB. Without them one file could take
// the indexer's memory (a 31 MB text file took 2 GB) and make every search
// that matches it slow.
const (
	// MaxFileSize is the largest file with one article (.txt, .html,
	// .htm, .json) that is read; a larger one is skipped with a message,
	// unread: its size is checked first, and it is read through a limit
	// in case it grows meanwhile.
	MaxFileSize = 8 << 20
	// MaxLinesFileSize is the largest .jsonl file (an article per line)
	// that is read; each of its articles is held to the field caps.
	MaxLinesFileSize = 32 << 20
	// MaxBodyBytes caps an article's body: text past it is cut (at a
	// paragraph or word boundary where one is near) and the cut reported.
	MaxBodyBytes = 1 << 20
	// MaxTitleBytes caps a title; MaxFieldBytes the source, author, place
	// and each entity name. Longer ones are cut and the cut reported.
	MaxTitleBytes = 1000
	MaxFieldBytes = 200
	// MaxEntities caps each of an article's lists of people, places and
	// organizations; names past it are dropped and the cut reported.
	MaxEntities = 200
)

// Caps on paths in an articles folder.
const (
	// MaxDepth is how many folders deep an article may lie: the walk, the
	// watcher and the ingest API go no deeper (a folder past it is skipped
	// with a message), so 2,000 nested folders cannot cost 2,000 watches.
	// A dated archive needs four or five (source/2024/06/30/).
	MaxDepth = 32
	// MaxNameBytes caps one element of a path (a file or folder name): a
	// file system allows 255 bytes, less the room the hidden temporary
	// names of an atomic save need beside it.
	MaxNameBytes = 200
	// MaxPathBytes caps a whole path relative to the articles folder.
	MaxPathBytes = 1000
)

// MaxSize returns the cap on the size of a file named rel: MaxLinesFileSize
// for .jsonl, MaxFileSize for the others.
func MaxSize(rel string) int64 {
	if strings.EqualFold(path.Ext(rel), ".jsonl") {
		return MaxLinesFileSize
	}
	return MaxFileSize
}

// CheckPath says what is wrong with rel (slash-separated, relative to the
// articles folder, already cleaned) as the name of a file to save there: a
// control character (such as NUL), an element or the whole longer than its
// cap, or more folders than MaxDepth. nil means none of these; whether the
// path stays inside the folder is checked when it is used.
func CheckPath(rel string) error {
	if i := strings.IndexFunc(rel, unicode.IsControl); i >= 0 {
		r, _ := utf8.DecodeRuneInString(rel[i:])
		return fmt.Errorf("file name %q holds the control character %U", rel, r)
	}
	if !utf8.ValidString(rel) {
		return fmt.Errorf("file name %q is not valid UTF-8", rel)
	}
	if len(rel) > MaxPathBytes {
		return fmt.Errorf("file name is %d bytes long, over the %d-byte cap", len(rel), MaxPathBytes)
	}
	parts := strings.Split(rel, "/")
	for _, p := range parts {
		if len(p) > MaxNameBytes {
			return fmt.Errorf("%q in the file name is %d bytes long, over the %d-byte cap on one name", textnorm.Head(p, 40)+"…", len(p), MaxNameBytes)
		}
	}
	if depth := len(parts) - 1; depth > MaxDepth {
		return fmt.Errorf("file name %q is %d folders deep, over the cap of %d", textnorm.Head(rel, 80)+"…", depth, MaxDepth)
	}
	return nil
}

// capFields holds the draft to the field caps, recording each cut in
// d.cuts. It runs before the derived fields are computed, so a huge body
// costs no more than MaxBodyBytes of work after reading.
func (d *draft) capFields() {
	if len(d.Title) > MaxTitleBytes {
		d.cut("title", len(d.Title), MaxTitleBytes)
		d.Title = cutText(d.Title, MaxTitleBytes)
	}
	total := 0
	for i, p := range d.paras {
		if total+len(p) <= MaxBodyBytes {
			total += len(p) + 2 // the blank line between paragraphs
			continue
		}
		size := total
		for _, q := range d.paras[i:] {
			size += len(q) + 2
		}
		d.cut("body", size, MaxBodyBytes)
		if rest := MaxBodyBytes - total; rest > 0 {
			d.paras[i] = cutText(p, rest)
			i++
		}
		d.paras = d.paras[:i:i]
		if len(d.paraLines) > i {
			d.paraLines = d.paraLines[:i:i]
		}
		break
	}
	for _, f := range []struct {
		name string
		s    *string
	}{{"source", &d.Source}, {"section", &d.Section}, {"author", &d.Author}, {"place", &d.Place}} {
		if len(*f.s) > MaxFieldBytes {
			d.cut(f.name, len(*f.s), MaxFieldBytes)
			*f.s = cutText(*f.s, MaxFieldBytes)
		}
	}
}

// capEntities holds a list of entity names to MaxEntities, recording a cut.
func (d *draft) capEntities(field string, names []string) []string {
	if len(names) <= MaxEntities {
		return names
	}
	d.cuts = append(d.cuts, fmt.Sprintf("%s: %d names, cut to the first %d", field, len(names), MaxEntities))
	return names[:MaxEntities:MaxEntities]
}

// cut records that a field of size bytes was cut to max.
func (d *draft) cut(field string, size, max int) {
	d.cuts = append(d.cuts, fmt.Sprintf("%s: %d bytes, cut to %d", field, size, max))
}

// cutText returns s cut to at most n bytes: at the last space in the final
// tenth when there is one, else at a character boundary.
func cutText(s string, n int) string {
	s = textnorm.Head(s, n)
	if i := strings.LastIndexAny(s, " \n\t"); i > len(s)-len(s)/10 {
		s = s[:i]
	}
	return strings.TrimSpace(s)
}
