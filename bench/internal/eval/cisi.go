package eval

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// Doc is one document of a test collection.
type Doc struct {
	ID      string
	Title   string
	Authors []string
	// Body is the abstract, its lines joined with single spaces.
	Body string
}

// Query is one information need of a test collection.
type Query struct {
	ID string
	// Text is the request as its author wrote it (CISI's .W field), lines
	// joined with single spaces: the text a system is asked to search for.
	Text string
	// Title is set for the CISI queries that are paper abstracts (.T).
	Title string
}

// Qrels are relevance judgments: query ID → IDs of the documents judged
// relevant. Judgments are binary; a document not listed is not relevant.
type Qrels map[string]map[string]bool

// Collection is a test collection: documents, queries and judgments.
type Collection struct {
	Docs    []Doc
	Queries []Query
	Qrels   Qrels
}

// Judged returns the queries that have at least one relevant document, in
// collection order: the ones a ranking can be scored on.
func (c *Collection) Judged() []Query {
	var out []Query
	for _, q := range c.Queries {
		if len(c.Qrels[q.ID]) > 0 {
			out = append(out, q)
		}
	}
	return out
}

// The files of the CISI collection.
const (
	cisiDocs    = "CISI.ALL"
	cisiQueries = "CISI.QRY"
	cisiRels    = "CISI.REL"
)

// LoadCISI reads the CISI collection (CISI.ALL, CISI.QRY, CISI.REL) from
// dir.
func LoadCISI(dir string) (*Collection, error) {
	var c Collection
	var err error
	if c.Docs, err = readFile(dir, cisiDocs, ParseDocs); err != nil {
		return nil, err
	}
	if c.Queries, err = readFile(dir, cisiQueries, ParseQueries); err != nil {
		return nil, err
	}
	if c.Qrels, err = readFile(dir, cisiRels, ParseQrels); err != nil {
		return nil, err
	}
	return &c, nil
}

func readFile[T any](dir, name string, parse func(io.Reader) (T, error)) (T, error) {
	path := filepath.Join(dir, name)
	f, err := os.Open(path)
	if err != nil {
		var zero T
		return zero, fmt.Errorf("read CISI: %w", err)
	}
	defer f.Close() // read-only
	v, err := parse(f)
	if err != nil {
		return v, fmt.Errorf("read %s: %w", path, err)
	}
	return v, nil
}

// record is one ".I" entry of a SMART-format file: its ID and the lines of
// each field, keyed by the field letter.
type record struct {
	id     string
	line   int // where .I stands, for error messages
	fields map[byte][]string
}

// text returns a field's lines trimmed and joined with single spaces.
func (r record) text(field byte) string {
	return strings.Join(strings.Fields(strings.Join(r.fields[field], " ")), " ")
}

// readRecords reads the SMART format of CISI.ALL and CISI.QRY: ".I id"
// opens a record, a line ".X" (a letter, then nothing but spaces) opens
// field X, other lines belong to the open field. Text after a field marker
// on the same line belongs to the field.
func readRecords(r io.Reader) ([]record, error) {
	var recs []record
	var field byte
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimRight(sc.Text(), " \t\r")
		if id, ok := strings.CutPrefix(line, ".I "); ok {
			id = strings.TrimSpace(id)
			if id == "" {
				return nil, fmt.Errorf("line %d: .I without an id", n)
			}
			recs = append(recs, record{id: id, line: n, fields: map[byte][]string{}})
			field = 0
			continue
		}
		if len(line) >= 2 && line[0] == '.' && line[1] >= 'A' && line[1] <= 'Z' && (len(line) == 2 || line[2] == ' ') {
			if len(recs) == 0 {
				return nil, fmt.Errorf("line %d: field %s before the first .I", n, line[:2])
			}
			field = line[1]
			if rest := strings.TrimSpace(line[2:]); rest != "" {
				recs[len(recs)-1].fields[field] = append(recs[len(recs)-1].fields[field], rest)
			}
			continue
		}
		if len(recs) == 0 {
			if strings.TrimSpace(line) == "" {
				continue
			}
			return nil, fmt.Errorf("line %d: text before the first .I", n)
		}
		if field == 0 {
			if strings.TrimSpace(line) == "" {
				continue
			}
			return nil, fmt.Errorf("line %d: text outside a field in record %s", n, recs[len(recs)-1].id)
		}
		recs[len(recs)-1].fields[field] = append(recs[len(recs)-1].fields[field], line)
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	seen := make(map[string]int, len(recs))
	for _, rec := range recs {
		if prev, dup := seen[rec.id]; dup {
			return nil, fmt.Errorf("line %d: id %s already at line %d", rec.line, rec.id, prev)
		}
		seen[rec.id] = rec.line
	}
	return recs, nil
}

// ParseDocs reads documents in the format of CISI.ALL: .I id, then .T
// title, .A one author per line, .W abstract; other fields (.X
// cross-references, .B, .K, .C) are read and ignored.
func ParseDocs(r io.Reader) ([]Doc, error) {
	recs, err := readRecords(r)
	if err != nil {
		return nil, err
	}
	docs := make([]Doc, len(recs))
	for i, rec := range recs {
		docs[i] = Doc{ID: rec.id, Title: rec.text('T'), Body: rec.text('W')}
		for _, a := range rec.fields['A'] {
			if a = strings.TrimSpace(a); a != "" {
				docs[i].Authors = append(docs[i].Authors, a)
			}
		}
	}
	return docs, nil
}

// ParseQueries reads queries in the format of CISI.QRY: .I id, .W the
// request, and for some .T, .A and .B (title, authors and source of a paper
// whose abstract is the request).
func ParseQueries(r io.Reader) ([]Query, error) {
	recs, err := readRecords(r)
	if err != nil {
		return nil, err
	}
	qs := make([]Query, len(recs))
	for i, rec := range recs {
		qs[i] = Query{ID: rec.id, Text: rec.text('W'), Title: rec.text('T')}
	}
	return qs, nil
}

// ParseQrels reads judgments in the format of CISI.REL: one "qid docid"
// pair a line, with further columns ignored. Blank lines are skipped.
func ParseQrels(r io.Reader) (Qrels, error) {
	q := Qrels{}
	sc := bufio.NewScanner(r)
	for n := 1; sc.Scan(); n++ {
		f := strings.Fields(sc.Text())
		switch {
		case len(f) == 0:
			continue
		case len(f) < 2:
			return nil, fmt.Errorf("line %d: want \"qid docid ...\", got %q", n, sc.Text())
		}
		if q[f[0]] == nil {
			q[f[0]] = map[string]bool{}
		}
		q[f[0]][f[1]] = true
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	return q, nil
}
