package h2

import "encoding/binary"

// FrameHeader is the 9-octet header that starts every frame (RFC 9113
// §4.1). Length counts the payload only; StreamID has its reserved bit
// cleared on receipt.
type FrameHeader struct {
	Length   uint32
	Type     FrameType
	Flags    Flags
	StreamID uint32
}

// ParseFrameHeader decodes the frame header at the start of buf; ok is
// false when buf holds fewer than [FrameHeaderLen] octets. It checks
// nothing: [ReadFrame] and the typed parsers do.
func ParseFrameHeader(buf []byte) (fh FrameHeader, ok bool) {
	if len(buf) < FrameHeaderLen {
		return FrameHeader{}, false
	}
	return FrameHeader{
		Length:   uint32(buf[0])<<16 | uint32(buf[1])<<8 | uint32(buf[2]),
		Type:     FrameType(buf[3]),
		Flags:    Flags(buf[4]),
		StreamID: binary.BigEndian.Uint32(buf[5:9]) & streamIDMask,
	}, true
}

// AppendFrameHeader appends fh's 9 octets to dst, with the stream id's
// reserved bit unset. It panics if fh.Length exceeds [MaxFrameSizeLimit]:
// the length field would wrap and the peer would misread every frame after
// this one.
func AppendFrameHeader(dst []byte, fh FrameHeader) []byte {
	if fh.Length > MaxFrameSizeLimit {
		panic("h2: frame payload longer than 2^24-1 octets")
	}
	dst = append(dst, byte(fh.Length>>16), byte(fh.Length>>8), byte(fh.Length), byte(fh.Type), byte(fh.Flags))
	return binary.BigEndian.AppendUint32(dst, fh.StreamID&streamIDMask)
}

// appendHeader is AppendFrameHeader for a payload of n octets, the form
// every writer needs.
func appendHeader(dst []byte, t FrameType, f Flags, streamID uint32, n int) []byte {
	if n < 0 || n > MaxFrameSizeLimit {
		panic("h2: frame payload longer than 2^24-1 octets")
	}
	return AppendFrameHeader(dst, FrameHeader{Length: uint32(n), Type: t, Flags: f, StreamID: streamID})
}
