package export_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/kljensen/snowball/english"
	"github.com/newsfind/newsfind/internal/analyze"
	"github.com/newsfind/newsfind/internal/export"
)

type settings struct {
	Settings struct {
		Analysis struct {
			Filter   map[string]map[string]any
			Analyzer map[string]struct {
				Tokenizer string
				Filter    []string
			}
		}
	}
}

// The mapping's newsfind_en is newsfind_exact's chain followed by filters
// that, read as OpenSearch reads them (stop, pattern_replace,
// stemmer_override, snowball), turn newsfind's exact terms of every seed
// into newsfind's stemmed terms, token for token. The first filters
// (standard tokenizer, lowercase, asciifolding, possessive_english) are
// Lucene's originals of the bleve components analyze is tested against.
func TestMappingAnalysisDoesWhatNewsfindsDoes(t *testing.T) {
	raw, err := export.Mapping(analysis(t))
	if err != nil {
		t.Fatal(err)
	}
	var m settings
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	an := m.Settings.Analysis
	en, ex := an.Analyzer[export.EnglishAnalyzer], an.Analyzer[export.ExactAnalyzer]
	if en.Tokenizer != "standard" || ex.Tokenizer != "standard" {
		t.Errorf("tokenizers %q and %q, want standard (Unicode word boundaries, as bleve's unicode)", en.Tokenizer, ex.Tokenizer)
	}
	if want := []string{"lowercase", "asciifolding", "newsfind_marks", "newsfind_possessive"}; !slices.Equal(ex.Filter, want) {
		t.Fatalf("newsfind_exact's filters %v, want %v", ex.Filter, want)
	}
	if len(en.Filter) < len(ex.Filter) || !slices.Equal(en.Filter[:len(ex.Filter)], ex.Filter) {
		t.Fatalf("newsfind_en's filters %v do not begin with newsfind_exact's %v", en.Filter, ex.Filter)
	}
	marks := regexp.MustCompile(an.Filter["newsfind_marks"]["pattern"].(string))
	if got := marks.ReplaceAllString("cafe\u0301 a\u036fb \u00e9", ""); got != "cafe ab \u00e9" {
		t.Errorf("newsfind_marks makes %q, want the combining marks dropped", got)
	}
	if p := an.Filter["newsfind_possessive"]; p["type"] != "stemmer" || p["language"] != "possessive_english" {
		t.Errorf("newsfind_possessive is %v", p)
	}

	stem := chain(t, an.Filter, en.Filter[len(ex.Filter):])
	stemmed := mapping.NewIndexMapping().AnalyzerNamed(analyze.Analyzer)
	texts := []string{
		"The organisations' co-operation: Zürich, cafe\u0301, Obama's universities, The Who and SCO's Cooper.",
		"Cooperatives were organised by the united nations' international authorities.",
	}
	files, _ := filepath.Glob(filepath.Join(seeds, "*.txt"))
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		texts = append(texts, string(b))
	}
	for _, text := range texts {
		want := analyze.Terms(stemmed, text)
		got := stem(analyze.Terms(analyze.Exact(), text))
		if !slices.Equal(got, want) {
			for i := range min(len(got), len(want)) {
				if got[i] != want[i] {
					t.Fatalf("%.40q…: term %d is %q through the mapping's filters, %q in newsfind", text, i, got[i], want[i])
				}
			}
			t.Fatalf("%.40q…: %d terms through the mapping's filters, %d in newsfind", text, len(got), len(want))
		}
	}
}

// chain returns the token filters named, as OpenSearch defines their types,
// applied in turn to a list of terms.
func chain(t *testing.T, defs map[string]map[string]any, names []string) func([]string) []string {
	t.Helper()
	type term struct {
		s       string
		keyword bool // set by stemmer_override: stemmers leave it alone
	}
	var steps []func([]term) []term
	for _, name := range names {
		def := defs[name]
		switch def["type"] {
		case "stop":
			stop := map[string]bool{}
			for _, w := range def["stopwords"].([]any) {
				stop[w.(string)] = true
			}
			steps = append(steps, func(ts []term) []term {
				return slices.DeleteFunc(ts, func(x term) bool { return stop[x.s] })
			})
		case "pattern_replace":
			re, repl := regexp.MustCompile(def["pattern"].(string)), def["replacement"].(string)
			steps = append(steps, func(ts []term) []term {
				for i := range ts {
					ts[i].s = re.ReplaceAllString(ts[i].s, repl)
				}
				return ts
			})
		case "stemmer_override":
			rules := map[string]string{}
			for _, r := range def["rules"].([]any) {
				from, to, ok := strings.Cut(r.(string), " => ")
				if !ok {
					t.Fatalf("rule %q", r)
				}
				rules[from] = to
			}
			steps = append(steps, func(ts []term) []term {
				for i := range ts {
					if s, ok := rules[ts[i].s]; ok {
						ts[i] = term{s, true}
					}
				}
				return ts
			})
		case "snowball":
			if def["language"] != "English" {
				t.Fatalf("%s: snowball in %v, want English (Porter2)", name, def["language"])
			}
			steps = append(steps, func(ts []term) []term {
				for i := range ts {
					if !ts[i].keyword {
						ts[i].s = english.Stem(ts[i].s, true) // Lucene stems every word
					}
				}
				return ts
			})
		default:
			t.Fatalf("filter %s of type %v: the test does not know it", name, def["type"])
		}
	}
	return func(in []string) []string {
		ts := make([]term, len(in))
		for i, s := range in {
			ts[i] = term{s: s}
		}
		for _, step := range steps {
			ts = step(ts)
		}
		out := make([]string, len(ts))
		for i, x := range ts {
			out[i] = x.s
		}
		return out
	}
}

// kljensen/snowball, which newsfind stems with, leaves its own stop words
// unstemmed, where Lucene's Snowball filter stems every word. The words of
// its list that newsfind's stop list keeps are their own Porter2 stems, so
// the two agree.
func TestSnowballStopWordsAreTheirOwnStems(t *testing.T) {
	stop, err := analyze.StopWords()
	if err != nil {
		t.Fatal(err)
	}
	dropped := map[string]bool{}
	for _, w := range stop {
		dropped[w] = true
	}
	// english.IsStopWord's list (kljensen/snowball v0.10.0).
	for _, w := range strings.Fields(`a about above after again against all am an and any are as at be
		because been before being below between both but by can did do does doing don down during each
		few for from further had has have having he her here hers herself him himself his how i if in
		into is it its itself just me more most my myself no nor not now of off on once only or other
		our ours ourselves out over own s same she should so some such t than that the their theirs them
		themselves then there these they this those through to too under until up very was we were what
		when where which while who whom why will with you your yours yourself yourselves`) {
		if !english.IsStopWord(w) {
			t.Errorf("%q is not on kljensen/snowball's list: update the test's copy", w)
		}
		if !dropped[w] && english.Stem(w, true) != w {
			t.Errorf("%q reaches the stemmer, which leaves it, but Porter2 stems it to %q", w, english.Stem(w, true))
		}
	}
}
