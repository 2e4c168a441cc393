package ws

import (
	"bytes"
	"strings"
	"testing"
)

func TestValidCloseCode(t *testing.T) {
	valid := map[uint16]bool{}
	for _, c := range []uint16{1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014} {
		valid[c] = true
	}
	for c := 3000; c <= 4999; c++ {
		valid[uint16(c)] = true
	}
	for c := 0; c < 1<<16; c++ {
		if got := ValidCloseCode(uint16(c)); got != valid[uint16(c)] {
			t.Errorf("ValidCloseCode(%d) = %v", c, got)
		}
	}
}

func TestParseClose(t *testing.T) {
	tests := []struct {
		payload string
		code    uint16
		reason  string
		err     error
	}{
		{"", CloseNoStatus, "", nil},
		{"\x03", 0, "", ErrCloseLength},
		{"\x03\xe8", 1000, "", nil},
		{"\x03\xe8bye", 1000, "bye", nil},
		{"\x03\xe9κόσμε", 1001, "κόσμε", nil},
		{"\x0b\xb8", 3000, "", nil},
		{"\x13\x87", 4999, "", nil},
		{"\x03\xe7", 0, "", ErrCloseCode},       // 999
		{"\x03\xec", 0, "", ErrCloseCode},       // 1004
		{"\x03\xed", 0, "", ErrCloseCode},       // 1005
		{"\x03\xee", 0, "", ErrCloseCode},       // 1006
		{"\x03\xf7", 0, "", ErrCloseCode},       // 1015
		{"\x03\xf8", 0, "", ErrCloseCode},       // 1016
		{"\x0b\xb7", 0, "", ErrCloseCode},       // 2999
		{"\x13\x88", 0, "", ErrCloseCode},       // 5000
		{"\x00\x00", 0, "", ErrCloseCode},       // 0
		{"\xff\xff", 0, "", ErrCloseCode},       // 65535
		{"\x03\xe8\xff", 0, "", ErrInvalidUTF8}, // invalid reason
		{"\x03\xe8\xce", 0, "", ErrInvalidUTF8}, // cut reason
	}
	for _, tt := range tests {
		code, reason, err := ParseClose([]byte(tt.payload))
		if code != tt.code || string(reason) != tt.reason || err != tt.err {
			t.Errorf("% x: %d %q %v; want %d %q %v", tt.payload, code, reason, err, tt.code, tt.reason, tt.err)
		}
	}
}

func TestAppendClose(t *testing.T) {
	long := strings.Repeat("€", 50) // 150 bytes, 3 per character
	tests := []struct {
		code   uint16
		reason string
		want   string
	}{
		{1000, "", "\x03\xe8"},
		{1001, "bye", "\x03\xe9bye"},
		{0, "x", ""},
		{CloseNoStatus, "x", ""},
		{CloseAbnormal, "", ""},
		{CloseTLSHandshake, "", ""},
		{4000, long, "\x0f\xa0" + long[:MaxCloseReason/3*3]},
		{4000, strings.Repeat("a", 200), "\x0f\xa0" + strings.Repeat("a", MaxCloseReason)},
	}
	for _, tt := range tests {
		got := AppendClose([]byte("x"), tt.code, tt.reason)
		if string(got) != "x"+tt.want {
			t.Errorf("AppendClose(%d, %q) = %q, want %q", tt.code, tt.reason, got, tt.want)
		}
		if len(got) > 1 {
			code, reason, err := ParseClose(got[1:])
			if err != nil || code != tt.code || !strings.HasPrefix(tt.reason, string(reason)) {
				t.Errorf("AppendClose(%d, %q): parsed back %d %q %v", tt.code, tt.reason, code, reason, err)
			}
		}
	}
	f := AppendCloseFrame(nil, CloseGoingAway, "bye", &testKey)
	h, n, err := ParseHeader(f)
	if err != nil || h.Op != Close || !h.Fin || !h.Masked || int(h.Length) != len(f)-n {
		t.Fatalf("AppendCloseFrame: %+v %d %v", h, n, err)
	}
	MaskBytes(h.Mask, 0, f[n:])
	if !bytes.Equal(f[n:], []byte("\x03\xe9bye")) {
		t.Errorf("AppendCloseFrame payload % x", f[n:])
	}
}

func TestCloseError(t *testing.T) {
	if got := ErrTooBig.Error(); got != "ws: message too big (close 1009)" {
		t.Errorf("Error() = %q", got)
	}
	for _, e := range []*CloseError{ErrNotMasked, ErrMasked, ErrReservedOpCode, ErrReservedBits, ErrFragmentedControl,
		ErrControlTooLong, ErrUnexpectedContinue, ErrExpectedContinue, ErrNonMinimalLength, ErrLengthOverflow,
		ErrCloseLength, ErrCloseCode, ErrCompressedControl, ErrCompressedContinue, ErrInvalidUTF8, ErrInvalidFlate, ErrTooBig} {
		if !ValidCloseCode(e.Code) || len(AppendClose(nil, e.Code, e.Reason)) != 2+len(e.Reason) {
			t.Errorf("%v: not sendable as is", e)
		}
	}
}
