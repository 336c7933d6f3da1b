// Package synth generates news-like article corpora of any size for
// benchmarks, deterministically: the same seed, the same training files and
// the same generator Version give the same bytes.
//
// It learns from real articles (the BBC corpus and the seeds): per topic, a
// word Markov chain of their sentences and one of their titles, the shapes
// of their articles (paragraphs and sentences per paragraph), and the
// spelling of their names. Generated text therefore has news' term
// statistics — a Zipfian vocabulary, the same function words, names such as
// "Gordon Brown" or "Wang Yi", phrases such as "prime minister" — and keeps
// gaining new names and figures as the corpus grows, as a real archive does.
// Each article gets a date line (2004–2023, the training corpora's years)
// and, mostly, a wire dateline naming its source, in the form the seeds use,
// so dates and sources can be filtered and faceted.
//
// It is not a language model: sentences are locally fluent and globally
// meaningless. It exists to measure indexing and search, never to be read.
package synth

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"math/rand/v2"
	"path"
	"slices"
	"strings"
	"time"

	"github.com/newsfind/newsfind/internal/article"
	"github.com/newsfind/newsfind/internal/search"
)

// Version identifies what the generator writes. Change it whenever the
// output for a given seed and training set changes, so corpora generated
// before are regenerated rather than reused.
const Version = 1

// DefaultSeed is the seed of the benchmark corpora.
const DefaultSeed = 6

// Config says what a Generator learns from and how it draws.
type Config struct {
	// Training are folders of article files to learn from, read with
	// internal/article. A folder's subfolders are topics (the BBC corpus:
	// business, politics, …); a folder's own files form one topic named
	// after it (seeds). Missing folders are an error: the caller decides
	// which exist.
	Training []string
	// Seed drives every random choice; DefaultSeed when 0.
	Seed uint64
}

// Generator writes news-like articles. It is safe for concurrent use.
type Generator struct {
	seed        uint64
	vocab       *vocab
	topics      []*topic
	cumWeight   []float64 // cumulative topic weights, the last is 1
	names       *namer
	stop        int32 // the id of "."
	fingerprint string
	articles    int // training articles
}

// topic is what was learnt from one topic's articles.
type topic struct {
	name   string
	body   *chain
	title  *chain
	shapes [][]uint8 // sentences per paragraph, one entry per article
	n      int       // training articles
}

// New learns from cfg.Training. It fails when a folder cannot be read or
// holds no article with a title and a body.
func New(ctx context.Context, cfg Config) (*Generator, error) {
	if cfg.Seed == 0 {
		cfg.Seed = DefaultSeed
	}
	if len(cfg.Training) == 0 {
		return nil, errors.New("synth: no training folders")
	}
	g := &Generator{seed: cfg.Seed, vocab: newVocab()}
	g.stop = g.vocab.id(".")
	builders := map[string]*topicBuilder{}
	var order []string
	fp := sha256.New()
	for _, root := range cfg.Training {
		err := article.Walk(ctx, root, func(f article.File) error {
			if f.Err != nil || f.Unsupported {
				return nil // not something to learn from
			}
			fmt.Fprintf(fp, "%s\x00%s\x00", path.Base(root), f.Hash)
			name := path.Base(strings.TrimRight(root, "/"))
			if dir, _, ok := strings.Cut(f.Path, "/"); ok {
				name = dir
			}
			b, ok := builders[name]
			if !ok {
				b = &topicBuilder{}
				builders[name] = b
				order = append(order, name)
			}
			for _, a := range f.Articles {
				if b.learn(g.vocab, a) {
					g.articles++
				}
			}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("synth: learn from %s: %w", root, err)
		}
	}
	if g.articles == 0 {
		return nil, fmt.Errorf("synth: no articles to learn from in %s", strings.Join(cfg.Training, ", "))
	}
	g.fingerprint = fmt.Sprintf("v%d-%x", Version, fp.Sum(nil)[:8])

	slices.Sort(order)
	var total float64
	for _, name := range order {
		b := builders[name]
		if b.n == 0 {
			continue
		}
		g.topics = append(g.topics, &topic{name: name, body: b.body.build(), title: b.title.build(), shapes: b.shapes, n: b.n})
		total += float64(b.n)
	}
	// Topics weigh as many articles as they were learnt from, but none less
	// than 2 % of the whole: the five seeds (SCO diplomacy) stay present
	// next to the BBC's 2,225 articles.
	var cum float64
	weights := make([]float64, len(g.topics))
	for i, t := range g.topics {
		weights[i] = max(float64(t.n), total/50)
		cum += weights[i]
	}
	var run float64
	for _, w := range weights {
		run += w / cum
		g.cumWeight = append(g.cumWeight, run)
	}
	g.cumWeight[len(g.cumWeight)-1] = 1

	var proper []string
	for id, p := range g.vocab.proper {
		if p {
			proper = append(proper, g.vocab.tokens[id])
		}
	}
	g.names = newNamer(g.seed, proper)
	return g, nil
}

// topicBuilder accumulates one topic's training.
type topicBuilder struct {
	body, title chainBuilder
	shapes      [][]uint8
	n           int
}

// learn adds one article; it reports false for one without a title or body.
func (b *topicBuilder) learn(v *vocab, a search.Article) bool {
	title := tokenize(a.Title)
	if len(title) == 0 || strings.TrimSpace(a.Body) == "" {
		return false
	}
	ids := make([]int32, 0, len(title)+1)
	for _, t := range title {
		ids = append(ids, v.id(t))
	}
	b.title.add(append(ids, eos))

	var shape []uint8
	for para := range strings.SplitSeq(a.Body, "\n\n") {
		sents := sentences(tokenize(para))
		if len(sents) == 0 {
			continue
		}
		shape = append(shape, uint8(min(len(sents), 255)))
		for _, s := range sents {
			ids = ids[:0]
			for i, t := range s {
				id := v.id(t)
				if i > 0 && capitalized(t) {
					v.proper[id] = true
				}
				ids = append(ids, id)
			}
			b.body.add(ids)
		}
	}
	if len(shape) == 0 {
		return false
	}
	b.shapes = append(b.shapes, shape)
	b.n++
	return true
}

// Fingerprint identifies the generator's output: its Version and the
// training files' contents. Corpora with equal fingerprints and seeds are
// byte-identical.
func (g *Generator) Fingerprint() string { return g.fingerprint }

// TrainingArticles is how many articles the generator learnt from.
func (g *Generator) TrainingArticles() int { return g.articles }

// Seed is the seed the generator draws with.
func (g *Generator) Seed() uint64 { return g.seed }

// Choices of an article that do not come from the training text. Sources
// and datelines are those of the training corpora (the BBC's own, the
// seeds' Xinhua and Chinese and Central Asian capitals) and of the wire
// agencies their articles quote, weighted roughly as a general archive
// holds them.
var (
	sources = []struct {
		name   string
		weight int
	}{
		{"BBC News", 40}, {"Reuters", 20}, {"Associated Press", 12}, {"AFP", 10},
		{"Xinhua", 8}, {"Bloomberg", 5}, {"The Guardian", 3}, {"People's Daily", 2},
	}
	places = []string{
		"LONDON", "LONDON", "LONDON", "WASHINGTON", "NEW YORK", "BRUSSELS", "PARIS", "BERLIN",
		"BEIJING", "BEIJING", "TOKYO", "MOSCOW", "GENEVA", "NEW DELHI", "SYDNEY", "TASHKENT", "DUSHANBE",
	}
	firstDay = time.Date(2004, 1, 1, 0, 0, 0, 0, time.UTC)
	lastDay  = time.Date(2023, 12, 31, 0, 0, 0, 0, time.UTC)
)

// Generation parameters, measured on nothing but chosen to look like news.
const (
	datelineShare = 0.9 // articles whose first paragraph names a source
	nameShare     = 0.1 // names replaced by a made-up one
	numberShare   = 0.5 // figures whose digits are redrawn
	nameZipfS     = 1.2 // Zipf exponent of made-up names: a few recur, most are rare
	maxSentence   = 60  // tokens; longer sentences are cut with a full stop
	maxTitle      = 14  // tokens
	nameSpace     = 1e7 // distinct made-up names available
	titleTries    = 8   // draws for a title of at least three words
)

// Article returns the text of article i (0-based): a title line, a date
// line, a blank line and paragraphs separated by blank lines. It depends
// only on the generator and i.
func (g *Generator) Article(i int) []byte {
	r := rand.New(rand.NewPCG(g.seed, uint64(i)))
	t := g.topics[g.pickTopic(r.Float64())]
	w := writer{g: g, r: r, zipf: rand.NewZipf(r, nameZipfS, 1, nameSpace)}

	w.title(t)
	days := int(lastDay.Sub(firstDay).Hours()/24) + 1
	date := firstDay.AddDate(0, 0, r.IntN(days)).Add(time.Duration(r.IntN(24*60)) * time.Minute)
	fmt.Fprintf(&w.b, "\n%s\n\n", date.Format("2006-01-02 15:04"))
	if r.Float64() < datelineShare {
		fmt.Fprintf(&w.b, "%s, %s %d (%s) -- ", places[r.IntN(len(places))], date.Month(), date.Day(), g.source(r))
	}
	shape := t.shapes[r.IntN(len(t.shapes))]
	for p, n := range shape {
		if p > 0 {
			w.b.WriteString("\n\n")
		}
		for s := range int(n) {
			if s > 0 {
				w.b.WriteByte(' ')
			}
			w.sentence(t.body)
		}
	}
	w.b.WriteByte('\n')
	return []byte(w.b.String())
}

func (g *Generator) pickTopic(x float64) int {
	i, _ := slices.BinarySearchFunc(g.cumWeight, x, func(c, x float64) int {
		if c <= x {
			return -1
		}
		return 1
	})
	return min(i, len(g.topics)-1)
}

func (g *Generator) source(r *rand.Rand) string {
	total := 0
	for _, s := range sources {
		total += s.weight
	}
	x := r.IntN(total)
	for _, s := range sources {
		if x < s.weight {
			return s.name
		}
		x -= s.weight
	}
	return sources[0].name
}

// writer renders one article's tokens.
type writer struct {
	g    *Generator
	r    *rand.Rand
	zipf *rand.Zipf
	b    strings.Builder
}

// title writes a title line of at least three words when the chain allows.
func (w *writer) title(t *topic) {
	var best []int32
	for range titleTries {
		ids := w.walk(t.title, maxTitle)
		if len(ids) > len(best) {
			best = ids
		}
		if len(best) >= 3 {
			break
		}
	}
	w.emit(best, true)
}

// sentence writes one sentence of the body chain.
func (w *writer) sentence(c *chain) {
	ids := w.walk(c, maxSentence)
	if len(ids) == 0 || !terminal(w.g.vocab.tokens[ids[len(ids)-1]]) {
		ids = append(ids, w.g.stop)
	}
	w.emit(ids, false)
}

// walk draws tokens from c until a terminal mark, eos or limit tokens.
func (w *writer) walk(c *chain, limit int) []int32 {
	var ids []int32
	w1, w2 := bos, bos
	for len(ids) < limit {
		id, ok := c.step(w.r, w1, w2)
		if !ok || id == eos {
			break
		}
		ids = append(ids, id)
		if terminal(w.g.vocab.tokens[id]) {
			break
		}
		w1, w2 = w2, id
	}
	return ids
}

// emit writes tokens with news spacing, replacing some names with made-up
// ones and redrawing the digits of some figures.
func (w *writer) emit(ids []int32, title bool) {
	v := w.g.vocab
	for i, id := range ids {
		tok := v.tokens[id]
		if i > 0 && !attaches(tok) {
			w.b.WriteByte(' ')
		}
		switch {
		case i > 0 && v.proper[id] && capitalized(tok) && w.r.Float64() < nameShare:
			tok = w.g.names.name(w.zipf.Uint64())
		case isNumber(tok) && !isYear(tok) && !title && w.r.Float64() < numberShare:
			tok = redraw(w.r, tok)
		}
		w.b.WriteString(tok)
	}
}

// redraw replaces each digit of tok with a random one, keeping a leading
// digit non-zero, so figures vary as they do from story to story.
func redraw(r *rand.Rand, tok string) string {
	b := []byte(tok)
	for i, c := range b {
		if c < '0' || c > '9' {
			continue
		}
		lead := i == 0 || b[i-1] < '0' || b[i-1] > '9'
		if lead {
			b[i] = byte('1' + r.IntN(9))
		} else {
			b[i] = byte('0' + r.IntN(10))
		}
	}
	return string(b)
}

// Path returns the slash-separated path, relative to the corpus folder, of
// article i: a thousand files per folder, so no folder grows huge.
func Path(i int) string {
	return fmt.Sprintf("%04d/%07d.txt", i/1000, i)
}

// Topics lists the topics learnt, in name order.
func (g *Generator) Topics() []string {
	out := make([]string, len(g.topics))
	for i, t := range g.topics {
		out[i] = t.name
	}
	return out
}
