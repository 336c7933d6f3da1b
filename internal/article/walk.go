package article

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"slices"
	"strings"
	"time"

	"github.com/newsfind/newsfind/internal/search"
)

// File is the outcome of reading one file under a corpus folder.
type File struct {
	Path        string           // relative to the corpus folder, slash-separated; also the search.Article ID
	Articles    []search.Article // usually one
	Err         error            // non-nil: unreadable or unparsable; the caller reports and skips it
	Unsupported bool             // extension with no parser: counted by the caller, not an error
	// LineErrors are the bad lines of a file with an article per line
	// (.jsonl), each wrapping a *LineError with its line number: the
	// caller reports them; Articles holds the good lines. When no line of
	// the file is good, Err is set instead.
	LineErrors []error
	// Cuts say which fields of its articles were cut to their caps
	// (MaxBodyBytes, MaxTitleBytes, MaxEntities, ...): the articles are
	// indexed cut, and the caller reports these.
	Cuts []string
	// Size, ModTime and Hash (hex SHA-256 of the bytes read) identify the
	// content that was parsed, so an index can tell a changed file from an
	// unchanged one. They are set whenever the file could be read.
	Size    int64
	ModTime time.Time
	Hash    string
}

// Entry is one file found by List, before it is read.
type Entry struct {
	Path    string // relative to the corpus folder, slash-separated
	Size    int64
	ModTime time.Time
	// Err says why Path is not read: a folder that could not be listed or
	// is deeper than MaxDepth, or a link that leads outside the folder
	// (wrapping ErrOutside). The caller reports it.
	Err error
}

// Walk reads every regular file under dir in lexical path order (streaming,
// one at a time, never the whole corpus in memory), calling fn for each. It
// returns an error only when dir is missing/not a folder (a clear error
// naming the path), when ctx is done, or when fn returns one (returned as
// is). Hidden files/dirs (name starting with ".") and temp files ending in
// ".tmp" are ignored entirely.
//
// "Lexical path order" is the order of the slash-separated paths as strings,
// so "a-b.txt" comes before "a/x.txt". A subfolder that cannot be listed is
// passed to fn as a File with Err set, like an unreadable file. Symbolic
// links to regular files are read; links to folders are not followed, so a
// link loop cannot trap the walk. A link is followed only when it stays
// inside dir (see Open): one that leads outside is passed to fn as a File
// with Err wrapping ErrOutside, like an unreadable file, and never read.
// Folders more than MaxDepth deep are passed to fn the same way and not
// listed. Other special files (pipes, devices) are skipped, since reading
// them could block.
func Walk(ctx context.Context, dir string, fn func(File) error) error {
	return List(ctx, dir, func(e Entry) error {
		if e.Err != nil {
			return fn(File{Path: e.Path, Err: e.Err})
		}
		return fn(ReadFile(dir, e.Path))
	})
}

// List visits the files Walk would read, in the same order and with the same
// errors, without reading them: it gives their size and modification time,
// so a caller can skip files it has already seen unchanged.
func List(ctx context.Context, dir string, fn func(Entry) error) error {
	info, err := os.Stat(dir)
	if err != nil {
		return fmt.Errorf("corpus folder %s: %w", dir, err)
	}
	if !info.IsDir() {
		return fmt.Errorf("corpus folder %s is not a folder", dir)
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return fmt.Errorf("corpus folder %s: %w", dir, err)
	}
	defer root.Close()
	return walkDir(ctx, root, dir, "", fn)
}

// walkDir visits the folder rel under root (rel "" is root itself), which
// is the folder dir.
func walkDir(ctx context.Context, root *os.Root, dir, rel string, fn func(Entry) error) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("walk %s: %w", dir, err)
	}
	if depth := strings.Count(rel, "/") + 1; rel != "" && depth > MaxDepth {
		return fn(Entry{Path: rel, Err: fmt.Errorf("folder %s is %d folders deep, over the cap of %d: not read", rel, depth, MaxDepth)})
	}
	entries, err := readDir(root, rel)
	if err != nil {
		if rel == "" {
			return fmt.Errorf("corpus folder %s: %w", dir, err)
		}
		return fn(Entry{Path: rel, Err: fmt.Errorf("list folder %s: %w", rel, err)})
	}
	// os.ReadDir sorts by name, but a folder's files are visited after
	// everything its name sorts before: key folders by name+"/".
	key := func(e fs.DirEntry) string {
		if e.IsDir() {
			return e.Name() + "/"
		}
		return e.Name()
	}
	slices.SortFunc(entries, func(a, b fs.DirEntry) int { return cmp.Compare(key(a), key(b)) })

	for _, e := range entries {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("walk %s: %w", dir, err)
		}
		name := e.Name()
		if ignored(name, e.IsDir()) {
			continue
		}
		p := path.Join(rel, name)
		switch mode := e.Type(); {
		case mode.IsDir():
			if err := walkDir(ctx, root, dir, p, fn); err != nil {
				return err
			}
		case mode.IsRegular() || mode&fs.ModeSymlink != 0:
			info, err := stat(root, dir, p)
			if errors.Is(err, ErrOutside) {
				if err := fn(Entry{Path: p, Err: err}); err != nil {
					return err
				}
				continue
			}
			if err != nil || !info.Mode().IsRegular() {
				continue // a dangling link, or a link to something that is not a file
			}
			if err := fn(Entry{Path: p, Size: info.Size(), ModTime: info.ModTime()}); err != nil {
				return err
			}
		}
	}
	return nil
}

// Listed reports whether List would visit the file at rel (slash-separated,
// relative to the corpus folder): false for hidden files, files in hidden
// folders and temporary files. Watchers use it to ignore the same files.
func Listed(rel string) bool {
	parts := strings.Split(path.Clean(rel), "/")
	for i, p := range parts {
		if ignored(p, i < len(parts)-1) {
			return false
		}
	}
	return true
}

// ignored reports whether Walk skips an entry without telling fn: hidden
// files and folders, and editors' or downloaders' temporary files.
func ignored(name string, dir bool) bool {
	return strings.HasPrefix(name, ".") || !dir && strings.HasSuffix(strings.ToLower(name), ".tmp")
}

// ReadFile reads one file at root/rel (rel slash-separated) into a File.
// Files with an extension no Parser handles are not read: they come back
// Unsupported, as are README and LICENSE files. rel must stay inside root.
func ReadFile(root, rel string) File {
	rel = path.Clean(rel)
	f := File{Path: rel}
	if _, ok := parserFor(rel); !ok || isCorpusDoc(rel) {
		f.Unsupported = true
		return f
	}
	data, info, err := readLimited(root, rel)
	if err != nil {
		f.Err = fmt.Errorf("read %s: %w", rel, err)
		return f
	}
	sum := sha256.Sum256(data)
	f.Size, f.ModTime, f.Hash = int64(len(data)), info.ModTime(), hex.EncodeToString(sum[:])
	f.Articles, f.Cuts, f.Err = parseFile(rel, data)
	var bad BadLines
	if errors.As(f.Err, &bad) && len(f.Articles) > 0 {
		for _, le := range bad {
			f.LineErrors = append(f.LineErrors, fmt.Errorf("read %s: %w", rel, le))
		}
		f.Err = nil
	} else if f.Err != nil {
		f.Articles = nil
	}
	return f
}

// isCorpusDoc reports whether rel names a corpus's own documentation
// (README.TXT, LICENSE.txt, ...) rather than an article: such files are
// counted as not articles, like an unknown extension.
func isCorpusDoc(rel string) bool {
	base := strings.ToUpper(path.Base(rel))
	base = strings.TrimSuffix(base, path.Ext(base))
	switch base {
	case "README", "LICENSE", "LICENCE", "COPYING", "NOTICE":
		return true
	}
	return false
}
