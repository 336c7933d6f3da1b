package sidecar

import (
	"sync"
	"time"
)

// fileID names the bytes of a file as written: Write writes a file once,
// under a temporary name, then renames it, and nothing changes a sidecar
// file in place, so two reads of files with the same device, inode, size
// and modification time (a file and its hard links in other generations'
// folders) read the same bytes. The zero fileID names none.
type fileID struct {
	dev, ino    uint64
	size, mtime int64
}

// checked are the files whose checksum this process has verified. A read
// of one of them again checks its layout and bounds, as every read does,
// but takes the checksum as known instead of reading every page of the
// file: an update's writer opens every run of band keys, hard-linked
// from generation to generation (260 MB at a million articles), and
// searchd opens again the facet table it serves when an update derives
// the next one from it. A file damaged after its first read in a process
// is then caught by the next process, as Lucene verifies whole files'
// checksums when it merges them rather than on every open.
var checked = &checkedFiles{ids: map[fileID]bool{}}

// maxChecked bounds checked: past it, it starts again empty.
const maxChecked = 4096

// settled is how long before its check a file must have been modified
// last for checked to record it. Modification times are kept at the
// kernel's clock tick, not to the nanosecond, so a file changed in place
// within a tick of its writing (as tests that damage a file do) keeps its
// time; a file recorded has not changed for longer than that, and any
// change after its check gives it a later time, so another fileID.
const settled = 2 * time.Second

type checkedFiles struct {
	mu  sync.Mutex
	ids map[fileID]bool
}

func (c *checkedFiles) has(id fileID) bool {
	if id == (fileID{}) {
		return false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.ids[id]
}

func (c *checkedFiles) add(id fileID) {
	if id == (fileID{}) || time.Since(time.Unix(0, id.mtime)) < settled {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.ids) >= maxChecked {
		clear(c.ids)
	}
	c.ids[id] = true
}
