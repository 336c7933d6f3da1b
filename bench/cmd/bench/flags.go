package main

import (
	"fmt"
	"strconv"
	"strings"
)

// listFlag is a repeatable string flag.
type listFlag []string

func (l *listFlag) String() string { return strings.Join(*l, ",") }

func (l *listFlag) Set(s string) error {
	*l = append(*l, s)
	return nil
}

// intsFlag is a comma-separated list of positive integers, e.g. "1,8,32".
type intsFlag []int

func (f *intsFlag) String() string {
	s := make([]string, len(*f))
	for i, n := range *f {
		s[i] = strconv.Itoa(n)
	}
	return strings.Join(s, ",")
}

func (f *intsFlag) Set(s string) error {
	var out []int
	for part := range strings.SplitSeq(s, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(part))
		if err != nil || n < 1 {
			return fmt.Errorf("%q is not a positive whole number", part)
		}
		out = append(out, n)
	}
	*f = out
	return nil
}

// parsePhases reads a comma-separated list of phases.
func parsePhases(s string) (Phases, error) {
	var p Phases
	for part := range strings.SplitSeq(s, ",") {
		switch strings.TrimSpace(part) {
		case "index":
			p.Index = true
		case "queries", "query":
			p.Queries = true
		case "http":
			p.HTTP = true
		case "":
		default:
			return p, fmt.Errorf("unknown phase %q (want index, queries or http)", part)
		}
	}
	if p == (Phases{}) {
		return p, fmt.Errorf("no phase in %q", s)
	}
	return p, nil
}
