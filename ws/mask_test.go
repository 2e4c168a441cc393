package ws

import (
	"bytes"
	"strconv"
	"testing"
)

// maskRef is MaskBytes byte by byte, as RFC 6455 §5.3 states it.
func maskRef(key [4]byte, pos int, p []byte) int {
	for i := range p {
		p[i] ^= key[(pos+i)%4]
	}
	return (pos + len(p)) % 4
}

func TestMaskBytes(t *testing.T) {
	key := [4]byte{0x12, 0x34, 0x56, 0x78}
	src := make([]byte, 100+8)
	for i := range src {
		src[i] = byte(i*7 + 3)
	}
	for n := 0; n <= 100; n++ {
		for align := 0; align < 8; align++ {
			for pos := 0; pos < 4; pos++ {
				got := bytes.Clone(src)
				want := bytes.Clone(src)
				gp := MaskBytes(key, pos, got[align:align+n])
				wp := maskRef(key, pos, want[align:align+n])
				if gp != wp || !bytes.Equal(got, want) {
					t.Fatalf("n=%d align=%d pos=%d: pos %d want %d, bytes differ: %v", n, align, pos, gp, wp, !bytes.Equal(got, want))
				}
			}
		}
	}
}

// TestMaskBytesPieces unmasks a payload in every two pieces, as a
// receiver does when the payload arrives in parts.
func TestMaskBytesPieces(t *testing.T) {
	payload := []byte("the quick brown fox jumps over the lazy dog, twice: the quick brown fox")
	masked := bytes.Clone(payload)
	MaskBytes(testKey, 0, masked)
	for cut := 0; cut <= len(masked); cut++ {
		b := bytes.Clone(masked)
		pos := MaskBytes(testKey, 0, b[:cut])
		MaskBytes(testKey, pos, b[cut:])
		if !bytes.Equal(b, payload) {
			t.Fatalf("cut %d: %q", cut, b)
		}
	}
}

func BenchmarkMaskBytes(b *testing.B) {
	for _, n := range []int{16, 125, 1 << 10, 64 << 10} {
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			p := make([]byte, n)
			b.SetBytes(int64(n))
			pos := 0
			for b.Loop() {
				pos = MaskBytes(testKey, pos, p)
			}
		})
	}
}

func BenchmarkMaskBytesRef(b *testing.B) {
	p := make([]byte, 64<<10)
	b.SetBytes(int64(len(p)))
	for b.Loop() {
		maskRef(testKey, 1, p)
	}
}
