//go:build race

package buflist

// Tell the allocation tests that sync.Pool is unreliable in this build.
func init() { raceEnabled = true }
