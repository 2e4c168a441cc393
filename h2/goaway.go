package h2

import "encoding/binary"

// ParseGoAway checks a GOAWAY frame (RFC 9113 §6.8) and returns the last
// stream the sender may have processed, why it is closing and its opaque
// debug data.
func ParseGoAway(fh FrameHeader, p []byte) (lastStreamID uint32, code ErrCode, debug []byte, err error) {
	fixed, debug, err := split(FrameGoAway, fh, p)
	if err != nil {
		return 0, 0, nil, err
	}
	return binary.BigEndian.Uint32(fixed) & streamIDMask, ErrCode(binary.BigEndian.Uint32(fixed[4:])), debug, nil
}

// AppendGoAway appends a GOAWAY frame. debug is for diagnostics only; keep
// it short, it must fit the peer's SETTINGS_MAX_FRAME_SIZE with 8 octets
// to spare.
func AppendGoAway(dst []byte, lastStreamID uint32, code ErrCode, debug []byte) []byte {
	dst = appendHeader(dst, FrameGoAway, 0, 0, 8+len(debug))
	dst = binary.BigEndian.AppendUint32(dst, lastStreamID&streamIDMask)
	dst = binary.BigEndian.AppendUint32(dst, uint32(code))
	return append(dst, debug...)
}
