package export

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/newsfind/newsfind/internal/article"
)

// PairWriter takes a bulk stream one article (action and document lines)
// at a time, so a stream can be split between articles.
type PairWriter interface {
	WritePair(pair []byte) error
}

// Stream is a PairWriter writing every pair to W.
type Stream struct{ W io.Writer }

// WritePair implements PairWriter.
func (s Stream) WritePair(pair []byte) error {
	_, err := s.W.Write(pair)
	return err
}

// Config says what Bulk writes and to whom it reports.
type Config struct {
	// Index is the index the actions name; DefaultIndex when empty.
	Index string
	// Skipped is told of each file, line or article left out, and why;
	// Cut of each article cut to the caps on one article (it is exported
	// cut). Either may be nil.
	Skipped func(path string, err error)
	Cut     func(path string, cuts []string)
}

// Stats counts what Bulk did.
type Stats struct {
	Articles    int   `json:"articles"`    // exported
	Skipped     int   `json:"skipped"`     // files or articles left out (reported to Skipped)
	BadLines    int   `json:"bad_lines"`   // bad lines of multi-article files, left out (reported)
	Unsupported int   `json:"unsupported"` // files no reader knows: not articles
	Bytes       int64 `json:"bytes"`       // of bulk stream written
}

// Bulk writes the articles of the folder dir to out as an OpenSearch _bulk
// stream, one PairWriter call an article. It reads them as the indexer
// does (article.Walk: path order, one file at a time, nothing outside dir),
// so memory does not grow with the folder; a file that cannot be read or
// parsed, a bad line and an article that cannot be loaded are reported to
// cfg.Skipped and left out. It fails only when dir cannot be walked, ctx is
// done or out fails.
func Bulk(ctx context.Context, dir string, out PairWriter, cfg Config) (Stats, error) {
	var st Stats
	index := cfg.Index
	if index == "" {
		index = DefaultIndex
	}
	skip := func(path string, err error) {
		if cfg.Skipped != nil {
			cfg.Skipped(path, err)
		}
	}
	err := article.Walk(ctx, dir, func(f article.File) error {
		switch {
		case f.Unsupported:
			st.Unsupported++
			return nil
		case f.Err != nil:
			st.Skipped++
			skip(f.Path, f.Err)
			return nil
		}
		for _, le := range f.LineErrors {
			st.BadLines++
			skip(f.Path, le)
		}
		if len(f.Cuts) > 0 && cfg.Cut != nil {
			cfg.Cut(f.Path, f.Cuts)
		}
		for _, a := range f.Articles {
			pair, err := Pair(index, a)
			if err != nil {
				st.Skipped++
				skip(f.Path, err)
				continue
			}
			if err := out.WritePair(pair); err != nil {
				return fmt.Errorf("write the bulk stream: %w", err)
			}
			st.Articles++
			st.Bytes += int64(len(pair))
		}
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("export %s: %w", dir, err)
		}
		return nil
	})
	return st, err
}

// Files is a PairWriter to files: all to Name when MaxBytes is 0, else to
// numbered parts of at most MaxBytes each (articles.ndjson →
// articles-001.ndjson, articles-002.ndjson, …), cut between articles, so
// each part is a request of its own under the cluster's cap on one
// (http.max_content_length, 100 MB by default). A single article larger
// than MaxBytes gets a part to itself.
type Files struct {
	Name     string
	MaxBytes int64

	f     *os.File
	w     *bufio.Writer
	n     int64    // bytes in the current part
	names []string // parts begun, in order
}

// WritePair implements PairWriter.
func (fs *Files) WritePair(pair []byte) error {
	if fs.f == nil || fs.MaxBytes > 0 && fs.n > 0 && fs.n+int64(len(pair)) > fs.MaxBytes {
		if err := fs.next(); err != nil {
			return err
		}
	}
	n, err := fs.w.Write(pair)
	fs.n += int64(n)
	if err != nil {
		return fmt.Errorf("write %s: %w", fs.f.Name(), err)
	}
	return nil
}

// Open creates the first file, so that an export of no articles still
// writes an (empty) file.
func (fs *Files) Open() error {
	if fs.f != nil {
		return nil
	}
	return fs.next()
}

// next closes the current part, if any, and creates the next.
func (fs *Files) next() error {
	if err := fs.closePart(); err != nil {
		return err
	}
	name := fs.Name
	if fs.MaxBytes > 0 {
		ext := filepath.Ext(name)
		name = fmt.Sprintf("%s-%03d%s", strings.TrimSuffix(name, ext), len(fs.names)+1, ext)
	}
	f, err := os.Create(name)
	if err != nil {
		return fmt.Errorf("create the bulk file: %w", err)
	}
	fs.f, fs.w, fs.n = f, bufio.NewWriterSize(f, 1<<16), 0
	fs.names = append(fs.names, name)
	return nil
}

func (fs *Files) closePart() error {
	if fs.f == nil {
		return nil
	}
	err := fs.w.Flush()
	err = errors.Join(err, fs.f.Close())
	if err != nil {
		err = fmt.Errorf("write %s: %w", fs.f.Name(), err)
	}
	fs.f, fs.w = nil, nil
	return err
}

// Close flushes and closes the part being written.
func (fs *Files) Close() error { return fs.closePart() }

// Names returns the files written, in order.
func (fs *Files) Names() []string { return fs.names }
