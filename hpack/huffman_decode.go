package hpack

import (
	"encoding/binary"
	"slices"
)

// DecodeHuffman appends the decoding of the Huffman-coded src to dst. It
// rejects padding longer than 7 bits, padding that is not all ones and the
// EOS symbol (RFC 7541 §5.2).
func DecodeHuffman(dst, src []byte) ([]byte, error) {
	return decodeHuffman(dst, src, len(src)*8/5+1)
}

// huffmanMaxBits is the length of the longest code (EOS and three rare
// control characters).
const huffmanMaxBits = 30

// decodeHuffman decodes src, failing with ErrStringTooLong when it yields
// more than maxLen octets.
//
// Input bits queue most significant first in a 64-bit accumulator. While
// the input lasts, the accumulator is refilled 32 bits at a time and codes
// are decoded as long as at least 30 bits are pending, so that any code is
// whole: no end-of-input test per code. Most steps decode two codes at
// once (huffmanPairs); longer codes take the tree of tables. The last bits
// go to decodeHuffmanTail, which checks the padding.
func decodeHuffman(dst, src []byte, maxLen int) ([]byte, error) {
	start := len(dst)
	var acc uint64 // pending bits, left-aligned
	var n uint     // how many bits of acc are pending
	for i := 0; ; {
		if i+4 <= len(src) {
			acc |= uint64(binary.BigEndian.Uint32(src[i:])) << (32 - n) // n < 30
			n += 32
			i += 4
			if len(dst)-start > maxLen {
				return dst, ErrStringTooLong
			}
		} else {
			for ; i < len(src); i++ {
				acc |= uint64(src[i]) << (56 - n)
				n += 8
			}
			if n < huffmanMaxBits {
				break
			}
		}
		// Until the next refill: at most 8 codes (31 bits of 5-bit
		// codes, then a pair), and a pair always writes two octets.
		// Masked indices into out need no bounds checks.
		dst = slices.Grow(dst, 16)
		out := dst[len(dst) : len(dst)+16]
		j := 0
		for n >= huffmanMaxBits {
			p := huffmanPairs[acc>>(64-pairBits)]
			if p>>pairCountShift&3 != 0 {
				out[j&15] = byte(p)
				out[(j+1)&15] = byte(p >> 8)
				j += int(p >> pairCountShift & 3)
				acc <<= p >> pairLengthShift
				n -= uint(p >> pairLengthShift)
				continue
			}
			e := huffmanLookup(acc) // a code longer than 12 bits
			if e&huffmanSymMask == huffmanEOS {
				return dst, ErrHuffmanEOS
			}
			out[j&15] = byte(e)
			j++
			acc <<= e >> huffmanLenShift
			n -= uint(e >> huffmanLenShift)
		}
		dst = dst[:len(dst)+j]
	}
	dst, err := decodeHuffmanTail(dst, acc, n)
	if err == nil && len(dst)-start > maxLen {
		err = ErrStringTooLong
	}
	return dst, err
}

// decodeHuffmanTail decodes the last n (< 30) bits of a string. Past the
// input, it looks codes up as if the bits were ones: a code complete
// within the n real bits decodes the same, and an incomplete one shows up
// as a code longer than n, leaving bits that must be valid padding.
func decodeHuffmanTail(dst []byte, acc uint64, n uint) ([]byte, error) {
	for n > 0 {
		window := acc | ^uint64(0)>>n
		if p := huffmanPairs[window>>(64-pairBits)]; p>>pairCountShift&3 == 2 && uint(p>>pairLengthShift) <= n {
			dst = append(dst, byte(p), byte(p>>8))
			acc <<= p >> pairLengthShift
			n -= uint(p >> pairLengthShift)
			continue
		}
		e := huffmanLookup(window)
		bits := uint(e >> huffmanLenShift)
		if bits > n {
			return dst, huffmanPaddingError(acc, n)
		}
		dst = append(dst, byte(e)) // not EOS: that takes 30 bits
		acc <<= bits
		n -= bits
	}
	return dst, nil
}

// huffmanPaddingError judges the n (> 0) bits left over after the last
// code: they must be the start of EOS, which is all ones, and shorter than
// an octet.
func huffmanPaddingError(acc uint64, n uint) error {
	if acc>>(64-n) != 1<<n-1 {
		return ErrHuffmanBadPadding
	}
	if n > 7 {
		return ErrHuffmanPaddingTooLong
	}
	return nil
}
