package schema

import (
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2/document"
	"github.com/newsfind/newsfind/internal/search"
)

// The document builder indexes exactly what the mapping makes of fields(a):
// same fields, values, options and analyzed tokens; the _all field it leaves
// out is empty in MapDocument's documents.
func TestDocBuilderMatchesMapDocument(t *testing.T) {
	m := Mapping()
	b, err := NewBuilder(m)
	if err != nil {
		t.Fatal(err)
	}
	full := search.Article{
		ID:            "world/a.txt",
		Title:         "Talks in Geneva's old Café end",
		Date:          time.Date(2021, 12, 3, 14, 5, 0, 0, time.FixedZone("X", 3600)),
		Source:        "Reuters",
		Section:       "world",
		Author:        "Jane Doe, John Roe",
		URL:           "https://example.com/a",
		Place:         "Geneva",
		Language:      "en",
		People:        []string{"Jane Doe", "Antonio Guterres"},
		Places:        []string{"Geneva", "Switzerland"},
		Organizations: []string{"United Nations"},
		Summary:       "The talks ended.",
		Body:          "GENEVA (Reuters) -- The talks ended on Friday.\n\nMinisters said the summit's running costs were shared.",
		WordCount:     17,
	}
	sparse := search.Article{ID: "b.txt", Title: "Only a title", Body: "And a body."}
	// Late in the day west of UTC: the instant is on the next day (and
	// month) in UTC, the calendar date is not.
	late := search.Article{ID: "late.txt", Title: "New Year's Eve", Body: "Fireworks.", Date: time.Date(2022, 12, 31, 23, 30, 0, 0, time.FixedZone("", -5*3600))}
	for _, a := range []search.Article{full, sparse, late} {
		t.Run(a.ID, func(t *testing.T) {
			want := document.NewDocument(a.ID)
			if err := m.MapDocument(want, fields(a)); err != nil {
				t.Fatal(err)
			}
			got := b.Document(a)
			if got.ID() != want.ID() {
				t.Fatalf("ID %q, want %q", got.ID(), want.ID())
			}
			if len(got.CompositeFields) != 0 {
				t.Errorf("%d composite fields, want none", len(got.CompositeFields))
			}
			if g, w := describe(t, got), describe(t, want); !reflect.DeepEqual(g, w) {
				t.Errorf("built document differs from MapDocument's:\n got %v\nwant %v", g, w)
			}
			// MapDocument's _all field receives nothing: leaving it out
			// loses nothing.
			for _, cf := range want.CompositeFields {
				for _, f := range want.Fields {
					if f.Options().IsIndexed() {
						cf.Compose(f.Name(), f.AnalyzedLength(), f.AnalyzedTokenFrequencies())
					}
				}
				cf.Analyze()
				if n := cf.AnalyzedLength(); n != 0 || len(cf.AnalyzedTokenFrequencies()) != 0 {
					t.Errorf("composite field %s holds %d tokens; leaving it out would lose them", cf.Name(), n)
				}
			}
		})
	}
}

// describe analyzes every field of d and lists what the index records of
// each, sorted, so documents can be compared whatever their field order.
func describe(t *testing.T, d *document.Document) []string {
	t.Helper()
	var out []string
	for _, f := range d.Fields {
		f.Analyze()
		s := fmt.Sprintf("%s%v %T opts=%d value=%q len=%d", f.Name(), f.ArrayPositions(), f, f.Options(), f.Value(), f.AnalyzedLength())
		tfs := f.AnalyzedTokenFrequencies()
		terms := make([]string, 0, len(tfs))
		for term, tf := range tfs {
			var locs []string
			for _, l := range tf.Locations {
				locs = append(locs, fmt.Sprintf("%s@%d:%d-%d%v", l.Field, l.Position, l.Start, l.End, l.ArrayPositions))
			}
			terms = append(terms, fmt.Sprintf("%s×%d%v", term, tf.Frequency(), locs))
		}
		slices.Sort(terms)
		out = append(out, fmt.Sprint(s, terms))
	}
	slices.Sort(out)
	return out
}

// fields turns an article into the fields of its bleve document as a map,
// the form bleve's reflection mapping takes: the reference Builder must
// agree with.
func fields(a search.Article) map[string]any {
	d := map[string]any{
		Title:     a.Title,
		Body:      a.Body,
		Content:   a.Title + ContentSeparator + a.Body,
		Exact:     a.Title + ContentSeparator + a.Body,
		Grams:     a.Title + ContentSeparator + a.Body,
		Pairs:     a.Title + ContentSeparator + a.Body,
		Summary:   a.Summary,
		WordCount: a.WordCount,
	}
	set := func(field, v string) {
		if v != "" {
			d[field] = v
		}
	}
	if !a.Date.IsZero() {
		d[Date] = a.Date.UTC()
		d[Day] = time.Date(a.Date.Year(), a.Date.Month(), a.Date.Day(), 0, 0, 0, 0, time.UTC)
		d[Year] = strconv.Itoa(a.Date.Year())
		d[Month] = a.Date.Format("2006-01")
		if _, off := a.Date.Zone(); off != 0 {
			d[Offset] = a.Date.Format("-07:00")
		}
	}
	set(Source, a.Source)
	set(SourceText, a.Source)
	set(Section, a.Section)
	set(Author, a.Author)
	set(Dateline, a.Place)
	set(Language, a.Language)
	set(URL, a.URL)
	for _, e := range []struct {
		keyword, text string
		names         []string
	}{
		{Person, PersonText, a.People},
		{Place, PlaceText, a.Places},
		{Org, OrgText, a.Organizations},
	} {
		if len(e.names) > 0 {
			d[e.keyword] = e.names
			d[e.text] = e.names
		}
	}
	return d
}

// The exact field holds the forms of title and body that differ from their
// stems, folded; the grams field their stop words and pairs of them; the
// tokens of both are counted for BM25.
func TestExactFieldIsIndexedAndCounted(t *testing.T) {
	b, err := NewBuilder(Mapping())
	if err != nil {
		t.Fatal(err)
	}
	d := b.Document(search.Article{ID: "a.txt", Title: "The Who at the Café", Body: "Cooperation with Ms Cooper."})
	fields := map[string]document.Field{}
	for _, f := range d.Fields {
		f.Analyze()
		fields[f.Name()] = f
	}
	for _, tt := range []struct {
		field  string
		want   []string
		tokens int64
	}{
		{Exact, []string{"cooperation"}, 1},
		{Grams, []string{"at", "at the", "the", "the who", "who", "who at", "with"}, 8},
	} {
		f := fields[tt.field]
		if f == nil {
			t.Fatalf("no %s field", tt.field)
		}
		var got []string
		for term := range f.AnalyzedTokenFrequencies() {
			got = append(got, term)
		}
		slices.Sort(got)
		if !slices.Equal(got, tt.want) {
			t.Errorf("%s terms %q, want %q", tt.field, got, tt.want)
		}
		if n := DocTokens(d)[tt.field]; n != tt.tokens {
			t.Errorf("DocTokens counts %d %s tokens, want %d", n, tt.field, tt.tokens)
		}
	}
}

// TestCalendarDate indexes a stated zone's article by the publication's own
// calendar date (day, year, month) and stores the instant with its offset,
// which Stored gives back.
func TestCalendarDate(t *testing.T) {
	b, err := NewBuilder(Mapping())
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		date             time.Time
		day, year, month string
	}{
		{time.Date(2023, 2, 26, 23, 30, 0, 0, time.FixedZone("", -5*3600)), "2023-02-26", "2023", "2023-02"},
		{time.Date(2023, 3, 1, 1, 0, 0, 0, time.FixedZone("", 9*3600)), "2023-03-01", "2023", "2023-03"},
		{time.Date(2022, 12, 31, 23, 30, 0, 0, time.FixedZone("", -5*3600)), "2022-12-31", "2022", "2022-12"},
	} {
		d := b.Document(search.Article{ID: "a.txt", Title: "T", Body: "B", Date: tt.date})
		got := map[string]string{}
		stored := map[string]any{}
		for _, f := range d.Fields {
			switch f := f.(type) {
			case *document.DateTimeField:
				v, _, err := f.DateTime()
				if err != nil {
					t.Fatal(err)
				}
				got[f.Name()] = v.UTC().Format(time.RFC3339)
				if f.Name() == Date {
					stored[Date] = v.Format(time.RFC3339Nano)
				}
			case *document.TextField:
				got[f.Name()] = string(f.Value())
				if f.Name() == Offset {
					stored[Offset] = string(f.Value())
				}
			}
		}
		want := map[string]string{Day: tt.day + "T00:00:00Z", Year: tt.year, Month: tt.month, Date: tt.date.UTC().Format(time.RFC3339)}
		for k, w := range want {
			if got[k] != w {
				t.Errorf("%v: %s = %q, want %q", tt.date, k, got[k], w)
			}
		}
		if a := Stored("a.txt", stored); !a.Date.Equal(tt.date) || a.Date.Format(time.RFC3339) != tt.date.Format(time.RFC3339) {
			t.Errorf("%v: Stored date %s, want %s", tt.date, a.Date.Format(time.RFC3339), tt.date.Format(time.RFC3339))
		}
	}
}

// ParseOffset reads the zones the Offset field holds, as time formats
// them, and nothing else.
func TestParseOffset(t *testing.T) {
	for _, secs := range []int{8 * 3600, -5 * 3600, 5*3600 + 30*60, -(9*3600 + 30*60), 14 * 3600, -12 * 3600, 5*3600 + 45*60} {
		s := time.Date(2023, 2, 26, 23, 30, 0, 0, time.FixedZone("", secs)).Format("-07:00")
		if got, ok := ParseOffset(s); !ok || got != time.Duration(secs)*time.Second {
			t.Errorf("ParseOffset(%q) = %v, %v; want %ds", s, got, ok, secs)
		}
	}
	for _, s := range []string{"", "Z", "+8:00", "+08", "+0800", "08:00", "+0a:00", "+08:00:00", "-05-30"} {
		if got, ok := ParseOffset(s); ok {
			t.Errorf("ParseOffset(%q) = %v, want none", s, got)
		}
	}
}
