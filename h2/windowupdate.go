package h2

import "encoding/binary"

var (
	errConnWindowIncrement0   = connError(ErrCodeProtocol, "WINDOW_UPDATE increment 0 on the connection")
	errStreamWindowIncrement0 = streamError(ErrCodeProtocol, "WINDOW_UPDATE increment 0 on a stream")
)

// ParseWindowUpdate checks a WINDOW_UPDATE frame (RFC 9113 §6.9) and
// returns its increment, 1..2^31-1. An increment of 0 is an error of the
// window it is for: the connection's (stream 0) or the stream's. Whether
// the window then overflows is the role's to check.
func ParseWindowUpdate(fh FrameHeader, p []byte) (increment uint32, err error) {
	fixed, _, err := split(FrameWindowUpdate, fh, p)
	if err != nil {
		return 0, err
	}
	increment = binary.BigEndian.Uint32(fixed) & streamIDMask
	if increment == 0 {
		if fh.StreamID == 0 {
			return 0, errConnWindowIncrement0
		}
		return 0, errStreamWindowIncrement0
	}
	return increment, nil
}

// AppendWindowUpdate appends a WINDOW_UPDATE frame growing streamID's
// window (the connection's for 0) by increment, which must be 1..2^31-1.
func AppendWindowUpdate(dst []byte, streamID uint32, increment uint32) []byte {
	dst = appendHeader(dst, FrameWindowUpdate, 0, streamID, 4)
	return binary.BigEndian.AppendUint32(dst, increment&streamIDMask)
}
