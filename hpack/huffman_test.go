package hpack

import (
	"bytes"
	"testing"
)

// Strings of RFC 7541 Appendix C.4 and C.6.
var huffmanExamples = []struct{ plain, coded string }{
	{"www.example.com", "f1e3 c2e5 f23a 6ba0 ab90 f4ff"},
	{"no-cache", "a8eb 1064 9cbf"},
	{"custom-key", "25a8 49e9 5ba9 7d7f"},
	{"custom-value", "25a8 49e9 5bb8 e8b4 bf"},
	{"302", "6402"},
	{"private", "aec3 771a 4b"},
	{"Mon, 21 Oct 2013 20:13:21 GMT", "d07a be94 1054 d444 a820 0595 040b 8166 e082 a62d 1bff"},
	{"https://www.example.com", "9d29 ad17 1863 c78f 0b97 c8e9 ae82 ae43 d3"},
	{"307", "640e ff"},
	{"gzip", "9bd9 ab"},
	{"foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; version=1",
		"94e7 821d d7f2 e6c7 b335 dfdf cd5b 3960 d5af 2708 7f36 72c1 ab27 0fb5 291f 9587 3160 65c0 03ed 4ee5 b106 3d50 07"},
}

func TestHuffmanRFCExamples(t *testing.T) {
	for _, ex := range huffmanExamples {
		coded := unhex(t, ex.coded)
		if got := AppendHuffman(nil, []byte(ex.plain)); !bytes.Equal(got, coded) {
			t.Errorf("encode %q = %x, want %x", ex.plain, got, coded)
		}
		if n := HuffmanEncodedLen([]byte(ex.plain)); n != len(coded) {
			t.Errorf("HuffmanEncodedLen(%q) = %d, want %d", ex.plain, n, len(coded))
		}
		got, err := DecodeHuffman([]byte("prefix:"), coded)
		if err != nil || string(got) != "prefix:"+ex.plain {
			t.Errorf("decode %x = %q, %v", coded, got, err)
		}
	}
}

func TestHuffmanEveryByte(t *testing.T) {
	all := make([]byte, 0, 512)
	for i := range 256 {
		all = append(all, byte(i), byte(255-i))
	}
	for n := range len(all) {
		s := all[:n]
		got, err := DecodeHuffman(nil, AppendHuffman(nil, s))
		if err != nil || !bytes.Equal(got, s) {
			t.Fatalf("round trip of %d bytes: %v", n, err)
		}
	}
}

func TestHuffmanRejects(t *testing.T) {
	for _, tc := range []struct {
		name, coded string
		err         error
	}{
		{"8 bits of padding", "ff", ErrHuffmanPaddingTooLong},
		{"a then 8 ones", "1f ff", ErrHuffmanPaddingTooLong},
		{"padding of zeros", "18", ErrHuffmanBadPadding},
		{"padding ones then zero", "1e", ErrHuffmanBadPadding},
		{"truncated long code", "ff fe", ErrHuffmanBadPadding},
		{"EOS", "ff ff ff ff", ErrHuffmanEOS},
		{"EOS after a", "1f ff ff ff fc", ErrHuffmanEOS},
	} {
		if _, err := DecodeHuffman(nil, unhex(t, tc.coded)); err != tc.err {
			t.Errorf("%s: got %v, want %v", tc.name, err, tc.err)
		}
	}
	if got, err := DecodeHuffman(nil, nil); err != nil || len(got) != 0 {
		t.Errorf("empty: %q %v", got, err)
	}
}

func TestHuffmanStringLimit(t *testing.T) {
	coded := AppendHuffman(nil, []byte("abcdef"))
	if _, err := decodeHuffman(nil, coded, 5); err != ErrStringTooLong {
		t.Fatalf("limit 5: %v", err)
	}
	if got, err := decodeHuffman(nil, coded, 6); err != nil || string(got) != "abcdef" {
		t.Fatalf("limit 6: %q %v", got, err)
	}
}
