package ws

import "encoding/binary"

// The reserved bits of [Header.Rsv], numbered as in RFC 6455 §5.2 but
// shifted down to the low bits: Rsv1 is 0x40 on the wire.
// permessage-deflate (RFC 7692) gives Rsv1 its meaning; no registered
// extension uses Rsv2 or Rsv3.
const (
	Rsv1 byte = 0x4
	Rsv2 byte = 0x2
	Rsv3 byte = 0x1
)

// Frame sizes.
const (
	// MaxHeaderLen is the longest frame header: 2 bytes, an 8-byte
	// extended length and a 4-byte masking key.
	MaxHeaderLen = 14
	// MaxControlPayload is the longest payload of a control frame (RFC
	// 6455 §5.5): it must fit the 7-bit length.
	MaxControlPayload = 125
)

// Header is a frame header (RFC 6455 §5.2). Rsv holds RSV1–RSV3 as
// [Rsv1], [Rsv2] and [Rsv3]. Mask is meaningful only when Masked is set.
// Length counts the payload only.
type Header struct {
	Fin    bool
	Rsv    byte
	Op     OpCode
	Masked bool
	Mask   [4]byte
	Length int64
}

// headerLen is the length of the header whose second byte is b1: it holds
// the length code and the mask bit, all that the size depends on.
func headerLen(b1 byte) int {
	n := 2
	switch b1 & 0x7f {
	case 126:
		n += 2
	case 127:
		n += 8
	}
	if b1&0x80 != 0 {
		n += 4
	}
	return n
}

// ParseHeader decodes the frame header at the start of buf and returns it
// with its length n. n == 0 with a nil error means buf holds only part of
// a header. It checks only the length field: RFC 6455 §5.2 says "the
// minimal number of bytes MUST be used to encode the length", so a
// non-minimal encoding is [ErrNonMinimalLength], and a 64-bit length with
// its most significant bit set is [ErrLengthOverflow]. Every other rule
// (opcodes, reserved bits, control frames, masking) needs the receiver's
// state or role and is checked by [Receiver].
func ParseHeader(buf []byte) (h Header, n int, err error) {
	if len(buf) < 2 {
		return Header{}, 0, nil
	}
	b0, b1 := buf[0], buf[1]
	n = headerLen(b1)
	if len(buf) < n {
		return Header{}, 0, nil
	}
	h = Header{
		Fin:    b0&0x80 != 0,
		Rsv:    b0 >> 4 & 0x7,
		Op:     OpCode(b0 & 0xf),
		Masked: b1&0x80 != 0,
	}
	p := 2
	switch l := b1 & 0x7f; l {
	case 126:
		h.Length = int64(binary.BigEndian.Uint16(buf[2:4]))
		if h.Length < 126 {
			return Header{}, 0, ErrNonMinimalLength
		}
		p = 4
	case 127:
		u := binary.BigEndian.Uint64(buf[2:10])
		if u>>63 != 0 {
			return Header{}, 0, ErrLengthOverflow
		}
		if u <= 0xffff {
			return Header{}, 0, ErrNonMinimalLength
		}
		h.Length = int64(u)
		p = 10
	default:
		h.Length = int64(l)
	}
	if h.Masked {
		copy(h.Mask[:], buf[p:p+4])
	}
	return h, n, nil
}

// AppendHeader appends h to dst, its length minimally encoded and its
// masking key present when h.Masked is set. It panics on a negative
// Length, which no header can describe.
func AppendHeader(dst []byte, h Header) []byte {
	if h.Length < 0 {
		panic("ws: negative frame length")
	}
	b0 := byte(h.Op&0xf) | (h.Rsv&0x7)<<4
	if h.Fin {
		b0 |= 0x80
	}
	var b1 byte
	if h.Masked {
		b1 = 0x80
	}
	switch {
	case h.Length < 126:
		dst = append(dst, b0, b1|byte(h.Length))
	case h.Length <= 0xffff:
		dst = append(dst, b0, b1|126)
		dst = binary.BigEndian.AppendUint16(dst, uint16(h.Length))
	default:
		dst = append(dst, b0, b1|127)
		dst = binary.BigEndian.AppendUint64(dst, uint64(h.Length))
	}
	if h.Masked {
		dst = append(dst, h.Mask[:]...)
	}
	return dst
}

// AppendFrame appends a whole frame carrying payload to dst: masked with
// *mask when mask is not nil (a client must pass a fresh key from a strong
// source for every frame, RFC 6455 §5.3), unmasked otherwise. The payload
// is copied, never modified. Reserved bits are clear; a sender of
// compressed messages uses [AppendHeader].
func AppendFrame(dst []byte, fin bool, op OpCode, payload []byte, mask *[4]byte) []byte {
	h := Header{Fin: fin, Op: op, Length: int64(len(payload))}
	if mask != nil {
		h.Masked, h.Mask = true, *mask
	}
	dst = AppendHeader(dst, h)
	start := len(dst)
	dst = append(dst, payload...)
	if mask != nil {
		MaskBytes(*mask, 0, dst[start:])
	}
	return dst
}
