package gen

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/newsfind/newsfind/internal/index/schema"
)

// An index folder holds generations: complete bleve indexes in subfolders
// named "gen-<UTC time>", and a file CURRENT naming the one to serve. A build
// writes a new generation beside the served one and switches CURRENT with an
// atomic rename only once the new index is complete and closed, so a reader
// sees either the old index or the new one, never a partial one, and a build
// killed half-way leaves the served index untouched.
const (
	currentFile = "CURRENT"
	genPrefix   = "gen-"
)

// ErrNoIndex is returned when an index folder holds no complete generation.
var ErrNoIndex = errors.New("no index: run the indexer first")

// Current returns the path of the generation CURRENT names.
func Current(dir string) (string, error) {
	b, err := os.ReadFile(filepath.Join(dir, currentFile))
	if errors.Is(err, os.ErrNotExist) {
		return "", fmt.Errorf("%s: %w", dir, ErrNoIndex)
	}
	if err != nil {
		return "", fmt.Errorf("read current generation: %w", err)
	}
	name := strings.TrimSpace(string(b))
	if !strings.HasPrefix(name, genPrefix) || strings.ContainsAny(name, `/\`) {
		return "", fmt.Errorf("%s: CURRENT names %q, not a generation", dir, name)
	}
	return filepath.Join(dir, name), nil
}

// versionFile, in a generation's folder, holds the schema.Version it was
// built with. An update copies it with the rest of the generation.
const versionFile = "newsfind-schema"

// writeVersion records schema.Version in the new generation gen.
func writeVersion(gen string) error {
	if err := os.WriteFile(filepath.Join(gen, versionFile), []byte(strconv.Itoa(schema.Version)+"\n"), 0o644); err != nil {
		return fmt.Errorf("record schema version: %w", err)
	}
	return nil
}

// genVersion returns the schema version generation gen was built with: 1
// when it records none (built before versions were recorded).
func genVersion(gen string) (int, error) {
	b, err := os.ReadFile(filepath.Join(gen, versionFile))
	if errors.Is(err, os.ErrNotExist) {
		return 1, nil
	}
	if err != nil {
		return 0, fmt.Errorf("read schema version: %w", err)
	}
	v, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil {
		return 0, fmt.Errorf("read schema version of %s: %w", gen, err)
	}
	return v, nil
}

// newGeneration returns the path for a new generation in dir, creating dir.
func newGeneration(dir string) (string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("create index folder: %w", err)
	}
	for i := 0; ; i++ {
		name := genPrefix + time.Now().UTC().Format("20060102T150405.000000000")
		if i > 0 {
			name += fmt.Sprintf("-%d", i)
		}
		path := filepath.Join(dir, name)
		if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
			return path, nil
		}
	}
}

// publish makes gen the current generation with an atomic rename, then
// removes generations older than the one it replaces. The replaced one is
// kept: a searchd that has not yet swapped may still be reading it.
func publish(dir, gen string) error {
	prev, _ := Current(dir)
	tmp := filepath.Join(dir, currentFile+".tmp")
	f, err := os.Create(tmp)
	if err != nil {
		return fmt.Errorf("publish generation: %w", err)
	}
	_, err = f.WriteString(filepath.Base(gen) + "\n")
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, filepath.Join(dir, currentFile))
	}
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("publish generation: %w", err)
	}
	if d, err := os.Open(dir); err == nil {
		d.Sync() // make the rename durable; best effort on filesystems without dir fsync
		d.Close()
	}
	return removeGenerations(dir, filepath.Base(gen), filepath.Base(prev))
}

// removeGenerations deletes every generation folder in dir except keep.
// Leftovers of killed builds are generations too, and go with the rest.
func removeGenerations(dir string, keep ...string) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return fmt.Errorf("clean old generations: %w", err)
	}
	var errs []error
	for _, e := range entries {
		name := e.Name()
		if !e.IsDir() || !strings.HasPrefix(name, genPrefix) || slices.Contains(keep, name) {
			continue
		}
		if err := os.RemoveAll(filepath.Join(dir, name)); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}
