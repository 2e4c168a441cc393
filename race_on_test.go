//go:build race

package golws

// The race detector makes sync.Pool drop items at random, so pooled paths
// allocate: allocation tests run without it.
const raceEnabled = true
