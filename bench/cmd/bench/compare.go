package main

import (
	"cmp"
	"math"
	"slices"
)

// Comparison is newsfind's figures divided by the peer's on one corpus,
// from the same run on the same files. Above 1, newsfind has more of it:
// better for the rates, worse for memory, size and latency. 0 means a
// figure is missing on either side.
type Comparison struct {
	Corpus   string `json:"corpus"`
	Articles int    `json:"articles"`
	// Indexing, by the wall time of each engine's process (exec to exit).
	ArticlesPerSec float64 `json:"articles_per_sec"`
	TextMBPerSec   float64 `json:"text_mb_per_sec"`
	PeakRSS        float64 `json:"peak_rss"`
	IndexSize      float64 `json:"index_size"`
	// In-process search latency, warm, top 10 with fragments and facets.
	P50 float64 `json:"p50"`
	P99 float64 `json:"p99"`
}

// compare makes one Comparison per corpus measured with a peer.
func compare(results []CorpusResult) []Comparison {
	var out []Comparison
	for _, r := range results {
		if r.Peer == nil {
			continue
		}
		c := Comparison{Corpus: r.Corpus.Name, Articles: articles(r)}
		nf, pf := indexFigures(r.Indexing), indexFigures(r.Peer.Indexing)
		c.ArticlesPerSec = ratio(nf.articlesPerSec, pf.articlesPerSec)
		c.TextMBPerSec = ratio(nf.textMBPerSec, pf.textMBPerSec)
		c.PeakRSS = ratio(nf.peakRSSMB, pf.peakRSSMB)
		c.IndexSize = ratio(nf.indexMB, pf.indexMB)
		if r.Search != nil && r.Peer.Search != nil {
			c.P50 = ratio(r.Search.Load.P50MS, r.Peer.Search.Load.P50MS)
			c.P99 = ratio(r.Search.Load.P99MS, r.Peer.Search.Load.P99MS)
		}
		out = append(out, c)
	}
	return out
}

// indexed summarizes an engine's index runs on one corpus: the median of
// each figure over the runs (the machine is noisy), the last index's size.
type indexed struct {
	seconds, articlesPerSec, textMBPerSec, peakRSSMB, peakAnonMB, peakFileMB, indexMB float64
}

func indexFigures(runs []IndexRun) indexed {
	if len(runs) == 0 {
		return indexed{}
	}
	pick := func(f func(IndexRun) float64) float64 {
		xs := make([]float64, len(runs))
		for i, r := range runs {
			xs[i] = f(r)
		}
		return median(xs)
	}
	return indexed{
		seconds:        pick(func(r IndexRun) float64 { return r.WallSeconds }),
		articlesPerSec: pick(func(r IndexRun) float64 { return r.WallArticlesPerSec }),
		textMBPerSec:   pick(func(r IndexRun) float64 { return r.WallTextMBPerSec }),
		peakRSSMB:      pick(func(r IndexRun) float64 { return r.PeakRSSMB }),
		peakAnonMB:     pick(func(r IndexRun) float64 { return r.PeakAnonMB }),
		peakFileMB:     pick(func(r IndexRun) float64 { return r.PeakFileMB }),
		indexMB:        runs[len(runs)-1].IndexMB,
	}
}

// Growth is how figures grow with corpus size between two corpora: each is
// the exponent k of figure ∝ articles^k, the slope of the line through the
// points on log-log axes (1: linear, 0: flat); nil when a figure is
// missing.
type Growth struct {
	From         string `json:"from"`
	To           string `json:"to"`
	FromArticles int    `json:"from_articles"`
	ToArticles   int    `json:"to_articles"`
	// Indexing wall time, peak memory and index size; newsfind and peer.
	IndexSeconds     *float64 `json:"index_seconds"`
	PeerIndexSeconds *float64 `json:"peer_index_seconds"`
	PeakRSS          *float64 `json:"peak_rss"`
	PeerPeakRSS      *float64 `json:"peer_peak_rss"`
	PeakOwn          *float64 `json:"peak_own"`    // the indexer's own memory (RssAnon)
	PeakMapped       *float64 `json:"peak_mapped"` // mapped segment pages (RssFile)
	IndexMB          *float64 `json:"index_mb"`
	PeerIndexMB      *float64 `json:"peer_index_mb"`
	// In-process p99 search latency.
	P99     *float64 `json:"p99"`
	PeerP99 *float64 `json:"peer_p99"`
	// searchd's p99 over HTTP with its result cache off, by number of
	// clients: the work of searching grows with the corpus, a cache
	// look-up should not.
	HTTPP99 map[int]float64 `json:"http_p99_by_clients,omitempty"`
}

// minGrowthArticles leaves tiny corpora (the five seeds) out of growth
// figures: their times are start-up costs, not work that grows.
const minGrowthArticles = 1000

// growth compares each corpus of at least minGrowthArticles with the next
// larger one, and, with three or more, fits one line through all of them
// (From "fit").
func growth(results []CorpusResult) []Growth {
	var rs []CorpusResult
	for _, r := range results {
		if r.Error == "" && articles(r) >= minGrowthArticles {
			rs = append(rs, r)
		}
	}
	slices.SortStableFunc(rs, func(a, b CorpusResult) int { return cmp.Compare(articles(a), articles(b)) })
	var out []Growth
	for i := 1; i < len(rs); i++ {
		if articles(rs[i]) > articles(rs[i-1]) {
			out = append(out, growthOf(rs[i-1:i+1]))
		}
	}
	if len(rs) >= 3 {
		g := growthOf(rs)
		g.From = "fit: " + g.From
		out = append(out, g)
	}
	return out
}

// growthOf fits figures of rs (ordered by size) against their sizes.
func growthOf(rs []CorpusResult) Growth {
	first, last := rs[0], rs[len(rs)-1]
	g := Growth{From: first.Corpus.Name, To: last.Corpus.Name, FromArticles: articles(first), ToArticles: articles(last)}
	slope := func(f func(CorpusResult) float64) *float64 {
		var xs, ys []float64
		for _, r := range rs {
			y := f(r)
			if y <= 0 {
				return nil
			}
			xs, ys = append(xs, float64(articles(r))), append(ys, y)
		}
		k := logSlope(xs, ys)
		return &k
	}
	peer := func(f func(indexed) float64) func(CorpusResult) float64 {
		return func(r CorpusResult) float64 {
			if r.Peer == nil {
				return 0
			}
			return f(indexFigures(r.Peer.Indexing))
		}
	}
	own := func(f func(indexed) float64) func(CorpusResult) float64 {
		return func(r CorpusResult) float64 { return f(indexFigures(r.Indexing)) }
	}
	g.IndexSeconds = slope(own(func(x indexed) float64 { return x.seconds }))
	g.PeerIndexSeconds = slope(peer(func(x indexed) float64 { return x.seconds }))
	g.PeakRSS = slope(own(func(x indexed) float64 { return x.peakRSSMB }))
	g.PeerPeakRSS = slope(peer(func(x indexed) float64 { return x.peakRSSMB }))
	g.PeakOwn = slope(own(func(x indexed) float64 { return x.peakAnonMB }))
	g.PeakMapped = slope(own(func(x indexed) float64 { return x.peakFileMB }))
	g.IndexMB = slope(own(func(x indexed) float64 { return x.indexMB }))
	g.PeerIndexMB = slope(peer(func(x indexed) float64 { return x.indexMB }))
	g.P99 = slope(func(r CorpusResult) float64 {
		if r.Search == nil {
			return 0
		}
		return r.Search.Load.P99MS
	})
	g.PeerP99 = slope(func(r CorpusResult) float64 {
		if r.Peer == nil || r.Peer.Search == nil {
			return 0
		}
		return r.Peer.Search.Load.P99MS
	})
	for _, l := range first.Loads {
		if !isLevel(l, false) {
			continue
		}
		k := slope(func(r CorpusResult) float64 {
			x, _ := level(r.Loads, l.Clients, false)
			return x.P99MS
		})
		if k != nil {
			if g.HTTPP99 == nil {
				g.HTTPP99 = map[int]float64{}
			}
			g.HTTPP99[l.Clients] = *k
		}
	}
	return g
}

// logSlope is the least-squares slope of log y against log x.
func logSlope(xs, ys []float64) float64 {
	n := float64(len(xs))
	var sx, sy, sxx, sxy float64
	for i := range xs {
		x, y := math.Log(xs[i]), math.Log(ys[i])
		sx, sy, sxx, sxy = sx+x, sy+y, sxx+x*x, sxy+x*y
	}
	d := n*sxx - sx*sx
	if d == 0 {
		return 0
	}
	return (n*sxy - sx*sy) / d
}

// articles is how many articles newsfind indexed in a corpus (or searchd
// served, when the index was reused).
func articles(r CorpusResult) int {
	if n := len(r.Indexing); n > 0 {
		return r.Indexing[n-1].Articles
	}
	if r.Searchd.Articles > 0 {
		return int(r.Searchd.Articles)
	}
	if r.Corpus.Synthetic != nil {
		return r.Corpus.Synthetic.Articles
	}
	return r.Corpus.Files
}

func ratio(a, b float64) float64 {
	if a <= 0 || b <= 0 {
		return 0
	}
	return a / b
}

func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}
