package h1

import "testing"

// TestScanClass checks the word-at-a-time scan against the table, byte
// by byte, for every byte value at every position of a word.
func TestScanClass(t *testing.T) {
	slow := func(b []byte, c uint8) int {
		i := 0
		for i < len(b) && class[b[i]]&c != 0 {
			i++
		}
		return i
	}
	for _, k := range []struct {
		c     uint8
		floor byte
	}{{classValue, ' '}, {classTarget, '!'}} {
		for v := 0; v < 256; v++ {
			for pos := 0; pos < 19; pos++ {
				b := []byte("abcdefgh\x80ijklmnop~qrs")
				b[pos] = byte(v)
				if got, want := scanClass(b, k.c, k.floor), slow(b, k.c); got != want {
					t.Fatalf("class %d, byte %#x at %d: %d, want %d", k.c, v, pos, got, want)
				}
			}
		}
	}
	for x := uint64(0); x < 1<<16; x += 7 {
		w := x * 0x0001000100010001
		below, del := false, false
		for i := 0; i < 8; i++ {
			b := byte(w >> (8 * i))
			below = below || b < ' '
			del = del || b == 0x7f
		}
		if hasBelow(w, ' ') != below || hasByte(w, 0x7f) != del {
			t.Fatalf("%#x: hasBelow %v hasByte %v", w, hasBelow(w, ' '), hasByte(w, 0x7f))
		}
	}
}
