package server

import "syscall"

// giveUpCore moves the calling thread behind the others waiting for its
// core (sched_yield(2)). searchd calls it once a search's answer is sent
// (see admit). The answer wakes a thread: the client's, when it shares
// the machine (a load generator, a reverse proxy), or searchd's own that
// reads the next request. With every core searching, the kernel would
// run that thread only at its next tick (4 ms at 250 Hz) or when its
// slice runs out, while the next search starts on the core at once;
// given up, the core runs it first. Under 8 clients at 100,000 articles
// the p99 fell by 1–2 ms for ~4 % more of searchd's CPU a request
// (docs/PERFORMANCE.md, session 40).
func giveUpCore() {
	_, _, _ = syscall.Syscall(syscall.SYS_SCHED_YIELD, 0, 0, 0)
}
