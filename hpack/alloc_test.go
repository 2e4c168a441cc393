package hpack

import "testing"

func TestDecodeAllocs(t *testing.T) {
	for _, tc := range []struct {
		name string
		list []pair
	}{{"h2load", h2loadRequest}, {"browser", browserRequest}} {
		first, second := connectionBlocks(tc.list)
		d := NewDecoder(4096)
		var fields []Field
		var arena []byte
		var err1, err2 error
		allocs := testing.AllocsPerRun(100, func() {
			fields, arena, err1 = d.DecodeInto(first, fields[:0], arena[:0])
			fields, arena, err2 = d.DecodeInto(second, fields[:0], arena[:0])
		})
		if err1 != nil || err2 != nil || !equalPairs(pairsOf(fields), withPath(tc.list, "/assets/vendor.js")) {
			t.Fatalf("%s: %v %v %q", tc.name, err1, err2, pairsOf(fields))
		}
		if allocs != 0 {
			t.Errorf("%s: %v allocations per request pair", tc.name, allocs)
		}
	}
}

func TestEncodeAllocs(t *testing.T) {
	e := NewEncoder()
	var dst []byte
	allocs := testing.AllocsPerRun(100, func() { dst = appendTypicalResponse(e, dst[:0]) })
	if allocs != 0 {
		t.Errorf("%v allocations per response", allocs)
	}
	fields, _, err := NewDecoder(4096).DecodeInto(appendTypicalResponse(NewEncoder(), nil), nil, nil)
	if err != nil || len(fields) != 5 {
		t.Fatalf("%q %v", pairsOf(fields), err)
	}
}

func appendTypicalResponse(e *Encoder, dst []byte) []byte {
	dst = e.AppendBlockStart(dst)
	dst = e.AppendStatus(dst, 200)
	dst = e.AppendFieldString(dst, "content-type", "text/html; charset=utf-8", false)
	dst = e.AppendFieldString(dst, "content-length", "4821", false)
	dst = e.AppendFieldString(dst, "date", "Wed, 25 Nov 2026 10:58:00 GMT", false)
	return e.AppendFieldString(dst, "server", "golws", false)
}
