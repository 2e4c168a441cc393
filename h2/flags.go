package h2

// Flags is the flags octet of a frame header. A flag's meaning depends on
// the frame type (so END_STREAM and ACK share a bit); flags a type does not
// define are ignored on receipt and never set by the writers (RFC 9113
// §4.1).
type Flags uint8

// The flags defined by RFC 9113 §6.
const (
	FlagEndStream  Flags = 0x1  // DATA, HEADERS: the last frame the sender sends on the stream
	FlagAck        Flags = 0x1  // SETTINGS, PING: the answer to the peer's frame
	FlagEndHeaders Flags = 0x4  // HEADERS, PUSH_PROMISE, CONTINUATION: the field block ends here
	FlagPadded     Flags = 0x8  // DATA, HEADERS, PUSH_PROMISE: a pad length octet and padding surround the content
	FlagPriority   Flags = 0x20 // HEADERS: a priority signal precedes the field block
)

// Has reports whether every flag in x is set in f.
func (f Flags) Has(x Flags) bool { return f&x == x }

// flagIf returns x when on, else 0: writers build their flags octet from it.
func flagIf(on bool, x Flags) Flags {
	if on {
		return x
	}
	return 0
}
