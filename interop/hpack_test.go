package interop_test

import (
	"bytes"
	"strconv"
	"testing"

	"github.com/golws/golws/hpack"
	xhpack "golang.org/x/net/http2/hpack"
)

// Differential tests of golws/hpack against golang.org/x/net/http2/hpack:
// each side's encoder feeds the other side's decoder, and both decoders
// judge the same blocks (replay_test.go).

func FuzzHPACKDifferential(f *testing.F) {
	f.Add([]byte("\x03\x00\x05\x01\x02\x00\x03\x04\x05\xff\x10abc\x30\x07\x00"))
	f.Add([]byte("\x07\x27\x0b\x10\x20\x30\x40\x50\x60\x70\x80\x90\xa0\xb0\xc0\xd0\xe0\xf0\x01\x02\x03"))
	f.Fuzz(func(t *testing.T, data []byte) {
		lists := (&fieldSource{data}).lists()
		oursToTheirs(t, lists)
		theirsToOurs(t, lists)
	})
}

// oursToTheirs: our encoder's blocks decode to the same lists in x/net.
func oursToTheirs(t *testing.T, lists []headerList) {
	enc := hpack.NewEncoder()
	dec := xhpack.NewDecoder(4096, nil)
	var block []byte
	for i, l := range lists {
		if l.tableSize != 0xffffffff {
			enc.SetMaxTableSize(l.tableSize)
			dec.SetAllowedMaxDynamicTableSize(l.tableSize)
		}
		block = enc.AppendBlockStart(block[:0])
		for _, f := range l.fields {
			if code, err := strconv.Atoi(f.Value); f.Name == ":status" && !f.Sensitive && err == nil && strconv.Itoa(code) == f.Value {
				block = enc.AppendStatus(block, code)
				continue
			}
			block = enc.AppendFieldString(block, f.Name, f.Value, f.Sensitive)
		}
		got, err := dec.DecodeFull(block)
		if err != nil {
			t.Fatalf("block %d %x: x/net rejects our encoding: %v", i, block, err)
		}
		if len(got) != len(l.fields) {
			t.Fatalf("block %d: x/net decoded %d fields, want %d", i, len(got), len(l.fields))
		}
		for j, f := range l.fields {
			// Our policy may make more fields never-indexed, never fewer.
			if got[j].Name != f.Name || got[j].Value != f.Value || f.Sensitive && !got[j].Sensitive {
				t.Fatalf("block %d field %d: x/net decoded %+v, want %+v", i, j, got[j], f)
			}
		}
	}
}

// theirsToOurs: x/net's encoder's blocks decode to the same lists here.
func theirsToOurs(t *testing.T, lists []headerList) {
	var buf bytes.Buffer
	enc := xhpack.NewEncoder(&buf)
	dec := hpack.NewDecoder(4096)
	var fields []hpack.Field
	var arena []byte
	for i, l := range lists {
		if l.tableSize != 0xffffffff {
			enc.SetMaxDynamicTableSize(l.tableSize)
			dec.SetMaxTableSize(l.tableSize)
		}
		buf.Reset()
		for _, f := range l.fields {
			if err := enc.WriteField(f); err != nil {
				t.Fatal(err)
			}
		}
		var err error
		fields, arena, err = dec.DecodeInto(buf.Bytes(), fields[:0], arena[:0])
		if err != nil {
			t.Fatalf("block %d %x: we reject x/net's encoding: %v", i, buf.Bytes(), err)
		}
		if len(fields) != len(l.fields) {
			t.Fatalf("block %d: decoded %d fields, want %d", i, len(fields), len(l.fields))
		}
		for j, f := range l.fields {
			if string(fields[j].Name) != f.Name || string(fields[j].Value) != f.Value || fields[j].Sensitive != f.Sensitive {
				t.Fatalf("block %d field %d: decoded %q: %q (%v), want %+v",
					i, j, fields[j].Name, fields[j].Value, fields[j].Sensitive, f)
			}
		}
	}
}
