package synth

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"sync/atomic"
	"time"
)

// MarkerFile is written into a corpus folder once every article is there.
// Its name starts with a dot, so article readers (and the indexers) skip it.
const MarkerFile = ".synth.json"

// Marker describes a complete generated corpus. A folder whose marker
// matches what is asked for is reused as it is.
type Marker struct {
	Version          int       `json:"version"`
	Articles         int       `json:"articles"`
	Seed             uint64    `json:"seed"`
	Fingerprint      string    `json:"fingerprint"` // the generator's: Version and training contents
	Topics           []string  `json:"topics"`
	TrainingArticles int       `json:"training_articles"`
	Bytes            int64     `json:"bytes"`
	Seconds          float64   `json:"seconds"` // time it took to generate
	Created          time.Time `json:"created"`
}

// matches reports whether m describes the corpus g would write with n
// articles.
func (m Marker) matches(g *Generator, n int) bool {
	return m.Version == Version && m.Articles == n && m.Seed == g.seed && m.Fingerprint == g.fingerprint
}

// ReadMarker reads the marker of the corpus in dir.
func ReadMarker(dir string) (Marker, error) {
	var m Marker
	b, err := os.ReadFile(filepath.Join(dir, MarkerFile))
	if err != nil {
		return m, fmt.Errorf("synth: %w", err)
	}
	if err := json.Unmarshal(b, &m); err != nil {
		return m, fmt.Errorf("synth: marker in %s: %w", dir, err)
	}
	return m, nil
}

// Ensure makes dir hold the corpus of n articles g generates, and reports
// whether it had to write it. A folder with a matching marker is reused
// untouched. Otherwise the corpus is written into a temporary sibling
// folder and renamed into place once complete (marker last), replacing an
// older generated corpus; a folder that exists without a marker is not the
// generator's and is left alone, with an error.
func Ensure(ctx context.Context, g *Generator, dir string, n int) (Marker, bool, error) {
	if n < 1 {
		return Marker{}, false, fmt.Errorf("synth: %d articles asked for", n)
	}
	if m, err := ReadMarker(dir); err == nil && m.matches(g, n) {
		return m, false, nil
	}
	if _, err := os.Stat(dir); err == nil {
		if _, err := os.Stat(filepath.Join(dir, MarkerFile)); err != nil {
			return Marker{}, false, fmt.Errorf("synth: %s exists and is not a generated corpus (no %s); remove it or choose another folder", dir, MarkerFile)
		}
	}
	// Leftovers of an interrupted generation are ours to remove.
	if old, err := filepath.Glob(dir + ".tmp-*"); err == nil {
		for _, p := range old {
			if err := os.RemoveAll(p); err != nil {
				return Marker{}, false, fmt.Errorf("synth: remove leftover %s: %w", p, err)
			}
		}
	}
	if err := os.MkdirAll(filepath.Dir(dir), 0o755); err != nil {
		return Marker{}, false, fmt.Errorf("synth: %w", err)
	}
	tmp, err := os.MkdirTemp(filepath.Dir(dir), filepath.Base(dir)+".tmp-")
	if err != nil {
		return Marker{}, false, fmt.Errorf("synth: %w", err)
	}
	m, err := write(ctx, g, tmp, n)
	if err == nil {
		err = os.RemoveAll(dir)
	}
	if err == nil {
		err = os.Rename(tmp, dir)
	}
	if err != nil {
		os.RemoveAll(tmp) // best effort; a later Ensure removes it too
		return Marker{}, false, fmt.Errorf("synth: generate %d articles in %s: %w", n, dir, err)
	}
	return m, true, nil
}

// write generates n articles into the empty folder dir with one worker per
// CPU, then writes the marker.
func write(ctx context.Context, g *Generator, dir string, n int) (Marker, error) {
	start := time.Now()
	for f := 0; f*1000 < n; f++ {
		if err := os.Mkdir(filepath.Join(dir, filepath.Dir(filepath.FromSlash(Path(f*1000)))), 0o755); err != nil && !errors.Is(err, fs.ErrExist) {
			return Marker{}, err
		}
	}
	var (
		next  atomic.Int64
		bytes atomic.Int64
		wg    sync.WaitGroup
		mu    sync.Mutex
		first error
	)
	fail := func(err error) {
		mu.Lock()
		defer mu.Unlock()
		if first == nil {
			first = err
		}
	}
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for {
				i := int(next.Add(1) - 1)
				if i >= n || ctx.Err() != nil {
					return
				}
				b := g.Article(i)
				if err := os.WriteFile(filepath.Join(dir, filepath.FromSlash(Path(i))), b, 0o644); err != nil {
					fail(err)
					return
				}
				bytes.Add(int64(len(b)))
			}
		})
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return Marker{}, err
	}
	if first != nil {
		return Marker{}, first
	}
	m := Marker{
		Version:          Version,
		Articles:         n,
		Seed:             g.seed,
		Fingerprint:      g.fingerprint,
		Topics:           g.Topics(),
		TrainingArticles: g.articles,
		Bytes:            bytes.Load(),
		Seconds:          time.Since(start).Seconds(),
		Created:          time.Now().UTC().Truncate(time.Second),
	}
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return Marker{}, err
	}
	if err := os.WriteFile(filepath.Join(dir, MarkerFile), append(b, '\n'), 0o644); err != nil {
		return Marker{}, err
	}
	return m, nil
}
