package ws

import (
	"bytes"
	"testing"
)

func TestOpCode(t *testing.T) {
	for op := OpCode(0); op < 16; op++ {
		wantCtl := op >= 8
		wantRes := !(op <= 2 || op >= 8 && op <= 10)
		if op.IsControl() != wantCtl || op.IsReserved() != wantRes {
			t.Errorf("%v: IsControl %v IsReserved %v", op, op.IsControl(), op.IsReserved())
		}
		if op.String() == "" {
			t.Errorf("%d: empty String", op)
		}
	}
}

func TestParseHeader(t *testing.T) {
	tests := []struct {
		name string
		in   []byte
		h    Header
		n    int
		err  error
	}{
		{"empty", nil, Header{}, 0, nil},
		{"one byte", []byte{0x81}, Header{}, 0, nil},
		{"unmasked Hello", []byte{0x81, 0x05, 'H'}, Header{Fin: true, Op: Text, Length: 5}, 2, nil},
		{"masked", []byte{0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d}, Header{Fin: true, Op: Text, Masked: true, Mask: testKey, Length: 5}, 6, nil},
		{"masked, key cut", []byte{0x81, 0x85, 0x37, 0xfa, 0x21}, Header{}, 0, nil},
		{"rsv bits", []byte{0x72, 0x00}, Header{Rsv: Rsv1 | Rsv2 | Rsv3, Op: Binary}, 2, nil},
		{"16-bit", []byte{0x82, 0x7e, 0x01, 0x00}, Header{Fin: true, Op: Binary, Length: 256}, 4, nil},
		{"16-bit cut", []byte{0x82, 0x7e, 0x01}, Header{}, 0, nil},
		{"16-bit max", []byte{0x82, 0x7e, 0xff, 0xff}, Header{Fin: true, Op: Binary, Length: 0xffff}, 4, nil},
		{"64-bit", []byte{0x82, 0x7f, 0, 0, 0, 0, 0, 1, 0, 0}, Header{Fin: true, Op: Binary, Length: 65536}, 10, nil},
		{"64-bit masked", []byte{0x82, 0xff, 0, 0, 0, 0, 0, 1, 0, 0, 1, 2, 3, 4}, Header{Fin: true, Op: Binary, Length: 65536, Masked: true, Mask: [4]byte{1, 2, 3, 4}}, 14, nil},
		{"64-bit largest", []byte{0x82, 0x7f, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, Header{Fin: true, Op: Binary, Length: 1<<63 - 1}, 10, nil},
		{"64-bit cut", []byte{0x82, 0x7f, 0, 0, 0, 0, 0, 1, 0}, Header{}, 0, nil},
		{"16-bit non-minimal", []byte{0x82, 0x7e, 0x00, 0x7d}, Header{}, 0, ErrNonMinimalLength},
		{"16-bit non-minimal zero", []byte{0x82, 0x7e, 0x00, 0x00}, Header{}, 0, ErrNonMinimalLength},
		{"64-bit non-minimal", []byte{0x82, 0x7f, 0, 0, 0, 0, 0, 0, 0xff, 0xff}, Header{}, 0, ErrNonMinimalLength},
		{"64-bit high bit", []byte{0x82, 0x7f, 0x80, 0, 0, 0, 0, 0, 0, 0}, Header{}, 0, ErrLengthOverflow},
	}
	for _, tt := range tests {
		h, n, err := ParseHeader(tt.in)
		if h != tt.h || n != tt.n || err != tt.err {
			t.Errorf("%s: got %+v, %d, %v; want %+v, %d, %v", tt.name, h, n, err, tt.h, tt.n, tt.err)
		}
	}
}

func TestHeaderRoundTrip(t *testing.T) {
	for _, length := range []int64{0, 1, 125, 126, 127, 0xffff, 0x10000, 1 << 40, 1<<63 - 1} {
		for _, masked := range []bool{false, true} {
			for rsv := byte(0); rsv < 8; rsv++ {
				h := Header{Fin: rsv&1 == 0, Rsv: rsv, Op: OpCode(rsv + 7), Masked: masked, Length: length}
				if masked {
					h.Mask = [4]byte{rsv, 2, 3, 4}
				}
				b := AppendHeader([]byte("x"), h)[1:]
				got, n, err := ParseHeader(b)
				if err != nil || n != len(b) || got != h {
					t.Fatalf("%+v: parsed %+v, %d, %v from % x", h, got, n, err, b)
				}
				// Every shorter prefix needs more.
				for i := range b {
					if _, n, err := ParseHeader(b[:i]); n != 0 || err != nil {
						t.Fatalf("%+v: prefix %d: %d, %v", h, i, n, err)
					}
				}
			}
		}
	}
}

// TestRFC6455Examples builds the frames of RFC 6455 §5.7.
func TestRFC6455Examples(t *testing.T) {
	hello := []byte("Hello")
	tests := []struct {
		name string
		got  []byte
		want []byte
	}{
		{"unmasked text", AppendFrame(nil, true, Text, hello, nil), []byte{0x81, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f}},
		{"masked text", AppendFrame(nil, true, Text, hello, &testKey), []byte{0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58}},
		{"fragment 1", AppendFrame(nil, false, Text, hello[:3], nil), []byte{0x01, 0x03, 0x48, 0x65, 0x6c}},
		{"fragment 2", AppendFrame(nil, true, Continuation, hello[3:], nil), []byte{0x80, 0x02, 0x6c, 0x6f}},
		{"ping", AppendFrame(nil, true, Ping, hello, nil), []byte{0x89, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f}},
		{"masked pong", AppendFrame(nil, true, Pong, hello, &testKey), []byte{0x8a, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58}},
		{"256 bytes", AppendFrame(nil, true, Binary, make([]byte, 256), nil)[:4], []byte{0x82, 0x7e, 0x01, 0x00}},
		{"64 KiB", AppendFrame(nil, true, Binary, make([]byte, 65536), nil)[:10], []byte{0x82, 0x7f, 0, 0, 0, 0, 0, 1, 0, 0}},
	}
	for _, tt := range tests {
		if !bytes.Equal(tt.got, tt.want) {
			t.Errorf("%s: % x, want % x", tt.name, tt.got, tt.want)
		}
	}
	if string(hello) != "Hello" {
		t.Errorf("AppendFrame changed its payload to %q", hello)
	}
}

func TestAppendHeaderNegative(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("no panic for a negative length")
		}
	}()
	AppendHeader(nil, Header{Length: -1})
}
