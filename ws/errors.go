package ws

import "strconv"

// CloseError is why a [Receiver] failed the connection: the role sends a
// Close frame with Code (and, if it wishes, Reason) and closes (RFC 6455
// §7.1.7). The receiver only returns the predefined values below, as
// pointers, so failing allocates nothing and errors compare with ==.
type CloseError struct {
	Code   uint16
	Reason string
}

func (e *CloseError) Error() string {
	return "ws: " + e.Reason + " (close " + strconv.Itoa(int(e.Code)) + ")"
}

// Protocol errors (1002): the peer broke a rule of RFC 6455 §5.
var (
	ErrNotMasked          = &CloseError{CloseProtocolError, "unmasked frame from client"}
	ErrMasked             = &CloseError{CloseProtocolError, "masked frame from server"}
	ErrReservedOpCode     = &CloseError{CloseProtocolError, "reserved opcode"}
	ErrReservedBits       = &CloseError{CloseProtocolError, "reserved bits set"}
	ErrFragmentedControl  = &CloseError{CloseProtocolError, "fragmented control frame"}
	ErrControlTooLong     = &CloseError{CloseProtocolError, "control frame payload over 125 bytes"}
	ErrUnexpectedContinue = &CloseError{CloseProtocolError, "continuation frame outside a message"}
	ErrExpectedContinue   = &CloseError{CloseProtocolError, "new message inside a fragmented message"}
	ErrNonMinimalLength   = &CloseError{CloseProtocolError, "payload length not minimally encoded"}
	ErrLengthOverflow     = &CloseError{CloseProtocolError, "64-bit payload length with the high bit set"}
	ErrCloseLength        = &CloseError{CloseProtocolError, "close payload of 1 byte"}
	ErrCloseCode          = &CloseError{CloseProtocolError, "invalid close code"}
	ErrCompressedControl  = &CloseError{CloseProtocolError, "compressed control frame"}
	ErrCompressedContinue = &CloseError{CloseProtocolError, "RSV1 on a continuation frame"}
)

// Payload errors (1007) and the size bound (1009).
var (
	ErrInvalidUTF8  = &CloseError{CloseInvalidPayload, "invalid UTF-8 in text"}
	ErrInvalidFlate = &CloseError{CloseInvalidPayload, "invalid compressed data"}
	ErrTooBig       = &CloseError{CloseTooBig, "message too big"}
)
