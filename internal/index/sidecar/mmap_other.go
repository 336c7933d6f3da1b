//go:build !unix

package sidecar

import "os"

// mapFile reads the file path into memory where mapping it is not
// supported; the memory is the collector's to free. It names no identity:
// every read checks the file whole.
func mapFile(path string) ([]byte, func() error, fileID, error) {
	b, err := os.ReadFile(path)
	return b, func() error { return nil }, fileID{}, err
}
