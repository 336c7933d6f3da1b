package article

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// dumpForms are the written date forms of issue 16, as a text dump of a
// news page shows them (the date package's own matrix has more; this one
// checks that every position in a page reaches them).
var dumpForms = []struct {
	layout string
	clock  bool
	dmy    bool // numeric, day first: no date when the day is 12 or less (and not the month)
}{
	{time.RFC1123, true, false}, {time.RFC1123Z, true, false}, {time.RFC822, true, false}, {time.RFC850, true, false},
	{time.ANSIC, true, false}, {time.UnixDate, true, false}, {time.RubyDate, true, false}, {time.RFC3339, true, false},
	{time.DateTime, true, false}, {time.DateOnly, false, false}, {"2006-01-02T15:04:05.000Z07:00", true, false},
	{"Monday, 2 January 2006", false, false}, {"Mon 2 Jan 2006", false, false}, {"Monday, January 2, 2006", false, false},
	{"Jan. 2, 2006", false, false}, {"January 2 2006 3:04 PM MST", true, false}, {"2 January 2006 15:04 -0700", true, false},
	{"3:04 PM MST, Jan 2, 2006", true, false}, {"Jan 2, 2006 at 3:04 pm", true, false},
	{"02.01.2006", false, true}, {"02-01-2006", false, true}, {"02/01/2006", false, true}, {"02.01.2006 15:04", true, true},
}

// dumpPositions place a date line in a page: %s is the date text. Each
// page has a title, the date, and a wire dateline opening the body.
var dumpPositions = []struct{ name, page string }{
	{"own line after the title", "Storm batters coast\n%s\n\n%s"},
	{"after a label", "Storm batters coast\nPublished: %s\n\n%s"},
	{"label, lower case", "Storm batters coast\nupdated %s\n\n%s"},
	{"posted on", "Storm batters coast\nPosted on %s\n\n%s"},
	{"after a breadcrumb", "World News > Markets\n%s\nStorm batters coast\n\n%s"},
	{"breadcrumb, then title, then date", "Home » Business\nStorm batters coast\nDate: %s\n\n%s"},
	{"before the title", "%s\nStorm batters coast\n\n%s"},
	{"in a byline", "Storm batters coast\nBy Jane Doe | %s\n3 Min Read\n\n%s"},
	{"below a byline and share bar", "News / Asia / China\nStorm batters coast\nBy Reuters Staff\nShare\n%s\n\n%s"},
}

const dumpDateline = "SANTA CRUZ, Calif., Feb 26 (Reuters) - Heavy rain closed roads on Sunday, officials said."

// TestDumpDateMatrix writes every form of dates with a day above and at
// most 12 in every position of a text dump: each must give the calendar
// date written (an open numeric date none), the title, and the source and
// place of the wire dateline below, whatever happened to the date line.
func TestDumpDateMatrix(t *testing.T) {
	dates := []time.Time{
		time.Date(2023, 2, 26, 15, 18, 59, 0, time.FixedZone("GMT", 0)),
		time.Date(2023, 2, 5, 21, 7, 0, 0, time.FixedZone("EST", -5*3600)),
		time.Date(2021, 11, 3, 23, 30, 0, 0, time.FixedZone("EST", -5*3600)),
		time.Date(2019, 12, 12, 0, 45, 0, 0, time.FixedZone("CST", 8*3600)),
	}
	n := 0
	for _, f := range dumpForms {
		for _, d := range dates {
			for _, pos := range dumpPositions {
				text := d.Format(f.layout)
				page := fmt.Sprintf(pos.page, text, dumpDateline)
				arts, err := Parse("dump.txt", []byte(page))
				if err != nil {
					t.Fatalf("%s / %s: %v", f.layout, pos.name, err)
				}
				a := arts[0]
				n++
				var want time.Time
				if !f.dmy || d.Day() > 12 || d.Day() == int(d.Month()) {
					want = time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, time.UTC)
					if f.clock {
						want = want.Add(time.Duration(d.Hour())*time.Hour + time.Duration(d.Minute())*time.Minute)
					}
				}
				// The wall clock as written (the zone is date.TestZones' business).
				got := time.Date(a.Date.Year(), a.Date.Month(), a.Date.Day(), a.Date.Hour(), a.Date.Minute(), 0, 0, time.UTC)
				if a.Date.IsZero() {
					got = time.Time{}
				}
				if !got.Equal(want) {
					t.Errorf("%s / %s: %q: date %v, want %v", f.layout, pos.name, text, a.Date, want)
				}
				if a.Title != "Storm batters coast" || a.Source != "Reuters" || a.Place != "Santa Cruz" {
					t.Errorf("%s / %s: %q: title %q, source %q, place %q", f.layout, pos.name, text, a.Title, a.Source, a.Place)
				}
				if !strings.HasPrefix(a.Body, "SANTA CRUZ") {
					t.Errorf("%s / %s: body starts %.40q", f.layout, pos.name, a.Body)
				}
			}
		}
	}
	t.Logf("%d pages read", n)
}

// mangledPage is a wire story's text dump whose header lines
// TestHeaderLinesIndependent removes or mangles one at a time.
var mangledPage = []string{
	"Home > World > Americas",
	"Storm batters California coast",
	"By Jane Doe",
	"Thu, 26 Feb 2023 15:18:59 GMT",
	"3 Min Read",
	"",
	"SANTA CRUZ, Calif., Feb 26 (Reuters) - Heavy rain closed roads across the county on Sunday, officials said.",
	"Crews worked through the night to clear fallen trees.",
	"Reporting by Jane Doe; Editing by John Roe",
}

// TestHeaderLinesIndependent removes or mangles each header line in turn:
// the fields the other lines give must survive, and no header line may
// end up in the body.
func TestHeaderLinesIndependent(t *testing.T) {
	mangled := map[int]string{
		0: "Hom >> Wrld >> Amricas",
		2: "Bye Jane Doe and friends",
		3: "Thurs 26th of Febbruary twenty twenty-three",
		4: "Three minutes to read",
	}
	for i, m := range mangled {
		for _, variant := range []string{"removed", "mangled"} {
			lines := append([]string(nil), mangledPage...)
			if variant == "removed" {
				lines = append(lines[:i], lines[i+1:]...)
			} else {
				lines[i] = m
			}
			arts, err := Parse("wire.txt", []byte(strings.Join(lines, "\n")))
			if err != nil {
				t.Fatal(err)
			}
			a := arts[0]
			name := fmt.Sprintf("line %d %s", i+1, variant)
			if a.Title != "Storm batters California coast" || a.Source != "Reuters" || a.Place != "Santa Cruz" {
				t.Errorf("%s: title %q, source %q, place %q", name, a.Title, a.Source, a.Place)
			}
			if want := "SANTA CRUZ"; !strings.HasPrefix(a.Body, want) || strings.Contains(a.Body, "Reporting by") {
				t.Errorf("%s: body %.60q", name, a.Body)
			}
			if i != 2 && a.Author != "Jane Doe" {
				t.Errorf("%s: author %q, want Jane Doe", name, a.Author)
			}
			wantDate := time.Date(2023, 2, 26, 15, 18, 59, 0, time.UTC)
			if i != 3 && !a.Date.Equal(wantDate) {
				t.Errorf("%s: date %v, want %v", name, a.Date, wantDate)
			}
			if i == 3 && !a.Date.IsZero() {
				t.Errorf("%s: date %v, want none (the page states no year)", name, a.Date)
			}
		}
	}
}

// TestDumpDateOrder checks the dates whose order only the page settles: an
// English page gives no date for 03/04/05 (and keeps its dateline's
// source), a German one reads 03.04.2023 day first, and Explain says why.
func TestDumpDateOrder(t *testing.T) {
	en := "Storm batters coast\n03/04/05\n\n" + dumpDateline + " More rain is expected in the coming days, forecasters said, and the roads will stay closed."
	arts, err := Parse("en.txt", []byte(en))
	if err != nil {
		t.Fatal(err)
	}
	if a := arts[0]; !a.Date.IsZero() || a.Source != "Reuters" || a.Title != "Storm batters coast" {
		t.Errorf("03/04/05: date %v, source %q, title %q; want no date, Reuters", a.Date, a.Source, a.Title)
	}
	enDir := t.TempDir()
	if err := os.WriteFile(filepath.Join(enDir, "en.txt"), []byte(en), 0o644); err != nil {
		t.Fatal(err)
	}
	if ex, err := Explain(enDir, "en.txt"); err != nil || !strings.Contains(ex.Articles[0].Fields["date"].Note, "could be swapped") {
		t.Errorf("Explain(03/04/05) date origin = %+v, %v; want it to say the order is open", ex.Articles[0].Fields["date"], err)
	}
	de := "Sturm an der Küste\n03.04.2023\n\nDer Sturm hat in der Nacht die Küste erreicht. Die Straßen sind gesperrt, und die Feuerwehr ist mit allen Kräften im Einsatz, wie die Behörden am Morgen mitteilten. Es wird auch für den nächsten Tag mit viel Regen gerechnet."
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "de.txt"), []byte(de), 0o644); err != nil {
		t.Fatal(err)
	}
	ex, err := Explain(dir, "de.txt")
	if err != nil {
		t.Fatal(err)
	}
	a, o := ex.Articles[0].Article, ex.Articles[0].Fields["date"]
	if want := time.Date(2023, 4, 3, 0, 0, 0, 0, time.UTC); !a.Date.Equal(want) || o.Rule != "header-date" || !strings.Contains(o.Note, "day first") {
		t.Errorf("03.04.2023 on a German page: %v, origin %+v; want %v, day first", a.Date, o, want)
	}
}

// TestJSONDateOrder: a JSON export's numeric date is read in the order
// the language of its body settles, and refused when nothing does.
func TestJSONDateOrder(t *testing.T) {
	fr := "Le ministre a déclaré que les discussions avec la délégation avaient été utiles et qu'il reviendrait dans la capitale pour en avoir plus au printemps."
	en := "The minister said that the talks with the delegation had been useful and that he would return to the capital for more of them in the spring."
	tests := []struct {
		date, body string
		want       time.Time
	}{
		{"03/04/2023", fr, time.Date(2023, 4, 3, 0, 0, 0, 0, time.UTC)},
		{"03/04/2023", en, time.Time{}},
		{"26/02/2023", en, time.Date(2023, 2, 26, 0, 0, 0, 0, time.UTC)},
		{"Thu, 26 Feb 2023 15:18:59 GMT", en, time.Date(2023, 2, 26, 15, 18, 59, 0, time.UTC)},
	}
	for _, tt := range tests {
		data := fmt.Sprintf(`{"title": "Talks", "date": %q, "body": %q}`, tt.date, tt.body)
		arts, err := Parse("a.json", []byte(data))
		if err != nil || !arts[0].Date.Equal(tt.want) {
			t.Errorf("date %q with body %.20q: %v, %v; want %v", tt.date, tt.body, arts, err, tt.want)
		}
	}
}

// TestStrayHeaderLine: a short line no rule reads, among the header
// lines of a page with no wire dateline, is header, not the body's first
// paragraph (nor its summary).
func TestStrayHeaderLine(t *testing.T) {
	page := "Storm batters coast\nThurs 26th of Febbruary\nBy Jane Doe\n\nHeavy rain closed roads across the county on Sunday, officials said. More is expected."
	arts, err := Parse("stray.txt", []byte(page))
	if err != nil {
		t.Fatal(err)
	}
	if a := arts[0]; !strings.HasPrefix(a.Body, "Heavy rain") || a.Author != "Jane Doe" || !strings.HasPrefix(a.Summary, "Heavy rain") {
		t.Errorf("body %.30q, summary %.30q, author %q", a.Body, a.Summary, a.Author)
	}
}

// TestHTMLWithoutMetadata reads pages with no Open Graph or JSON-LD,
// written after the rules as a held-out check: the date from a visible
// date line, byline or <time> text (a numeric one in the order the page's
// declared language settles), the source from the <title> suffix or the
// wire dateline.
func TestHTMLWithoutMetadata(t *testing.T) {
	tests := []struct{ file, title, date, source string }{
		{"politico.html", "Senate passes stopgap bill", "2023-09-30T23:45:00-04:00", "POLITICO"},
		{"reuters.html", "Oil slides as supply rises", "2024-03-14T09:31:00Z", "Reuters"},
		{"german.html", "Mindestlohn steigt", "2023-04-03T10:15:00Z", ""},
		{"upi.html", "Storm knocks out power in Texas", "2024-02-28T22:41:00Z", "UPI"},
		{"npr.html", "Heat wave breaks records", "2023-07-18T05:00:00-04:00", "NPR"},
	}
	for _, tt := range tests {
		f := ReadFile(filepath.Join("testdata", "html", "nometa"), tt.file)
		if f.Err != nil || len(f.Articles) != 1 {
			t.Fatalf("%s: %v", tt.file, f.Err)
		}
		a := f.Articles[0]
		if got := a.Date.Format(time.RFC3339); a.Title != tt.title || got != tt.date || a.Source != tt.source {
			t.Errorf("%s: %q, %s, %q; want %q, %s, %q", tt.file, a.Title, got, a.Source, tt.title, tt.date, tt.source)
		}
	}
}
