package analyze

// stemOverrideGroups lists conflations of the snowball (Porter2) English
// stemmer known to be wrong for news, as Lucene's StemmerOverrideFilter
// does: each word listed gets the stem its group names instead of
// Porter2's, so it no longer matches the unrelated words of apart. TestStemOverrides checks every group against the
// stemmer: Porter2 gives its words and the words of apart one stem. Pairs that
// Porter2 already keeps apart (general/generous, police/policy, new/news,
// community/communism, number/numerous, irony/iron) are not listed.
//
// Changing this list changes the terms of an index: schema.Version must
// change with it, so existing indexes are rebuilt.
var stemOverrideGroups = []struct {
	stem  string
	words []string
	apart []string
}{
	{"cooperat", []string{"cooperation", "cooperations", "cooperate", "cooperates", "cooperated",
		"cooperating", "cooperative", "cooperatives", "cooperatively"}, []string{"cooper", "coopers"}}, // Cynthia and Yvette Cooper
	{"universiti", []string{"university", "universities"}, []string{"universe", "universal"}},
	// "-ise" spellings joined with "-ize" ones, as "-isation" is with "-ization"
	{"organiz", []string{"organization", "organizations", "organize", "organizes", "organized",
		"organizing", "organizer", "organizers", "organise", "organises", "organised", "organising",
		"organiser", "organisers"}, []string{"organs", "organic", "organism"}},
	{"authoriti", []string{"authority", "authorities"}, []string{"authors"}},
	{"business", []string{"business", "businesses"}, []string{"busy"}},
	{"internat", []string{"international", "internationally", "internationals"}, []string{"interns"}},
	{"conservat", []string{"conservative", "conservatives"}, []string{"conserve", "conservation"}},
	{"liberal", []string{"liberal", "liberals"}, []string{"liberation", "liberate"}},
	{"experiment", []string{"experiment", "experiments", "experimental", "experimented", "experimenting"}, []string{"experience"}},
	{"animat", []string{"animation", "animations", "animate", "animated", "animating"}, []string{"animal"}},
	{"executiv", []string{"executive", "executives"}, []string{"execute", "execution"}},
	{"several", []string{"several"}, []string{"sever"}},
	{"severe", []string{"severe", "severely"}, []string{"sever"}},
	{"polite", []string{"polite", "politely", "politeness"}, []string{"politics", "political"}},
	{"importan", []string{"important", "importance", "importantly"}, []string{"imports", "imported"}},
	// Manchester United
	{"united", []string{"united"}, []string{"unit", "units"}},
}

// stemOverrides maps each overridden word to its stem.
var stemOverrides = func() map[string]string {
	m := map[string]string{}
	for _, g := range stemOverrideGroups {
		for _, w := range g.words {
			m[w] = g.stem
		}
	}
	return m
}()
