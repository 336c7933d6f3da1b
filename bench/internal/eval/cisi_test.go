package eval

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// cisiDir returns the CISI collection folder ($NEWSFIND_CISI, else the
// shared corpora beside the repository) or skips the test. The collection
// is never copied into the repository.
func cisiDir(t testing.TB) string {
	t.Helper()
	dir := os.Getenv("NEWSFIND_CISI")
	if dir == "" {
		dir = filepath.Join("..", "..", "..", "..", "shared", "corpora", "cisi")
	}
	if _, err := os.Stat(filepath.Join(dir, cisiDocs)); err != nil {
		t.Skipf("CISI collection not found (%v): set NEWSFIND_CISI to the folder holding CISI.ALL, CISI.QRY and CISI.REL", err)
	}
	return dir
}

const sampleDocs = `.I 1
.T
18 Editions of the Dewey Decimal
Classifications
.A
Comaromi, J.P.
Slater, M.
.W
   The present study is a history of the DEWEY Decimal
Classification.  The first edition of the DDC was published
in 1876.
.X
1	5	1
92	1	1
.I 2
.T 
Use Made of Technical Libraries
.B
1970
.W
This report is an analysis of 6300 acts of use
.K 
text searching, bit vector
.C 
3.42 3.70
.X
2	5	2
`

func TestParseDocs(t *testing.T) {
	docs, err := ParseDocs(strings.NewReader(sampleDocs))
	if err != nil {
		t.Fatal(err)
	}
	want := []Doc{
		{
			ID:      "1",
			Title:   "18 Editions of the Dewey Decimal Classifications",
			Authors: []string{"Comaromi, J.P.", "Slater, M."},
			Body:    "The present study is a history of the DEWEY Decimal Classification. The first edition of the DDC was published in 1876.",
		},
		{ID: "2", Title: "Use Made of Technical Libraries", Body: "This report is an analysis of 6300 acts of use"},
	}
	if !reflect.DeepEqual(docs, want) {
		t.Errorf("docs =\n%#v\nwant\n%#v", docs, want)
	}
}

func TestParseQueries(t *testing.T) {
	qs, err := ParseQueries(strings.NewReader(`.I 1
.W
What problems and concerns are there in making up descriptive titles?
What difficulties are involved?
.I 58
.T
Directions in Library Networking
.A
Avram, H.D.
.W
    Bibliographic control before and after MARC is reviewed.
.B
(JASIS, Vol. 31, No. 6, November 1980, pp. 438-444)

`))
	if err != nil {
		t.Fatal(err)
	}
	want := []Query{
		{ID: "1", Text: "What problems and concerns are there in making up descriptive titles? What difficulties are involved?"},
		{ID: "58", Title: "Directions in Library Networking", Text: "Bibliographic control before and after MARC is reviewed."},
	}
	if !reflect.DeepEqual(qs, want) {
		t.Errorf("queries =\n%#v\nwant\n%#v", qs, want)
	}
}

func TestParseQrels(t *testing.T) {
	q, err := ParseQrels(strings.NewReader("     1     28\t0\t0.000000\n1 35 0 0.0\n\n2 28 0 0\n1 35 0 0\n"))
	if err != nil {
		t.Fatal(err)
	}
	want := Qrels{"1": {"28": true, "35": true}, "2": {"28": true}}
	if !reflect.DeepEqual(q, want) {
		t.Errorf("qrels = %v, want %v", q, want)
	}
	if _, err := ParseQrels(strings.NewReader("1\n")); err == nil {
		t.Error("a line with one column parsed")
	}
}

func TestParseErrors(t *testing.T) {
	for _, in := range []string{
		"stray text\n.I 1\n.W\nx\n",
		".W\nfield before any record\n",
		".I 1\ntext outside a field\n",
		".I \n.W\nno id\n",
		".I 1\n.W\na\n.I 1\n.W\nb\n",
	} {
		if _, err := ParseDocs(strings.NewReader(in)); err == nil {
			t.Errorf("ParseDocs(%q) succeeded", in)
		}
	}
}

func TestJudged(t *testing.T) {
	c := Collection{
		Queries: []Query{{ID: "1"}, {ID: "2"}, {ID: "3"}},
		Qrels:   Qrels{"3": {"a": true}, "1": {"b": true}, "2": {}},
	}
	var got []string
	for _, q := range c.Judged() {
		got = append(got, q.ID)
	}
	if !reflect.DeepEqual(got, []string{"1", "3"}) {
		t.Errorf("judged = %v, want [1 3]", got)
	}
}

func TestLoadCISI(t *testing.T) {
	c, err := LoadCISI(cisiDir(t))
	if err != nil {
		t.Fatal(err)
	}
	pairs := 0
	for _, rel := range c.Qrels {
		pairs += len(rel)
	}
	if len(c.Docs) != 1460 || len(c.Queries) != 112 || len(c.Judged()) != 76 || pairs != 3114 {
		t.Errorf("%d docs, %d queries, %d judged, %d judgments; want 1460, 112, 76, 3114",
			len(c.Docs), len(c.Queries), len(c.Judged()), pairs)
	}
	for _, d := range c.Docs {
		if d.Title == "" || d.Body == "" {
			t.Errorf("doc %s: empty title or body: %+v", d.ID, d)
		}
	}
	if d := c.Docs[0]; d.ID != "1" || d.Title != "18 Editions of the Dewey Decimal Classifications" || d.Authors[0] != "Comaromi, J.P." {
		t.Errorf("first doc = %+v", d)
	}
	if last := c.Docs[len(c.Docs)-1]; last.ID != "1460" || !strings.HasPrefix(last.Body, "At the present time, about 15%") {
		t.Errorf("last doc = %+v", last)
	}
	if q := c.Queries[0]; !strings.HasPrefix(q.Text, "What problems and concerns") || len(c.Qrels["1"]) != 46 {
		t.Errorf("first query = %+v with %d relevant, want 46", q, len(c.Qrels["1"]))
	}
	for _, q := range c.Queries {
		if q.Text == "" {
			t.Errorf("query %s has no text", q.ID)
		}
	}
}

func TestLoadCISIMissing(t *testing.T) {
	dir := t.TempDir()
	_, err := LoadCISI(dir)
	if err == nil || !strings.Contains(err.Error(), cisiDocs) {
		t.Errorf("err = %v, want one naming %s", err, cisiDocs)
	}
}

func FuzzParseDocs(f *testing.F) {
	f.Add(sampleDocs)
	f.Add(".I 1\n.W\n.I 2\n")
	f.Add(".I\n.X\n")
	f.Fuzz(func(t *testing.T, in string) {
		docs, err := ParseDocs(strings.NewReader(in))
		if err == nil {
			for _, d := range docs {
				if d.ID == "" {
					t.Fatalf("ParseDocs(%q) gave a doc without an ID", in)
				}
			}
		}
		ParseQueries(strings.NewReader(in))
		ParseQrels(strings.NewReader(in))
	})
}
