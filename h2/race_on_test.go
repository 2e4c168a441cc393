//go:build race

package h2

// The race detector makes sync.Pool drop items at random and instruments
// memory accesses, so allocation counts are meaningless under it:
// allocation tests skip when raceEnabled.
const raceEnabled = true
