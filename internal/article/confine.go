package article

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
)

// ErrOutside means a path leads out of the articles folder: through a
// symbolic link whose target lies outside it (or is absolute), through a
// linked folder, or by "..". Such files are never read: the folder is what
// the index holds, and a link to /etc/passwd in it must not make that file
// searchable. Links that stay inside the folder (relative, resolving to a
// file in it) are read under the link's own name.
var ErrOutside = errors.New("leads outside the articles folder")

// All reading goes through an os.Root opened on the articles folder, so no
// path, however built, opens a file outside it: the kernel resolves each
// element below the root and os.Root refuses links that climb out.

// stat is os.Stat of rel in root (the folder dir), telling a link that
// leads outside the folder (ErrOutside) from one that leads nowhere.
func stat(root *os.Root, dir, rel string) (fs.FileInfo, error) {
	info, err := root.Stat(rel)
	if err == nil || errors.Is(err, fs.ErrNotExist) {
		return info, err
	}
	// os.Root refused it; if the same path opens outside a root, it is a
	// link that climbs out rather than a broken one. (A link to a folder
	// outside is left to the caller's error: the walk never follows
	// linked folders anyway, and says nothing of them.)
	if fi, serr := os.Stat(filepath.Join(dir, filepath.FromSlash(rel))); serr == nil && !fi.IsDir() {
		return nil, fmt.Errorf("%s is a link that %w: not read", rel, ErrOutside)
	}
	return nil, err
}

// readDir lists the folder rel ("" for the root itself) in root.
func readDir(root *os.Root, rel string) ([]fs.DirEntry, error) {
	if rel == "" {
		rel = "."
	}
	d, err := root.Open(rel)
	if err != nil {
		return nil, err
	}
	defer d.Close() // read-only
	return d.ReadDir(-1)
}

// Stat describes the file at rel (slash-separated) in the articles folder
// dir as the walk would see it: it fails, wrapping ErrOutside, for a path
// that is not local, passes through a linked folder (which the walk does
// not follow) or is a link leading outside dir, and for a path more than
// MaxDepth folders deep. A missing file wraps fs.ErrNotExist.
func Stat(dir, rel string) (fs.FileInfo, error) {
	rel = path.Clean(rel)
	if !filepath.IsLocal(filepath.FromSlash(rel)) {
		return nil, fmt.Errorf("%s: %w", rel, ErrOutside)
	}
	if depth := strings.Count(rel, "/"); depth > MaxDepth {
		return nil, fmt.Errorf("%s is %d folders deep, over the cap of %d: not read", rel, depth, MaxDepth)
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, fmt.Errorf("articles folder %s: %w", dir, err)
	}
	defer root.Close()
	for i := 0; i < len(rel); i++ {
		if rel[i] != '/' {
			continue
		}
		info, err := root.Lstat(rel[:i])
		if err != nil {
			return nil, err
		}
		if info.Mode()&fs.ModeSymlink != 0 {
			return nil, fmt.Errorf("%s is in %s, a linked folder, which %w: not read", rel, rel[:i], ErrOutside)
		}
	}
	return stat(root, dir, rel)
}

// readLimited reads the regular file rel in the folder dir, refusing one
// larger than its format's cap (MaxSize) before reading a byte of it,
// and returns its contents and what Stat said of it.
func readLimited(dir, rel string) ([]byte, fs.FileInfo, error) {
	if !filepath.IsLocal(filepath.FromSlash(rel)) {
		return nil, nil, fmt.Errorf("path %w", ErrOutside)
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, nil, err
	}
	defer root.Close()
	info, err := stat(root, dir, rel)
	if err != nil {
		return nil, nil, err
	}
	if !info.Mode().IsRegular() {
		return nil, nil, fmt.Errorf("%s is not a regular file", rel)
	}
	limit := MaxSize(rel)
	if info.Size() > limit {
		return nil, nil, fmt.Errorf("%s is %d bytes, over the %d-byte limit on one file: not read", rel, info.Size(), limit)
	}
	fh, err := root.Open(rel)
	if err != nil {
		return nil, nil, err
	}
	defer fh.Close() // read-only: a close error cannot lose data
	data, err := io.ReadAll(io.LimitReader(fh, limit+1))
	if err != nil {
		return nil, nil, err
	}
	if int64(len(data)) > limit {
		return nil, nil, fmt.Errorf("%s grew past the %d-byte limit on one file while being read: not read", rel, limit)
	}
	return data, info, nil
}
