package hpack

import (
	"bytes"
	"testing"
)

// fuzzLimits are small enough for the fuzzer to cross them.
var fuzzLimits = Limits{MaxHeaderListSize: 600, MaxStringLength: 64}

// FuzzDecode decodes the input as two consecutive blocks of a connection
// (split at its first 0xff 0x00 0xff, if any), so that the second can
// refer to entries the first added. It checks that decoding never panics,
// that the fields and the arena are as documented, that the verdict is
// deterministic, and that the limits hold and only ever reject.
func FuzzDecode(f *testing.F) {
	for _, seq := range rfcSequences {
		for _, b := range seq.blocks {
			f.Add(unhex(f, b.coded))
		}
	}
	for _, tc := range malformedBlocks {
		f.Add(unhex(f, tc.coded))
	}
	f.Fuzz(func(t *testing.T, input []byte) {
		blocks := bytes.SplitN(input, []byte{0xff, 0x00, 0xff}, 2)
		limited, again, unlimited := NewDecoder(512), NewDecoder(512), NewDecoder(512)
		limited.SetLimits(fuzzLimits)
		again.SetLimits(fuzzLimits)
		unlimited.SetLimits(Limits{MaxStringLength: 1 << 20})
		for _, block := range blocks {
			fields, arena, err := decodeChecked(t, limited, block)
			fields2, arena2, err2 := decodeChecked(t, again, block)
			if err != err2 || !bytes.Equal(arena, arena2) || !equalPairs(pairsOf(fields), pairsOf(fields2)) {
				t.Fatalf("two decoders disagree: %v / %v", err, err2)
			}
			ufields, _, uerr := decodeChecked(t, unlimited, block)
			switch {
			case err == nil:
				if uerr != nil || !equalPairs(pairsOf(fields), pairsOf(ufields)) {
					t.Fatalf("limits changed the result: %v", uerr)
				}
				checkLimits(t, fields)
			case err == ErrHeaderListTooLarge:
				if uerr != nil || limited.TableSize() != unlimited.TableSize() {
					t.Fatalf("list too large: unlimited %v, tables %d/%d", uerr, limited.TableSize(), unlimited.TableSize())
				}
			case err == ErrStringTooLong:
				return // the limited decoders are out of step now
			default:
				if uerr != err {
					t.Fatalf("limited %v, unlimited %v", err, uerr)
				}
				return
			}
		}
	})
}

// decodeChecked decodes into buffers holding earlier content, and checks
// that it was kept and that the new fields are the arena's new bytes, in
// order, each a full slice of it.
func decodeChecked(t *testing.T, d *Decoder, block []byte) ([]Field, []byte, error) {
	fields := []Field{{Name: []byte("old")}}
	arena := []byte("old")
	fields, arena, err := d.DecodeInto(block, fields, arena)
	if len(fields) < 1 || string(fields[0].Name) != "old" || !bytes.HasPrefix(arena, []byte("old")) {
		t.Fatalf("earlier content lost")
	}
	if err != nil && (len(fields) != 1 || len(arena) != 3) {
		t.Fatalf("%v with %d fields appended", err, len(fields)-1)
	}
	off := 3
	for _, f := range fields[1:] {
		for _, s := range [][]byte{f.Name, f.Value} {
			if len(s) != cap(s) || off+len(s) > len(arena) || !bytes.Equal(s, arena[off:off+len(s)]) {
				t.Fatalf("field slice is not the next %d arena bytes at %d", len(s), off)
			}
			if len(s) > 0 && &s[0] != &arena[off] {
				t.Fatalf("field slice does not point into the arena")
			}
			off += len(s)
		}
	}
	if off != len(arena) {
		t.Fatalf("arena has %d bytes beyond the fields", len(arena)-off)
	}
	return fields[1:], arena[3:], err
}

func checkLimits(t *testing.T, fields []Field) {
	var size uint64
	for _, f := range fields {
		if len(f.Name) > fuzzLimits.MaxStringLength || len(f.Value) > fuzzLimits.MaxStringLength {
			t.Fatalf("string over MaxStringLength: %d/%d", len(f.Name), len(f.Value))
		}
		size += fieldSize(len(f.Name), len(f.Value))
	}
	if size > uint64(fuzzLimits.MaxHeaderListSize) {
		t.Fatalf("list size %d over MaxHeaderListSize", size)
	}
}

// FuzzHuffman checks that coding round-trips and that HuffmanEncodedLen is
// exact; and, decoding the input itself, that whatever decodes re-encodes
// to the same octets (the padding rules leave one valid coding per string).
func FuzzHuffman(f *testing.F) {
	for _, ex := range huffmanExamples {
		f.Add([]byte(ex.plain))
		f.Add(unhex(f, ex.coded))
	}
	f.Add([]byte{0, 1, 0xfe, 0xff, '\n', '\r'})
	f.Fuzz(func(t *testing.T, s []byte) {
		coded := AppendHuffman([]byte("pre"), s)
		if len(coded)-3 != HuffmanEncodedLen(s) {
			t.Fatalf("HuffmanEncodedLen %d, coded %d", HuffmanEncodedLen(s), len(coded)-3)
		}
		plain, err := DecodeHuffman([]byte("pre"), coded[3:])
		if err != nil || !bytes.Equal(plain[3:], s) {
			t.Fatalf("round trip: %q, %v", plain, err)
		}
		if plain, err := DecodeHuffman(nil, s); err == nil {
			if again := AppendHuffman(nil, plain); !bytes.Equal(again, s) {
				t.Fatalf("%x decodes to %q, which codes as %x", s, plain, again)
			}
		}
	})
}
