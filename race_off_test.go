//go:build !race

package golws

const raceEnabled = false
