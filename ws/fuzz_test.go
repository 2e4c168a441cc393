package ws

import (
	"bytes"
	"testing"
	"unicode/utf8"
)

// Modes of FuzzReceiver, bits of its mode argument.
const (
	fuzzServer    = 1 << iota // server side: frames must be masked
	fuzzFragments             // Deliver: Fragments
	fuzzDeflate               // AllowRSV1 with an Inflater
	fuzzNoContext             // the Inflater without context takeover
	fuzzSmall                 // MaxMessage 300
	fuzzRawRSV1               // AllowRSV1 without an Inflater
)

// fuzzReceiver makes the receiver of a FuzzReceiver mode.
func fuzzReceiver(mode uint8) func() *Receiver {
	return func() *Receiver {
		r := &Receiver{Server: mode&fuzzServer != 0}
		if mode&fuzzFragments != 0 {
			r.Deliver = Fragments
		}
		if mode&fuzzDeflate != 0 {
			r.AllowRSV1, r.Inflater = true, &Inflater{NoContextTakeover: mode&fuzzNoContext != 0}
		} else if mode&fuzzRawRSV1 != 0 {
			r.AllowRSV1 = true
		}
		if mode&fuzzSmall != 0 {
			r.MaxMessage = 300
		}
		return r
	}
}

// FuzzReceiver feeds its input to a receiver of every side and mode,
// whole, cut at one point and byte by byte, and checks that nothing
// panics, that errors are the receiver's CloseErrors, that the cuts do
// not change what is delivered, and that what is delivered keeps the
// rules: messages are Text or Binary and text is UTF-8, control payloads
// fit 125 bytes, close codes are valid. Seeds: testdata/fuzz/FuzzReceiver
// and the valid streams of the tests.
func FuzzReceiver(f *testing.F) {
	for _, masked := range []bool{false, true} {
		var mode uint8
		if masked {
			mode = fuzzServer
		}
		for _, s := range validStreams(masked) {
			f.Add(s.stream, mode, uint16(len(s.stream)/2))
			f.Add(s.stream, mode|fuzzFragments|fuzzSmall, uint16(1))
		}
	}
	f.Add([]byte{0xc1, 0x07, 0xf2, 0x48, 0xcd, 0xc9, 0xc9, 0x07, 0x00, 0xc1, 0x05, 0xf2, 0x00, 0x11, 0x00, 0x00}, uint8(fuzzDeflate), uint16(3))
	f.Fuzz(func(t *testing.T, data []byte, mode uint8, cut uint16) {
		mk := fuzzReceiver(mode)
		whole := feedSplit(t, mk, data)
		checkEvents(t, whole.events, mode)
		at := int(cut) % (len(data) + 1)
		if got := feedSplit(t, mk, data, at); !sameResult(got, whole) {
			t.Fatalf("mode %#x: cut at %d: %v %v; whole: %v %v", mode, at, got.events, got.err, whole.events, whole.err)
		}
		if len(data) <= 4<<10 {
			if got := feedBytes(t, mk, data); !sameResult(got, whole) {
				t.Fatalf("mode %#x: byte by byte: %v %v; whole: %v %v", mode, got.events, got.err, whole.events, whole.err)
			}
		}
	})
}

// checkEvents checks delivered events against the rules.
func checkEvents(t *testing.T, events []event, mode uint8) {
	t.Helper()
	for _, e := range finished(events) {
		switch e.kind {
		case "msg":
			if e.op != Text && e.op != Binary || !e.final {
				t.Fatalf("message %v", e)
			}
			if e.z && mode&(fuzzDeflate|fuzzRawRSV1) == 0 {
				t.Fatalf("compressed message without the extension: %v", e)
			}
			raw := e.z && mode&fuzzDeflate == 0
			if e.op == Text && !raw && !utf8.ValidString(e.data) {
				t.Fatalf("text not UTF-8: %v", e)
			}
			if mode&fuzzSmall != 0 && len(e.data) > 300 {
				t.Fatalf("message of %d bytes over 300", len(e.data))
			}
		case "ping", "pong", "close":
			if len(e.data) > MaxControlPayload {
				t.Fatalf("control payload of %d bytes", len(e.data))
			}
			if e.kind == "close" && e.code != CloseNoStatus && !ValidCloseCode(e.code) {
				t.Fatalf("close code %d", e.code)
			}
		default:
			t.Fatalf("event %v", e)
		}
	}
}

// TestMaskedUnmasked checks that a client's stream reads the same on the
// server as the stream unmasked reads on the client.
func TestMaskedUnmasked(t *testing.T) {
	for _, s := range validStreams(true) {
		var plain [][]byte
		for b := bytes.Clone(s.stream); len(b) > 0; {
			h, n, err := ParseHeader(b)
			if err != nil {
				t.Fatal(err)
			}
			if n == 0 || int64(len(b)-n) < h.Length {
				plain = append(plain, b) // trailing bytes after a Close
				break
			}
			p := b[n : n+int(h.Length)]
			MaskBytes(h.Mask, 0, p)
			h.Masked = false
			plain = append(plain, append(AppendHeader(nil, h), p...))
			b = b[n+int(h.Length):]
		}
		a := feedSplit(t, fuzzReceiver(fuzzServer), s.stream)
		b := feedSplit(t, fuzzReceiver(0), cat(plain...))
		if !sameResult(a, b) {
			t.Errorf("%s: masked %v, unmasked %v", s.name, a.events, b.events)
		}
	}
}
