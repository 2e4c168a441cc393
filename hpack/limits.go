package hpack

// Limits bound what a peer's header blocks can make a Decoder produce.
type Limits struct {
	// MaxHeaderListSize bounds each decoded header list, counting name +
	// value + 32 octets per field as RFC 9113 §6.5.2 does for
	// SETTINGS_MAX_HEADER_LIST_SIZE; 0 means no limit. A larger list
	// fails with ErrHeaderListTooLarge once the whole block is decoded.
	MaxHeaderListSize uint32
	// MaxStringLength bounds each decoded name and value, after Huffman
	// decoding (0 or negative: DefaultMaxStringLength) → ErrStringTooLong.
	MaxStringLength int
}

// DefaultMaxStringLength is Limits.MaxStringLength when left zero.
const DefaultMaxStringLength = 16 << 10

// resolved returns l with defaults in place of zero fields.
func (l Limits) resolved() Limits {
	if l.MaxStringLength <= 0 {
		l.MaxStringLength = DefaultMaxStringLength
	}
	return l
}
