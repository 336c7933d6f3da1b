package main

import (
	"cmp"
	"fmt"
	"io"
	"runtime"
	"slices"
	"strings"
	"text/tabwriter"
)

// slowestShown is how many of the slowest queries a table lists.
const slowestShown = 5

func table(w io.Writer) *tabwriter.Writer {
	return tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
}

// printCorpus writes one readable table of a corpus's figures.
func printCorpus(w io.Writer, r CorpusResult, verbose bool) {
	c := r.Corpus
	fmt.Fprintf(w, "\n== %s (%s): %d files, %.2f MB", c.Name, c.Path, c.Files, c.MB)
	if s := c.Synthetic; s != nil {
		fmt.Fprintf(w, "; generated (synth v%d, seed %d, learnt from %d articles: %s)", s.Version, s.Seed, s.TrainingArticles, strings.Join(s.Topics, ", "))
	}
	fmt.Fprintf(w, "; load average before: %s\n", r.LoadAvg)
	if r.Error != "" {
		fmt.Fprintf(w, "!! stopped: %s\n", r.Error)
	}
	if r.Reused != "" {
		fmt.Fprintf(w, "(indexes reused from the run of %s: no indexing figures)\n", r.Reused)
	}
	printIndexing(w, r)
	printInProcess(w, r)

	s := r.Searchd
	if s.StartupMS > 0 {
		fmt.Fprintf(w, "\nsearchd: healthy %.0f ms after exec, serving %d articles; RSS idle %s MB, after load %s MB (peak %.1f MB)",
			s.StartupMS, s.Articles, rssSplit(s.MemoryIdle), rssSplit(s.MemoryLoaded), s.MemoryLoaded.HWMMB)
		if s.Stop.Seconds > 0 {
			fmt.Fprintf(w, "; SIGTERM → exit %d in %.0f ms", s.Stop.ExitCode, s.Stop.Seconds*1000)
		}
		fmt.Fprintln(w)
	}
	printLoads(w, r)
	printQueries(w, r, verbose)
}

func printIndexing(w io.Writer, r CorpusResult) {
	type run struct {
		engine string
		runs   []IndexRun
	}
	all := []run{{r.Engine, r.Indexing}}
	if r.Peer != nil {
		all = append(all, run{r.Peer.Engine, r.Peer.Indexing})
	}
	if len(r.Indexing) == 0 {
		return
	}
	fmt.Fprintln(w)
	tw := table(w)
	fmt.Fprintln(tw, "indexing\tarticles\twall s\tdocs/s\ttext MB/s\t\tbuild s\tdocs/s\ttext MB/s\t\tCPU cores\tother CPU\tpeak RSS MB\town\tmapped\tindex MB\tsegments\tindex/text\t")
	for _, e := range all {
		for i, x := range e.runs {
			fmt.Fprintf(tw, "%s run %d\t%d\t%.2f\t%.0f\t%.2f\t\t%.2f\t%.0f\t%.2f\t\t%.2f\t%.2f\t%.0f\t%.0f\t%.0f\t%.2f\t%d\t%.2f\t\n",
				e.engine, i+1, x.Articles, x.WallSeconds, x.WallArticlesPerSec, x.WallTextMBPerSec,
				x.BuildSeconds, x.BuildArticlesPerSec, x.BuildTextMBPerSec,
				x.CPUCores, x.OtherCPUCores, x.PeakRSSMB, x.PeakAnonMB, x.PeakFileMB, x.IndexMB, x.IndexSegments, x.IndexToTextRatio)
		}
	}
	tw.Flush()
	last := r.Indexing[len(r.Indexing)-1]
	fmt.Fprintf(w, "(wall: exec to exit, measured here; build: the indexer's own figures. %.2f MB of article text;"+
		" files: %d seen, %d skipped, %d not articles)\n", last.TextMB, last.Files, last.Skipped, last.Unsupported)
}

func printInProcess(w io.Writer, r CorpusResult) {
	runs := []*InProcess{r.Search}
	if r.Peer != nil {
		runs = append(runs, r.Peer.Search)
		if r.Peer.Note != "" {
			fmt.Fprintf(w, "(%s: %s)\n", r.Peer.Engine, r.Peer.Note)
		}
	}
	if r.Search == nil {
		return
	}
	fmt.Fprintln(w)
	tw := table(w)
	fmt.Fprintln(tw, "in-process search\topen ms\tsearches\tper s\tmean ms\tp50 ms\tp95 ms\tp99 ms\tmax ms\t\tfirst pass p50 ms\tmax ms\t\tCPU cores\tother CPU\t")
	for _, x := range runs {
		if x == nil {
			continue
		}
		l := x.Load
		fmt.Fprintf(tw, "%s\t%.1f\t%d\t%.0f\t%.3f\t%.3f\t%.3f\t%.3f\t%.3f\t\t%.3f\t%.3f\t\t%.2f\t%.2f\t\n",
			x.Engine, x.OpenMS, l.Requests, l.PerSec, l.MeanMS, l.P50MS, l.P95MS, l.P99MS, l.MaxMS, x.First.P50MS, x.First.MaxMS, l.BenchCPU, l.OtherCPU)
	}
	tw.Flush()
	fmt.Fprintf(w, "(one search at a time in this process, %s then %s, for %.0f s or at least %d passes over the %d queries, after a first pass;"+
		" top 10 with highlighted fragments and facets)\n", r.Engine, peerName(r), r.Search.Load.Seconds, minPasses, len(r.Search.Queries))
}

func printLoads(w io.Writer, r CorpusResult) {
	if len(r.Loads) == 0 {
		return
	}
	fmt.Fprintln(w)
	tw := table(w)
	fmt.Fprintln(tw, "HTTP queries\tresult cache\tclients\trequests\tfailed\tof them 503\treq/s\tmean ms\tp50 ms\tp95 ms\tp99 ms\tmax ms\tKB/resp\tsearchd CPU\tbench CPU\tother CPU\tsplit\t")
	for _, l := range r.Loads {
		if l.Phase == "open" {
			continue // their own table, below
		}
		cpu := func(x float64) string {
			if l.Phase != "load" {
				return "-"
			}
			return fmt.Sprintf("%.2f", x)
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%d\t%d\t%.0f\t%.2f\t%.2f\t%.2f\t%.2f\t%.2f\t%.1f\t%s\t%s\t%s\t%s\t\n",
			l.Phase, cmp.Or(l.Cache, "-"), l.Clients, l.Requests, l.Failures, l.Shed, l.PerSec, l.MeanMS, l.P50MS, l.P95MS, l.P99MS, l.MaxMS,
			l.ResponseKB, cpu(l.SearchdCPU), cpu(l.BenchCPU), cpu(l.OtherCPU), splitShare(l))
	}
	tw.Flush()
	fmt.Fprintf(w, "(%d distinct queries in rounds, each round all of them in an order of its own, each level for -duration or at least %d passes, after one; latency is client-side"+
		" over loopback HTTP, request sent to body read, of the successful requests; 503: searchd gave up on the request (its time limit);"+
		" CPU in cores, of %d; other = the rest of the machine; split = the share of searches searchd ranked on two cores, one being idle)\n", len(r.Queries), minPasses, runtime.NumCPU())
	fmt.Fprintf(w, "(%s)\n", cacheLegend(r))
	printOpenLoads(w, r)
}

// splitShare is l.Split as a percentage, "-" when unknown.
func splitShare(l Load) string {
	if l.Split == nil {
		return "-"
	}
	return fmt.Sprintf("%.0f %%", 100**l.Split)
}

// printOpenLoads prints the open-loop loads of a corpus, if any.
func printOpenLoads(w io.Writer, r CorpusResult) {
	if !slices.ContainsFunc(r.Loads, func(l Load) bool { return l.Phase == "open" }) {
		return
	}
	fmt.Fprintln(w)
	tw := table(w)
	fmt.Fprintln(tw, "HTTP open loop\tresult cache\tdue req/s\tmax in flight\trequests\tfailed\tof them 503\tdone req/s\tmean ms\tp50 ms\tp95 ms\tp99 ms\tmax ms\tsearchd CPU\tbench CPU\tother CPU\tsplit\t")
	for _, l := range r.Loads {
		if l.Phase != "open" {
			continue
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%d\t%d\t%d\t%.0f\t%.2f\t%.2f\t%.2f\t%.2f\t%.2f\t%.2f\t%.2f\t%.2f\t%s\t\n",
			l.Phase, cmp.Or(l.Cache, "-"), l.Rate, l.Clients, l.Requests, l.Failures, l.Shed, l.PerSec, l.MeanMS, l.P50MS, l.P95MS, l.P99MS, l.MaxMS,
			l.SearchdCPU, l.BenchCPU, l.OtherCPU, splitShare(l))
	}
	tw.Flush()
	fmt.Fprintln(w, "(open loop: a request falls due every 1/rate s for -duration whatever the answers take, the queries in rounds as above;"+
		" latency runs from when each request was due to its body read, so time spent behind a slow answer counts"+
		" (no coordinated omission), while the closed-loop levels above time from the actual send and slow down with searchd;"+
		" done req/s below due req/s means searchd, or this machine, did not keep up)")
}

// cacheLegend says what the result cache column of a corpus's loads means
// and whether the cached loads really were answered from the cache.
func cacheLegend(r CorpusResult) string {
	rc := r.Searchd.ResultCache
	switch {
	case rc == nil:
		return "result cache: not measured"
	case rc.Unsupported:
		return "result cache: searchd refused cache=false, so it has none; one set of loads, without the parameter"
	}
	s := fmt.Sprintf("result cache off: every request with cache=false, searched in the index each time; on: the same %d searches repeated"+
		" after the fill pass, answered from searchd's result cache — after the loads %d of %d answered \"cached\": true",
		len(r.Queries), rc.Cached, rc.Checked)
	if rc.CachedInFill > 0 {
		s += fmt.Sprintf("; %d were cached before the fill (cache=false did not keep them out)", rc.CachedInFill)
	}
	return s
}

func printQueries(w io.Writer, r CorpusResult, verbose bool) {
	if len(r.Queries) == 0 || (r.Search == nil && len(r.Loads) == 0) {
		return
	}
	shown := sortedBySlowest(r.Queries)
	title := fmt.Sprintf("slowest %d queries", min(slowestShown, len(shown)))
	if verbose {
		title = "every query"
	} else {
		shown = shown[:min(slowestShown, len(shown))]
	}
	peer := "peer"
	if r.Peer != nil {
		peer = r.Peer.Engine
	}
	fmt.Fprintf(w, "\n%s (in-process p50, and over HTTP with searchd's result cache off: p50 at %d client%s, the first request, and searchd's took_ms of it):\n",
		title, firstLevel(r.Loads), plural(firstLevel(r.Loads)))
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "  kind\tquery\thits\t%s hits\tp50 ms\t%s p50 ms\tHTTP uncached p50 ms\tHTTP cold ms\tindex took ms\tKB\n", peer, peer)
	for _, q := range shown {
		fmt.Fprintf(tw, "  %s\t%s\t%d\t%d\t%.3f\t%.3f\t%.2f\t%.2f\t%.2f\t%.1f\n", q.Kind, q.Query, max(q.SearchHits, q.Hits), q.PeerHits,
			q.SearchP50MS, q.PeerP50MS, q.WarmP50MS, q.ColdMS, q.ServerTookMS, q.ResponseKB)
	}
	tw.Flush()
}

func peerName(r CorpusResult) string {
	if r.Peer == nil {
		return "no peer"
	}
	return r.Peer.Engine
}

// sortedBySlowest returns the queries, slowest first: by in-process p50
// when measured, else by HTTP warm p50.
func sortedBySlowest(qs []QueryResult) []QueryResult {
	key := func(q QueryResult) float64 {
		if q.SearchP50MS > 0 {
			return q.SearchP50MS
		}
		return q.WarmP50MS
	}
	s := slices.Clone(qs)
	slices.SortStableFunc(s, func(a, b QueryResult) int {
		switch {
		case key(a) > key(b):
			return -1
		case key(a) < key(b):
			return 1
		}
		return 0
	})
	return s
}

// printSummary writes the tables across corpora: the ratios of newsfind to
// the peer, the raw figures behind them, searchd's, and growth.
func printSummary(w io.Writer, rep Report) {
	if len(rep.Results) == 0 {
		return
	}
	peer := rep.Bench.Peer
	if len(rep.Comparison) > 0 {
		fmt.Fprintf(w, "\n==== %s ÷ %s, same files, same run (indexing: each engine's process, exec to exit; search: in-process, warm)\n\n", rep.Bench.Engine, peer)
		tw := table(w)
		fmt.Fprintln(tw, "corpus\tarticles\tarticles/s\ttext MB/s\tpeak RSS\tindex size\tsearch p50\tsearch p99\t")
		for _, c := range rep.Comparison {
			fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t%s\t%s\t%s\t%s\t\n", c.Corpus, c.Articles,
				fx(c.ArticlesPerSec), fx(c.TextMBPerSec), fx(c.PeakRSS), fx(c.IndexSize), fx(c.P50), fx(c.P99))
		}
		tw.Flush()
		fmt.Fprintf(w, "(above 1: %s has more of it — better for articles/s and MB/s, worse for the rest)\n", rep.Bench.Engine)
	}

	fmt.Fprintf(w, "\n==== raw figures\n\n")
	tw := table(w)
	fmt.Fprintln(tw, "corpus\tengine\tarticles\ttext MB\twall s\tarticles/s\ttext MB/s\tCPU cores\tpeak RSS MB\tindex MB\t\topen ms\tsearches/s\tp50 ms\tp95 ms\tp99 ms\tmax ms\t")
	for _, r := range rep.Results {
		row := func(engine string, runs []IndexRun, s *InProcess) {
			f := indexFigures(runs)
			var text, cores float64
			if n := len(runs); n > 0 {
				text, cores = runs[n-1].TextMB, runs[n-1].CPUCores
			}
			fmt.Fprintf(tw, "%s\t%s\t%d\t%.1f\t%s\t%s\t%s\t%s\t%s\t%s\t\t", r.Corpus.Name, engine, articles(r), text,
				num(f.seconds, 2), num(f.articlesPerSec, 0), num(f.textMBPerSec, 2), num(cores, 2), num(f.peakRSSMB, 0), num(f.indexMB, 1))
			if s == nil {
				fmt.Fprint(tw, "-\t-\t-\t-\t-\t-\t\n")
				return
			}
			l := s.Load
			fmt.Fprintf(tw, "%.1f\t%.0f\t%.3f\t%.3f\t%.3f\t%.3f\t\n", s.OpenMS, l.PerSec, l.P50MS, l.P95MS, l.P99MS, l.MaxMS)
		}
		row(r.Engine, r.Indexing, r.Search)
		if r.Peer != nil {
			row(r.Peer.Engine, r.Peer.Indexing, r.Peer.Search)
		}
	}
	tw.Flush()

	printSearchdSummary(w, rep)
	printGrowth(w, rep)
}

func printSearchdSummary(w io.Writer, rep Report) {
	var levels []int
	for _, r := range rep.Results {
		for _, l := range r.Loads {
			if l.Phase == "load" && !slices.Contains(levels, l.Clients) {
				levels = append(levels, l.Clients)
			}
		}
	}
	if len(levels) == 0 {
		return
	}
	slices.Sort(levels)
	fmt.Fprintf(w, "\n==== searchd over loopback HTTP (%s)\n\n", rep.Bench.Engine)
	tw := table(w)
	fmt.Fprint(tw, "corpus\tready ms\tRSS idle MB (own+files)\tRSS after MB (own+files)\tresult cache\t")
	for _, c := range levels {
		fmt.Fprintf(tw, "\t%d client%s req/s\tp50 ms\tp99 ms\t", c, plural(c))
	}
	fmt.Fprintln(tw)
	queries := 0
	for _, r := range rep.Results {
		s := r.Searchd
		if s.StartupMS == 0 {
			continue
		}
		queries = max(queries, len(r.Queries))
		row := func(head string, cached bool) {
			fmt.Fprint(tw, head)
			for _, c := range levels {
				l, ok := level(r.Loads, c, cached)
				if !ok {
					fmt.Fprint(tw, "\t-\t-\t-\t")
					continue
				}
				fmt.Fprintf(tw, "\t%.0f\t%.2f\t%.2f\t", l.PerSec, l.P50MS, l.P99MS)
			}
			fmt.Fprintln(tw)
		}
		off := "off"
		if rc := s.ResultCache; rc == nil || rc.Unsupported {
			off = "none"
		}
		row(fmt.Sprintf("%s\t%.0f\t%s\t%s\t%s\t", r.Corpus.Name, s.StartupMS, rssSplit(s.MemoryIdle), rssSplit(s.MemoryLoaded), off), false)
		if slices.ContainsFunc(r.Loads, func(l Load) bool { return isLevel(l, true) }) {
			on := "on"
			if rc := s.ResultCache; rc != nil {
				on = fmt.Sprintf("on, %d/%d hit", rc.Cached, rc.Checked)
			}
			row(fmt.Sprintf("%s\t\t\t\t%s\t", r.Corpus.Name, on), true)
		}
	}
	tw.Flush()
	fmt.Fprintf(w, "(result cache off: every request with cache=false, so searchd searches its index each time; on: the same %d searches"+
		" repeated after a fill pass, answered from searchd's result cache — x/y hit: x of the y queries answered \"cached\": true after the loads;"+
		" none: searchd has no result cache. RSS after: after all the loads, the cache's contents included; own = RssAnon (heap, stacks), files = RssFile (the index segments bleve maps: the kernel's page cache, shared, dropped under memory pressure))\n", queries)
}

// isLevel reports whether l is a concurrency level (not a warm-up or fill
// pass) of the loads answered from searchd's result cache (cached) or of
// those that were not.
func isLevel(l Load, cached bool) bool {
	return l.Phase == "load" && (l.Cache == cacheOn) == cached
}

// level returns the concurrency level of clients among loads, answered
// from the result cache or not, and whether there is one.
func level(loads []Load, clients int, cached bool) (Load, bool) {
	i := slices.IndexFunc(loads, func(l Load) bool { return isLevel(l, cached) && l.Clients == clients })
	if i < 0 {
		return Load{}, false
	}
	return loads[i], true
}

func printGrowth(w io.Writer, rep Report) {
	if len(rep.Growth) == 0 {
		return
	}
	peer := rep.Bench.Peer
	if peer == "" {
		peer = "peer"
	}
	nf := rep.Bench.Engine
	var levels []int
	for _, g := range rep.Growth {
		for c := range g.HTTPP99 {
			if !slices.Contains(levels, c) {
				levels = append(levels, c)
			}
		}
	}
	slices.Sort(levels)
	fmt.Fprintf(w, "\n==== growth: exponent k of figure ∝ articles^k between corpora (1 = linear, 0 = flat)\n\n")
	tw := table(w)
	fmt.Fprintf(tw, "from\tto\tarticles ×\tindex time %s\t%s\tpeak RSS %s\t%s\t%s own\t%s mapped\tindex size %s\t%s\tsearch p99 %s\t%s\t", nf, peer, nf, peer, nf, nf, nf, peer, nf, peer)
	for _, c := range levels {
		fmt.Fprintf(tw, "HTTP p99 @%d uncached\t", c)
	}
	fmt.Fprintln(tw)
	for _, g := range rep.Growth {
		fmt.Fprintf(tw, "%s\t%s\t%.1f\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t", g.From, g.To, float64(g.ToArticles)/float64(g.FromArticles),
			exp(g.IndexSeconds), exp(g.PeerIndexSeconds), exp(g.PeakRSS), exp(g.PeerPeakRSS), exp(g.PeakOwn), exp(g.PeakMapped), exp(g.IndexMB), exp(g.PeerIndexMB), exp(g.P99), exp(g.PeerP99))
		for _, c := range levels {
			k, ok := g.HTTPP99[c]
			if !ok {
				fmt.Fprint(tw, "-\t")
				continue
			}
			fmt.Fprintf(tw, "%.2f\t", k)
		}
		fmt.Fprintln(tw)
	}
	tw.Flush()
}

// fx formats a ratio or exponent, "-" when missing (0).
func fx(x float64) string {
	if x == 0 {
		return "-"
	}
	return fmt.Sprintf("%.2f", x)
}

// exp formats an exponent, "-" when missing.
func exp(k *float64) string {
	if k == nil {
		return "-"
	}
	return fmt.Sprintf("%.2f", *k)
}

// num formats a figure with prec decimals, "-" when missing (0).
func num(x float64, prec int) string {
	if x == 0 {
		return "-"
	}
	return fmt.Sprintf("%.*f", prec, x)
}

// firstLevel is the concurrency whose per-query figures the report keeps:
// that of the first load level without the result cache.
func firstLevel(loads []Load) int {
	for _, l := range loads {
		if isLevel(l, false) {
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

// rssSplit formats resident memory with its split, when known, into the
// process's own memory and mapped file pages: "456.0 (99+357)".
func rssSplit(m Memory) string {
	if m.AnonMB == 0 && m.FileMB == 0 {
		return fmt.Sprintf("%.1f", m.RSSMB)
	}
	return fmt.Sprintf("%.1f (%.0f+%.0f)", m.RSSMB, m.AnonMB, m.FileMB)
}
