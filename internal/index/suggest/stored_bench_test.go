package suggest

import (
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/newsfind/newsfind/internal/index/schema"
)

// syntheticLists builds the lists of an archive of articles articles
// shaped like the bench's synthetic one scaled: 52,182 words and 38,779
// names at 100,000 articles, words growing as Heaps' law has it (with the
// square root of the archive, about), names with the archive.
func syntheticLists(articles int) *Lists {
	rng := rand.New(rand.NewPCG(uint64(articles), 19))
	scale := float64(articles) / 100_000
	letters := "abcdefghijklmnopqrstuvwxyz"
	word := func() string {
		b := make([]byte, 3+rng.IntN(9))
		for i := range b {
			b[i] = letters[rng.IntN(len(letters))]
		}
		return string(b)
	}
	b := NewBuilder(uint64(articles))
	for range int(52_182 * math.Pow(scale, 0.6)) {
		w := word()
		b.AddStem(w, 2+uint64(rng.IntN(1000)))
		b.AddForm(w+"s", 1)
	}
	fields := []string{schema.Person, schema.Place, schema.Org}
	for i := range int(38_779 * scale) {
		b.AddName(fields[i%3], word()+" "+word()+" "+strconv.Itoa(i), 1+rng.IntN(100))
	}
	return b.Lists()
}

// BenchmarkLoad measures reading the saved lists of archives of 100,000
// and 1,000,000 articles: what opening a generation costs for them, with
// the file's size (file-MB) and the processor time of a load (cpu-ms/op).
func BenchmarkLoad(b *testing.B) {
	for _, articles := range []int{100_000, 1_000_000} {
		b.Run(fmt.Sprint("articles=", articles), func(b *testing.B) {
			path := filepath.Join(b.TempDir(), File)
			if err := syntheticLists(articles).Save(path, "fp"); err != nil {
				b.Fatal(err)
			}
			cpu := cpuTime()
			b.ResetTimer()
			for b.Loop() {
				if _, err := Load(path, "fp"); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64((cpuTime()-cpu).Milliseconds())/float64(b.N), "cpu-ms/op")
			if st, err := os.Stat(path); err == nil {
				b.ReportMetric(float64(st.Size())/1e6, "file-MB")
			}
		})
	}
}

// cpuTime returns the processor time the process has used, user and
// system: on a machine other work shares, a steadier measure than the
// time elapsed.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
