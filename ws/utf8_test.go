package ws

import (
	"bytes"
	"strings"
	"testing"
	"unicode/utf8"
)

// validTexts are valid UTF-8 texts with characters of every length.
var validTexts = []string{
	"",
	"Hello-µ@ßöäüàá-UTF-8!!",
	"κόσμε",
	"\u0080\u07ff\u0800\uffff\U00010000\U0010ffff",
	"\ud7ff\ue000\ufffd\U0001f600 ascii 1234567890 ascii \U0001f600",
	"日本語のテキストと English text mixed together 🎉🎉🎉",
	strings.Repeat("a", 40) + "é" + strings.Repeat("b", 17) + "€" + strings.Repeat("c", 9) + "𝄞",
}

// invalidTexts are Autobahn case 6 style invalid sequences: each one is
// invalid UTF-8 whatever follows it, from some byte on.
var invalidTexts = []string{
	"\xce\xba\xe1\xbd\xb9\xcf\x83\xce\xbc\xce\xb5\xed\xa0\x80\x65\x64\x69\x74\x65\x64", // 6.3: κόσμε + surrogate + "edited"
	"\x80", "\xbf", "\x80\xbf", "\x80\xbf\x80\xbf\x80\xbf\x80", // 6.12 unexpected continuation bytes
	"\xc0 ", "\xdf ", "\xe0 ", "\xef ", "\xf0 ", "\xf7 ", // 6.13 lonely start characters
	"\xf8\x88\x80\x80\x80", "\xfc\x84\x80\x80\x80\x80", // 6.8 five and six-byte sequences
	"\xfe", "\xff", "\xfe\xfe\xff\xff", // 6.16 impossible bytes
	"\xc0\xaf", "\xe0\x80\xaf", "\xf0\x80\x80\xaf", "\xf8\x80\x80\x80\xaf", // 6.17 overlong "/"
	"\xc1\xbf", "\xe0\x9f\xbf", "\xf0\x8f\xbf\xbf", // 6.18 maximum overlong
	"\xc0\x80", "\xe0\x80\x80", "\xf0\x80\x80\x80", // 6.19 overlong NUL
	"\xed\xa0\x80", "\xed\xad\xbf", "\xed\xae\x80", "\xed\xaf\xbf", "\xed\xb0\x80", "\xed\xbe\x80", "\xed\xbf\xbf", // 6.20 single surrogates
	"\xed\xa0\x80\xed\xb0\x80", "\xed\xaf\xbf\xed\xbf\xbf", // 6.21 paired surrogates
	"\xf4\x90\x80\x80", "\xf5\x80\x80\x80", "\xf7\xbf\xbf\xbf", // above U+10FFFF
	"\xc2\x41", "\xe1\x80\x41", "\xf1\x80\x80\x41", // sequences cut by ASCII
	"\xe1\x80\xc2\x80", // a new lead byte inside a sequence
	"ascii ascii ascii ascii\xff", "12345678\x80abcdefgh",
}

// validPrefix is the oracle of fail-fast validation: whether some bytes
// appended to p make valid UTF-8. Past the last complete character only
// the first continuation byte has a restricted range, so trying each
// continuation byte there, padded with 0x80, is enough.
func validPrefix(p []byte) bool {
	if utf8.Valid(p) {
		return true
	}
	for k := 1; k <= 3 && k <= len(p); k++ {
		head, tail := p[:len(p)-k], p[len(p)-k:]
		if !utf8.Valid(head) {
			continue
		}
		for size := k + 1; size <= 4; size++ {
			for c := 0x80; c <= 0xbf; c++ {
				r := append(bytes.Clone(tail), byte(c))
				for len(r) < size {
					r = append(r, 0x80)
				}
				if len(r) != size {
					continue
				}
				if utf8.Valid(r) && utf8.RuneCount(r) == 1 {
					return true
				}
			}
		}
	}
	return false
}

func TestUTF8Valid(t *testing.T) {
	for _, s := range validTexts {
		p := []byte(s)
		// Every split in three pieces.
		for i := 0; i <= len(p); i++ {
			for j := i; j <= len(p); j++ {
				var u UTF8
				if !u.Write(p[:i]) || !u.Write(p[i:j]) || !u.Write(p[j:]) || !u.Complete() {
					t.Fatalf("%q split at %d, %d: rejected", s, i, j)
				}
				var v UTF8
				v.Write(p[:i])
				if v.Complete() != utf8.Valid(p[:i]) {
					t.Fatalf("%q: Complete after %d bytes: %v", s, i, v.Complete())
				}
			}
		}
		// Byte by byte.
		var u UTF8
		for i := range p {
			if !u.Write(p[i : i+1]) {
				t.Fatalf("%q: byte %d rejected", s, i)
			}
		}
		if !u.Complete() || !ValidUTF8(p) {
			t.Fatalf("%q: not complete", s)
		}
	}
}

// TestUTF8Incomplete checks texts cut inside their last character: each
// piece is fine, the whole is not complete.
func TestUTF8Incomplete(t *testing.T) {
	for _, s := range []string{"\xc3", "0123456789abcdef\xc3", "\xe2\x82", "\xf0\x9f\x98", "ok\xf4\x8f\xbf"} {
		var u UTF8
		if !u.Write([]byte(s)) || u.Complete() || ValidUTF8([]byte(s)) {
			t.Errorf("%q: Write or Complete wrong", s)
		}
	}
}

// TestUTF8FailFast checks that Write fails exactly at the first byte
// after which no continuation can be valid, written whole or byte by
// byte, and stays failed.
func TestUTF8FailFast(t *testing.T) {
	for _, s := range invalidTexts {
		p := []byte(s)
		if utf8.Valid(p) {
			t.Fatalf("%q is valid", s)
		}
		failAt := -1
		for i := 1; i <= len(p); i++ {
			if !validPrefix(p[:i]) {
				failAt = i
				break
			}
		}
		if failAt < 0 {
			t.Fatalf("%q: every prefix can be completed; bad test case", s)
		}
		for i := 0; i <= len(p); i++ {
			var u UTF8
			if got, want := u.Write(p[:i]), i < failAt; got != want {
				t.Errorf("%q: Write of %d bytes = %v, want %v", s, i, got, want)
			}
		}
		var u UTF8
		for i := range p {
			if got, want := u.Write(p[i:i+1]), i+1 < failAt; got != want {
				t.Errorf("%q: byte by byte, byte %d: %v, want %v", s, i, got, want)
			}
		}
		if u.Write([]byte("a")) || u.Complete() || ValidUTF8(p) {
			t.Errorf("%q: not failed for good", s)
		}
		u.Reset()
		if !u.Write([]byte("ok")) || !u.Complete() {
			t.Errorf("Reset did not start anew")
		}
	}
}

// TestUTF8Exhaustive checks every one- and two-byte input, and the
// three-byte inputs starting with a lead byte of a 3- or 4-byte sequence
// whose third byte is at an edge of a continuation range.
func TestUTF8Exhaustive(t *testing.T) {
	edges := []int{0x00, 0x7f, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf, 0xc0, 0xff}
	var b [3]byte
	for x := 0; x < 256; x++ {
		b[0] = byte(x)
		checkDiff(t, b[:1])
		for y := 0; y < 256; y++ {
			b[1] = byte(y)
			checkDiff(t, b[:2])
			if x >= 0xe0 && x <= 0xf4 {
				for _, z := range edges {
					b[2] = byte(z)
					checkDiff(t, b[:3])
				}
			}
		}
	}
}

// checkDiff compares UTF8 with unicode/utf8 and the fail-fast oracle on p,
// whole and in two pieces.
func checkDiff(t testing.TB, p []byte) {
	t.Helper()
	var u UTF8
	ok := u.Write(p)
	if ok != validPrefix(p) || u.Complete() != utf8.Valid(p) {
		t.Fatalf("% x: Write %v Complete %v; utf8.Valid %v validPrefix %v", p, ok, u.Complete(), utf8.Valid(p), validPrefix(p))
	}
	for i := 1; i < len(p); i++ {
		var v UTF8
		ok := v.Write(p[:i])
		ok = v.Write(p[i:]) && ok
		if ok != validPrefix(p) || v.Complete() != utf8.Valid(p) {
			t.Fatalf("% x split at %d: Write %v Complete %v", p, i, ok, v.Complete())
		}
	}
}

// FuzzUTF8 compares UTF8, fed a then b, with unicode/utf8 on a+b, and
// checks that it fails fast. Seeds: testdata/fuzz/FuzzUTF8 and the texts
// of the tests.
func FuzzUTF8(f *testing.F) {
	for _, s := range validTexts {
		f.Add([]byte(s[:len(s)/2]), []byte(s[len(s)/2:]))
	}
	for _, s := range invalidTexts {
		f.Add([]byte(s), []byte("tail"))
	}
	f.Fuzz(func(t *testing.T, a, b []byte) {
		whole := append(bytes.Clone(a), b...)
		var u UTF8
		okA := u.Write(a)
		if okA != validPrefix(a) {
			t.Fatalf("Write(% x) = %v", a, okA)
		}
		ok := u.Write(b)
		if ok != (okA && validPrefix(whole)) || u.Complete() != utf8.Valid(whole) {
			t.Fatalf("% x + % x: Write %v Complete %v, utf8.Valid %v", a, b, ok, u.Complete(), utf8.Valid(whole))
		}
		if ValidUTF8(whole) != utf8.Valid(whole) {
			t.Fatalf("ValidUTF8(% x) = %v", whole, ValidUTF8(whole))
		}
	})
}

func BenchmarkUTF8(b *testing.B) {
	ascii := []byte(strings.Repeat("The quick brown fox jumps over the lazy dog. ", 1500))
	mixed := []byte(strings.Repeat("Hello-µ@ßöäüàá-UTF-8!! κόσμε 日本語 🎉 plain ascii words here. ", 800))
	cjk := []byte(strings.Repeat("日本語のテキスト", 3000))
	for _, c := range []struct {
		name string
		p    []byte
	}{{"ascii", ascii}, {"mixed", mixed}, {"cjk", cjk}} {
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(len(c.p)))
			for b.Loop() {
				var u UTF8
				if !u.Write(c.p) || !u.Complete() {
					b.Fatal("invalid")
				}
			}
		})
		b.Run(c.name+"/stdlib", func(b *testing.B) {
			b.SetBytes(int64(len(c.p)))
			for b.Loop() {
				if !utf8.Valid(c.p) {
					b.Fatal("invalid")
				}
			}
		})
	}
}
