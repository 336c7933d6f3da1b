package server

import (
	"context"
	"fmt"
	"net/http"
	"net/netip"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/httprate"
)

// This file holds what keeps searchd answering under abuse: a query string
// is read strictly, methods are answered as HTTP says, searches in flight
// are capped, and each client of the public API is rate limited.

// strictQuery refuses a request whose query string does not parse
// (`%zz`, `;` as a separator): r.URL.Query() would drop the bad pair and
// answer a different question, such as every article for `q=%zz%`.
func (s *server) strictQuery(next http.Handler) http.Handler {
	return s.handle(func(w http.ResponseWriter, r *http.Request) error {
		if _, err := url.ParseQuery(r.URL.RawQuery); err != nil {
			return statusError{http.StatusBadRequest, fmt.Sprintf(
				"the query string is malformed (%v): escape %% as %%25 and ; as %%3B, and separate parameters with &", err)}
		}
		next.ServeHTTP(w, r)
		return nil
	})
}

// probeMethods are the methods a 405's Allow header may list; HEAD is
// allowed wherever GET is (middleware.GetHead serves it).
var probeMethods = []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete}

// allowed lists the methods the router serves on path, for a 405's Allow
// header. chi computes the list too, but gives it only to its own 405
// handler, which writes text rather than the API's JSON.
func allowed(routes chi.Routes, path string) []string {
	var out []string
	for _, m := range probeMethods {
		if routes.Match(chi.NewRouteContext(), m, path) {
			out = append(out, m)
			if m == http.MethodGet {
				out = append(out, http.MethodHead)
			}
		}
	}
	return out
}

// methodNotAllowed answers 405 with the Allow header RFC 9110 requires.
func (s *server) methodNotAllowed(w http.ResponseWriter, r *http.Request, allow []string) error {
	w.Header().Set("Allow", strings.Join(allow, ", "))
	return statusError{http.StatusMethodNotAllowed, fmt.Sprintf("%s is not allowed on %s; use %s",
		r.Method, r.URL.Path, strings.Join(allow, " or "))}
}

// DefaultRateWindow is the window of the per-client rate limit: RateLimit
// requests per client per second.
const DefaultRateWindow = time.Second

// rateLimit limits each client of the public API to RateLimit requests per
// RateWindow (go-chi/httprate's sliding window counter, keyed by the
// client's address, IPv6 by its /64), answering 429 with Retry-After
// beyond it. Loopback clients are exempt unless RateLimitLoopback is set:
// they are the operator's own tools, or a reverse proxy on the same host
// whose clients would all share one budget (such a proxy limits per
// client itself). Nil when RateLimit is 0.
func (s *server) rateLimit() func(http.Handler) http.Handler {
	if s.cfg.RateLimit <= 0 {
		return nil
	}
	limited := s.handle(func(w http.ResponseWriter, r *http.Request) error {
		return statusError{http.StatusTooManyRequests, fmt.Sprintf(
			"too many requests from your address: at most %d per %v; try again after %s s",
			s.cfg.RateLimit, s.cfg.RateWindow, w.Header().Get("Retry-After"))}
	})
	limiter := httprate.NewRateLimiter(s.cfg.RateLimit, s.cfg.RateWindow,
		httprate.WithKeyFuncs(clientKey), httprate.WithLimitHandler(limited))
	return func(next http.Handler) http.Handler {
		limitedNext := limiter.Handler(next)
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if !s.cfg.RateLimitLoopback && isLoopback(r.RemoteAddr) {
				next.ServeHTTP(w, r)
				return
			}
			limitedNext.ServeHTTP(w, r)
		})
	}
}

// clientKey keys the rate limit by the connection's peer address, never a
// header a client could forge (behind a reverse proxy every client is the
// proxy, which should then limit per client itself), an IPv6 client by its
// /64, as httprate's deprecated KeyByIP did.
func clientKey(r *http.Request) (string, error) {
	ap, err := netip.ParseAddrPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr, nil
	}
	a := ap.Addr().Unmap()
	if a.Is6() {
		p, err := a.Prefix(64)
		if err != nil {
			return a.String(), nil
		}
		return p.String(), nil
	}
	return a.String(), nil
}

// isLoopback reports whether a request's RemoteAddr is a loopback address.
func isLoopback(remoteAddr string) bool {
	ap, err := netip.ParseAddrPort(remoteAddr)
	return err == nil && ap.Addr().Unmap().IsLoopback()
}

// admission caps the searches in flight at MaxSearches. A search beyond
// the cap waits up to SearchQueueWait (and never past its own deadline)
// for one to finish, then is answered 503 with Retry-After: the cap keeps
// a burst from taking every core and the memory of its hits and facet
// counts at once, and a quick 503 tells a client to come back rather
// than letting it wait out its timeout in a queue.
//
// A slot is given back through the network poller: release writes a byte
// to a pipe, and giveBack, reading it, frees the slot. Go reads the
// network only when a P has nothing else to run (or every 10 ms, from its
// monitor): a slot freed directly makes the search waiting for it
// runnable at once, so with a P a core and every core searching, the
// requests that arrived meanwhile stayed unread (p99 31–34 ms at 100,000
// articles, 8 clients). Freed through the poller, the slot and those
// requests become runnable together, when the search's goroutine has
// finished: they are read, and queue for a slot, as the next search
// starts. searchd used to run Go on a P more than the cores for this;
// that P's thread woke, spun and slept again for every request, and the
// cores idled 6 % of the time (docs/PERFORMANCE.md, session 40).
type admission struct {
	slots chan struct{}
	wait  time.Duration
	freed *os.File // the pipe's end release writes to; nil: slots are freed directly
}

// newAdmission returns the cap of cfg, or nil when MaxSearches is
// negative (no cap).
func newAdmission(cfg Config) *admission {
	if cfg.MaxSearches < 0 {
		return nil
	}
	a := &admission{slots: make(chan struct{}, cfg.MaxSearches), wait: cfg.SearchQueueWait}
	r, w, err := os.Pipe()
	if err != nil {
		return a // slots freed directly: the cap holds, requests are read later
	}
	a.freed = w
	go giveBack(r, a.slots)
	// When the admission is garbage, w's finalizer closes it, and
	// giveBack, reading the end of the pipe, returns and lets r go.
	return a
}

// giveBack frees a slot of slots for each byte read from r, until r ends.
func giveBack(r *os.File, slots chan struct{}) {
	defer r.Close()
	buf := make([]byte, 64)
	for {
		n, err := r.Read(buf)
		for range n {
			<-slots
		}
		if err != nil {
			return
		}
	}
}

// acquire takes a slot, waiting as admission says; it reports whether it
// got one, and then release must be called.
func (a *admission) acquire(ctx context.Context) bool {
	select {
	case a.slots <- struct{}{}:
		return true
	default:
	}
	if a.wait <= 0 {
		return false
	}
	t := time.NewTimer(a.wait)
	defer t.Stop()
	select {
	case a.slots <- struct{}{}:
		return true
	case <-t.C:
	case <-ctx.Done():
	}
	return false
}

// release gives back a slot acquire took: through the network poller
// (see admission), or directly when the pipe cannot take it.
func (a *admission) release() {
	if a.freed != nil {
		if _, err := a.freed.Write([]byte{0}); err == nil {
			return
		}
	}
	<-a.slots
}

// admit wraps a search endpoint in the admission cap, and in cfg.Load's
// count from the search's arrival, its wait for a slot included: a core
// is spare for a search to borrow only while no other search waits for
// one. Once the answer is sent and the slot given back, the search's
// thread gives up its core (cfg.Yield, see giveUpCore).
func (s *server) admit(next http.Handler) http.Handler {
	answered := next
	next = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		answered.ServeHTTP(w, r)
		// Sent now, not when the handler chain has returned: the
		// thread the answer wakes runs on the core given up below.
		_ = http.NewResponseController(w).Flush()
	})
	if s.admission != nil {
		admitted := next
		busy := fmt.Sprintf("searchd is running as many searches as it may (%d); try again in a second", cap(s.admission.slots))
		next = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if !s.admission.acquire(r.Context()) {
				// Written here rather than through handle, which logs a
				// 5xx as an error: a burst turned away is no fault of
				// searchd's, and its request lines say enough.
				w.Header().Set("Retry-After", "1")
				writeJSON(w, http.StatusServiceUnavailable, map[string]string{"error": busy})
				return
			}
			defer s.admission.release()
			admitted.ServeHTTP(w, r)
		})
	}
	if load := s.cfg.Load; load != nil {
		counted := next
		next = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			load.Enter()
			defer load.Leave()
			counted.ServeHTTP(w, r)
		})
	}
	yielding := next
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		yielding.ServeHTTP(w, r)
		s.cfg.Yield()
	})
}
