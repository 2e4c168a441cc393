package hpack

import (
	"bytes"
	"testing"
)

// RFC 7541 Appendix C.2-C.6: each sequence is the header blocks of one
// connection, with the decoded list and the dynamic table after each.
type rfcBlock struct {
	coded  string
	fields []pair
	table  []pair // newest first
	size   uint32
}

type rfcSequence struct {
	name      string
	tableSize uint32
	huffman   huffmanChoice // the encoder setting that reproduces the RFC's bytes
	blocks    []rfcBlock
}

var (
	c3Request1 = []pair{{":method", "GET"}, {":scheme", "http"}, {":path", "/"}, {":authority", "www.example.com"}}
	c3Request2 = append(c3Request1[:4:4], pair{"cache-control", "no-cache"})
	c3Request3 = []pair{{":method", "GET"}, {":scheme", "https"}, {":path", "/index.html"}, {":authority", "www.example.com"}, {"custom-key", "custom-value"}}
	c3Tables   = [][]pair{
		{{":authority", "www.example.com"}},
		{{"cache-control", "no-cache"}, {":authority", "www.example.com"}},
		{{"custom-key", "custom-value"}, {"cache-control", "no-cache"}, {":authority", "www.example.com"}},
	}

	date21      = pair{"date", "Mon, 21 Oct 2013 20:13:21 GMT"}
	date22      = pair{"date", "Mon, 21 Oct 2013 20:13:22 GMT"}
	location    = pair{"location", "https://www.example.com"}
	private     = pair{"cache-control", "private"}
	cookie      = pair{"set-cookie", "foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; version=1"}
	gzip        = pair{"content-encoding", "gzip"}
	c5Response1 = []pair{{":status", "302"}, private, date21, location}
	c5Response2 = []pair{{":status", "307"}, private, date21, location}
	c5Response3 = []pair{{":status", "200"}, private, date22, location, gzip, cookie}
	c5Tables    = [][]pair{
		{location, date21, private, {":status", "302"}},
		{{":status", "307"}, location, date21, private},
		{cookie, gzip, date22},
	}
)

var rfcSequences = []rfcSequence{
	{"C.2.1", 4096, huffmanNever, []rfcBlock{{
		"400a 6375 7374 6f6d 2d6b 6579 0d63 7573 746f 6d2d 6865 6164 6572",
		[]pair{{"custom-key", "custom-header"}}, []pair{{"custom-key", "custom-header"}}, 55}}},
	{"C.2.4", 4096, huffmanNever, []rfcBlock{{"82", []pair{{":method", "GET"}}, nil, 0}}},
	{"C.3", 4096, huffmanNever, []rfcBlock{
		{"8286 8441 0f77 7777 2e65 7861 6d70 6c65 2e63 6f6d", c3Request1, c3Tables[0], 57},
		{"8286 84be 5808 6e6f 2d63 6163 6865", c3Request2, c3Tables[1], 110},
		{"8287 85bf 400a 6375 7374 6f6d 2d6b 6579 0c63 7573 746f 6d2d 7661 6c75 65", c3Request3, c3Tables[2], 164},
	}},
	{"C.4", 4096, huffmanAlways, []rfcBlock{
		{"8286 8441 8cf1 e3c2 e5f2 3a6b a0ab 90f4 ff", c3Request1, c3Tables[0], 57},
		{"8286 84be 5886 a8eb 1064 9cbf", c3Request2, c3Tables[1], 110},
		{"8287 85bf 4088 25a8 49e9 5ba9 7d7f 8925 a849 e95b b8e8 b4bf", c3Request3, c3Tables[2], 164},
	}},
	{"C.5", 256, huffmanNever, []rfcBlock{
		{"4803 3330 3258 0770 7269 7661 7465 611d 4d6f 6e2c 2032 3120 4f63 7420 3230 3133" +
			"2032 303a 3133 3a32 3120 474d 546e 1768 7474 7073 3a2f 2f77 7777 2e65 7861 6d70" +
			"6c65 2e63 6f6d", c5Response1, c5Tables[0], 222},
		{"4803 3330 37c1 c0bf", c5Response2, c5Tables[1], 222},
		{"88c1 611d 4d6f 6e2c 2032 3120 4f63 7420 3230 3133 2032 303a 3133 3a32 3220 474d" +
			"54c0 5a04 677a 6970 7738 666f 6f3d 4153 444a 4b48 514b 425a 584f 5157 454f 5049" +
			"5541 5851 5745 4f49 553b 206d 6178 2d61 6765 3d33 3630 303b 2076 6572 7369 6f6e" +
			"3d31", c5Response3, c5Tables[2], 215},
	}},
	{"C.6", 256, huffmanAlways, []rfcBlock{
		{"4882 6402 5885 aec3 771a 4b61 96d0 7abe 9410 54d4 44a8 2005 9504 0b81 66e0 82a6" +
			"2d1b ff6e 919d 29ad 1718 63c7 8f0b 97c8 e9ae 82ae 43d3", c5Response1, c5Tables[0], 222},
		{"4883 640e ffc1 c0bf", c5Response2, c5Tables[1], 222},
		{"88c1 6196 d07a be94 1054 d444 a820 0595 040b 8166 e084 a62d 1bff c05a 839b d9ab" +
			"77ad 94e7 821d d7f2 e6c7 b335 dfdf cd5b 3960 d5af 2708 7f36 72c1 ab27 0fb5 291f" +
			"9587 3160 65c0 03ed 4ee5 b106 3d50 07", c5Response3, c5Tables[2], 215},
	}},
}

func TestRFCExamplesDecode(t *testing.T) {
	for _, seq := range rfcSequences {
		d := NewDecoder(seq.tableSize)
		var fields []Field
		var arena []byte
		for i, b := range seq.blocks {
			var err error
			fields, arena, err = d.DecodeInto(unhex(t, b.coded), fields[:0], arena[:0])
			if err != nil {
				t.Fatalf("%s block %d: %v", seq.name, i+1, err)
			}
			if got := pairsOf(fields); !equalPairs(got, b.fields) {
				t.Errorf("%s block %d: fields %q, want %q", seq.name, i+1, got, b.fields)
			}
			if got := tablePairs(&d.table); !equalPairs(got, b.table) {
				t.Errorf("%s block %d: table %q, want %q", seq.name, i+1, got, b.table)
			}
			if d.TableSize() != b.size {
				t.Errorf("%s block %d: table size %d, want %d", seq.name, i+1, d.TableSize(), b.size)
			}
		}
	}
}

// testEncoder is an encoder with the policy of the RFC's examples: every
// literal indexed, Huffman as given, and the table size already agreed.
func testEncoder(tableSize uint32, huffman huffmanChoice) *Encoder {
	e := NewEncoder()
	e.table = newDynamicTable(tableSize)
	e.indexAll, e.huffman = true, huffman
	return e
}

func TestRFCExamplesEncode(t *testing.T) {
	for _, seq := range rfcSequences {
		e := testEncoder(seq.tableSize, seq.huffman)
		for i, b := range seq.blocks {
			got := e.AppendBlockStart(nil)
			for _, f := range b.fields {
				got = e.AppendFieldString(got, f[0], f[1], false)
			}
			if want := unhex(t, b.coded); !bytes.Equal(got, want) {
				t.Errorf("%s block %d:\n got %x\nwant %x", seq.name, i+1, got, want)
			}
			if got := tablePairs(&e.table); !equalPairs(got, b.table) {
				t.Errorf("%s block %d: table %q, want %q", seq.name, i+1, got, b.table)
			}
		}
	}
}

// C.2.2 and C.2.3 show the two literals that are not indexed.
func TestRFCExamplesUnindexedLiterals(t *testing.T) {
	d := NewDecoder(4096)
	fields, _, err := d.DecodeInto(unhex(t, "040c 2f73 616d 706c 652f 7061 7468"), nil, nil)
	if err != nil || !equalPairs(pairsOf(fields), []pair{{":path", "/sample/path"}}) || fields[0].Sensitive || d.TableSize() != 0 {
		t.Errorf("C.2.2: %q %v, table %d", pairsOf(fields), err, d.TableSize())
	}
	never := unhex(t, "1008 7061 7373 776f 7264 0673 6563 7265 74")
	fields, _, err = d.DecodeInto(never, nil, nil)
	if err != nil || !equalPairs(pairsOf(fields), []pair{{"password", "secret"}}) || !fields[0].Sensitive || d.TableSize() != 0 {
		t.Errorf("C.2.3: %q %v, table %d", pairsOf(fields), err, d.TableSize())
	}
	// Forwarding a decoded sensitive field keeps it never-indexed.
	e := testEncoder(4096, huffmanNever)
	if got := e.AppendField(nil, fields[0]); !bytes.Equal(got, never) {
		t.Errorf("C.2.3 encode: %x, want %x", got, never)
	}
}
