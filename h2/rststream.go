package h2

import "encoding/binary"

// ParseRSTStream checks an RST_STREAM frame (RFC 9113 §6.4) and returns
// its error code, which may be one RFC 9113 does not define (§7).
func ParseRSTStream(fh FrameHeader, p []byte) (ErrCode, error) {
	fixed, _, err := split(FrameRSTStream, fh, p)
	if err != nil {
		return 0, err
	}
	return ErrCode(binary.BigEndian.Uint32(fixed)), nil
}

// AppendRSTStream appends an RST_STREAM frame ending streamID with code.
func AppendRSTStream(dst []byte, streamID uint32, code ErrCode) []byte {
	dst = appendHeader(dst, FrameRSTStream, 0, streamID, 4)
	return binary.BigEndian.AppendUint32(dst, uint32(code))
}
