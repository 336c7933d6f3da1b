package main

import (
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/newsfind/newsfind/internal/search"
)

// Query is one search the benchmark sends, labelled with the kind of work it
// asks of the engine so a slow one can be recognized in the report.
type Query struct {
	// Kind is one of: word, words, phrase, exclude, rare, common, field,
	// filter, browse, page, sort.
	Kind string
	// Q is the text typed in the search box.
	Q string
	// Extra holds the other parameters of /api/search (year, source, page,
	// sort); nil for none.
	Extra url.Values
}

// Path returns the request path of q, properly encoded.
func (q Query) Path() string {
	v := url.Values{"q": {q.Q}}
	for k, vs := range q.Extra {
		v[k] = vs
	}
	return "/api/search?" + v.Encode()
}

// String returns q as a person reads it: the typed text and any parameters.
func (q Query) String() string {
	s := q.Q
	if strings.ContainsAny(s, `" `) || s == "" {
		s = "‹" + s + "›"
	}
	if len(q.Extra) > 0 {
		s += " &" + q.Extra.Encode()
	}
	return s
}

// Request returns q as the search.Request searchd would make of its path,
// for searching an engine in-process. Parameters other than year, source,
// page, size and sort are an error.
func (q Query) Request() (search.Request, error) {
	r := search.Request{Query: q.Q}
	for k, vs := range q.Extra {
		for _, v := range vs {
			var err error
			switch k {
			case "year":
				var y int
				y, err = strconv.Atoi(v)
				r.Filters.Years = append(r.Filters.Years, y)
			case "source":
				r.Filters.Sources = append(r.Filters.Sources, v)
			case "page":
				r.Page, err = strconv.Atoi(v)
			case "size":
				r.Size, err = strconv.Atoi(v)
			case "sort":
				r.Sort = search.Sort(v)
			default:
				err = errors.New("unknown parameter")
			}
			if err != nil {
				return r, fmt.Errorf("query %s: %s=%q: %w", q, k, v, err)
			}
		}
	}
	if err := r.Validate(); err != nil {
		return r, fmt.Errorf("query %s: %w", q, err)
	}
	return r, nil
}

// DefaultQueries is a fixed set of news-like searches that make sense on both
// the seed articles (Shanghai Cooperation Organization, Wang Yi, Norov, dated
// 2018–2023, one Xinhua) and the BBC corpus (business, politics,
// entertainment, sport and tech from 2004–2005, no dates or sources):
// words common in one and rare or absent in the other, phrases, exclusions,
// field terms, filters, browsing and deep paging. Keep it fixed: figures are
// only comparable between runs with the same queries.
var DefaultQueries = []Query{
	{Kind: "word", Q: "economy"},
	{Kind: "word", Q: "election"},
	{Kind: "word", Q: "film"},
	{Kind: "word", Q: "Blair"},
	{Kind: "word", Q: "cooperation"},
	{Kind: "word", Q: "security"},
	{Kind: "word", Q: "China"},
	{Kind: "word", Q: "minister"},
	{Kind: "word", Q: "music"},
	{Kind: "word", Q: "technology"},
	{Kind: "words", Q: "oil prices"},
	{Kind: "words", Q: "mobile phone"},
	{Kind: "words", Q: "foreign minister"},
	{Kind: "words", Q: "Wang Yi"},
	{Kind: "words", Q: "interest rates"},
	{Kind: "words", Q: "Shanghai Cooperation Organization"},
	{Kind: "words", Q: "general election campaign"},
	{Kind: "words", Q: "world cup final"},
	{Kind: "phrase", Q: `"Wang Yi"`},
	{Kind: "phrase", Q: `"Shanghai Spirit"`},
	{Kind: "phrase", Q: `"prime minister"`},
	{Kind: "phrase", Q: `"Gordon Brown"`},
	{Kind: "phrase", Q: `"mutual trust"`},
	{Kind: "phrase", Q: `"box office"`},
	{Kind: "exclude", Q: "SCO -Norov"},
	{Kind: "exclude", Q: "election -Blair"},
	{Kind: "exclude", Q: "film -Oscar"},
	{Kind: "rare", Q: "Uzbekistan"},
	{Kind: "rare", Q: "Alimov"},
	{Kind: "rare", Q: "Catwoman"},
	{Kind: "rare", Q: "zzyzx"},
	{Kind: "common", Q: "said"},
	{Kind: "common", Q: "people"},
	{Kind: "common", Q: "new year"},
	{Kind: "field", Q: "title:SCO"},
	{Kind: "field", Q: "title:election"},
	{Kind: "field", Q: `title:"Wang Yi"`},
	{Kind: "field", Q: "source:xinhua"},
	{Kind: "filter", Q: "minister", Extra: url.Values{"year": {"2005"}}},
	{Kind: "filter", Q: "cooperation", Extra: url.Values{"year": {"2021"}}},
	{Kind: "filter", Q: "SCO", Extra: url.Values{"source": {"Xinhua"}}},
	{Kind: "filter", Q: "", Extra: url.Values{"year": {"2005"}}},
	{Kind: "browse", Q: ""},
	{Kind: "page", Q: "said", Extra: url.Values{"page": {"5"}}},
	{Kind: "sort", Q: "economy", Extra: url.Values{"sort": {"-date"}}},
}
