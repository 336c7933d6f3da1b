package gen

import (
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/newsfind/newsfind/internal/index/schema"
	bolt "go.etcd.io/bbolt"
)

// The manifest records, for every article file the index holds, what was
// indexed: size and modification time (to skip unchanged files without
// reading them), content hash (to tell a real change from a touch) and the
// article IDs the file produced (to delete them when the file goes). It is a
// bbolt file beside the generations: lookups and updates cost what changed,
// and memory does not grow with the archive.
//
// It is updated only after the generation it describes is published. A
// crash in between leaves it behind the index, never ahead: the next update
// re-indexes a few files for nothing, and loses none.
const manifestFile = "manifest.db"

var filesBucket = []byte("files")

// manifestOpenTimeout bounds the wait for the manifest's file lock.
const manifestOpenTimeout = 5 * time.Second

// manifestGrowth is how much the manifest file grows by when it needs
// room: bbolt's default, 16 MB, was a quarter of the manifest of 100,000
// articles, left empty.
const manifestGrowth = 1 << 20

// fileRecord is what the manifest knows of one file.
type fileRecord struct {
	Size    int64
	ModTime int64  // Unix nanoseconds
	Hash    string // hex SHA-256, as article.File has it
	IDs     []string
	// Tokens counts the analyzed tokens per field the file's articles
	// added to the index's BM25 statistics.
	Tokens map[string]int64
}

// storedRecord is a fileRecord as the manifest stores it, in JSON, in
// fewer bytes: the hash as raw bytes (base64, not hex); IDs left out when
// the file's one article has the file's path as its ID, as for every
// article file but a JSON Lines one; token counts as a list in the order
// of schema.CountedFields (which may only grow at its end) rather than a map
// keyed by field name. Records written before (hex hash "h", IDs always
// "ids", counts "t" by name) read as they did. At 100,000 articles the
// manifest went from 58 MB to 15 MB.
type storedRecord struct {
	Size    int64     `json:"s"`
	ModTime int64     `json:"m"`
	Hash    []byte    `json:"b,omitempty"`
	IDs     *[]string `json:"i,omitempty"` // nil: the path alone
	Counts  []int64   `json:"n,omitempty"` // by schema.CountedFields
	// Tokens holds counts of fields not in schema.CountedFields.
	Tokens  map[string]int64 `json:"t,omitempty"`
	HexHash string           `json:"h,omitempty"`   // earlier records
	OldIDs  []string         `json:"ids,omitempty"` // earlier records
}

func (r fileRecord) sameStat(size int64, mod time.Time) bool {
	return r.Size == size && r.ModTime == mod.UnixNano()
}

type manifest struct {
	db *bolt.DB
}

// openManifest opens (creating) the manifest at path. Only the holder of the
// build lock opens it, so the wait is short.
func openManifest(path string) (*manifest, error) {
	db, err := bolt.Open(path, 0o644, &bolt.Options{Timeout: manifestOpenTimeout})
	if err != nil {
		return nil, fmt.Errorf("open manifest %s: %w", path, err)
	}
	db.AllocSize = manifestGrowth
	err = db.Update(func(tx *bolt.Tx) error {
		_, err := tx.CreateBucketIfNotExists(filesBucket)
		return err
	})
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("init manifest %s: %w", path, err)
	}
	return &manifest{db: db}, nil
}

func (m *manifest) Close() error { return m.db.Close() }

// get returns the record of path, if any.
func (m *manifest) get(path string) (fileRecord, bool, error) {
	var rec fileRecord
	var found bool
	err := m.db.View(func(tx *bolt.Tx) error {
		v := tx.Bucket(filesBucket).Get([]byte(path))
		if v == nil {
			return nil
		}
		found = true
		var err error
		rec, err = decodeRecord(path, v)
		return err
	})
	if err != nil {
		return rec, false, fmt.Errorf("manifest %s: %w", path, err)
	}
	return rec, found, nil
}

// manifestChange is a pending update: a record to put, or a path to forget
// when rec is nil.
type manifestChange struct {
	path string
	rec  *fileRecord
}

// apply writes changes in one transaction.
func (m *manifest) apply(changes []manifestChange) error {
	if len(changes) == 0 {
		return nil
	}
	return m.db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(filesBucket)
		if slices.IsSortedFunc(changes, func(a, b manifestChange) int { return strings.Compare(a.path, b.path) }) {
			// Appended in key order, as a full build writes: bbolt splits
			// full pages half-full by default, for inserts in any order,
			// which left the manifest of a full build twice its size.
			b.FillPercent = 1
		}
		for _, c := range changes {
			if c.rec == nil {
				if err := b.Delete([]byte(c.path)); err != nil {
					return fmt.Errorf("manifest delete %s: %w", c.path, err)
				}
				continue
			}
			v, err := encodeRecord(c.path, *c.rec)
			if err != nil {
				return err
			}
			if err := b.Put([]byte(c.path), v); err != nil {
				return fmt.Errorf("manifest put %s: %w", c.path, err)
			}
		}
		return nil
	})
}

// cursor walks the manifest in key order, which is the order article.List
// visits files (byte order of slash-separated paths). It holds a read
// transaction until closed.
type cursor struct {
	tx  *bolt.Tx
	c   *bolt.Cursor
	key string
	rec fileRecord
	ok  bool
	err error
}

func (m *manifest) cursor() (*cursor, error) {
	tx, err := m.db.Begin(false)
	if err != nil {
		return nil, fmt.Errorf("read manifest: %w", err)
	}
	c := &cursor{tx: tx, c: tx.Bucket(filesBucket).Cursor()}
	c.load(c.c.First())
	return c, nil
}

func (c *cursor) load(k, v []byte) {
	c.ok = k != nil
	if !c.ok {
		return
	}
	c.key = string(k)
	var err error
	if c.rec, err = decodeRecord(c.key, v); err != nil && c.err == nil {
		c.err = fmt.Errorf("manifest %s: %w", k, err)
	}
}

// encodeRecord returns the stored form of path's record.
func encodeRecord(path string, r fileRecord) ([]byte, error) {
	hash, err := hex.DecodeString(r.Hash)
	if err != nil {
		return nil, fmt.Errorf("hash %q: %w", r.Hash, err)
	}
	st := storedRecord{Size: r.Size, ModTime: r.ModTime, Hash: hash}
	for f, n := range r.Tokens {
		i := slices.Index(schema.CountedFields, f)
		if i < 0 {
			if st.Tokens == nil {
				st.Tokens = map[string]int64{}
			}
			st.Tokens[f] = n
			continue
		}
		if len(st.Counts) <= i {
			st.Counts = append(st.Counts, make([]int64, i+1-len(st.Counts))...)
		}
		st.Counts[i] = n
	}
	if len(r.IDs) != 1 || r.IDs[0] != path {
		ids := r.IDs
		if ids == nil {
			ids = []string{} // stored as [], not left out
		}
		st.IDs = &ids
	}
	return json.Marshal(st)
}

// decodeRecord reads the stored record of path.
func decodeRecord(path string, v []byte) (fileRecord, error) {
	var st storedRecord
	if err := json.Unmarshal(v, &st); err != nil {
		return fileRecord{}, err
	}
	r := fileRecord{Size: st.Size, ModTime: st.ModTime, Tokens: st.Tokens}
	for i, n := range st.Counts {
		if n == 0 || i >= len(schema.CountedFields) {
			continue
		}
		if r.Tokens == nil {
			r.Tokens = map[string]int64{}
		}
		r.Tokens[schema.CountedFields[i]] = n
	}
	switch {
	case st.HexHash != "": // written before: "ids" always there
		r.Hash, r.IDs = st.HexHash, st.OldIDs
	case st.IDs == nil:
		r.Hash, r.IDs = hex.EncodeToString(st.Hash), []string{path}
	default:
		r.Hash, r.IDs = hex.EncodeToString(st.Hash), *st.IDs
	}
	if len(r.IDs) == 0 {
		r.IDs = nil
	}
	return r, nil
}

func (c *cursor) next()              { c.load(c.c.Next()) }
func (c *cursor) seek(key string)    { c.load(c.c.Seek([]byte(key))) }
func (c *cursor) close() error       { return c.tx.Rollback() }
func manifestPath(dir string) string { return filepath.Join(dir, manifestFile) }

// replaceManifest moves a manifest written for a full build into place.
func replaceManifest(dir, built string) error {
	if err := os.Rename(built, manifestPath(dir)); err != nil {
		return fmt.Errorf("replace manifest: %w", err)
	}
	return nil
}
