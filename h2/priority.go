package h2

import "encoding/binary"

// Priority is an RFC 7540 priority signal, carried by PRIORITY frames and
// by HEADERS frames with the PRIORITY flag (RFC 9113 §5.3.2, §6.3). RFC
// 9113 deprecates the scheme, so a role may ignore it, but a frame that
// carries one is still checked and a stream may still not depend on
// itself (§5.3.1).
type Priority struct {
	StreamDep uint32 // the stream this one depends on; 0 for none
	Exclusive bool   // the dependency is exclusive
	Weight    uint8  // the weight minus one, as on the wire: 0..255 for 1..256
	Set       bool   // the frame carried a signal (always so for PRIORITY)
}

var (
	errPriorityOnItself = streamError(ErrCodeProtocol, "PRIORITY makes a stream depend on itself")
	errHeadersOnItself  = streamError(ErrCodeProtocol, "HEADERS makes a stream depend on itself")
)

// parsePrioritySignal decodes the 5 octets of a priority signal.
func parsePrioritySignal(b []byte) Priority {
	dep := binary.BigEndian.Uint32(b)
	return Priority{StreamDep: dep & streamIDMask, Exclusive: dep > streamIDMask, Weight: b[4], Set: true}
}

// appendPrioritySignal appends the 5 octets of p's signal.
func appendPrioritySignal(dst []byte, p Priority) []byte {
	dep := p.StreamDep & streamIDMask
	if p.Exclusive {
		dep |= 1 << 31
	}
	return append(binary.BigEndian.AppendUint32(dst, dep), p.Weight)
}

// ParsePriority checks a PRIORITY frame (RFC 9113 §6.3) and returns its
// signal. A wrong length or a dependency on the frame's own stream is a
// [StreamError]: the frame changes nothing shared by the connection.
func ParsePriority(fh FrameHeader, p []byte) (Priority, error) {
	fixed, _, err := split(FramePriority, fh, p)
	if err != nil {
		return Priority{}, err
	}
	prio := parsePrioritySignal(fixed)
	if prio.StreamDep == fh.StreamID {
		return Priority{}, errPriorityOnItself
	}
	return prio, nil
}

// AppendPriority appends a PRIORITY frame giving streamID the signal p
// (p.Set is not looked at).
func AppendPriority(dst []byte, streamID uint32, p Priority) []byte {
	dst = appendHeader(dst, FramePriority, 0, streamID, prioritySignalLen)
	return appendPrioritySignal(dst, p)
}
