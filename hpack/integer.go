package hpack

// Integers use an N-bit prefix in the first octet followed, when the value
// does not fit, by 7-bit groups least significant first (RFC 7541 §5.1).

// maxInteger bounds every decoded integer. No legitimate index, length or
// table size comes near it, and it keeps all arithmetic on them far from
// overflowing an int on 32-bit platforms.
const maxInteger = 1<<31 - 1

// maxContinuationShift is the shift of the last 7-bit group accepted: five
// continuation octets, enough for maxInteger with any prefix.
const maxContinuationShift = 28

// appendInteger appends v with an N-bit prefix; first holds the
// representation's pattern bits above the prefix.
func appendInteger(dst []byte, first byte, prefixBits uint, v uint64) []byte {
	limit := uint64(1)<<prefixBits - 1
	if v < limit {
		return append(dst, first|byte(v))
	}
	dst = append(dst, first|byte(limit))
	v -= limit
	for v >= 0x80 {
		dst = append(dst, byte(v)|0x80)
		v >>= 7
	}
	return append(dst, byte(v))
}

// readInteger decodes the integer starting at p[0] with an N-bit prefix and
// returns it with the number of octets it took.
func readInteger(p []byte, prefixBits uint) (uint32, int, error) {
	if len(p) == 0 {
		return 0, 0, ErrTruncated
	}
	limit := uint64(1)<<prefixBits - 1
	v := uint64(p[0]) & limit
	if v < limit {
		return uint32(v), 1, nil
	}
	for i, shift := 1, uint(0); i < len(p); i, shift = i+1, shift+7 {
		if shift > maxContinuationShift {
			return 0, 0, ErrIntegerOverflow
		}
		b := p[i]
		v += uint64(b&0x7f) << shift
		if v > maxInteger {
			return 0, 0, ErrIntegerOverflow
		}
		if b&0x80 == 0 {
			return uint32(v), i + 1, nil
		}
	}
	return 0, 0, ErrTruncated
}
