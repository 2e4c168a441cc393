package h1

import "encoding/binary"

// Field values and targets are the long runs of a head (cookies, user
// agents, query strings), so their check reads eight bytes at a time
// ("SIMD within a register") and falls back to the class table only for
// a word that holds a byte worth a closer look.

const (
	lows  = 0x0101010101010101 // 0x01 in every byte
	highs = 0x8080808080808080 // 0x80 in every byte
)

// hasBelow reports whether some byte of x is below n (n ≤ 0x80): the
// subtraction borrows into the top bit of exactly such bytes, and &^x
// drops bytes whose top bit was already set (0x80–0xFF are never below n).
func hasBelow(x uint64, n byte) bool {
	return (x-lows*uint64(n))&^x&highs != 0
}

// hasByte reports whether some byte of x equals b.
func hasByte(x uint64, b byte) bool {
	y := x ^ lows*uint64(b)
	return (y-lows)&^y&highs != 0
}

// scanClass returns the length of the prefix of b whose bytes all have
// the class bit c, skipping 8-byte words in which no byte is below
// floor or equal to DEL. Every byte c admits must be ≥ floor and not DEL,
// except HTAB, which sends its word to the table.
func scanClass(b []byte, c uint8, floor byte) int {
	i := 0
	for i+8 <= len(b) {
		x := binary.LittleEndian.Uint64(b[i:])
		if !hasBelow(x, floor) && !hasByte(x, 0x7f) {
			i += 8
			continue
		}
		for end := i + 8; i < end; i++ {
			if class[b[i]]&c == 0 {
				return i
			}
		}
	}
	for i < len(b) && class[b[i]]&c != 0 {
		i++
	}
	return i
}
