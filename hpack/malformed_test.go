package hpack

import "testing"

// Each rejection DecodeInto owes, with its exact error.
var malformedBlocks = []struct {
	name  string
	setup func(*Decoder)
	coded string
	err   error
}{
	{"index 0", nil, "80", ErrIndexZero},
	{"index 0 after fields", nil, "82 80", ErrIndexZero},
	{"index past empty dynamic table", nil, "be", ErrIndexOutOfRange},
	{"index past dynamic table", nil, "40 0161 0162 bf", ErrIndexOutOfRange},
	{"name index past tables", nil, "7e 0161", ErrIndexOutOfRange},
	{"never-indexed name index past tables", nil, "1f 2f 0161", ErrIndexOutOfRange},
	{"size update over the maximum", nil, "3f e2 1f", ErrTableSizeTooLarge},
	{"size update over a lowered maximum", func(d *Decoder) { d.SetMaxTableSize(100) }, "3f 46", ErrTableSizeTooLarge},
	{"size update after a field", nil, "82 20", ErrTableSizeUpdateLate},
	{"three size updates", nil, "20 20 20", ErrTooManyTableSizes},
	{"no size update after a lower maximum", func(d *Decoder) { d.SetMaxTableSize(100) }, "82", ErrTableSizeUpdateNeeded},
	{"index with six continuation octets", nil, "ff 80 80 80 80 80 00", ErrIntegerOverflow},
	{"index of 2^32", nil, "ff 81 ff ff ff 0f", ErrIntegerOverflow},
	{"string length overflow", nil, "04 7f ff ff ff ff 0f", ErrIntegerOverflow},
	{"truncated index", nil, "ff", ErrTruncated},
	{"truncated size update", nil, "3f e1", ErrTruncated},
	{"literal without its value", nil, "41", ErrTruncated},
	{"literal name without value", nil, "40 0161", ErrTruncated},
	{"literal value shorter than its length", nil, "41 05 6162 63", ErrTruncated},
	{"literal name length cut", nil, "40 7f", ErrTruncated},
	{"huffman padding of 8 bits", nil, "41 82 1fff", ErrHuffmanPaddingTooLong},
	{"huffman padding of zeros", nil, "41 81 18", ErrHuffmanBadPadding},
	{"huffman EOS", nil, "41 84 ffff ffff", ErrHuffmanEOS},
	{"huffman name padding of zeros", nil, "00 81 18 0161", ErrHuffmanBadPadding},
	{"string too long", func(d *Decoder) { d.SetLimits(Limits{MaxStringLength: 3}) }, "00 04 61626364 00", ErrStringTooLong},
	{"huffman string too long", func(d *Decoder) { d.SetLimits(Limits{MaxStringLength: 3}) }, "41 83 1c64 3f", ErrStringTooLong}, // "abco"
	{"list too large", func(d *Decoder) { d.SetLimits(Limits{MaxHeaderListSize: 80}) }, "82 82", ErrHeaderListTooLarge},
}

func TestMalformedBlocks(t *testing.T) {
	for _, tc := range malformedBlocks {
		d := NewDecoder(4096)
		if tc.setup != nil {
			tc.setup(d)
		}
		fields := []Field{{Name: []byte("kept")}}
		arena := []byte("kept")
		gotFields, gotArena, err := d.DecodeInto(unhex(t, tc.coded), fields, arena)
		if err != tc.err {
			t.Errorf("%s: error %v, want %v", tc.name, err, tc.err)
		}
		if len(gotFields) != 1 || string(gotArena) != "kept" {
			t.Errorf("%s: appended %d fields, arena %q", tc.name, len(gotFields)-1, gotArena)
		}
	}
}

func TestAcceptedEdges(t *testing.T) {
	for _, tc := range []struct {
		name  string
		setup func(*Decoder)
		coded string
		want  []pair
	}{
		{"empty block", nil, "", nil},
		{"two size updates", nil, "20 3f e1 1f 82", []pair{{":method", "GET"}}},
		{"size update due, then given", func(d *Decoder) { d.SetMaxTableSize(100) }, "3f 45 82", []pair{{":method", "GET"}}},
		{"empty name and value", nil, "40 00 00", []pair{{"", ""}}},
		{"list exactly at the limit", func(d *Decoder) { d.SetLimits(Limits{MaxHeaderListSize: 84}) }, "82 82", []pair{{":method", "GET"}, {":method", "GET"}}},
		{"string exactly at the limit", func(d *Decoder) { d.SetLimits(Limits{MaxStringLength: 3}) }, "41 82 1c64 00 03 616263 00", []pair{{":authority", "abc"}, {"abc", ""}}},
	} {
		d := NewDecoder(4096)
		if tc.setup != nil {
			tc.setup(d)
		}
		fields, _, err := d.DecodeInto(unhex(t, tc.coded), nil, nil)
		if err != nil || !equalPairs(pairsOf(fields), tc.want) {
			t.Errorf("%s: %q %v, want %q", tc.name, pairsOf(fields), err, tc.want)
		}
	}
}

// A list over MaxHeaderListSize is still decoded to the end, so the table
// stays in step with the peer's and the next block decodes.
func TestListTooLargeKeepsTable(t *testing.T) {
	d := NewDecoder(4096)
	d.SetLimits(Limits{MaxHeaderListSize: 40})
	block := unhex(t, "40 0161 0162 40 0163 0164") // a: b, c: d, both indexed
	if _, _, err := d.DecodeInto(block, nil, nil); err != ErrHeaderListTooLarge {
		t.Fatalf("first block: %v", err)
	}
	if d.TableSize() != 68 {
		t.Fatalf("table size %d after an oversized list, want 68", d.TableSize())
	}
	fields, _, err := d.DecodeInto(unhex(t, "bf"), nil, nil)
	if err != nil || !equalPairs(pairsOf(fields), []pair{{"a", "b"}}) {
		t.Fatalf("next block: %q %v", pairsOf(fields), err)
	}
}
