package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// Limits on waiting for a daemon.
const (
	startTimeout = 30 * time.Second
	stopTimeout  = 15 * time.Second
	pollEvery    = 5 * time.Millisecond
	startTries   = 3 // a free port can be taken between choosing and binding it
)

// clockTicks is USER_HZ, the unit of CPU times in /proc/<pid>/stat. It is
// 100 on every Linux platform Go supports.
const clockTicks = 100

// daemon is a running search server process on loopback.
type daemon struct {
	cmd     *exec.Cmd
	URL     string // e.g. "http://127.0.0.1:41234"
	Port    int
	exited  chan struct{} // closed once the process has been waited for
	waitErr error         // set before exited is closed
	logPath string
	started time.Time
}

// health is what /healthz answers.
type health struct {
	Status   string `json:"status"`
	Articles uint64 `json:"articles"`
}

// startDaemon starts bin with "-index indexDir -addr 127.0.0.1:<free port>"
// and args, its output going to logPath, and waits until /healthz answers
// 200. It returns the daemon, the time from start to healthy, and what
// /healthz said. A port taken by someone else between choosing and binding it is
// retried with another.
func startDaemon(ctx context.Context, bin, indexDir, logPath string, args ...string) (*daemon, time.Duration, health, error) {
	var lastErr error
	for range startTries {
		d, ready, h, err := tryStart(ctx, bin, indexDir, logPath, args)
		if err == nil {
			return d, ready, h, nil
		}
		lastErr = err
		if !errors.Is(err, errAddrInUse) {
			break
		}
	}
	return nil, 0, health{}, lastErr
}

var errAddrInUse = errors.New("address already in use")

func tryStart(ctx context.Context, bin, indexDir, logPath string, args []string) (*daemon, time.Duration, health, error) {
	port, err := freePort()
	if err != nil {
		return nil, 0, health{}, err
	}
	logf, err := os.Create(logPath)
	if err != nil {
		return nil, 0, health{}, fmt.Errorf("daemon log: %w", err)
	}
	defer logf.Close() // the child holds its own descriptor
	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
	d := &daemon{
		cmd:     exec.Command(bin, append([]string{"-index", indexDir, "-addr", addr}, args...)...),
		URL:     "http://" + addr,
		Port:    port,
		exited:  make(chan struct{}),
		logPath: logPath,
	}
	d.cmd.Stdout, d.cmd.Stderr = logf, logf
	d.started = time.Now()
	if err := d.cmd.Start(); err != nil {
		return nil, 0, health{}, fmt.Errorf("start %s: %w", bin, err)
	}
	go func() {
		d.waitErr = d.cmd.Wait()
		close(d.exited)
	}()
	h, err := d.waitHealthy(ctx, startTimeout)
	if err != nil {
		d.kill()
		if bytes.Contains(d.logTail(5), []byte(errAddrInUse.Error())) {
			err = fmt.Errorf("%w: %w", errAddrInUse, err)
		}
		return nil, 0, health{}, err
	}
	return d, time.Since(d.started), h, nil
}

// freePort asks the kernel for a free TCP port on loopback. The port is
// released before returning, so the daemon can bind it; that leaves a short
// window in which another process could take it (startDaemon retries).
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("find a free port: %w", err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	if err := l.Close(); err != nil {
		return 0, fmt.Errorf("find a free port: %w", err)
	}
	return port, nil
}

// waitHealthy polls /healthz until it answers 200, the process exits, ctx is
// done or timeout passes.
func (d *daemon) waitHealthy(ctx context.Context, timeout time.Duration) (health, error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	client := &http.Client{Timeout: time.Second}
	tick := time.NewTicker(pollEvery)
	defer tick.Stop()
	for {
		if h, ok := d.healthz(ctx, client); ok {
			return h, nil
		}
		select {
		case <-d.exited:
			return health{}, fmt.Errorf("%s exited before answering /healthz (%v):\n%s", d.cmd, d.waitErr, d.logTail(10))
		case <-ctx.Done():
			return health{}, fmt.Errorf("%s: no answer on %s/healthz: %w\n%s", d.cmd, d.URL, ctx.Err(), d.logTail(10))
		case <-tick.C:
		}
	}
}

func (d *daemon) healthz(ctx context.Context, client *http.Client) (health, bool) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, d.URL+"/healthz", nil)
	if err != nil {
		return health{}, false
	}
	resp, err := client.Do(req)
	if err != nil {
		return health{}, false
	}
	defer resp.Body.Close()
	var h health
	if resp.StatusCode != http.StatusOK || json.NewDecoder(resp.Body).Decode(&h) != nil {
		return health{}, false
	}
	return h, true
}

// coresLent returns the daemon's newsfind_search_cores_lent_total, the
// searches it ranked on two cores, from its /metrics; false when it does
// not report it.
func (d *daemon) coresLent(ctx context.Context) (uint64, bool) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, d.URL+"/metrics", nil)
	if err != nil {
		return 0, false
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, false
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return 0, false
	}
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "newsfind_search_cores_lent_total "); ok {
			n, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
			return uint64(n), err == nil
		}
	}
	return 0, false
}

// Memory is a process's resident memory as /proc/<pid>/status reports it.
type Memory struct {
	RSSMB float64 `json:"rss_mb"` // VmRSS: resident now
	HWMMB float64 `json:"hwm_mb"` // VmHWM: peak resident
	// AnonMB and FileMB split RSSMB: the process's own memory (RssAnon:
	// heap, stacks) and the pages of mapped files in it (RssFile: for
	// searchd, the index segments bleve maps, which are the kernel's page
	// cache, shared and dropped under memory pressure).
	AnonMB float64 `json:"rss_anon_mb,omitempty"`
	FileMB float64 `json:"rss_file_mb,omitempty"`
}

// memory reads the daemon's resident memory now and at its peak.
func (d *daemon) memory() (Memory, error) {
	return procMemory(d.cmd.Process.Pid)
}

func procMemory(pid int) (Memory, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return Memory{}, fmt.Errorf("memory of process %d: %w", pid, err)
	}
	return parseProcStatus(b)
}

// parseProcStatus reads VmRSS, VmHWM, RssAnon and RssFile (in kB, that is
// KiB) from the text of /proc/<pid>/status; the last two are optional.
func parseProcStatus(b []byte) (Memory, error) {
	var m Memory
	fields := map[string]*float64{"VmRSS": &m.RSSMB, "VmHWM": &m.HWMMB, "RssAnon": &m.AnonMB, "RssFile": &m.FileMB}
	found := 0
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		key, val, ok := strings.Cut(sc.Text(), ":")
		dst := fields[key]
		if !ok || dst == nil {
			continue
		}
		kib, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(val), " kB"), 64)
		if err != nil {
			return m, fmt.Errorf("/proc status %s: %w", key, err)
		}
		*dst = kib * 1024 / 1e6
		if key == "VmRSS" || key == "VmHWM" {
			found++
		}
	}
	if found != 2 {
		return m, errors.New("/proc status: no VmRSS and VmHWM (not Linux?)")
	}
	return m, nil
}

// peakSampleEvery is how often watchPeakRSS reads a child's peak memory.
const peakSampleEvery = 10 * time.Millisecond

// Peaks are the highest resident memory of a process seen while it ran,
// in MB: HWM is the kernel's own peak (VmHWM); Anon and File are the
// highest samples of its two parts, its own memory (RssAnon) and the pages
// of files it maps (RssFile), each at its own moment, so they need not
// add up to HWM.
type Peaks struct {
	HWM, Anon, File float64
}

// watchPeakRSS samples the resident memory of process pid until the
// returned stop is called, and stop returns the peaks read. A peak reached
// in the last moments before exit can be missed.
//
// The kernel's own figure, getrusage's ru_maxrss, cannot be used for a
// child: exec records the high-water mark of the address space it replaces,
// and Go starts children sharing this process's address space (vfork), so a
// child's ru_maxrss is at least this process's own peak — the size of the
// bench (the corpus generator, in-process searches), not of the indexer.
func watchPeakRSS(pid int) (stop func() Peaks) {
	done := make(chan struct{})
	result := make(chan Peaks)
	go func() {
		var p Peaks
		t := time.NewTicker(peakSampleEvery)
		defer t.Stop()
		for {
			if m, err := procMemory(pid); err == nil {
				p.HWM = max(p.HWM, m.HWMMB)
				p.Anon = max(p.Anon, m.AnonMB)
				p.File = max(p.File, m.FileMB)
			}
			select {
			case <-done:
				result <- p
				return
			case <-t.C:
			}
		}
	}()
	return func() Peaks {
		close(done)
		return <-result
	}
}

// cpuSeconds returns the user+system CPU time the daemon has used so far.
func (d *daemon) cpuSeconds() (float64, error) {
	return procCPUSeconds(d.cmd.Process.Pid)
}

func procCPUSeconds(pid int) (float64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, fmt.Errorf("cpu time of process %d: %w", pid, err)
	}
	return parseProcStat(b)
}

// parseProcStat reads utime+stime from the text of /proc/<pid>/stat, in
// seconds. The command name (field 2) may hold spaces and parentheses, so
// fields are counted after its last ")".
func parseProcStat(b []byte) (float64, error) {
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return 0, fmt.Errorf("/proc stat %q: no command name", b)
	}
	f := strings.Fields(string(b[i+1:]))
	// After ")": state is field 3 of the man page, utime 14, stime 15.
	const utime, stime = 14 - 3, 15 - 3
	if len(f) <= stime {
		return 0, fmt.Errorf("/proc stat: only %d fields", len(f)+2)
	}
	u, err1 := strconv.ParseUint(f[utime], 10, 64)
	s, err2 := strconv.ParseUint(f[stime], 10, 64)
	if err := errors.Join(err1, err2); err != nil {
		return 0, fmt.Errorf("/proc stat: %w", err)
	}
	return float64(u+s) / clockTicks, nil
}

// Stop is how a daemon ended.
type Stop struct {
	ExitCode    int     `json:"exit_code"`
	Seconds     float64 `json:"seconds"` // from SIGTERM to exit
	UserSeconds float64 `json:"user_seconds"`
	SysSeconds  float64 `json:"sys_seconds"`
}

// stop sends SIGTERM and waits for the daemon to exit. It fails when the
// daemon does not exit within stopTimeout (it is then killed) or exits with
// a status other than 0.
func (d *daemon) stop() (Stop, error) {
	var st Stop
	start := time.Now()
	if err := d.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		return st, fmt.Errorf("stop %s: %w", d.cmd, err)
	}
	select {
	case <-d.exited:
	case <-time.After(stopTimeout):
		d.kill()
		return st, fmt.Errorf("stop %s: still running %v after SIGTERM; killed", d.cmd, stopTimeout)
	}
	st.Seconds = time.Since(start).Seconds()
	ps := d.cmd.ProcessState
	st.ExitCode = ps.ExitCode()
	if ru, ok := ps.SysUsage().(*syscall.Rusage); ok {
		st.UserSeconds, st.SysSeconds = tvSeconds(ru.Utime), tvSeconds(ru.Stime)
	}
	if !ps.Success() {
		return st, fmt.Errorf("stop %s: %v after SIGTERM, want exit status 0:\n%s", d.cmd, d.waitErr, d.logTail(10))
	}
	return st, nil
}

// kill ends the daemon at once and waits for it; it is a no-op once the
// daemon has exited, so it can be deferred after a successful stop.
func (d *daemon) kill() {
	select {
	case <-d.exited:
		return
	default:
	}
	d.cmd.Process.Kill() // fails only if it has exited meanwhile
	<-d.exited
}

// logTail returns the last n lines the daemon wrote.
func (d *daemon) logTail(n int) []byte {
	b, err := os.ReadFile(d.logPath)
	if err != nil {
		return []byte("(no log: " + err.Error() + ")")
	}
	return tail(b, n)
}
