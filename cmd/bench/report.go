package main

import (
	"fmt"
	"io"
	"runtime"
	"text/tabwriter"
)

// slowestShown is how many of the slowest queries a table lists.
const slowestShown = 5

// printCorpus writes one readable table of a corpus's figures.
func printCorpus(w io.Writer, r CorpusResult, verbose bool) {
	c := r.Corpus
	fmt.Fprintf(w, "\n== %s (%s): %d files, %.2f MB; engine %s; load average before: %s\n", c.Name, c.Path, c.Files, c.MB, r.Engine, r.LoadAvg)
	if r.Error != "" {
		fmt.Fprintf(w, "!! stopped: %s\n", r.Error)
	}

	if len(r.Indexing) > 0 {
		fmt.Fprintln(w)
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
		fmt.Fprintln(tw, "indexing\tarticles\twall s\tdocs/s\ttext MB/s\t\tbuild s\tdocs/s\ttext MB/s\t\tCPU cores\tother CPU\tpeak RSS MB\tindex MB\tsegments\tindex/text\t")
		for i, x := range r.Indexing {
			fmt.Fprintf(tw, "run %d\t%d\t%.2f\t%.0f\t%.2f\t\t%.2f\t%.0f\t%.2f\t\t%.2f\t%.2f\t%.0f\t%.2f\t%d\t%.2f\t\n",
				i+1, x.Articles, x.WallSeconds, x.WallArticlesPerSec, x.WallTextMBPerSec,
				x.BuildSeconds, x.BuildArticlesPerSec, x.BuildTextMBPerSec,
				x.CPUCores, x.OtherCPUCores, x.PeakRSSMB, x.IndexMB, x.IndexSegments, x.IndexToTextRatio)
		}
		tw.Flush()
		last := r.Indexing[len(r.Indexing)-1]
		fmt.Fprintf(w, "(wall: exec to exit, measured here; build: the indexer's own figures. %.2f MB of article text;"+
			" files: %d seen, %d skipped, %d not articles)\n", last.TextMB, last.Files, last.Skipped, last.Unsupported)
	}

	s := r.Searchd
	if s.StartupMS > 0 {
		fmt.Fprintf(w, "\nsearchd: healthy %.0f ms after exec, serving %d articles; RSS idle %.1f MB, after load %.1f MB (peak %.1f MB)",
			s.StartupMS, s.Articles, s.MemoryIdle.RSSMB, s.MemoryLoaded.RSSMB, s.MemoryLoaded.HWMMB)
		if s.Stop.Seconds > 0 {
			fmt.Fprintf(w, "; SIGTERM → exit %d in %.0f ms", s.Stop.ExitCode, s.Stop.Seconds*1000)
		}
		fmt.Fprintln(w)
	}

	if len(r.Loads) > 0 {
		fmt.Fprintln(w)
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
		fmt.Fprintln(tw, "queries\tclients\trequests\tfailed\treq/s\tmean ms\tp50 ms\tp95 ms\tp99 ms\tmax ms\tKB/resp\tsearchd CPU\tbench CPU\tother CPU\t")
		for _, l := range r.Loads {
			cpu := func(x float64) string {
				if l.Phase != "load" {
					return "-"
				}
				return fmt.Sprintf("%.2f", x)
			}
			fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%.0f\t%.2f\t%.2f\t%.2f\t%.2f\t%.2f\t%.1f\t%s\t%s\t%s\t\n",
				l.Phase, l.Clients, l.Requests, l.Failures, l.PerSec, l.MeanMS, l.P50MS, l.P95MS, l.P99MS, l.MaxMS,
				l.ResponseKB, cpu(l.SearchdCPU), cpu(l.BenchCPU), cpu(l.OtherCPU))
		}
		tw.Flush()
		fmt.Fprintf(w, "(%d distinct queries in turn; latency is client-side over loopback HTTP, request sent to body read;"+
			" CPU in cores, of %d; other = the rest of the machine)\n", len(r.Queries), runtime.NumCPU())
	}

	if len(r.Queries) > 0 {
		shown := sortedByWarmP50(r.Queries)
		title := fmt.Sprintf("slowest %d queries", min(slowestShown, len(shown)))
		if verbose {
			title = "every query"
		} else {
			shown = shown[:min(slowestShown, len(shown))]
		}
		fmt.Fprintf(w, "\n%s (warm p50 at %d client%s):\n", title, firstLevel(r.Loads), plural(firstLevel(r.Loads)))
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "  kind\tquery\thits\twarm p50 ms\tcold ms\tindex took ms\tKB")
		for _, q := range shown {
			fmt.Fprintf(tw, "  %s\t%s\t%d\t%.2f\t%.2f\t%.2f\t%.1f\n", q.Kind, q.Query, q.Hits, q.WarmP50MS, q.ColdMS, q.ServerTookMS, q.ResponseKB)
		}
		tw.Flush()
	}
}

// firstLevel is the concurrency whose per-query figures the report keeps:
// that of the first load level.
func firstLevel(loads []Load) int {
	for _, l := range loads {
		if l.Phase == "load" {
			return l.Clients
		}
	}
	return 0
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}
