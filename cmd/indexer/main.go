// Command indexer builds and updates newsfind's search index from a folder
// of article files. Each run that changes something writes a new index
// generation and switches to it atomically, so a running searchd keeps
// serving throughout.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/newsfind/newsfind/internal/article"
	"github.com/newsfind/newsfind/internal/corpus"
	"github.com/newsfind/newsfind/internal/index"
	"github.com/newsfind/newsfind/internal/index/gen"
	"github.com/newsfind/newsfind/internal/search"
	"golang.org/x/term"
)

func main() {
	var (
		articles = flag.String("articles", "seeds", "folder of article files to index")
		indexDir = flag.String("index", "data/index", "index folder (generations, CURRENT, manifest)")
		full     = flag.Bool("full", false, "rebuild from scratch instead of updating what changed")
		batch    = flag.Int("batch", gen.DefaultBatchSize, "articles per index batch")
		quiet    = flag.Bool("q", false, "print only the summary and errors")
		asJSON   = flag.Bool("json", false, "print the summary as one JSON object (for scripts)")
		watch    = flag.Bool("watch", false, "after updating, keep watching -articles and index changes as they happen")
		explain  = flag.String("explain", "", "print what the reader extracts from `FILE`, and where each field came from, as JSON; index nothing")
		cpuProf  = flag.String("cpuprofile", "", "write a CPU profile of the run to `FILE` (for go tool pprof)")
		memProf  = flag.String("memprofile", "", "write a heap profile at the end of the run to `FILE`")
		exp      exportFlags
	)
	flag.StringVar(&exp.bulk, "export-bulk", "", "write the articles of -articles, with their metadata, to `FILE` as an OpenSearch _bulk stream; index nothing")
	flag.StringVar(&exp.mapping, "export-mapping", "", "write an OpenSearch index mapping whose analysis matches newsfind's to `FILE`; index nothing")
	flag.Int64Var(&exp.maxBytes, "export-max-bytes", 0, "split -export-bulk into files of at most `N` bytes (FILE-001.ndjson, …), cut between articles; 0: one file")
	flag.Usage = func() {
		fmt.Fprintf(flag.CommandLine.Output(), `Usage: indexer [flags]

Bring the index in -index up to date with the articles in -articles: new
files are added, changed ones re-indexed, deleted ones removed. The first
run, or -full, builds from scratch. With -export-bulk or -export-mapping
it writes files for OpenSearch instead and indexes nothing (docs/SCALING.md).

`)
		flag.PrintDefaults()
	}
	flag.Parse()

	set := map[string]bool{}
	flag.Visit(func(f *flag.Flag) { set[f.Name] = true })
	if set["export-max-bytes"] && exp.bulk == "" {
		fmt.Fprintln(os.Stderr, "indexer: -export-max-bytes splits -export-bulk's file: give -export-bulk FILE too")
		os.Exit(2)
	}
	if exp.on() {
		if err := exportConflicts(set); err != nil {
			fmt.Fprintln(os.Stderr, "indexer:", err)
			os.Exit(2)
		}
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		defer stop()
		if err := runExport(ctx, *articles, exp, output{asJSON: *asJSON, out: os.Stdout, errOut: os.Stderr}); err != nil {
			fmt.Fprintln(os.Stderr, "indexer:", err)
			os.Exit(1)
		}
		return
	}
	if *explain != "" {
		if err := explainFile(os.Stdout, *articles, *explain); err != nil {
			fmt.Fprintln(os.Stderr, "indexer:", err)
			os.Exit(1)
		}
		return
	}
	tuneGC()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	stopProfile, err := startProfiles(*cpuProf, *memProf)
	if err != nil {
		fmt.Fprintln(os.Stderr, "indexer:", err)
		os.Exit(1)
	}
	cfg := gen.Config{Articles: *articles, Index: *indexDir, Full: *full, BatchSize: *batch, Tables: index.WriteTables}
	err = run(ctx, cfg, output{quiet: *quiet, asJSON: *asJSON, terminal: term.IsTerminal(int(os.Stderr.Fd())), out: os.Stdout, errOut: os.Stderr})
	if perr := stopProfile(); perr != nil {
		fmt.Fprintln(os.Stderr, "indexer:", perr)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "indexer:", err)
		os.Exit(1)
	}
	if *watch {
		log := slog.New(slog.NewTextHandler(os.Stderr, nil))
		c := corpus.New(corpus.Config{Articles: *articles, Index: *indexDir, Log: log, Tables: index.WriteTables})
		if err := c.Watch(ctx); err != nil {
			fmt.Fprintln(os.Stderr, "indexer:", err)
			os.Exit(1)
		}
	}
}

// output says where and how a run reports.
type output struct {
	quiet    bool // no progress: only the summary and errors
	asJSON   bool // the summary as one JSON object
	terminal bool // errOut is a terminal: progress as a bar
	out      io.Writer
	errOut   io.Writer     // progress and errors
	every    time.Duration // between plain progress lines; 0 means lineEvery
}

func run(ctx context.Context, cfg gen.Config, o output) error {
	total := -1
	if o.terminal && !o.quiet {
		total = countFiles(ctx, cfg.Articles, countBudget)
	}
	p := newProgress(o, total)
	cfg.Skipped = func(path string, err error) {
		p.say("skipped %s: %v", path, err)
	}
	cfg.Cut = func(path string, cuts []string) {
		p.say("cut %s to the caps on one article: %s", path, strings.Join(cuts, "; "))
	}
	cfg.Waiting = func() {
		p.say("waiting for another update of this index to finish…")
	}
	cfg.Progress = p.update
	st, err := gen.Update(ctx, cfg)
	p.finish()
	if err != nil {
		return err
	}
	if o.asJSON {
		return json.NewEncoder(o.out).Encode(st)
	}
	fmt.Fprint(o.out, summary(cfg, st))
	return nil
}

// summary says what a run did, in a form people read and scripts can grep.
func summary(cfg gen.Config, st search.UpdateStats) string {
	secs := st.Elapsed.Seconds()
	what := "updated"
	if st.Full {
		what = "rebuilt"
	}
	s := fmt.Sprintf("%s %s from %s in %.3fs: %d added, %d updated, %d deleted, %d unchanged, %d skipped, %d not articles\n",
		what, cfg.Index, cfg.Articles, secs, st.Added, st.Updated, st.Deleted, st.Unchanged, st.Skipped, st.Unsupported)
	if st.BadLines > 0 {
		s += fmt.Sprintf("%d bad lines in multi-article files were skipped (reported above)\n", st.BadLines)
	}
	if st.Generation == "" {
		return s + "nothing changed: the index was not written\n"
	}
	return s + fmt.Sprintf("indexed %d articles (%.0f articles/s, %.2f MB/s, %d bytes of text) into %s\n",
		st.Indexed, rate(st.Indexed, st.Elapsed), float64(st.Bytes)/1e6/max(secs, 1e-9), st.Bytes, st.Generation)
}

// explainFile prints article.Explain for file as indented JSON. A file
// inside the articles folder gets the ID the index would give it.
func explainFile(out io.Writer, articles, file string) error {
	root, rel := filepath.Dir(file), filepath.Base(file)
	if a, err := filepath.Abs(articles); err == nil {
		if f, err := filepath.Abs(file); err == nil {
			if r, err := filepath.Rel(a, f); err == nil && filepath.IsLocal(r) {
				root, rel = articles, filepath.ToSlash(r)
			}
		}
	}
	e, err := article.Explain(root, rel)
	if err != nil {
		return err
	}
	enc := json.NewEncoder(out)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(e)
}

func rate(n int, d time.Duration) float64 {
	return float64(n) / max(d.Seconds(), 1e-9)
}
