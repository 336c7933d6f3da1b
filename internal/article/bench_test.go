package article

import (
	"context"
	"os"
	"path/filepath"
	"testing"
)

// BenchmarkParseBBC parses the whole BBC corpus from memory, so the figure
// is parsing and extraction alone, without the disk.
func BenchmarkParseBBC(b *testing.B) {
	dir := bbcDir(b)
	type file struct {
		id   string
		data []byte
	}
	var files []file
	err := Walk(context.Background(), dir, func(f File) error {
		if f.Unsupported || f.Err != nil {
			return nil
		}
		data, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(f.Path)))
		files = append(files, file{f.Path, data})
		return err
	})
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		for _, f := range files {
			if _, err := Parse(f.id, f.data); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(len(files)), "files/op")
}
