package main

import "github.com/newsfind/newsfind/internal/memlimit"

// The indexer's own garbage-collector settings, used when the environment
// sets none (GOGC and GOMEMLIMIT override them as usual). Most of a bulk
// build's heap is short-lived analysis and segment-building garbage; the
// live heap stays under ~250 MB whatever the corpus size. With Go's
// defaults the heap grows to twice the live heap (peak RSS ~750 MB on the
// synthetic 10k corpus); a soft memory limit caps it, and a higher GOGC
// keeps the collector from running more often than the limit needs while
// the live heap is small. Measured on the synthetic 10k corpus, one batch in
// flight: GOGC=100 434 MB / 1.0x, GOMEMLIMIT=300MiB 340 MB / 0.97-1.0x,
// with GOGC=200 as well 340 MB / 1.0-1.07x. Since metadata dates no longer
// load go-dateparser's tables (~25 MB live), a lower limit costs nothing:
// synthetic 100k, peak heap (RssAnon) 306 MB at 300 MiB and 257 MB at
// 250 MiB in the same time (57 s); 200 MiB took 1.19x as long. The heap
// sits at the limit for the whole build, and passes it for ~100 ms at
// times (a merge, the end-of-build tables): at a million articles, 250 MiB
// peaked at 298 and 315 MB of RssAnon in two bench runs, past the 300 MB
// target; 230 MiB at 277 and 295 MB (sampled every 10 ms: 234 MB between
// peaks, the highest at the end-of-build tables), in 1,548 and 1,593 s
// against 1,484-1,562 s at 250 MiB. At 100k, two interleaved pairs: 126 and 151 s at 250 MiB,
// 135 and 133 s at 230 MiB (peaks 254-270 and 236-239 MB).
const (
	defaultGCPercent   = 200
	defaultMemoryLimit = 230 << 20 // bytes
)

// tuneGC applies the indexer's defaults for what the environment leaves
// unset.
func tuneGC() { memlimit.Default(defaultGCPercent, defaultMemoryLimit) }
