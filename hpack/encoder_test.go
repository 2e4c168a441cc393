package hpack

import (
	"bytes"
	"strconv"
	"strings"
	"testing"
)

func TestEncoderPolicy(t *testing.T) {
	long := strings.Repeat("x", maxIndexedValue+1)
	for _, tc := range []struct {
		name, value string
		sensitive   bool
		want        string // first octet(s) of the representation
		indexed     bool   // added to the dynamic table
	}{
		{":method", "GET", false, "82", false},
		{":status", "302", false, "48", true},
		{"content-type", "text/html", false, "5f", true},
		{"server", "golws", false, "76", true},
		{"date", "Mon, 21 Oct 2013 20:13:21 GMT", false, "61", true},
		{"x-custom", "v", false, "40", true},
		{"content-length", "1234", false, "0f0d", false},
		{"etag", `"abc"`, false, "0f13", false},
		{"x-custom", long, false, "00", false},
		{"set-cookie", "id=1", false, "1f28", false},
		{"authorization", "Bearer x", false, "1f08", false},
		{"cookie", "short=1", false, "1f11", false},
		{"cookie", "session=0123456789abcdef", false, "60", true},
		{"x-secret", "v", true, "10", false},
		{"accept-encoding", "gzip, deflate", true, "1f01", false}, // sensitive beats an exact static match
	} {
		e := NewEncoder()
		got := e.AppendFieldString(nil, tc.name, tc.value, tc.sensitive)
		if want := unhex(t, tc.want); !bytes.HasPrefix(got, want) {
			t.Errorf("%s: %x, want prefix %x", tc.name, got, want)
		}
		if (e.table.count == 1) != tc.indexed {
			t.Errorf("%s: indexed = %v, want %v", tc.name, e.table.count == 1, tc.indexed)
		}
		d := NewDecoder(4096)
		fields, _, err := d.DecodeInto(got, nil, nil)
		if err != nil || len(fields) != 1 || string(fields[0].Name) != tc.name || string(fields[0].Value) != tc.value {
			t.Errorf("%s: decoded %q %v", tc.name, pairsOf(fields), err)
		} else if fields[0].Sensitive != (tc.want[0] == '1') {
			t.Errorf("%s: decoded Sensitive = %v", tc.name, fields[0].Sensitive)
		}
	}
}

func TestEncoderReusesEntries(t *testing.T) {
	e := NewEncoder()
	first := e.AppendFieldString(nil, "content-type", "text/html", false)
	e.AppendFieldString(nil, "x-a", "1", false)
	if got := e.AppendFieldString(nil, "content-type", "text/html", false); !bytes.Equal(got, []byte{0xbf}) {
		t.Errorf("repeat: %x after %x", got, first)
	}
	// A new value of a name only in the dynamic table refers to its name.
	if got := e.AppendFieldString(nil, "x-a", "2", false); !bytes.Equal(got, unhex(t, "7e 0132")) {
		t.Errorf("dynamic name: %x", got)
	}
}

func TestEncoderHuffmanOnlyWhenShorter(t *testing.T) {
	e := NewEncoder()
	if got := e.AppendFieldString(nil, "x", "307", false); !bytes.Equal(got, unhex(t, "40 0178 03333037")) {
		t.Errorf("ties stay raw: %x", got)
	}
	if got := e.AppendFieldString(nil, "x", "www.example.com", false); !bytes.Equal(got, unhex(t, "7e 8cf1e3c2e5f23a6ba0ab90f4ff")) {
		t.Errorf("shorter goes Huffman: %x", got)
	}
}

func TestAppendStatus(t *testing.T) {
	e := NewEncoder()
	for _, s := range staticStatuses {
		if got := e.AppendStatus(nil, s.code); !bytes.Equal(got, []byte{0x80 | s.index}) {
			t.Errorf("%d: %x", s.code, got)
		}
	}
	first := e.AppendStatus(nil, 302)
	if again := e.AppendStatus(nil, 302); !bytes.Equal(again, []byte{0xbe}) {
		t.Errorf("302 again: %x after %x", again, first)
	}
	e, d := NewEncoder(), NewDecoder(4096)
	for _, code := range []int{100, 201, 302, 418, 599, 302} {
		block := e.AppendStatus(nil, code)
		fields, _, err := d.DecodeInto(block, nil, nil)
		if err != nil || len(fields) != 1 || string(fields[0].Value) != strconv.Itoa(code) {
			t.Errorf("%d: %q %v", code, pairsOf(fields), err)
		}
	}
}

func TestEncoderTableSizeUpdates(t *testing.T) {
	for _, tc := range []struct {
		name  string
		sizes []uint32
		want  string
	}{
		{"none", nil, ""},
		{"unchanged", []uint32{4096}, ""},
		{"capped at 4096", []uint32{1 << 20}, ""},
		{"lower", []uint32{1024}, "3fe107"},
		{"down and up", []uint32{0, 4096}, "20 3fe11f"},
		{"down twice", []uint32{2048, 1024}, "3fe107"},
		{"down, up, down", []uint32{100, 2048, 1024}, "3f45 3fe107"},
	} {
		e := NewEncoder()
		e.AppendFieldString(nil, "x-a", "1", false)
		for _, n := range tc.sizes {
			e.SetMaxTableSize(n)
		}
		if got := e.AppendBlockStart(nil); !bytes.Equal(got, unhex(t, tc.want)) {
			t.Errorf("%s: %x, want %s", tc.name, got, tc.want)
		}
		if got := e.AppendBlockStart(nil); len(got) != 0 {
			t.Errorf("%s: updates emitted twice: %x", tc.name, got)
		}
	}
	// Size 0 disables indexing and empties the table.
	e := NewEncoder()
	e.AppendFieldString(nil, "x-a", "1", false)
	e.SetMaxTableSize(0)
	block := e.AppendBlockStart(nil)
	block = e.AppendFieldString(block, "x-a", "1", false)
	if want := unhex(t, "20 00 03782d61 0131"); e.table.count != 0 || !bytes.Equal(block, want) {
		t.Errorf("size 0: %x with %d entries, want %x", block, e.table.count, want)
	}
}

// The encoder's blocks decode to what it was given, through table size
// changes that evict and entries that wrap around the ring.
func TestEncoderDecoderRoundTrip(t *testing.T) {
	e, d := NewEncoder(), NewDecoder(4096)
	var fields []Field
	var arena, block []byte
	for i := range 300 {
		if i%37 == 0 {
			n := uint32(i * 13 % 4200)
			e.SetMaxTableSize(n)
			// As after a SETTINGS ack: the decoder's ceiling moves too.
			d.SetMaxTableSize(min(max(n, d.maxTableSize), 4096))
		}
		want := []pair{
			{":status", strconv.Itoa(200 + i%7)},
			{"content-type", []string{"text/html", "image/png", "application/json"}[i%3]},
			{"x-seq", strconv.Itoa(i % 11)},
			{"x-big-" + strconv.Itoa(i%5), strings.Repeat("v", i%300)},
			{"set-cookie", "k=" + strconv.Itoa(i)},
		}
		block = e.AppendBlockStart(block[:0])
		for _, f := range want {
			block = e.AppendField(block, Field{Name: []byte(f[0]), Value: []byte(f[1])})
		}
		var err error
		fields, arena, err = d.DecodeInto(block, fields[:0], arena[:0])
		if err != nil || !equalPairs(pairsOf(fields), want) {
			t.Fatalf("block %d (%x): %q %v", i, block, pairsOf(fields), err)
		}
		if d.TableSize() != e.table.size {
			t.Fatalf("block %d: decoder table %d, encoder table %d", i, d.TableSize(), e.table.size)
		}
	}
}
