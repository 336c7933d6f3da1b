package main

import (
	"debug/buildinfo"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"time"
)

// cleanUp removes a temporary index or log, saying so when it cannot: a
// leftover fills data/bench but does not spoil the figures.
func cleanUp(progress io.Writer, path string) {
	if err := os.RemoveAll(path); err != nil {
		fmt.Fprintf(progress, "bench: warning: %v\n", err)
	}
}

func hostInfo() Host {
	h := Host{
		CPUs:       runtime.NumCPU(),
		OS:         runtime.GOOS + "/" + runtime.GOARCH,
		LoadBefore: loadAvg(),
		BenchGo:    runtime.Version(),
	}
	h.Hostname, _ = os.Hostname() // informational only
	if b, err := os.ReadFile("/proc/meminfo"); err == nil {
		// "MemTotal:       24567890 kB"
		if f := strings.Fields(string(b)); len(f) >= 2 && f[0] == "MemTotal:" {
			if kib, err := strconv.ParseFloat(f[1], 64); err == nil {
				h.MemoryGB = kib * 1024 / 1e9
			}
		}
	}
	if b, err := os.ReadFile("/proc/sys/kernel/osrelease"); err == nil {
		h.Kernel = strings.TrimSpace(string(b))
	}
	if bi, ok := debug.ReadBuildInfo(); ok {
		h.BenchVersion = bi.Main.Version
	}
	return h
}

// loadAvg returns the 1, 5 and 15 minute load averages, or "" off Linux.
func loadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return ""
	}
	f := strings.Fields(string(b))
	return strings.Join(f[:min(3, len(f))], " ")
}

// machineCPUSeconds returns the CPU time the whole machine has spent busy
// since boot, from the first line of /proc/stat.
func machineCPUSeconds() (float64, error) {
	b, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 0, fmt.Errorf("machine cpu time: %w", err)
	}
	return parseMachineStat(b)
}

// parseMachineStat reads the busy time of all CPUs from the text of
// /proc/stat: user, nice, system, irq, softirq and steal (guest time is
// already inside user), in seconds.
func parseMachineStat(b []byte) (float64, error) {
	line, _, _ := strings.Cut(string(b), "\n")
	f := strings.Fields(line)
	if len(f) < 9 || f[0] != "cpu" {
		return 0, fmt.Errorf("/proc/stat: unexpected first line %q", line)
	}
	var busy uint64
	for _, i := range []int{1, 2, 3, 6, 7, 8} { // user nice system [idle iowait] irq softirq steal
		n, err := strconv.ParseUint(f[i], 10, 64)
		if err != nil {
			return 0, fmt.Errorf("/proc/stat: %w", err)
		}
		busy += n
	}
	return float64(busy) / clockTicks, nil
}

func binaryInfo(path string) Binary {
	b := Binary{Path: path}
	bi, err := buildinfo.ReadFile(path)
	if err != nil {
		return b
	}
	b.Go = bi.GoVersion
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			b.Revision = s.Value
		case "vcs.modified":
			b.Modified = s.Value == "true"
		case "vcs.time":
			b.Time = s.Value
		case "-tags":
			b.Tags = s.Value
		}
	}
	return b
}

func writeJSON(file string, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return fmt.Errorf("report: %w", err)
	}
	if err := os.WriteFile(file, append(b, '\n'), 0o644); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	return nil
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
