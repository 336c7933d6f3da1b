package server

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/newsfind/newsfind/internal/search"
	"github.com/newsfind/newsfind/internal/search/searchtest"
)

// The HTTP layer's part of the query abuse suite (issue 17, rows 1 and 13):
// a query over its caps is a 400 naming the cap, and logs quote it cut.

func TestAbuseQueryOverItsCapsIs400(t *testing.T) {
	ts := newTestServer(t)
	for _, tt := range []struct{ q, want string }{
		{strings.Repeat("A ", 50_000) + ":", "at most 4096 bytes, got 100001"},
		{strings.Repeat("w ", search.MaxQueryTerms+1), "at most 512 words, phrases and field terms"},
	} {
		code, body := getJSON(t, ts, "/api/search?"+url.Values{"q": {tt.q}}.Encode())
		if msg, _ := body["error"].(string); code != http.StatusBadRequest || !strings.Contains(msg, tt.want) {
			t.Errorf("%d-byte query = %d %.200v, want 400 saying %q", len(tt.q), code, body, tt.want)
		}
	}
}

// A 150 KB query was logged in full (twice); the request line now quotes
// MaxLoggedQuery bytes of it and says how long it was.
func TestAbuseLongQueryIsLoggedCut(t *testing.T) {
	var logs logRecorder
	ts := newFakeServer(t, &searchtest.Searcher{
		SearchFn: func(context.Context, search.Request) (search.Result, error) {
			t.Error("a query over the cap reached the searcher")
			return search.Result{}, nil
		},
	}, Config{Log: logs.logger()})
	q := url.Values{"q": {strings.Repeat("A ", 75_000) + ":"}}.Encode()
	if code, _ := getJSON(t, ts, "/api/search?"+q); code != http.StatusBadRequest {
		t.Errorf("150 KB query = %d, want 400", code)
	}
	line := logs.requestLine(t, "/api/search")
	logged, _ := line["query"].(string)
	if len(logged) > search.MaxLoggedQuery+32 || !strings.HasPrefix(logged, "q=A+A+A") || !strings.Contains(logged, "(150005 bytes)") {
		t.Errorf("logged query: %d bytes ending %q, want its first %d bytes and its length", len(logged), logged[max(0, len(logged)-40):], search.MaxLoggedQuery)
	}
	for _, r := range logs.records(t) {
		for k, v := range r {
			if s, _ := v.(string); len(s) > 1000 {
				t.Errorf("log record %q: field %s holds %d bytes", r["msg"], k, len(s))
			}
		}
	}
}
