//go:build !race

package analyze

// raceEnabled is true when the race detector is on, to keep slow tests short.
const raceEnabled = false
