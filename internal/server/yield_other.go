//go:build !linux

package server

// GiveUpCore does nothing here: see yield_linux.go for what it does on
// Linux, where searchd is measured.
func GiveUpCore() {}
