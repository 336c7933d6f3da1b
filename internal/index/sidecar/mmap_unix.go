//go:build unix

package sidecar

import (
	"fmt"
	"os"
	"syscall"
)

// mapFile maps the file path read-only into memory and returns its bytes
// and the function that unmaps them. Pages are read from the page cache
// as they are touched: nothing is copied, and the bytes count as the
// file's pages, not as the process's own memory.
// The file's identity is returned too (see fileID).
func mapFile(path string) ([]byte, func() error, fileID, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, fileID{}, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, nil, fileID{}, err
	}
	size := st.Size()
	if size == 0 || size != int64(int(size)) {
		return nil, nil, fileID{}, fmt.Errorf("read %s: size %d", path, size)
	}
	b, err := syscall.Mmap(int(f.Fd()), 0, int(size), syscall.PROT_READ, syscall.MAP_SHARED)
	if err != nil {
		return nil, nil, fileID{}, fmt.Errorf("map %s: %w", path, err)
	}
	var id fileID
	if sys, ok := st.Sys().(*syscall.Stat_t); ok {
		id = fileID{dev: uint64(sys.Dev), ino: uint64(sys.Ino), size: size, mtime: st.ModTime().UnixNano()}
	}
	return b, func() error { return syscall.Munmap(b) }, id, nil
}
