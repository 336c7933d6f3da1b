package dedup

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

const story = `Quarterly profits at US media giant TimeWarner jumped 76% to $1.13bn (£600m) for the three months to December, from $639m year-earlier.

The firm, which is now one of the biggest investors in Google, benefited from sales of high-speed internet connections and higher advert sales. TimeWarner said fourth quarter sales rose 2% to $11.1bn from $10.9bn.

Its profits were buoyed by one-off gains which offset a profit dip at Warner Bros, and less users for AOL. Time Warner said on Friday that it now owns 8% of search-engine Google.`

func TestWordsNormalise(t *testing.T) {
	got := Words("The firm's  PROFITS — rose 2%,\n\tCafé’s year-earlier")
	want := []string{"the", "firms", "profits", "rose", "2", "cafés", "year", "earlier"}
	if !slices.Equal(got, want) {
		t.Errorf("Words = %q, want %q", got, want)
	}
}

func TestSignSameWordsSameSignature(t *testing.T) {
	a, ok := Sign(story)
	if !ok {
		t.Fatal("a story of 80 words was not signed")
	}
	// Case, punctuation and spacing do not count.
	b, _ := Sign(strings.ToUpper(strings.ReplaceAll(story, "\n\n", "\n   ")))
	if a != b {
		t.Errorf("signatures differ for the same words: similarity %.2f", a.Similarity(b))
	}
	if a.Similarity(b) != 1 {
		t.Errorf("similarity %.2f, want 1", a.Similarity(b))
	}
	if a.Bands() != b.Bands() {
		t.Error("bands differ for equal signatures")
	}
	// Deterministic across runs: stored signatures must compare with new
	// ones, so the hash functions may not change.
	if got := a.Story("x.txt"); got != "4ffbc871def1fd1b" {
		t.Errorf("story label %s: the hash functions changed, and stored signatures with them", got)
	}
}

func TestSignTooShort(t *testing.T) {
	if _, ok := Sign("Only a few words here."); ok {
		t.Error("a text of 5 words was signed")
	}
	if _, ok := Sign(""); ok {
		t.Error("an empty text was signed")
	}
}

func TestSmallEditsStaySimilar(t *testing.T) {
	a, _ := Sign(story)
	paras := strings.Split(story, "\n\n")
	edits := map[string]string{
		"changed sentence": strings.Replace(story, "TimeWarner said fourth quarter sales rose 2% to $11.1bn from $10.9bn.", "Sales in the fourth quarter were up slightly, the company said.", 1),
		"new paragraph":    story + "\n\nShares in the firm closed 1% higher in New York.",
		"cut paragraph":    paras[0] + "\n\n" + paras[1],
	}
	for name, text := range edits {
		b, ok := Sign(text)
		if !ok {
			t.Fatalf("%s: not signed", name)
		}
		if s := a.Similarity(b); s < Threshold {
			t.Errorf("%s: similarity %.2f under the threshold %.2f", name, s, Threshold)
		}
		if !shareBand(a, b) {
			t.Errorf("%s: no band shared: a lookup would miss it", name)
		}
	}
	other, _ := Sign(`The dollar has hit its highest level against the euro in almost three months after the Federal Reserve head said the US trade deficit is set to stabilise. And Alan Greenspan highlighted the US government's willingness to curb spending and rising household savings as factors which may help to reduce it.`)
	if s := a.Similarity(other); s >= Threshold {
		t.Errorf("a different story scores %.2f, at or over the threshold", s)
	}
}

func TestEncodeDecode(t *testing.T) {
	a, _ := Sign(story)
	b, err := Decode(a.Encode())
	if err != nil || b != a {
		t.Fatalf("Decode(Encode(s)) = %v, %v", b == a, err)
	}
	if _, err := Decode([]byte{1, 2, 3}); err == nil {
		t.Error("a 3-byte signature decoded")
	}
}

func TestStoryLabel(t *testing.T) {
	a, _ := Sign(story)
	again, _ := Sign(story)
	other, _ := Sign(story + " And one more sentence at the end of it all.")
	if a.Story("x.txt") != again.Story("x.txt") {
		t.Error("label not stable")
	}
	if a.Story("x.txt") == a.Story("y.txt") || a.Story("x.txt") == other.Story("x.txt") {
		t.Error("labels of different first versions collide")
	}
	if n := len(a.Story("x.txt")); n != 16 {
		t.Errorf("label of %d bytes, want 16", n)
	}
}

func shareBand(a, b Signature) bool {
	ab, bb := a.Bands(), b.Bands()
	for i := range ab {
		if ab[i] == bb[i] {
			return true
		}
	}
	return false
}

// bbcDir locates the BBC corpus: $NEWSFIND_BBC, else the shared folder
// beside the repository.
func bbcDir(t testing.TB) string {
	t.Helper()
	dir := os.Getenv("NEWSFIND_BBC")
	if dir == "" {
		dir = filepath.Join("..", "..", "..", "shared", "corpora", "bbc")
	}
	if info, err := os.Stat(dir); err != nil || !info.IsDir() {
		t.Skipf("BBC corpus not found at %s (set NEWSFIND_BBC to its folder): %v", dir, err)
	}
	return dir
}

func BenchmarkSign(b *testing.B) {
	for b.Loop() {
		Sign(story + story + story + story)
	}
}

// Sign hashes the words Words gives, without making them.
func TestWordHashesAreWords(t *testing.T) {
	text := "The FIRM's profits — rose 2%, Café’s year-earlier ÉTÉ naïve"
	words, hashes := Words(text), wordHashes(text)
	if len(words) != len(hashes) {
		t.Fatalf("%d words, %d hashes", len(words), len(hashes))
	}
	for i, w := range words {
		h := uint64(14695981039346656037)
		for _, r := range w {
			h = (h ^ uint64(r)) * 1099511628211
		}
		if h != hashes[i] {
			t.Errorf("word %d %q: hash %x, want %x", i, w, hashes[i], h)
		}
	}
}
