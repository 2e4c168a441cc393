package hpack

// Field is one header field. A decoded Field's slices point into the arena
// passed to Decoder.DecodeInto.
type Field struct {
	Name, Value []byte
	// Sensitive marks a field that was, or must be, sent as a never-indexed
	// literal (RFC 7541 §6.2.3): an intermediary forwarding it must keep
	// that representation, so that no table along the path ever holds it.
	Sensitive bool
}

// entryOverhead is the 32 octets RFC 7541 §4.1 adds to name and value
// lengths to account for an entry's bookkeeping; RFC 9113 §6.5.2 reuses it
// to size header lists.
const entryOverhead = 32

// fieldSize is the size of a field in a dynamic table or a header list.
func fieldSize(nameLen, valueLen int) uint64 {
	return uint64(nameLen) + uint64(valueLen) + entryOverhead
}
