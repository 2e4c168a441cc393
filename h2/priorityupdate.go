package h2

import "encoding/binary"

var errPrioritizedStream0 = connError(ErrCodeProtocol, "PRIORITY_UPDATE for stream 0")

// ParsePriorityUpdate checks a PRIORITY_UPDATE frame (RFC 9218 §7.1) and
// returns the stream it reprioritizes and its Priority Field Value, an
// RFC 9218 §4 structured field ("u=1, i") for the role to parse. That
// only a client sends it is the role's to check.
func ParsePriorityUpdate(fh FrameHeader, p []byte) (prioritized uint32, field []byte, err error) {
	fixed, field, err := split(FramePriorityUpdate, fh, p)
	if err != nil {
		return 0, nil, err
	}
	prioritized = binary.BigEndian.Uint32(fixed) & streamIDMask
	if prioritized == 0 {
		return 0, nil, errPrioritizedStream0
	}
	return prioritized, field, nil
}

// AppendPriorityUpdate appends a PRIORITY_UPDATE frame giving prioritized
// the Priority Field Value field.
func AppendPriorityUpdate(dst []byte, prioritized uint32, field []byte) []byte {
	dst = appendHeader(dst, FramePriorityUpdate, 0, 0, 4+len(field))
	dst = binary.BigEndian.AppendUint32(dst, prioritized&streamIDMask)
	return append(dst, field...)
}
