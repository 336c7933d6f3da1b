package export_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/newsfind/newsfind/internal/analyze"
	"github.com/newsfind/newsfind/internal/export"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden from the package's output")

const seeds = "../../seeds"

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		gl, wl := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
		for i := range min(len(gl), len(wl)) {
			if gl[i] != wl[i] {
				t.Fatalf("%s differs at line %d:\n got %.300s\nwant %.300s\n(run go test -update and review the diff if the change is meant)", path, i+1, gl[i], wl[i])
			}
		}
		t.Fatalf("%s differs: %d lines, want %d (run go test -update if meant)", path, len(gl), len(wl))
	}
}

// analysis is newsfind's own analysis lists, as cmd/indexer hands them in.
func analysis(t *testing.T) export.Analysis {
	t.Helper()
	stop, err := analyze.StopWords()
	if err != nil {
		t.Fatal(err)
	}
	return export.Analysis{StopWords: stop, StemOverrides: analyze.StemOverrides()}
}

// bulk exports dir to memory, failing the test on any skipped file.
func bulk(t *testing.T, dir string, cfg export.Config) ([]byte, export.Stats) {
	t.Helper()
	var buf bytes.Buffer
	st, err := export.Bulk(context.Background(), dir, export.Stream{W: &buf}, cfg)
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes(), st
}

func TestBulkOfTheSeedsIsGolden(t *testing.T) {
	got, st := bulk(t, seeds, export.Config{Skipped: func(p string, err error) { t.Errorf("skipped %s: %v", p, err) }})
	if st.Articles != 5 || st.Bytes != int64(len(got)) {
		t.Errorf("stats %+v for %d bytes, want 5 articles", st, len(got))
	}
	golden(t, "seeds.ndjson.golden", got)
}

func TestMappingIsGolden(t *testing.T) {
	got, err := export.Mapping(analysis(t))
	if err != nil {
		t.Fatal(err)
	}
	if !json.Valid(got) {
		t.Fatal("the mapping is not JSON")
	}
	golden(t, "mapping.json.golden", got)
}

func TestMappingNeedsStopWords(t *testing.T) {
	if _, err := export.Mapping(export.Analysis{}); err == nil {
		t.Error("a mapping without stop words was made; it would keep every stop word")
	}
}

// pairs checks that stream is a _bulk body: lines of JSON, in pairs of an
// index action naming index and an ID, then the document with that ID. It
// returns the documents.
func pairs(t *testing.T, stream []byte, index string) []map[string]any {
	t.Helper()
	if len(stream) > 0 && stream[len(stream)-1] != '\n' {
		t.Fatal("the stream does not end with a newline, which _bulk requires")
	}
	lines := strings.Split(strings.TrimSuffix(string(stream), "\n"), "\n")
	if len(stream) == 0 {
		lines = nil
	}
	if len(lines)%2 != 0 {
		t.Fatalf("%d lines: not action and document pairs", len(lines))
	}
	var docs []map[string]any
	for i := 0; i < len(lines); i += 2 {
		var act map[string]map[string]string
		if err := json.Unmarshal([]byte(lines[i]), &act); err != nil {
			t.Fatalf("line %d is not an action: %v: %.200s", i+1, err, lines[i])
		}
		meta, ok := act["index"]
		if len(act) != 1 || !ok || len(meta) != 2 || meta["_index"] != index || meta["_id"] == "" {
			t.Fatalf("line %d = %s, want {\"index\":{\"_index\":%q,\"_id\":…}}", i+1, lines[i], index)
		}
		var doc map[string]any
		if err := json.Unmarshal([]byte(lines[i+1]), &doc); err != nil {
			t.Fatalf("line %d is not a document: %v: %.200s", i+2, err, lines[i+1])
		}
		if doc["id"] != meta["_id"] {
			t.Fatalf("line %d: document %v after the action for %q", i+2, doc["id"], meta["_id"])
		}
		docs = append(docs, doc)
	}
	return docs
}

func write(t *testing.T, dir, rel, content string) {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// Every line of the stream is JSON, actions and documents alternate with
// matching IDs, every field of the article is carried, and what cannot be
// exported is reported and left out while the rest goes on.
func TestBulkPairsActionsWithDocuments(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "a.json", `{"title":"Line\nbreaks \"and\" <tags> & more","date":"2024-06-30T08:15:00+02:00","source":"Wire","url":"https://example.com/a","author":"A. Writer","people":["Ann Lee"],"places":["Zürich"],"organizations":["SCO"],"body":"BEIJING, June 30 -- The minister said that the talks would go on in the city for most of the week.\n\nIt was the first time that they had met since the summit, and there was \u2028 a separator and ünïcode."}`)
	write(t, dir, "b.jsonl", "{\"title\":\"One\",\"body\":\"Body one.\"}\nnot json\n{\"title\":\"Three\",\"body\":\"Body three.\"}\n")
	write(t, dir, "bad.txt", "")
	write(t, dir, "pic.png", "x")
	long := strings.Repeat("d", 200) + "/" + strings.Repeat("e", 200) + "/" + strings.Repeat("f", 150) + ".txt"
	write(t, dir, long, "A title\n\nA body that is long enough to be an article.\n")
	skipped := map[string]string{}
	stream, st := bulk(t, dir, export.Config{Index: "news-2024", Skipped: func(p string, err error) { skipped[p] += err.Error() }})
	docs := pairs(t, stream, "news-2024")

	if want := (export.Stats{Articles: 3, Skipped: 2, BadLines: 1, Unsupported: 1, Bytes: int64(len(stream))}); st != want {
		t.Errorf("stats %+v, want %+v", st, want)
	}
	var ids []string
	for _, d := range docs {
		ids = append(ids, d["id"].(string))
	}
	if got := strings.Join(ids, " "); got != "a.json b.jsonl#1 b.jsonl#3" {
		t.Errorf("exported %s, want a.json b.jsonl#1 b.jsonl#3 in path order", got)
	}
	if !strings.Contains(skipped["bad.txt"], "bad.txt") || !strings.Contains(skipped["b.jsonl"], "line 2") ||
		!strings.Contains(skipped[long], "over the 512-byte cap") {
		t.Errorf("reports %q: want bad.txt, b.jsonl's line 2 and the long ID, each with its reason", skipped)
	}
	a := docs[0]
	want := map[string]any{
		"title": "Line breaks \"and\" <tags> & more", "date": "2024-06-30T08:15:00+02:00", "source": "Wire",
		"url": "https://example.com/a", "author": "A. Writer", "people": []any{"Ann Lee"},
		"places": []any{"Zürich"}, "organizations": []any{"Shanghai Cooperation Organization"},
	}
	for k, v := range want {
		if got, _ := json.Marshal(a[k]); string(got) != mustJSON(t, v) {
			t.Errorf("%s = %s, want %s", k, got, mustJSON(t, v))
		}
	}
	for _, k := range []string{"body", "summary", "language", "place", "word_count"} {
		if _, ok := a[k]; !ok {
			t.Errorf("the document has no %s: %v", k, a)
		}
	}
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestBulkOfAMissingFolderIsAnError(t *testing.T) {
	_, err := export.Bulk(context.Background(), filepath.Join(t.TempDir(), "nope"), export.Stream{W: &bytes.Buffer{}}, export.Config{})
	if err == nil || !strings.Contains(err.Error(), "nope") {
		t.Errorf("err %v: want one naming the folder", err)
	}
}

func TestBulkStopsWhenTheWriterFails(t *testing.T) {
	_, err := export.Bulk(context.Background(), seeds, failing{}, export.Config{})
	if !errors.Is(err, errFull) {
		t.Errorf("err %v, want the writer's", err)
	}
}

var errFull = errors.New("disk full")

type failing struct{}

func (failing) WritePair([]byte) error { return errFull }

// A stream split by size is the same stream, cut between articles, each
// part under the cap.
func TestFilesSplitBetweenArticles(t *testing.T) {
	whole, _ := bulk(t, seeds, export.Config{})
	dir := t.TempDir()
	const max = 6000
	fs := &export.Files{Name: filepath.Join(dir, "articles.ndjson"), MaxBytes: max}
	if _, err := export.Bulk(context.Background(), seeds, fs, export.Config{}); err != nil {
		t.Fatal(err)
	}
	if err := fs.Close(); err != nil {
		t.Fatal(err)
	}
	names := fs.Names()
	if len(names) < 2 {
		t.Fatalf("parts %v: want the seeds split in several", names)
	}
	var joined []byte
	for i, name := range names {
		if want := filepath.Join(dir, "articles-00"+string(rune('1'+i))+".ndjson"); name != want {
			t.Errorf("part %d is %s, want %s", i+1, name, want)
		}
		part, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		if docs := pairs(t, part, export.DefaultIndex); len(part) > max && len(docs) > 1 {
			t.Errorf("%s: %d bytes in %d articles, over the %d-byte cap", name, len(part), len(docs), max)
		}
		joined = append(joined, part...)
	}
	if !bytes.Equal(joined, whole) {
		t.Error("the parts together are not the whole stream")
	}

	one := &export.Files{Name: filepath.Join(dir, "all.ndjson")}
	if _, err := export.Bulk(context.Background(), seeds, one, export.Config{}); err != nil {
		t.Fatal(err)
	}
	if err := one.Close(); err != nil {
		t.Fatal(err)
	}
	if got, err := os.ReadFile(filepath.Join(dir, "all.ndjson")); err != nil || !bytes.Equal(got, whole) {
		t.Errorf("without a cap the file is not the whole stream (err %v)", err)
	}
}
