package spell

import (
	"context"

	"github.com/newsfind/newsfind/internal/search"
)

// QueryCorrections are the typo corrections of a query's plain words, by
// sequence of clauses (the top level, each part an operator joins, each
// group), keyed by the sequence's first clause, then by clause index as
// Corrections gives them. A query is parsed once and its sequences
// never move, so a sequence is found again by its first clause's address
// however the query is copied.
type QueryCorrections map[*search.Clause]map[int]*Correction

// CorrectQuery returns the corrections of every sequence of q's clauses, so
// that "goverment AND brown" is corrected as "goverment brown" is. A
// required word ("+goverment") is searched as typed: it selects, and a
// correction beside it would select something else.
func CorrectQuery(ctx context.Context, v Vocabulary, q search.Query) (QueryCorrections, error) {
	out := QueryCorrections{}
	var walk func(q *search.Query) error
	walk = func(q *search.Query) error {
		if len(q.Clauses) > 0 {
			fixes, err := Corrections(ctx, v, search.Query{Clauses: q.Clauses})
			if err != nil {
				return err
			}
			for i := range fixes {
				if q.Clauses[i].Required {
					delete(fixes, i)
				}
			}
			if len(fixes) > 0 {
				out[&q.Clauses[0]] = fixes
			}
			for i := range q.Clauses {
				if g := q.Clauses[i].Group; g != nil {
					if err := walk(g); err != nil {
						return err
					}
				}
			}
		}
		for i := range q.Parts {
			if err := walk(&q.Parts[i]); err != nil {
				return err
			}
		}
		return nil
	}
	return out, walk(&q)
}

// Of returns the corrections of the sequence clauses.
func (cs QueryCorrections) Of(clauses []search.Clause) map[int]*Correction {
	if len(clauses) == 0 {
		return nil
	}
	return cs[&clauses[0]]
}

// StandingIn returns the corrections that stand in for their words (see
// the function StandingIn).
func (cs QueryCorrections) StandingIn() QueryCorrections {
	out := QueryCorrections{}
	for k, fixes := range cs {
		if s := StandingIn(fixes); len(s) > 0 {
			out[k] = s
		}
	}
	return out
}

// All returns every correction, under keys of no meaning, for what reads
// them all (DidYouMean, StandingIn).
func (cs QueryCorrections) All() map[int]*Correction {
	out := map[int]*Correction{}
	for _, fixes := range cs {
		for _, f := range fixes {
			out[len(out)] = f
		}
	}
	return out
}
