package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A tiny collection in CISI's files and format.
var tinyCISI = map[string]string{
	"CISI.ALL": `.I 1
.T
Dewey Decimal Classification
.A
Comaromi, J.P.
.W
A history of the Dewey Decimal Classification.
.X
1	5	1
.I 2
.T
Citation analysis
.W
Counting citations between journals.
`,
	"CISI.QRY": `.I 1
.W
What is the "Dewey" classification?
.I 2
.W
Unjudged query.
`,
	"CISI.REL": "1 1 0 0.000000\n",
}

func TestRun(t *testing.T) {
	dir := t.TempDir()
	for name, text := range tinyCISI {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	jsonPath := filepath.Join(t.TempDir(), "eval.json")
	var out bytes.Buffer
	err := run(context.Background(), config{cisi: dir, json: jsonPath, depth: 10, runs: 1}, &out)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"2 documents, 1 judged queries of 2", "MAP", "p99 ms", "newsfind  ", "bleve bm25", "fts5 bm25(2,1) -stop"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	var s summary
	b, err := os.ReadFile(jsonPath)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &s); err != nil {
		t.Fatal(err)
	}
	if s.Judged != 1 || len(s.Reports) != 5 || s.Reports[0].System != "newsfind" || s.Reports[0].MAP != 1 {
		t.Errorf("JSON summary = %+v; want 1 judged query, 5 reports, newsfind first with MAP 1", s)
	}
}

func TestRunMissingCollection(t *testing.T) {
	err := run(context.Background(), config{cisi: filepath.Join(t.TempDir(), "none")}, &bytes.Buffer{})
	if err == nil || !strings.Contains(err.Error(), "CISI.ALL") {
		t.Errorf("err = %v, want one naming CISI.ALL", err)
	}
}
