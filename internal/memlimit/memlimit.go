// Package memlimit sets a process's garbage-collector defaults where the
// environment (GOGC, GOMEMLIMIT) leaves them unset.
package memlimit

import (
	"os"
	"runtime/debug"
)

// Default sets the collector's target percentage and soft memory limit
// (bytes), each unless its environment variable is set. Most of the heap of
// a newsfind process is short-lived garbage; with Go's defaults the heap
// grows to twice the live heap, and a soft limit caps that without making
// the collector run while the live heap is small.
func Default(gcPercent int, limit int64) {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(gcPercent)
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(limit)
	}
}

// AtLeast raises the soft memory limit to limit (bytes) when it is lower,
// unless GOMEMLIMIT sets it: for a limit that depends on what the process
// found after it started, such as the size of the index it serves.
func AtLeast(limit int64) {
	if os.Getenv("GOMEMLIMIT") == "" && debug.SetMemoryLimit(-1) < limit {
		debug.SetMemoryLimit(limit)
	}
}
