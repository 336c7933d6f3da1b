package gen

import (
	"reflect"
	"testing"

	"github.com/newsfind/newsfind/internal/index/schema"
)

func TestManifestRecordRoundTrip(t *testing.T) {
	for _, tt := range []struct {
		path string
		rec  fileRecord
	}{
		{"2024/story.txt", fileRecord{Size: 10, ModTime: 7, Hash: "ab01", IDs: []string{"2024/story.txt"}, Tokens: map[string]int64{"content": 3}}},
		{"feed.jsonl", fileRecord{Size: 10, Hash: "cd02", IDs: []string{"feed.jsonl#1", "feed.jsonl#2"}}},
		{"feed.jsonl", fileRecord{Size: 10, Hash: "cd02", IDs: []string{"feed.jsonl#1"}}},
		{"empty.jsonl", fileRecord{Size: 0, Hash: "ef03"}},
		{"all.txt", fileRecord{Size: 1, Hash: "0a", IDs: []string{"all.txt"}, Tokens: map[string]int64{
			schema.Title: 1, schema.Content: 2, schema.SourceText: 3, schema.PersonText: 4, schema.PlaceText: 5, schema.OrgText: 6, "future_text": 7}}},
	} {
		v, err := encodeRecord(tt.path, tt.rec)
		if err != nil {
			t.Fatal(err)
		}
		got, err := decodeRecord(tt.path, v)
		if err != nil || !reflect.DeepEqual(got, tt.rec) {
			t.Errorf("%s: stored as %s, read back %+v, %v; want %+v", tt.path, v, got, err, tt.rec)
		}
	}
}

// Records written before IDs could stand for the path read as they did.
func TestManifestReadsEarlierRecords(t *testing.T) {
	got, err := decodeRecord("a.txt", []byte(`{"s":5,"m":6,"h":"x","ids":["a.txt"],"t":{"title":2}}`))
	want := fileRecord{Size: 5, ModTime: 6, Hash: "x", IDs: []string{"a.txt"}, Tokens: map[string]int64{"title": 2}}
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("read %+v, %v; want %+v", got, err, want)
	}
	if got, _ := decodeRecord("b.txt", []byte(`{"s":5,"m":6,"h":"x","ids":null}`)); len(got.IDs) != 0 {
		t.Errorf("a record without articles read as IDs %v", got.IDs)
	}
}
