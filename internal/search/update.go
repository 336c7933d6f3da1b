package search

import "time"

// UpdateStats counts what a build or update did, by file.
type UpdateStats struct {
	Full        bool  `json:"full"`        // a rebuild from scratch
	Files       int   `json:"files"`       // files looked at
	Added       int   `json:"added"`       // new files indexed
	Updated     int   `json:"updated"`     // changed files re-indexed
	Deleted     int   `json:"deleted"`     // files gone, their articles removed
	Unchanged   int   `json:"unchanged"`   // files already indexed as they are
	Skipped     int   `json:"skipped"`     // unreadable or unparsable files (reported; an older indexed version stays)
	Unsupported int   `json:"unsupported"` // files with an extension no reader handles
	BadLines    int   `json:"bad_lines"`   // lines of multi-article files (.jsonl) reported and skipped
	Indexed     int   `json:"indexed"`     // articles written to the index
	Bytes       int64 `json:"bytes"`       // article text written (title and body)
	// Elapsed is the wall time of the run.
	Elapsed time.Duration `json:"elapsed_ns"`
	// Generation is the generation published, or "" when nothing changed
	// and the index was not written.
	Generation string `json:"generation"`
}

// UpdateStatus says what the updates of an articles folder's index have
// done, for the admin API.
type UpdateStatus struct {
	LastUpdate time.Time    `json:"last_update,omitzero"`
	LastStats  *UpdateStats `json:"last_stats,omitempty"`
	LastError  string       `json:"last_error,omitempty"`
	// Rebuild is the progress of a running full rebuild, nil when none runs.
	Rebuild *UpdateStats `json:"rebuild,omitempty"`
	// Totals add up what the updates have done since the process started,
	// for monitoring (searchd's /metrics reads them).
	Totals UpdateTotals `json:"totals"`
}

// UpdateTotals count what the updates of an articles folder's index have
// done since the process started. They only grow.
type UpdateTotals struct {
	Updates     uint64 `json:"updates"`      // updates finished, with or without error
	Failed      uint64 `json:"failed"`       // updates that ended with an error
	Rebuilds    uint64 `json:"rebuilds"`     // full rebuilds finished (counted in Updates too)
	Published   uint64 `json:"published"`    // generations published
	Indexed     uint64 `json:"indexed"`      // articles written to the index
	Skipped     uint64 `json:"skipped"`      // files skipped as unreadable or unparsable
	Deleted     uint64 `json:"deleted"`      // files whose articles were removed
	WatchEvents uint64 `json:"watch_events"` // file events the folder's watch received
}
