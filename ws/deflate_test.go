package ws

import (
	"bytes"
	"compress/flate"
	"fmt"
	"math/rand/v2"
	"testing"
)

// deflateBytes compresses msg as a permessage-deflate sender would.
func deflateBytes(t testing.TB, msg []byte) []byte {
	d, err := NewDeflater(flate.BestCompression, true)
	if err != nil {
		t.Fatal(err)
	}
	return d.Deflate(nil, msg)
}

// deflateClient is a client receiver with permessage-deflate.
func deflateClient(d Deliver, noContext bool) func() *Receiver {
	return func() *Receiver {
		return &Receiver{Deliver: d, AllowRSV1: true, Inflater: &Inflater{NoContextTakeover: noContext}}
	}
}

// TestRFC7692Examples reads the examples of RFC 7692 §7.2.3, byte by
// byte and whole, in both delivery modes.
func TestRFC7692Examples(t *testing.T) {
	hello := msg(Text, "Hello")
	hello.z = true
	tests := []struct {
		name      string
		stream    []byte
		noContext bool
		want      []event
	}{
		{"7.2.3.1 one frame", []byte{0xc1, 0x07, 0xf2, 0x48, 0xcd, 0xc9, 0xc9, 0x07, 0x00}, false, []event{hello}},
		{"7.2.3.1 two frames", []byte{0x41, 0x03, 0xf2, 0x48, 0xcd, 0x80, 0x04, 0xc9, 0xc9, 0x07, 0x00}, false, []event{hello}},
		{"7.2.3.2 no context takeover", []byte{0xc1, 0x07, 0xf2, 0x48, 0xcd, 0xc9, 0xc9, 0x07, 0x00, 0xc1, 0x07, 0xf2, 0x48, 0xcd, 0xc9, 0xc9, 0x07, 0x00}, true, []event{hello, hello}},
		{"7.2.3.2 sharing the window", []byte{0xc1, 0x07, 0xf2, 0x48, 0xcd, 0xc9, 0xc9, 0x07, 0x00, 0xc1, 0x05, 0xf2, 0x00, 0x11, 0x00, 0x00}, false, []event{hello, hello}},
		{"7.2.3.3 stored block", []byte{0xc1, 0x0b, 0x00, 0x05, 0x00, 0xfa, 0xff, 0x48, 0x65, 0x6c, 0x6c, 0x6f, 0x00}, false, []event{hello}},
		{"7.2.3.4 BFINAL", []byte{0xc1, 0x08, 0xf3, 0x48, 0xcd, 0xc9, 0xc9, 0x07, 0x00, 0x00}, false, []event{hello}},
		{"7.2.3.5 two blocks", []byte{0xc1, 0x0d, 0xf2, 0x48, 0x05, 0x00, 0x00, 0x00, 0xff, 0xff, 0xca, 0xc9, 0xc9, 0x07, 0x00}, false, []event{hello}},
		{"uncompressed between", []byte{0xc1, 0x07, 0xf2, 0x48, 0xcd, 0xc9, 0xc9, 0x07, 0x00, 0x81, 0x02, 'h', 'i', 0xc1, 0x05, 0xf2, 0x00, 0x11, 0x00, 0x00}, false,
			[]event{hello, msg(Text, "hi"), hello}},
		{"ping inside", []byte{0x41, 0x03, 0xf2, 0x48, 0xcd, 0x89, 0x01, 'p', 0x80, 0x04, 0xc9, 0xc9, 0x07, 0x00}, false, []event{{kind: "ping", data: "p"}, hello}},
		{"empty", []byte{0xc2, 0x01, 0x00}, false, []event{{kind: "msg", op: Binary, final: true, z: true}}},
	}
	for _, tt := range tests {
		for _, d := range []Deliver{Whole, Fragments} {
			mk := deflateClient(d, tt.noContext)
			got := feedSplit(t, mk, tt.stream)
			if got.err != nil || fmt.Sprint(got.events) != fmt.Sprint(tt.want) {
				t.Errorf("%s (deliver %d): %v %v; want %v", tt.name, d, got.events, got.err, tt.want)
			}
			if bb := feedBytes(t, mk, tt.stream); !sameResult(bb, got) {
				t.Errorf("%s (deliver %d) byte by byte: %v %v", tt.name, d, bb.events, bb.err)
			}
		}
	}
}

// TestRFC7692Deflate checks the Deflater's output for the RFC's "Hello",
// alone and sharing the window.
func TestRFC7692Deflate(t *testing.T) {
	d, err := NewDeflater(flate.BestCompression, false)
	if err != nil {
		t.Fatal(err)
	}
	first := d.Deflate([]byte("x"), []byte("Hello"))
	second := d.Deflate(nil, []byte("Hello"))
	if !bytes.Equal(first, []byte{'x', 0xf2, 0x48, 0xcd, 0xc9, 0xc9, 0x07, 0x00}) {
		t.Errorf("first Hello: % x", first)
	}
	// compress/flate may emit another (valid) encoding of the reference
	// than the RFC's f2 00 11 00 00: check that it decodes and is short.
	var in Inflater
	out, err := in.Inflate(nil, first[1:], true, 100)
	if err != nil || string(out) != "Hello" {
		t.Fatalf("inflate first: %q %v", out, err)
	}
	out, err = in.Inflate(nil, second, true, 100)
	if err != nil || string(out) != "Hello" || len(second) > 7 {
		t.Errorf("second Hello % x: %q %v", second, out, err)
	}
	if empty := deflateBytes(t, nil); !bytes.Equal(empty, []byte{0x00}) {
		t.Errorf("empty message: % x", empty)
	}
	if _, err := NewDeflater(42, false); err == nil {
		t.Error("no error for level 42")
	}
}

// TestDeflateRoundTrip compresses messages of many sizes and contents,
// with and without context takeover, and inflates them in pieces.
func TestDeflateRoundTrip(t *testing.T) {
	rnd := rand.New(rand.NewPCG(1, 2))
	var msgs [][]byte
	for _, n := range []int{0, 1, 100, 5000, 32 << 10, 40 << 10, 100 << 10, 10, 33 << 10, 7} {
		m := make([]byte, n)
		for i := range m {
			if rnd.IntN(4) == 0 {
				m[i] = byte(rnd.Uint32())
			} else {
				m[i] = "abcdefgh"[rnd.IntN(8)]
			}
		}
		msgs = append(msgs, m)
	}
	msgs = append(msgs, msgs[5], msgs[2]) // repeats, for the history
	for _, noContext := range []bool{false, true} {
		for _, level := range []int{flate.BestSpeed, flate.DefaultCompression, flate.HuffmanOnly, flate.NoCompression} {
			d, err := NewDeflater(level, noContext)
			if err != nil {
				t.Fatal(err)
			}
			in := &Inflater{NoContextTakeover: noContext}
			for i, m := range msgs {
				z := d.Deflate(nil, m)
				var out []byte
				for len(z) > 3 {
					out, err = in.Inflate(out, z[:3], false, 1<<20)
					if err != nil || len(out) != 0 {
						t.Fatalf("piece: %d %v", len(out), err)
					}
					z = z[3:]
				}
				out, err = in.Inflate(out, z, true, 1<<20)
				if err != nil || !bytes.Equal(out, m) {
					t.Fatalf("noContext %v level %d message %d: %d bytes, %v", noContext, level, i, len(out), err)
				}
			}
		}
	}
}

// TestInflateBomb inflates a message that decompresses to 10 MiB under
// limits far below: it stops at the limit, without growing its output
// much past it.
func TestInflateBomb(t *testing.T) {
	bomb := deflateBytes(t, make([]byte, 10<<20))
	if len(bomb) > 20<<10 {
		t.Fatalf("bomb of %d bytes", len(bomb))
	}
	for _, limit := range []int64{0, 1, 1000, 1 << 20} {
		var in Inflater
		out, err := in.Inflate(nil, bomb, true, limit)
		if err != ErrTooBig || len(out) != 0 || int64(cap(out)) > 2*limit+8<<10 {
			t.Errorf("limit %d: %d bytes (cap %d), %v", limit, len(out), cap(out), err)
		}
		// The Inflater is usable for the next message (after Reset, as
		// the history is not meaningful).
		in.Reset()
		out, err = in.Inflate(nil, deflateBytes(t, []byte("after")), true, limit+5)
		if err != nil || string(out) != "after" {
			t.Errorf("limit %d: next message %q %v", limit, out, err)
		}
	}
	// Through a receiver: 1009 before the bomb is out.
	stream := frame(true, Rsv1, Binary, bomb, false)
	mk := func() *Receiver { return &Receiver{AllowRSV1: true, Inflater: &Inflater{}, MaxMessage: 1 << 20} }
	if got := feedSplit(t, mk, stream); got.err != ErrTooBig {
		t.Errorf("receiver: %v", got.err)
	}
	// Compressed bytes alone over the bound.
	var in Inflater
	if _, err := in.Inflate(nil, make([]byte, 200), false, 100); err != ErrTooBig {
		t.Errorf("compressed over the bound: %v", err)
	}
}

// TestReceiverCompressedRaw checks that a receiver without an Inflater
// delivers compressed messages as received, marked Compressed.
func TestReceiverCompressedRaw(t *testing.T) {
	z := deflateBytes(t, []byte("Hello"))
	stream := cat(frame(false, Rsv1, Text, z[:2], false), frame(true, 0, Continuation, z[2:], false), frame(true, 0, Text, []byte("plain"), false))
	for _, d := range []Deliver{Whole, Fragments} {
		got := feedSplit(t, func() *Receiver { return &Receiver{AllowRSV1: true, Deliver: d} }, stream)
		want := []event{{kind: "msg", op: Text, data: string(z), final: true, z: true}, msg(Text, "plain")}
		if got.err != nil || fmt.Sprint(got.events) != fmt.Sprint(want) {
			t.Errorf("deliver %d: %v %v", d, got.events, got.err)
		}
	}
}
