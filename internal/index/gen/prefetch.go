package gen

import (
	"context"
	"runtime"
	"sync"

	"github.com/blevesearch/bleve/v2/document"
	"github.com/newsfind/newsfind/internal/article"
	"github.com/newsfind/newsfind/internal/dedup"
	"github.com/newsfind/newsfind/internal/search"
)

// readFile is a file read and parsed, with the bleve documents of its
// articles built, ready for the writer.
type readFile struct {
	article.File
	docs []*document.Document // one per article, in order
	sigs []signature          // the same
}

// signature is an article's story fingerprint; ok is false for a text too
// short to sign.
type signature struct {
	sig dedup.Signature
	ok  bool
}

// sign fingerprints the body of a, what versions of a story share (their
// headlines often differ).
func sign(a search.Article) signature {
	s, ok := dedup.Sign(a.Body)
	return signature{s, ok}
}

// prefetchAhead bounds how many files are read ahead of the writer: enough
// to keep the readers busy while a batch is handed over, small enough that
// memory does not depend on the corpus.
const prefetchAhead = 64

// prefetchWorkers is how many goroutines read and parse files ahead of the
// writer. Reading, extraction and building documents take about a quarter
// of a build's CPU; with them off the writer's goroutine, they overlap
// bleve's single-threaded segment building.
func prefetchWorkers() int {
	return min(max(runtime.GOMAXPROCS(0), 1), 4)
}

// walkPrefetched is article.Walk with the files read, parsed and made into
// documents (by build) in parallel workers ahead of fn, and handed to fn one
// at a time in Walk's order. At most prefetchAhead files are in flight. It
// returns what Walk would: an error for a missing corpus folder, ctx's
// error, or fn's error as is, and it stops its workers before returning.
func walkPrefetched(ctx context.Context, dir string, build func(search.Article) *document.Document, fn func(readFile) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	type job struct {
		e   article.Entry
		out chan readFile // buffered: a worker never waits for the consumer
	}
	jobs := make(chan job)
	order := make(chan chan readFile, prefetchAhead)

	var wg sync.WaitGroup
	for range prefetchWorkers() {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				j.out <- read(dir, j.e, build)
			}
		}()
	}
	listErr := make(chan error, 1)
	go func() {
		defer close(order)
		defer close(jobs)
		listErr <- article.List(ctx, dir, func(e article.Entry) error {
			out := make(chan readFile, 1)
			select { // reserve the file's place in the order first
			case order <- out:
			case <-ctx.Done():
				return ctx.Err()
			}
			select {
			case jobs <- job{e, out}:
				return nil
			case <-ctx.Done():
				return ctx.Err()
			}
		})
	}()

	var err error
	for out := range order {
		if err != nil {
			continue // draining after fn failed; the lister stops soon
		}
		if err = ctx.Err(); err == nil {
			select {
			case f := <-out:
				err = fn(f)
			case <-ctx.Done():
				err = ctx.Err()
			}
		}
		if err != nil {
			cancel()
		}
	}
	wg.Wait()
	if lerr := <-listErr; err == nil {
		err = lerr // a missing folder, or ctx done while listing
	}
	return err
}

// read reads one listed file as article.Walk would and builds its
// documents.
func read(dir string, e article.Entry, build func(search.Article) *document.Document) readFile {
	if e.Err != nil {
		return readFile{File: article.File{Path: e.Path, Err: e.Err}}
	}
	f := readFile{File: article.ReadFile(dir, e.Path)}
	if f.Err == nil && !f.Unsupported {
		f.docs = make([]*document.Document, len(f.Articles))
		f.sigs = make([]signature, len(f.Articles))
		for i, a := range f.Articles {
			f.docs[i] = build(a)
			f.sigs[i] = sign(a)
		}
	}
	return f
}
