//go:build race

package ws

// The race detector instruments memory accesses and makes allocation
// counts meaningless: allocation tests skip when raceEnabled.
const raceEnabled = true
