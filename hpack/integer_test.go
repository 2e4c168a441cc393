package hpack

import (
	"bytes"
	"testing"
)

// RFC 7541 C.1, plus the edges of the accepted range.
func TestIntegers(t *testing.T) {
	for _, tc := range []struct {
		v      uint64
		prefix uint
		coded  string
	}{
		{10, 5, "0a"},         // C.1.1
		{1337, 5, "1f 9a 0a"}, // C.1.2
		{42, 8, "2a"},         // C.1.3
		{31, 5, "1f 00"},
		{127, 7, "7f 00"},
		{maxInteger, 7, "7f 80 ff ff ff 07"},
	} {
		coded := unhex(t, tc.coded)
		if got := appendInteger(nil, 0, tc.prefix, tc.v); !bytes.Equal(got, coded) {
			t.Errorf("encode %d/%d = %x, want %x", tc.v, tc.prefix, got, coded)
		}
		v, n, err := readInteger(append(coded, 0xee), tc.prefix)
		if err != nil || uint64(v) != tc.v || n != len(coded) {
			t.Errorf("decode %x = %d, %d, %v", coded, v, n, err)
		}
	}
}

func TestIntegerRejects(t *testing.T) {
	for _, tc := range []struct {
		coded string
		err   error
	}{
		{"", ErrTruncated},
		{"1f", ErrTruncated},
		{"1f 80 80", ErrTruncated},
		{"1f e1 ff ff ff 07", ErrIntegerOverflow},    // 2^31 + 30
		{"1f 80 80 80 80 80 00", ErrIntegerOverflow}, // six continuation octets
	} {
		if _, _, err := readInteger(unhex(t, tc.coded), 5); err != tc.err {
			t.Errorf("%s: %v, want %v", tc.coded, err, tc.err)
		}
	}
	// Five continuation octets are accepted, even when some are padding.
	if v, _, err := readInteger(unhex(t, "1f 81 80 80 80 00"), 5); err != nil || v != 32 {
		t.Errorf("padded: %d %v", v, err)
	}
}
