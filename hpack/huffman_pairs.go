package hpack

// huffmanPairs decodes the next 12 bits in one step into up to two whole
// codes: typical text has 5- to 7-bit codes, so most steps yield two
// symbols and the loop's chain of dependent loads is half as long.
var huffmanPairs = buildHuffmanPairs()

// huffmanPair packs the symbols (bits 0-15), how many (16-17, 0 when the
// next code is longer than 12 bits) and the bits they take (18-22).
type huffmanPair uint32

const (
	pairBits        = 12
	pairCountShift  = 16
	pairLengthShift = 18
)

func buildHuffmanPairs() (pairs [1 << pairBits]huffmanPair) {
	for x := range pairs {
		window := uint64(x) << (64 - pairBits)
		var p huffmanPair
		used, count := uint(0), 0
		for count < 2 {
			e := huffmanLookup(window << used)
			bits := uint(e >> huffmanLenShift)
			if used+bits > pairBits {
				break
			}
			p |= huffmanPair(byte(e)) << (8 * count)
			used += bits
			count++
		}
		pairs[x] = p | huffmanPair(count)<<pairCountShift | huffmanPair(used)<<pairLengthShift
	}
	return pairs
}
