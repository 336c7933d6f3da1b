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
func mapFile(path string) ([]byte, func() error, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, nil, err
	}
	size := st.Size()
	if size == 0 || size != int64(int(size)) {
		return nil, nil, fmt.Errorf("read %s: size %d", path, size)
	}
	b, err := syscall.Mmap(int(f.Fd()), 0, int(size), syscall.PROT_READ, syscall.MAP_SHARED)
	if err != nil {
		return nil, nil, fmt.Errorf("map %s: %w", path, err)
	}
	return b, func() error { return syscall.Munmap(b) }, nil
}
