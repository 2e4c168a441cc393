package ws

import "encoding/binary"

// MaskBytes XORs p in place with the masking key (RFC 6455 §5.3), pos
// being the position in the key of p's first byte (the payload offset
// modulo 4), and returns the position after p's last byte, so a payload
// can be unmasked piece by piece as it arrives. Masking and unmasking are
// the same operation.
//
// It works eight bytes at a time: every 8-byte word of the payload sees
// the key in the same rotation (8 is a multiple of 4), so one 64-bit key
// is built up front and the loop is a load, an XOR and a store per word,
// four words per iteration.
func MaskBytes(key [4]byte, pos int, p []byte) int {
	pos &= 3
	i := 0
	if len(p) >= 8 {
		k := uint64(binary.LittleEndian.Uint32(key[:]))
		k |= k << 32
		k = k>>(8*pos) | k<<(64-8*pos) // rotate: first byte is key[pos]
		for ; i <= len(p)-32; i += 32 {
			w := p[i : i+32 : i+32]
			binary.LittleEndian.PutUint64(w[0:8], binary.LittleEndian.Uint64(w[0:8])^k)
			binary.LittleEndian.PutUint64(w[8:16], binary.LittleEndian.Uint64(w[8:16])^k)
			binary.LittleEndian.PutUint64(w[16:24], binary.LittleEndian.Uint64(w[16:24])^k)
			binary.LittleEndian.PutUint64(w[24:32], binary.LittleEndian.Uint64(w[24:32])^k)
		}
		for ; i <= len(p)-8; i += 8 {
			w := p[i : i+8 : i+8]
			binary.LittleEndian.PutUint64(w, binary.LittleEndian.Uint64(w)^k)
		}
	}
	for ; i < len(p); i++ {
		p[i] ^= key[(pos+i)&3]
	}
	return (pos + len(p)) & 3
}
