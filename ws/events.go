package ws

// Deliver says how a [Receiver] hands data messages to [Events.OnMessage].
type Deliver uint8

const (
	// Whole reassembles each message in the receiver's buffer (bounded by
	// MaxMessage) and delivers it once, with final set.
	Whole Deliver = iota
	// Fragments delivers payload as it arrives, unmasked in place in the
	// buffer given to Feed: any number of pieces, the last one (possibly
	// empty) with final set. Nothing is buffered, except for compressed
	// messages, which are delivered whole when decompressed.
	Fragments
)

// Events receives what a [Receiver] reads. The slices alias the buffer
// given to Feed or the receiver's own buffers, and are valid only until
// the method returns.
type Events interface {
	// OnMessage delivers a data message or a piece of one. op is the
	// message's opcode (Text or Binary) for every piece, also those of
	// continuation frames. A text message has been checked to be UTF-8
	// up to the end of data (up to its last byte when final is set).
	OnMessage(op OpCode, data []byte, final bool)
	// OnPing and OnPong deliver a ping's or pong's payload. A ping is to
	// be answered with a pong carrying the same payload (RFC 6455 §5.5.2).
	OnPing(payload []byte)
	OnPong(payload []byte)
	// OnClose delivers the peer's Close frame, checked by [ParseClose]:
	// code is CloseNoStatus when the frame had no payload. The receiver
	// accepts nothing after it.
	OnClose(code uint16, reason []byte)
}
