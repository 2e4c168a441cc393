package hpack

import "encoding/binary"

// HuffmanEncodedLen is the length of s once Huffman-coded, padding
// included.
func HuffmanEncodedLen(s []byte) int { return huffmanLen(bytesString(s)) }

// AppendHuffman appends the Huffman coding of s to dst, padded with the
// most significant bits of EOS (all ones) to an octet boundary.
func AppendHuffman(dst, s []byte) []byte { return appendHuffman(dst, bytesString(s)) }

func huffmanLen(s string) int {
	bits := 0
	for i := 0; i < len(s); i++ {
		bits += int(huffmanCodes[s[i]].bits)
	}
	return (bits + 7) / 8
}

// appendHuffman packs codes into a 64-bit accumulator and flushes 32 bits
// at a time: fewer than 32 bits are pending before a code is added, and a
// code has at most 30, so the accumulator never overflows.
func appendHuffman(dst []byte, s string) []byte {
	var acc uint64 // pending bits in the low n bits; higher bits are stale
	var n uint
	for i := 0; i < len(s); i++ {
		c := huffmanCodes[s[i]]
		acc = acc<<c.bits | uint64(c.code)
		n += uint(c.bits)
		if n >= 32 {
			n -= 32
			dst = binary.BigEndian.AppendUint32(dst, uint32(acc>>n))
		}
	}
	if pad := -n & 7; pad != 0 {
		acc = acc<<pad | (1<<pad - 1)
		n += pad
	}
	for n > 0 {
		n -= 8
		dst = append(dst, byte(acc>>n))
	}
	return dst
}
