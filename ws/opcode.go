package ws

import "strconv"

// OpCode is a frame's 4-bit opcode (RFC 6455 §5.2).
type OpCode byte

// The opcodes of RFC 6455 §11.8. The others are reserved: 0x3–0x7 for
// further data frames, 0xB–0xF for further control frames.
const (
	Continuation OpCode = 0x0
	Text         OpCode = 0x1
	Binary       OpCode = 0x2
	Close        OpCode = 0x8
	Ping         OpCode = 0x9
	Pong         OpCode = 0xA
)

// IsControl reports whether op is a control opcode (its high bit is set,
// RFC 6455 §5.5), reserved ones included.
func (op OpCode) IsControl() bool { return op&0x8 != 0 }

// IsReserved reports whether op is none of the six defined opcodes; a
// frame with one fails the connection unless an extension defines it.
func (op OpCode) IsReserved() bool {
	switch op {
	case Continuation, Text, Binary, Close, Ping, Pong:
		return false
	}
	return true
}

func (op OpCode) String() string {
	switch op {
	case Continuation:
		return "continuation"
	case Text:
		return "text"
	case Binary:
		return "binary"
	case Close:
		return "close"
	case Ping:
		return "ping"
	case Pong:
		return "pong"
	}
	return "opcode(" + strconv.Itoa(int(op)) + ")"
}
