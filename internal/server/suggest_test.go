package server

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/newsfind/newsfind/internal/search"
	"github.com/newsfind/newsfind/internal/search/searchtest"
	"github.com/newsfind/newsfind/web"
)

// suggestServer serves /api/suggest with a fake Suggester that records the
// requests it is asked and answers with answer.
func suggestServer(t *testing.T, answer func(search.SuggestRequest) (search.Suggestions, error)) (*httptest.Server, func() []search.SuggestRequest) {
	t.Helper()
	var (
		mu   sync.Mutex
		seen []search.SuggestRequest
	)
	fake := &searchtest.Suggester{SuggestFn: func(ctx context.Context, req search.SuggestRequest) (search.Suggestions, error) {
		mu.Lock()
		seen = append(seen, req)
		mu.Unlock()
		return answer(req)
	}}
	ts := httptest.NewServer(New(Config{Searcher: &searchtest.Searcher{}, Suggester: fake, Assets: web.Assets}))
	t.Cleanup(ts.Close)
	return ts, func() []search.SuggestRequest {
		mu.Lock()
		defer mu.Unlock()
		return append([]search.SuggestRequest(nil), seen...)
	}
}

// getBody fetches path, a JSON answer, and returns its status and body.
func getBody(t *testing.T, ts *httptest.Server, path string) (int, string) {
	t.Helper()
	var body json.RawMessage
	resp := get(t, ts, path, &body)
	return resp.StatusCode, string(body)
}

func TestSuggestJSON(t *testing.T) {
	ts, seen := suggestServer(t, func(req search.SuggestRequest) (search.Suggestions, error) {
		return search.Suggestions{Suggestions: []search.Suggestion{
			{Text: "tony blair", Kind: search.SuggestTerm, Count: 94},
			{Text: "Tony Blair", Kind: search.SuggestPerson, Count: 90},
		}}, nil
	})
	status, body := getBody(t, ts, "/api/suggest?q="+url.QueryEscape("tony bla")+"&size=5")
	if status != http.StatusOK {
		t.Fatalf("status %d: %s", status, body)
	}
	want := `{"suggestions":[{"text":"tony blair","kind":"term","count":94},{"text":"Tony Blair","kind":"person","count":90}]}`
	if strings.TrimSpace(body) != want {
		t.Errorf("body %s\nwant %s", body, want)
	}
	if got := seen(); len(got) != 1 || got[0].Query != "tony bla" || got[0].Size != 5 {
		t.Errorf("the suggester was asked %+v, want tony bla, size 5", got)
	}
	// No size: the default, filled in before the suggester sees it.
	getBody(t, ts, "/api/suggest?q=x")
	if got := seen(); len(got) != 2 || got[1].Size != search.DefaultSuggestSize {
		t.Errorf("the suggester was asked %+v, want size %d", got, search.DefaultSuggestSize)
	}
}

func TestSuggestEmptyList(t *testing.T) {
	ts, _ := suggestServer(t, func(search.SuggestRequest) (search.Suggestions, error) {
		return search.Suggestions{}, nil // a nil list must still be []
	})
	status, body := getBody(t, ts, "/api/suggest?q=")
	if status != http.StatusOK || strings.TrimSpace(body) != `{"suggestions":[]}` {
		t.Errorf("empty q: %d %s, want 200 and an empty list", status, body)
	}
}

func TestSuggestBadRequests(t *testing.T) {
	ts, seen := suggestServer(t, func(search.SuggestRequest) (search.Suggestions, error) {
		return search.Suggestions{}, nil
	})
	long := strings.Repeat("a", search.MaxSuggestQuery+1)
	tests := []struct{ query, want string }{
		{"q=a&size=21", "size must be between 1 and 20"},
		{"q=a&size=0", "size must be at least 1"},
		{"q=a&size=-3", "size must be between 1 and 20"},
		{"q=a&size=many", "size must be a whole number"},
		{"q=" + long, "q must be at most 200 characters"},
	}
	for _, tt := range tests {
		status, body := getBody(t, ts, "/api/suggest?"+tt.query)
		var e struct{ Error string }
		if err := json.Unmarshal([]byte(body), &e); err != nil || status != http.StatusBadRequest || !strings.Contains(e.Error, tt.want) {
			t.Errorf("%.40s: %d %s, want 400 saying %q", tt.query, status, body, tt.want)
		}
	}
	if n := len(seen()); n != 0 {
		t.Errorf("the suggester was asked %d malformed requests", n)
	}
	// Exactly at the limits is fine.
	if status, body := getBody(t, ts, "/api/suggest?size=20&q="+long[1:]); status != http.StatusOK {
		t.Errorf("size 20 and %d characters: %d %s", search.MaxSuggestQuery, status, body)
	}
}

func TestSuggestFailures(t *testing.T) {
	ts, _ := suggestServer(t, func(search.SuggestRequest) (search.Suggestions, error) {
		return search.Suggestions{}, search.ErrUnavailable
	})
	if status, body := getBody(t, ts, "/api/suggest?q=a"); status != http.StatusServiceUnavailable {
		t.Errorf("unavailable index: %d %s, want 503", status, body)
	}
	none := httptest.NewServer(New(Config{Searcher: &searchtest.Searcher{}, Assets: web.Assets}))
	defer none.Close()
	if status, body := getBody(t, none, "/api/suggest?q=a"); status != http.StatusNotFound {
		t.Errorf("no suggester: %d %s, want 404", status, body)
	}
}

// Through the real index: the seeds' person Wang Yi.
func TestSuggestSeedsHTTP(t *testing.T) {
	ts := newTestServer(t)
	var res search.Suggestions
	if resp := get(t, ts, "/api/suggest?q=wang", &res); resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d", resp.StatusCode)
	}
	for _, s := range res.Suggestions {
		if s.Text == "Wang Yi" && s.Kind == search.SuggestPerson && s.Count == 3 {
			return
		}
	}
	t.Errorf("suggestions for wang = %+v, want Wang Yi (person, 3 articles)", res.Suggestions)
}
