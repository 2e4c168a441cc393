package hpack

// Decoding looks codes up 8 bits at a time in a tree of 256-slot tables
// built from huffmanCodes at init. The root resolves every code of 8 bits
// or fewer (all letters, digits and the common punctuation) in one step;
// longer codes follow links to tables for their next 8 bits, at most four
// steps for the 30-bit codes. The code is complete, so every slot of every
// table is filled and no lookup can miss.

// huffmanEntry is one slot: a leaf holds the symbol (9 bits, EOS included)
// and the full length of its code; a link holds the index of the table for
// the next 8 bits.
type huffmanEntry uint16

const (
	huffmanLink     huffmanEntry = 1 << 15
	huffmanSymMask               = 1<<9 - 1
	huffmanLenShift              = 9
)

// huffmanTables[0] is the root.
var huffmanTables = buildHuffmanTables()

// huffmanLookup returns the leaf of the code at the top of window.
func huffmanLookup(window uint64) huffmanEntry {
	e := huffmanTables[0][window>>56]
	for shift := 48; e&huffmanLink != 0; shift -= 8 {
		e = huffmanTables[e&^huffmanLink][byte(window>>shift)]
	}
	return e
}

func buildHuffmanTables() [][256]huffmanEntry {
	tables := make([][256]huffmanEntry, 1, 16)
	for sym, c := range huffmanCodes {
		t := 0
		rest := uint(c.bits) // code bits below those the tables so far consumed
		for rest > 8 {
			rest -= 8
			slot := byte(c.code >> rest)
			if tables[t][slot] == 0 {
				tables = append(tables, [256]huffmanEntry{})
				tables[t][slot] = huffmanLink | huffmanEntry(len(tables)-1)
			}
			t = int(tables[t][slot] &^ huffmanLink)
		}
		// The last 1-8 bits select a run of slots: every continuation of
		// the code to 8 bits decodes to it.
		first := int(c.code&(1<<rest-1)) << (8 - rest)
		leaf := huffmanEntry(sym) | huffmanEntry(c.bits)<<huffmanLenShift
		for i := range 1 << (8 - rest) {
			tables[t][first+i] = leaf
		}
	}
	return tables
}
