package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path/filepath"
	"time"

	"github.com/newsfind/newsfind/internal/article"
	"github.com/newsfind/newsfind/internal/search"
	"github.com/schollz/progressbar/v3"
)

// countBudget bounds the count of the files before a run: listing the
// folders of 100,000 files takes ~0.1 s from the page cache (stat-ing each
// file, as the walk does, ~0.8 s), so a count that takes longer than this is
// a slow disk or a huge archive, and the bar goes without a total.
const countBudget = 2 * time.Second

// lineEvery is how often the plain progress line is printed, unless the
// run says otherwise (output.every).
const lineEvery = time.Second

// progress shows how a run is going on w: a bar with the files done of the
// total, the rate and the time left on a terminal; a plain line a second
// otherwise; nothing when quiet. Messages (skipped files) go through it so
// that they do not break the bar.
type progress struct {
	w     io.Writer
	quiet bool
	bar   *progressbar.ProgressBar // nil unless on a terminal
	every time.Duration            // between plain lines
	last  time.Time                // when the last plain line was printed
}

// newProgress returns the display of a run on o.errOut. total is the
// number of files the run will look at, or -1 when unknown; it matters
// only on a terminal.
func newProgress(o output, total int) *progress {
	p := &progress{w: o.errOut, quiet: o.quiet, every: cmp.Or(o.every, lineEvery), last: time.Now()}
	if o.quiet || !o.terminal {
		return p
	}
	if total == 0 {
		total = -1 // progressbar cannot show a bar of 0
	}
	p.bar = progressbar.NewOptions(total,
		progressbar.OptionSetWriter(o.errOut),
		progressbar.OptionSetDescription("indexing"),
		progressbar.OptionSetItsString("files"),
		progressbar.OptionShowCount(),
		progressbar.OptionShowIts(),
		progressbar.OptionSetPredictTime(true),
		progressbar.OptionSetWidth(30),
		progressbar.OptionSetSpinnerChangeInterval(0), // no goroutine of its own: it renders when told
		progressbar.OptionClearOnFinish(),             // the summary follows
		progressbar.OptionSetRenderBlankState(true),   // shown, and its clock started, before the first batch
	)
	return p
}

// update is gen.Config.Progress: st says how far the run is.
func (p *progress) update(st search.UpdateStats) {
	switch {
	case p.quiet:
	case p.bar != nil:
		if max := p.bar.GetMax(); max > 0 && st.Files > max {
			p.bar.ChangeMax(st.Files) // files were added since the count
		}
		// Updates come once a batch (1,000 articles by default), so the bar
		// is drawn each time, unthrottled; the count is drawn last.
		p.bar.Describe(fmt.Sprintf("indexed %d articles", st.Indexed))
		p.bar.Set(st.Files) // errors are a display's own: the run goes on
	case time.Since(p.last) >= p.every:
		p.last = time.Now()
		fmt.Fprintf(p.w, "indexed %d articles (%.0f/s)…\n", st.Indexed, rate(st.Indexed, st.Elapsed))
	}
}

// say prints a line of its own (a skipped file, a wait), clearing the bar
// first; the bar comes back with the next update.
func (p *progress) say(format string, args ...any) {
	if p.bar != nil {
		p.bar.Clear()
	}
	fmt.Fprintf(p.w, format+"\n", args...)
}

// finish removes the bar, before the summary.
func (p *progress) finish() {
	if p.bar != nil && p.bar.IsStarted() {
		p.bar.Finish()
	}
}

// countFiles counts the files under dir the run will look at (those
// article.List visits), reading folders only, or returns -1 when that takes
// longer than budget or fails: the total is only a display's.
func countFiles(ctx context.Context, dir string, budget time.Duration) int {
	ctx, cancel := context.WithTimeout(ctx, budget)
	defer cancel()
	n := 0
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		// The folders above were listed (hidden ones are skipped whole),
		// so the entry's own name decides.
		switch {
		case p == dir:
		case d.IsDir():
			if !article.Listed(d.Name() + "/file") {
				return fs.SkipDir
			}
		case article.Listed(d.Name()) && (d.Type().IsRegular() || d.Type()&fs.ModeSymlink != 0):
			n++
		}
		return nil
	})
	if err != nil && !errors.Is(err, fs.SkipDir) {
		return -1
	}
	return n
}
