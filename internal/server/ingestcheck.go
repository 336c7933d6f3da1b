package server

import (
	"bytes"
	"encoding/json"
	"fmt"
	"path"
	"strconv"
	"strings"

	"github.com/newsfind/newsfind/internal/search"
)

// MaxIngestEntities bounds each entity list (people, places,
// organizations) of a JSON article sent to the ingest API. An article
// names a few dozen at most; an article with 700,000 people grew the facet
// table 75 times and slowed every later update (issue 17).
const MaxIngestEntities = 200

// ingestFields is what checkIngest reads of a JSON article: the fields a
// client may send that the reader would otherwise drop or keep unbounded.
// Field names match in any case, as the reader's do.
type ingestFields struct {
	Date          json.RawMessage `json:"date"`
	People        json.RawMessage `json:"people"`
	Places        json.RawMessage `json:"places"`
	Organizations json.RawMessage `json:"organizations"`
}

// jsonObject is one JSON article of an ingest body and where it is.
type jsonObject struct {
	line   int // 1-based line of a .jsonl file; 0 for a .json file
	fields ingestFields
}

// checkIngest refuses, before anything is saved, a JSON or JSON Lines
// article the ingest API would otherwise take only in part: an entity list
// longer than MaxIngestEntities, or a date field given but not a date the
// reader can read (which it would drop, leaving the article undated).
// Other bodies, and JSON that does not decode, are left to the reader,
// which reports what it cannot read.
func (s *server) checkIngest(name string, body []byte) error {
	objs := jsonObjects(name, body)
	var dated []jsonObject
	for _, o := range objs {
		for _, l := range []struct {
			field string
			raw   json.RawMessage
		}{{"people", o.fields.People}, {"places", o.fields.Places}, {"organizations", o.fields.Organizations}} {
			var items []json.RawMessage
			if json.Unmarshal(l.raw, &items) == nil && len(items) > MaxIngestEntities {
				return search.Invalid("%s%s lists %d names; an article may list at most %d", where(o.line), l.field, len(items), MaxIngestEntities)
			}
		}
		if given(o.fields.Date) {
			dated = append(dated, o)
		}
	}
	if len(dated) == 0 {
		return nil
	}
	arts, err := s.cfg.Store.Check(name, body)
	if err != nil {
		return err
	}
	for _, o := range dated {
		a, ok := articleAt(arts, o.line)
		if ok && a.Date.IsZero() {
			return search.Invalid("%sdate %s is not a date newsfind reads: send YYYY-MM-DD or a time such as 2024-03-05T10:00:00Z, or leave the field out; nothing was saved",
				where(o.line), o.fields.Date)
		}
	}
	return nil
}

// jsonObjects decodes the articles of a .json or .jsonl ingest body; none
// for another kind of file.
func jsonObjects(name string, body []byte) []jsonObject {
	body = bytes.TrimPrefix(body, []byte("\xef\xbb\xbf"))
	var objs []jsonObject
	add := func(line int, data []byte) {
		var f ingestFields
		if json.Unmarshal(data, &f) == nil {
			objs = append(objs, jsonObject{line: line, fields: f})
		}
	}
	switch strings.ToLower(path.Ext(name)) {
	case ".json":
		add(0, body)
	case ".jsonl":
		// Lines as the reader counts them: split on \n, blank ones skipped.
		for i, line := range bytes.Split(body, []byte("\n")) {
			if len(bytes.TrimSpace(line)) > 0 {
				add(i+1, line)
			}
		}
	}
	return objs
}

// given reports whether a JSON field holds a value: neither absent, null
// nor the empty string.
func given(raw json.RawMessage) bool {
	s := string(bytes.TrimSpace(raw))
	return s != "" && s != "null" && s != `""`
}

// articleAt finds the article the reader made of line (0: the article of a
// .json file); a .jsonl article's ID ends in #<line>.
func articleAt(arts []search.Article, line int) (search.Article, bool) {
	if line == 0 {
		if len(arts) == 1 {
			return arts[0], true
		}
		return search.Article{}, false
	}
	suffix := "#" + strconv.Itoa(line)
	for _, a := range arts {
		if strings.HasSuffix(a.ID, suffix) {
			return a, true
		}
	}
	return search.Article{}, false
}

// where prefixes a message about a .jsonl line with it.
func where(line int) string {
	if line == 0 {
		return ""
	}
	return fmt.Sprintf("line %d: ", line)
}

// mib says a byte count in MiB for people ("2 MiB").
func mib(n int64) string {
	return strconv.FormatFloat(float64(n)/(1<<20), 'f', -1, 64) + " MiB"
}
