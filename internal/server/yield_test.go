package server

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/newsfind/newsfind/internal/search"
	"github.com/newsfind/newsfind/internal/search/searchtest"
)

// yieldWait bounds how long a test's Yield waits for what it expects; it
// is reached only when the behaviour under test is broken.
const yieldWait = 10 * time.Second

// A search's thread gives up its core only once the client can have the
// whole answer: sent, with its length, so the client is not left waiting
// for the rest while the core runs other work. Each Yield here blocks
// until the client has read the answer to the end; an answer still held
// in searchd's buffer, or sent without its length (chunked, its last chunk
// written after the handler returns), is never read whole, and the test
// fails instead of the client.
func TestSearchAnswerSentBeforeCoreGivenUp(t *testing.T) {
	for _, hits := range []int{0, 200} { // an answer within net/http's buffer, and one past it
		t.Run(strconv.Itoa(hits)+" hits", func(t *testing.T) {
			fake := &searchtest.Searcher{SearchFn: func(ctx context.Context, req search.Request) (search.Result, error) {
				res := search.Result{Query: req.Query, Hits: []search.Hit{}}
				for i := range hits {
					res.Hits = append(res.Hits, search.Hit{ID: fmt.Sprintf("a%03d.txt", i), Title: strings.Repeat("words ", 10)})
				}
				return res, nil
			}}
			yielded, read := make(chan struct{}, 1), make(chan struct{})
			ts := newFakeServer(t, fake, Config{Yield: func() {
				yielded <- struct{}{}
				select {
				case <-read:
				case <-time.After(yieldWait):
					t.Error("the core was given up before the client could read the whole answer")
				}
			}})
			resp, err := ts.Client().Get(ts.URL + "/api/search?q=words")
			if err != nil {
				t.Fatal(err)
			}
			body, err := io.ReadAll(resp.Body)
			resp.Body.Close()
			close(read)
			if err != nil {
				t.Fatal(err)
			}
			if resp.StatusCode != http.StatusOK || resp.ContentLength != int64(len(body)) {
				t.Errorf("answer %d with Content-Length %d for %d bytes, want 200 with its length", resp.StatusCode, resp.ContentLength, len(body))
			}
			select {
			case <-yielded:
			case <-time.After(yieldWait):
				t.Error("the search's thread never gave up its core")
			}
		})
	}
}

// The slot of a search is given back before its thread gives up its core,
// so a search waiting for the slot is not held up by the yield.
func TestSlotGivenBackBeforeCoreGivenUp(t *testing.T) {
	fake := &searchtest.Searcher{SearchFn: func(ctx context.Context, req search.Request) (search.Result, error) {
		return search.Result{Query: req.Query, Hits: []search.Hit{}}, nil
	}}
	yielding, resume := make(chan struct{}, 2), make(chan struct{})
	h := New(Config{Searcher: fake, MaxSearches: 1, SearchQueueWait: time.Hour, Yield: func() {
		yielding <- struct{}{}
		<-resume
	}})
	ts := httptest.NewServer(h)
	t.Cleanup(ts.Close)
	var resumed sync.Once
	release := func() { resumed.Do(func() { close(resume) }) }
	defer release() // before ts.Close, which waits for the searches
	first := statusLater(ts, "/api/search?q=first")
	select {
	case <-yielding: // the first search's thread is in Yield, and stays
	case <-time.After(yieldWait):
		t.Fatal("the first search never gave up its core")
	}
	second := statusLater(ts, "/api/search?q=second")
	select {
	case <-yielding: // the second search ran to its own Yield: the slot was free
	case <-time.After(yieldWait):
		t.Fatal("a search waited for the slot of one whose thread was giving up its core")
	}
	release()
	for name, c := range map[string]<-chan int{"first": first, "second": second} {
		if code := <-c; code != http.StatusOK {
			t.Errorf("the %s search = %d, want 200", name, code)
		}
	}
}

// statusLater requests path in a goroutine and gives its status (0 for a
// failed request) on the channel it returns.
func statusLater(ts *httptest.Server, path string) <-chan int {
	status := make(chan int, 1)
	go func() {
		resp, err := ts.Client().Get(ts.URL + path)
		if err != nil {
			status <- 0
			return
		}
		resp.Body.Close()
		status <- resp.StatusCode
	}()
	return status
}
