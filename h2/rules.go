package h2

// streamRule says which stream ids a frame type may carry (RFC 9113 §6).
type streamRule uint8

const (
	anyStream    streamRule = iota // WINDOW_UPDATE: the connection or one stream
	onStream                       // the frame belongs to a stream, so id 0 is wrong
	onConnection                   // the frame concerns the whole connection, so any other id is wrong
)

// frameRule is what RFC 9113 §6 says of one frame type's stream id,
// length and padding: everything about a frame that does not depend on
// the values of its fields.
type frameRule struct {
	stream      streamRule
	wrongStream error // the error for an id the type may not carry
	fixedLen    int   // octets of fixed fields after any pad length octet and priority signal
	exactLen    bool  // the payload is the fixed fields and nothing more
	badLen      error // the error for a payload shorter than its fixed fields, or longer when exactLen
	padded      bool  // FlagPadded is defined: a pad length octet leads and padding ends the payload
	prioritized bool  // FlagPriority is defined: a 5-octet priority signal leads the fixed fields
	badPadding  error // the error for padding longer than what follows the fixed fields
}

// prioritySignalLen is the size of a priority signal: exclusive bit and
// stream dependency (4 octets) and weight (1), in HEADERS and PRIORITY.
const prioritySignalLen = 5

// frameRules holds one row per known frame type. A frame too short for its
// mandatory fields is a FRAME_SIZE_ERROR (§4.2), a connection error for
// every type but PRIORITY, whose size error only concerns its stream
// (§6.3); padding that leaves less than nothing is a PROTOCOL_ERROR (§6.1,
// §6.2, §6.6), a connection error because the frame's content cannot be
// told from its padding.
var frameRules = [...]frameRule{
	FrameData: {
		stream: onStream, wrongStream: connError(ErrCodeProtocol, "DATA on stream 0"),
		badLen: connError(ErrCodeFrameSize, "padded DATA without a pad length"),
		padded: true, badPadding: connError(ErrCodeProtocol, "DATA padding longer than the payload"),
	},
	FrameHeaders: {
		stream: onStream, wrongStream: connError(ErrCodeProtocol, "HEADERS on stream 0"),
		badLen: connError(ErrCodeFrameSize, "HEADERS shorter than its pad length and priority"),
		padded: true, prioritized: true, badPadding: connError(ErrCodeProtocol, "HEADERS padding longer than the field block"),
	},
	FramePriority: {
		stream: onStream, wrongStream: connError(ErrCodeProtocol, "PRIORITY on stream 0"),
		fixedLen: prioritySignalLen, exactLen: true, badLen: streamError(ErrCodeFrameSize, "PRIORITY length not 5"),
	},
	FrameRSTStream: {
		stream: onStream, wrongStream: connError(ErrCodeProtocol, "RST_STREAM on stream 0"),
		fixedLen: 4, exactLen: true, badLen: connError(ErrCodeFrameSize, "RST_STREAM length not 4"),
	},
	FrameSettings: {
		stream: onConnection, wrongStream: connError(ErrCodeProtocol, "SETTINGS on a stream"),
	},
	FramePushPromise: {
		stream: onStream, wrongStream: connError(ErrCodeProtocol, "PUSH_PROMISE on stream 0"),
		fixedLen: 4, badLen: connError(ErrCodeFrameSize, "PUSH_PROMISE without a promised stream id"),
		padded: true, badPadding: connError(ErrCodeProtocol, "PUSH_PROMISE padding longer than the field block"),
	},
	FramePing: {
		stream: onConnection, wrongStream: connError(ErrCodeProtocol, "PING on a stream"),
		fixedLen: 8, exactLen: true, badLen: connError(ErrCodeFrameSize, "PING length not 8"),
	},
	FrameGoAway: {
		stream: onConnection, wrongStream: connError(ErrCodeProtocol, "GOAWAY on a stream"),
		fixedLen: 8, badLen: connError(ErrCodeFrameSize, "GOAWAY shorter than 8"),
	},
	FrameWindowUpdate: {
		stream:   anyStream,
		fixedLen: 4, exactLen: true, badLen: connError(ErrCodeFrameSize, "WINDOW_UPDATE length not 4"),
	},
	FrameContinuation: {
		stream: onStream, wrongStream: connError(ErrCodeProtocol, "CONTINUATION on stream 0"),
	},
	FramePriorityUpdate: { // RFC 9218 §7.1
		stream: onConnection, wrongStream: connError(ErrCodeProtocol, "PRIORITY_UPDATE on a stream"),
		fixedLen: 4, badLen: connError(ErrCodeFrameSize, "PRIORITY_UPDATE shorter than 4"),
	},
}

// split checks a frame of type t against its row and cuts its payload into
// the fixed fields (the priority signal, if any, then the type's own) and
// the rest, without the pad length octet and the padding.
func split(t FrameType, fh FrameHeader, p []byte) (fixed, rest []byte, err error) {
	r := &frameRules[t]
	if r.stream == onStream && fh.StreamID == 0 || r.stream == onConnection && fh.StreamID != 0 {
		return nil, nil, r.wrongStream
	}
	fixedLen := r.fixedLen
	if r.prioritized && fh.Flags.Has(FlagPriority) {
		fixedLen += prioritySignalLen
	}
	padded := r.padded && fh.Flags.Has(FlagPadded)
	lead := 0
	if padded {
		lead = 1
	}
	if len(p) < lead+fixedLen || r.exactLen && len(p) != fixedLen {
		return nil, nil, r.badLen
	}
	if padded {
		padLen := int(p[0])
		p = p[1:]
		if padLen > len(p)-fixedLen {
			return nil, nil, r.badPadding
		}
		p = p[:len(p)-padLen]
	}
	return p[:fixedLen], p[fixedLen:], nil
}
