package article

import "testing"

// An article's section is its first folder, unless the folder is named for
// a year; a JSON article's own section wins.
func TestSection(t *testing.T) {
	text := []byte("A headline\n\nThe body of the article, long enough to read.\n")
	for _, c := range []struct{ id, want string }{
		{"sport/001.txt", "sport"},
		{"business/deep/er/002.txt", "business"},
		{"2023/05/003.txt", ""},
		{"2023x/004.txt", "2023x"},
		{"top.txt", ""},
	} {
		arts, err := Parse(c.id, text)
		if err != nil {
			t.Fatal(err)
		}
		if got := arts[0].Section; got != c.want {
			t.Errorf("%s: section %q, want %q", c.id, got, c.want)
		}
	}
	for _, c := range []struct{ id, data, want string }{
		{"sport/a.json", `{"title": "T", "body": "B", "section": " Tech "}`, "Tech"},
		{"sport/b.json", `{"title": "T", "body": "B"}`, "sport"},
		{"c.jsonl", `{"title": "T", "body": "B", "section": "world"}`, "world"},
	} {
		arts, err := Parse(c.id, []byte(c.data))
		if err != nil {
			t.Fatal(err)
		}
		if got := arts[0].Section; got != c.want {
			t.Errorf("%s: section %q, want %q", c.id, got, c.want)
		}
	}
}
