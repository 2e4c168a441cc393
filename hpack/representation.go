package hpack

// representation is the kind of a header field representation (RFC 7541
// §6), told by the high bits of its first octet.
type representation uint8

const (
	indexedField       representation = iota // §6.1: 1xxxxxxx
	literalIncremental                       // §6.2.1: 01xxxxxx, added to the table
	literalWithout                           // §6.2.2: 0000xxxx
	literalNever                             // §6.2.3: 0001xxxx, never indexed anywhere
	tableSizeUpdate                          // §6.3: 001xxxxx
)

// representationForm is how a representation starts: its pattern bits and
// the width of the integer prefix (an index or a size) that follows them.
type representationForm struct {
	kind       representation
	pattern    byte
	prefixBits uint
}

// representations decodes a first octet by its high nibble.
var representations = [16]representationForm{
	0x0: {literalWithout, 0x00, 4},
	0x1: {literalNever, 0x10, 4},
	0x2: {tableSizeUpdate, 0x20, 5},
	0x3: {tableSizeUpdate, 0x20, 5},
	0x4: {literalIncremental, 0x40, 6},
	0x5: {literalIncremental, 0x40, 6},
	0x6: {literalIncremental, 0x40, 6},
	0x7: {literalIncremental, 0x40, 6},
	0x8: {indexedField, 0x80, 7},
	0x9: {indexedField, 0x80, 7},
	0xa: {indexedField, 0x80, 7},
	0xb: {indexedField, 0x80, 7},
	0xc: {indexedField, 0x80, 7},
	0xd: {indexedField, 0x80, 7},
	0xe: {indexedField, 0x80, 7},
	0xf: {indexedField, 0x80, 7},
}

// Encoding forms, by kind.
var (
	formIndexed     = representations[0x8]
	formIncremental = representations[0x4]
	formWithout     = representations[0x0]
	formNever       = representations[0x1]
	formSizeUpdate  = representations[0x2]
)

// huffmanFlag marks a Huffman-coded string literal, whose length has a
// 7-bit prefix (RFC 7541 §5.2).
const huffmanFlag = 0x80
