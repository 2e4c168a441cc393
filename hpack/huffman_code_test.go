package hpack

import (
	"sort"
	"testing"
)

// The transcription of Appendix B is checked against what the RFC says of
// the code: canonical (codes of a length are consecutive, in symbol order,
// and each length continues from the previous one) and complete (Kraft sum
// of exactly 1), with EOS the 30-bit all-ones code.
func TestHuffmanCodeIsCanonicalAndComplete(t *testing.T) {
	syms := make([]int, len(huffmanCodes))
	for i := range syms {
		syms[i] = i
	}
	sort.SliceStable(syms, func(a, b int) bool {
		return huffmanCodes[syms[a]].bits < huffmanCodes[syms[b]].bits
	})
	var next uint64
	prevBits := huffmanCodes[syms[0]].bits
	var kraft uint64 // in units of 2^-30
	for _, s := range syms {
		c := huffmanCodes[s]
		next <<= c.bits - prevBits
		prevBits = c.bits
		if uint64(c.code) != next {
			t.Fatalf("symbol %d: code %#x, canonical order wants %#x", s, c.code, next)
		}
		next++
		kraft += 1 << (30 - c.bits)
	}
	if kraft != 1<<30 {
		t.Fatalf("Kraft sum %d/2^30, want 1", kraft)
	}
	if eos := huffmanCodes[huffmanEOS]; eos.code != 1<<30-1 || eos.bits != 30 {
		t.Fatalf("EOS = %#x/%d", eos.code, eos.bits)
	}
}

func TestHuffmanTablesAreFull(t *testing.T) {
	for i, table := range huffmanTables {
		for slot, e := range table {
			if e == 0 {
				t.Fatalf("table %d slot %d empty", i, slot)
			}
		}
	}
	t.Logf("%d decoding tables", len(huffmanTables))
}
