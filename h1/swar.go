package h1

import (
	"bytes"
	"encoding/binary"
	"math/bits"
)

// Field values and targets are the long runs of a head (cookies, user
// agents, query strings), so their check reads eight bytes at a time
// ("SIMD within a register") and goes straight to the first byte of a
// word that is worth a closer look.
//
// The loops index whole words as b[i:i+8] under i <= len(b)-8: the
// compiler then proves every load in bounds, and the only value carried
// from one iteration to the next is i.

const (
	lows  = 0x0101010101010101 // 0x01 in every byte
	highs = 0x8080808080808080 // 0x80 in every byte
)

// word reads b[i:i+8] as a little-endian word: its first byte is the
// lowest, so the trailing zeros of a mask count the bytes before a flag.
// The slice is checked against cap(b) only: callers read within len(b),
// and parseWhole clips its buffer's capacity to its length.
func word(b []byte, i int) uint64 { return binary.LittleEndian.Uint64(b[i : i+8]) }

// firstFlag is the index of the byte of the lowest flag of a non-zero mask.
func firstFlag(m uint64) int { return bits.TrailingZeros64(m) / 8 }

// belowMask flags, in its top bit, each byte of x below n (n ≤ 0x80):
// the subtraction borrows into the top bit of exactly such bytes, and &^x
// drops bytes whose top bit was already set (0x80–0xFF are never below
// n). A borrow can also flag bytes above a flagged one, never below, so
// the lowest flag is exact.
func belowMask(x uint64, n byte) uint64 {
	return (x - lows*uint64(n)) &^ x & highs
}

// byteMask flags each byte of x equal to b, the lowest flag exactly, as
// belowMask does.
func byteMask(x uint64, b byte) uint64 {
	y := x ^ lows*uint64(b)
	return (y - lows) &^ y & highs
}

// stopMask flags each byte of x below n (n ≤ 0x80) or equal to DEL, the
// lowest flag exactly: the bytes that end a field value (n = SP, HTAB
// aside) or a request-target (n = '!'). It is belowMask and
// byteMask(x, 0x7f) in fewer operations: adding 1 to each byte's low
// seven bits, which cannot carry into the next byte, sets the top bit of
// exactly 0x7F and 0xFF, and the final &^x drops 0xFF.
func stopMask(x uint64, n byte) uint64 {
	return ((x&^highs + lows) | (x - lows*uint64(n))) &^ x & highs
}

// hasBelow reports whether some byte of x is below n (n ≤ 0x80).
func hasBelow(x uint64, n byte) bool { return belowMask(x, n) != 0 }

// hasByte reports whether some byte of x equals b.
func hasByte(x uint64, b byte) bool { return byteMask(x, b) != 0 }

// scanClass returns the length of the prefix of b whose bytes all have
// the class bit c. It reads 8-byte words and goes straight to the first
// byte in each that is below floor or equal to DEL; every other byte
// must have the class, and only those bytes are looked up in the table.
// Every byte c admits must be ≥ floor and not DEL, except HTAB, which the
// table then lets through.
func scanClass(b []byte, c uint8, floor byte) int {
	i := 0
	for i <= len(b)-8 {
		m := stopMask(word(b, i), floor)
		if m == 0 {
			i += 8
			continue
		}
		i += firstFlag(m)
		if class[b[i]]&c == 0 {
			return i
		}
		i++ // a flagged byte of the class (HTAB in a value): go on after it
	}
	for i < len(b) && class[b[i]]&c != 0 {
		i++
	}
	return i
}

// valueLen is scanClass(b, classValue, ' ') without the table: the first
// byte below SP or equal to DEL ends a field value, unless it is HTAB.
func valueLen(b []byte) int {
	i := 0
	for i <= len(b)-8 {
		x := word(b, i)
		m := stopMask(x, ' ')
		if m == 0 {
			i += 8
			continue
		}
		// The flagged byte is taken from x, not loaded again.
		k := bits.TrailingZeros64(m) &^ 7
		i += k / 8
		if byte(x>>k) != '\t' {
			return i
		}
		i++
	}
	for i < len(b) && class[b[i]]&classValue != 0 {
		i++
	}
	return i
}

// targetLen is scanClass(b, classTarget, '!') without the table (every
// byte from '!' up is a target byte but DEL), and it also returns the
// offset of the first '?' before the end, or -1, so that an origin-form
// target is split without a second pass.
func targetLen(b []byte) (n, query int) {
	query = -1
	i := 0
	for ; i <= len(b)-8; i += 8 {
		x := word(b, i)
		stop := stopMask(x, '!')
		if query < 0 {
			// Only a '?' below the first stop counts: stop&-stop - 1 has
			// the bits under the lowest flag (all of them if none).
			if q := byteMask(x, '?') & (stop&-stop - 1); q != 0 {
				query = i + firstFlag(q)
			}
		}
		if stop != 0 {
			return i + firstFlag(stop), query
		}
	}
	for ; i < len(b) && class[b[i]]&classTarget != 0; i++ {
		if b[i] == '?' && query < 0 {
			query = i
		}
	}
	return i, query
}

// indexColon returns the offset of the first ':' in b at or after i, or
// -1. Field names are short: a call to bytes.IndexByte costs more than
// this search, except in the last few bytes.
func indexColon(b []byte, i int) int {
	for ; i <= len(b)-8; i += 8 {
		if m := byteMask(word(b, i), ':'); m != 0 {
			return i + firstFlag(m)
		}
	}
	if k := bytes.IndexByte(b[i:], ':'); k >= 0 {
		return i + k
	}
	return -1
}

// stopIndex returns the offset of the first byte at or after i that is
// below n or DEL (see stopMask), searching whole words only: if none
// holds one, it returns where the last few bytes begin.
func stopIndex(b []byte, i int, n byte) int {
	if i < 0 {
		return i // never: this tells the compiler that the loads need no bounds checks
	}
	for ; i <= len(b)-8; i += 8 {
		if m := stopMask(word(b, i), n); m != 0 {
			return i + firstFlag(m)
		}
	}
	return i
}

// colonIndex returns the offset of the first ':' at or after i,
// searching whole words only: if none holds one, it returns where the
// last few bytes begin.
func colonIndex(b []byte, i int) int {
	if i < 0 {
		return i // never: as in stopIndex
	}
	for ; i <= len(b)-8; i += 8 {
		if m := byteMask(word(b, i), ':'); m != 0 {
			return i + firstFlag(m)
		}
	}
	return i
}
