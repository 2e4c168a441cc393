//go:build race

package examples

// raceEnabled: the examples are built with the race detector too.
const raceEnabled = true
