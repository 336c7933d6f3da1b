package memlimit

import (
	"runtime/debug"
	"testing"
)

// Default applies what the environment leaves unset, and leaves alone what
// it sets.
func TestDefault(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(-1))

	t.Setenv("GOGC", "")
	t.Setenv("GOMEMLIMIT", "")
	Default(150, 123<<20)
	if got := debug.SetGCPercent(150); got != 150 {
		t.Errorf("GC percent %d, want 150", got)
	}
	if got := debug.SetMemoryLimit(-1); got != 123<<20 {
		t.Errorf("memory limit %d, want %d", got, 123<<20)
	}

	debug.SetGCPercent(100)
	t.Setenv("GOGC", "100")
	t.Setenv("GOMEMLIMIT", "1GiB")
	before := debug.SetMemoryLimit(-1)
	Default(150, 123<<20)
	if got := debug.SetGCPercent(100); got != 100 {
		t.Errorf("GOGC set: GC percent %d, want 100", got)
	}
	if got := debug.SetMemoryLimit(-1); got != before {
		t.Errorf("GOMEMLIMIT set: memory limit %d, want %d", got, before)
	}
}

// AtLeast raises the limit, never lowers it, and leaves a GOMEMLIMIT alone.
func TestAtLeast(t *testing.T) {
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(-1))

	t.Setenv("GOMEMLIMIT", "")
	debug.SetMemoryLimit(200 << 20)
	AtLeast(500 << 20)
	if got := debug.SetMemoryLimit(-1); got != 500<<20 {
		t.Errorf("raised: limit %d, want %d", got, 500<<20)
	}
	AtLeast(300 << 20)
	if got := debug.SetMemoryLimit(-1); got != 500<<20 {
		t.Errorf("a lower one: limit %d, want %d kept", got, 500<<20)
	}
	t.Setenv("GOMEMLIMIT", "1GiB")
	debug.SetMemoryLimit(1 << 30)
	AtLeast(2 << 30)
	if got := debug.SetMemoryLimit(-1); got != 1<<30 {
		t.Errorf("GOMEMLIMIT set: limit %d, want %d", got, 1<<30)
	}
}
