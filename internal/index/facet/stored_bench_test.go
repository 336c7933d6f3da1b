package facet

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2/numeric"

	"github.com/newsfind/newsfind/internal/index/schema"
)

// SyntheticTable builds, as the engine would from doc values, a table of
// rows live documents shaped like the bench's synthetic archive scaled:
// a few sources and sections, twenty years of dates, people, places and
// organizations drawn from Zipf-like dictionaries that grow with the
// archive (25,724 people, 309 places and 12,746 organizations at 100,000
// rows), a few of each per document, and a story label on every document,
// one in ten shared with an earlier one.
func syntheticTable(rows int) *Table {
	rng := rand.New(rand.NewPCG(uint64(rows), 19))
	scale := float64(rows) / 100_000
	dict := func(prefix string, n int) []string {
		out := make([]string, max(n, 1))
		for i := range out {
			out[i] = prefix + " " + strconv.Itoa(i)
		}
		return out
	}
	people, places, orgs := dict("Person", int(25_724*scale)), dict("Place", int(309*scale)), dict("Org", int(12_746*scale))
	sources, sections := dict("Source", 8), dict("Section", 20)
	zipf := func(list []string) *rand.Zipf { return rand.NewZipf(rng, 1.1, 2, uint64(len(list)-1)) }
	zp, zl, zo := zipf(people), zipf(places), zipf(orgs)
	const start, span = 1_104_537_600e9, 20 * 365 * 24 * 3600e9 // 2005 on
	var builders []*Builder
	for _, g := range Groups {
		builders = append(builders, NewBuilder(rows, g.Dates, g.Kinds))
	}
	var labels []string
	for d := range rows {
		date := start + rng.Int64N(span)
		year := strconv.Itoa(2005 + int((date-start)/(365*24*3600e9)))
		label := strconv.FormatUint(rng.Uint64(), 16)
		if d > 0 && rng.IntN(10) == 0 {
			label = labels[rng.IntN(len(labels))]
		}
		labels = append(labels, label)
		values := map[string][]string{
			schema.Source:  {sources[rng.IntN(len(sources))]},
			schema.Year:    {year},
			schema.Month:   {year + "-" + strconv.Itoa(1+rng.IntN(12))},
			schema.Section: {sections[rng.IntN(len(sections))]},
			schema.Story:   {label},
		}
		for range 1 + rng.IntN(5) {
			values[schema.Person] = append(values[schema.Person], people[zp.Uint64()])
		}
		for range 1 + rng.IntN(3) {
			values[schema.Place] = append(values[schema.Place], places[zl.Uint64()])
		}
		for range 1 + rng.IntN(3) {
			values[schema.Org] = append(values[schema.Org], orgs[zo.Uint64()])
		}
		for _, b := range builders {
			b.Doc(uint32(d))
			for _, f := range b.Fields() {
				if f == schema.Date {
					b.Visit(f, numeric.MustNewPrefixCodedInt64(date, 0))
				}
				for _, v := range values[f] {
					b.Visit(f, []byte(v))
				}
			}
		}
	}
	return Assemble(builders)
}

// BenchmarkLoad measures reading a saved table of 100,000 and 1,000,000
// rows: what opening a generation of that many articles costs for its
// facets and stories. It reports the file's size (file-MB) and the
// processor time of a load (cpu-ms/op: steadier than ns/op on a shared
// machine).
func BenchmarkLoad(b *testing.B) {
	for _, rows := range []int{100_000, 1_000_000} {
		b.Run(fmt.Sprint("rows=", rows), func(b *testing.B) {
			path := filepath.Join(b.TempDir(), File)
			table := syntheticTable(rows)
			if err := table.Save(path, "fp"); err != nil {
				b.Fatal(err)
			}
			table = nil
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
