package ws

import (
	"encoding/binary"
	"unicode/utf8"
)

// Close codes (RFC 6455 §7.4.1 and the IANA registry).
const (
	CloseNormal          uint16 = 1000
	CloseGoingAway       uint16 = 1001
	CloseProtocolError   uint16 = 1002
	CloseUnsupported     uint16 = 1003
	CloseNoStatus        uint16 = 1005 // never sent: reported for an empty Close payload
	CloseAbnormal        uint16 = 1006 // never sent: the connection ended without a Close
	CloseInvalidPayload  uint16 = 1007
	ClosePolicyViolation uint16 = 1008
	CloseTooBig          uint16 = 1009
	CloseMandatoryExt    uint16 = 1010
	CloseInternalError   uint16 = 1011
	CloseServiceRestart  uint16 = 1012
	CloseTryAgainLater   uint16 = 1013
	CloseBadGateway      uint16 = 1014
	CloseTLSHandshake    uint16 = 1015 // never sent
)

// MaxCloseReason is the longest reason a Close frame can carry: the
// payload is at most 125 bytes, two of them the code.
const MaxCloseReason = MaxControlPayload - 2

// ValidCloseCode reports whether a Close frame may carry code (RFC 6455
// §7.4): 1000–1003 and 1007–1014 (defined or registered), or 3000–4999
// (libraries, frameworks and applications). 1004 is reserved, 1005, 1006
// and 1015 must never be sent, and the rest of 1000–2999 is unassigned;
// a peer that sends one is failed with 1002.
func ValidCloseCode(code uint16) bool {
	switch {
	case code >= 1000 && code <= 1003, code >= 1007 && code <= 1014:
		return true
	case code >= 3000 && code <= 4999:
		return true
	}
	return false
}

// ParseClose decodes a Close frame's payload (RFC 6455 §5.5.1). An empty
// payload has no code: it is reported as [CloseNoStatus]. A 1-byte
// payload is [ErrCloseLength], a code that may not be sent
// [ErrCloseCode] (both 1002), a reason that is not UTF-8
// [ErrInvalidUTF8] (1007). reason aliases payload.
func ParseClose(payload []byte) (code uint16, reason []byte, err error) {
	switch len(payload) {
	case 0:
		return CloseNoStatus, nil, nil
	case 1:
		return 0, nil, ErrCloseLength
	}
	code = binary.BigEndian.Uint16(payload)
	if !ValidCloseCode(code) {
		return 0, nil, ErrCloseCode
	}
	reason = payload[2:]
	if !ValidUTF8(reason) {
		return 0, nil, ErrInvalidUTF8
	}
	return code, reason, nil
}

// AppendClose appends a Close payload to dst: code and reason, the reason
// cut to [MaxCloseReason] bytes on a character boundary. A code that must
// not be sent (0, 1005, 1006, 1015) gives the empty payload, which stands
// for "no status" (the reason is then dropped: it needs a code).
func AppendClose(dst []byte, code uint16, reason string) []byte {
	switch code {
	case 0, CloseNoStatus, CloseAbnormal, CloseTLSHandshake:
		return dst
	}
	dst = binary.BigEndian.AppendUint16(dst, code)
	if len(reason) > MaxCloseReason {
		n := MaxCloseReason
		for n > 0 && !utf8.RuneStart(reason[n]) {
			n--
		}
		reason = reason[:n]
	}
	return append(dst, reason...)
}

// AppendCloseFrame appends a whole Close frame with [AppendClose]'s
// payload, masked with *mask when mask is not nil.
func AppendCloseFrame(dst []byte, code uint16, reason string, mask *[4]byte) []byte {
	var buf [MaxControlPayload]byte
	return AppendFrame(dst, true, Close, AppendClose(buf[:0], code, reason), mask)
}
