package ws

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
)

// receivers are the configurations every valid stream goes through: both
// sides, both delivery modes.
var receivers = []struct {
	name string
	mk   func() *Receiver
}{
	{"server/whole", func() *Receiver { return &Receiver{Server: true} }},
	{"server/fragments", func() *Receiver { return &Receiver{Server: true, Deliver: Fragments} }},
	{"client/whole", func() *Receiver { return &Receiver{} }},
	{"client/fragments", func() *Receiver { return &Receiver{Deliver: Fragments} }},
}

func msg(op OpCode, data string) event { return event{kind: "msg", op: op, data: data, final: true} }

// validStreams returns streams of frames, masked or not, with the events
// they deliver (coalesced).
func validStreams(masked bool) []struct {
	name   string
	stream []byte
	events []event
} {
	f := func(fin bool, op OpCode, p string) []byte { return frame(fin, 0, op, []byte(p), masked) }
	bin256 := strings.Repeat("\x00\x01\xfe\xff", 64)
	kosme := "κόσμε"
	return []struct {
		name   string
		stream []byte
		events []event
	}{
		{"text", f(true, Text, "Hello"), []event{msg(Text, "Hello")}},
		{"fragmented", cat(f(false, Text, "Hel"), f(true, Continuation, "lo")), []event{msg(Text, "Hello")}},
		{"ping pong", cat(f(true, Ping, "Hello"), f(true, Pong, "Hello")), []event{{kind: "ping", data: "Hello"}, {kind: "pong", data: "Hello"}}},
		{"256 bytes", f(true, Binary, bin256), []event{msg(Binary, bin256)}},
		{"empty messages", cat(f(true, Text, ""), f(true, Binary, ""), f(false, Text, ""), f(false, Continuation, ""), f(true, Continuation, "")),
			[]event{msg(Text, ""), msg(Binary, ""), msg(Text, "")}},
		{"interleaved control", cat(f(false, Text, kosme[:3]), f(true, Ping, "p1"), f(false, Continuation, kosme[3:7]),
			f(true, Pong, ""), f(false, Continuation, ""), f(true, Ping, strings.Repeat("x", 125)), f(true, Continuation, kosme[7:])),
			[]event{{kind: "ping", data: "p1"}, {kind: "pong"}, {kind: "ping", data: strings.Repeat("x", 125)}, msg(Text, kosme)}},
		{"binary fragments", cat(f(false, Binary, "\xff\xfe"), f(false, Continuation, "\x80"), f(true, Continuation, "\xc0")),
			[]event{msg(Binary, "\xff\xfe\x80\xc0")}},
		{"messages then close", cat(f(true, Text, "a"), f(true, Binary, "b"), f(true, Close, "\x03\xe8bye"), f(true, Text, "ignored"), []byte{0xff, 0xff}),
			[]event{msg(Text, "a"), msg(Binary, "b"), {kind: "close", code: 1000, data: "bye"}}},
		{"empty close", f(true, Close, ""), []event{{kind: "close", code: CloseNoStatus}}},
		{"close inside a message", cat(f(false, Text, "par"), f(true, Close, "\x0f\xa0")), []event{{kind: "close", code: 4000}, {kind: "partial", data: "par"}}},
	}
}

// TestReceiverValid feeds every valid stream whole, byte by byte and cut
// at every pair of points, in every configuration: the events must be
// the same.
func TestReceiverValid(t *testing.T) {
	for _, rc := range receivers {
		for _, s := range validStreams(strings.HasPrefix(rc.name, "server")) {
			want := s.events
			if !strings.HasSuffix(rc.name, "fragments") && len(want) > 0 && want[len(want)-1].kind == "partial" {
				want = want[:len(want)-1] // Whole mode delivers nothing of an unfinished message
			}
			whole := feedSplit(t, rc.mk, s.stream)
			if whole.err != nil || fmt.Sprint(whole.events) != fmt.Sprint(want) {
				t.Errorf("%s %s: %v %v; want %v", rc.name, s.name, whole.events, whole.err, want)
				continue
			}
			if got := feedBytes(t, rc.mk, s.stream); !sameResult(got, whole) {
				t.Errorf("%s %s byte by byte: %v %v", rc.name, s.name, got.events, got.err)
			}
			for i := 0; i <= len(s.stream); i++ {
				for j := i; j <= len(s.stream) && j < i+40; j++ {
					if got := feedSplit(t, rc.mk, s.stream, i, j); !sameResult(got, whole) {
						t.Fatalf("%s %s cut at %d, %d: %v %v", rc.name, s.name, i, j, got.events, got.err)
					}
				}
			}
		}
	}
}

// TestReceiverRFC6455 reads the examples of RFC 6455 §5.7 as a client
// (unmasked frames) or a server (masked ones).
func TestReceiverRFC6455(t *testing.T) {
	big := bytes.Repeat([]byte{0xab}, 65536)
	tests := []struct {
		name   string
		server bool
		stream []byte
		want   []event
	}{
		{"unmasked text", false, []byte{0x81, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f}, []event{msg(Text, "Hello")}},
		{"masked text", true, []byte{0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58}, []event{msg(Text, "Hello")}},
		{"fragmented", false, []byte{0x01, 0x03, 0x48, 0x65, 0x6c, 0x80, 0x02, 0x6c, 0x6f}, []event{msg(Text, "Hello")}},
		{"ping", false, []byte{0x89, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f}, []event{{kind: "ping", data: "Hello"}}},
		{"masked pong", true, []byte{0x8a, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58}, []event{{kind: "pong", data: "Hello"}}},
		{"256 bytes", false, append([]byte{0x82, 0x7e, 0x01, 0x00}, big[:256]...), []event{msg(Binary, string(big[:256]))}},
		{"64 KiB", false, append([]byte{0x82, 0x7f, 0, 0, 0, 0, 0, 1, 0, 0}, big...), []event{msg(Binary, string(big))}},
	}
	for _, tt := range tests {
		for _, d := range []Deliver{Whole, Fragments} {
			mk := func() *Receiver { return &Receiver{Server: tt.server, Deliver: d} }
			got := feedSplit(t, mk, tt.stream)
			if got.err != nil || fmt.Sprint(got.events) != fmt.Sprint(tt.want) {
				t.Errorf("%s (deliver %d): %v %v", tt.name, d, got.events, got.err)
			}
			if bb := feedBytes(t, mk, tt.stream); !sameResult(bb, got) {
				t.Errorf("%s (deliver %d) byte by byte: %v %v", tt.name, d, bb.events, bb.err)
			}
		}
	}
}

// TestReceiverFragmentsInPlace checks that Fragments mode delivers
// payload as it arrives, unmasked in the caller's buffer.
func TestReceiverFragmentsInPlace(t *testing.T) {
	stream := frame(true, 0, Binary, []byte("0123456789"), true)
	r := &Receiver{Server: true, Deliver: Fragments}
	rec := &recorder{}
	for _, piece := range [][]byte{stream[:9], stream[9:12], stream[12:]} {
		if n, err := r.Feed(piece, rec); n != len(piece) || err != nil {
			t.Fatal(n, err)
		}
	}
	want := []event{{kind: "msg", op: Binary, data: "012"}, {kind: "msg", op: Binary, data: "345"}, {kind: "msg", op: Binary, data: "6789", final: true}}
	if fmt.Sprint(rec.events) != fmt.Sprint(want) {
		t.Errorf("events %v", rec.events)
	}
	if string(stream[6:]) != "0123456789" {
		t.Errorf("buffer not unmasked in place: %q", stream[6:])
	}
}

// TestReceiverInvalid feeds malformed streams whole and byte by byte:
// each must fail with the given error, after delivering the given
// events, and go on failing.
func TestReceiverInvalid(t *testing.T) {
	m := func(fin bool, rsv byte, op OpCode, p string) []byte { return frame(fin, rsv, op, []byte(p), true) }
	text := func(p string) []byte { return m(true, 0, Text, p) }
	server := func() *Receiver { return &Receiver{Server: true} }
	deflate := func() *Receiver { return &Receiver{Server: true, AllowRSV1: true, Inflater: &Inflater{}} }
	small := func() *Receiver { return &Receiver{Server: true, MaxMessage: 10} }
	deflateSmall := func() *Receiver {
		return &Receiver{Server: true, AllowRSV1: true, Inflater: &Inflater{}, MaxMessage: 100}
	}
	hello := []event{msg(Text, "hello")}
	tests := []struct {
		name   string
		mk     func() *Receiver
		stream []byte
		err    error
		events []event
	}{
		{"unmasked from client", server, frame(true, 0, Text, []byte("x"), false), ErrNotMasked, nil},
		{"masked from server", func() *Receiver { return &Receiver{} }, frame(true, 0, Text, []byte("x"), true), ErrMasked, nil},
		{"reserved opcode 3", server, m(true, 0, 3, ""), ErrReservedOpCode, nil},
		{"reserved opcode 7", server, cat(text("hello"), m(true, 0, 7, "")), ErrReservedOpCode, hello},
		{"reserved opcode 11", server, m(true, 0, 11, "x"), ErrReservedOpCode, nil},
		{"reserved opcode 15", server, m(true, 0, 15, ""), ErrReservedOpCode, nil},
		{"RSV1 without extension", server, m(true, Rsv1, Text, "x"), ErrReservedBits, nil},
		{"RSV2", server, m(true, Rsv2, Binary, "x"), ErrReservedBits, nil},
		{"RSV3", server, cat(text("hello"), m(true, Rsv3, Ping, "")), ErrReservedBits, hello},
		{"RSV2 with deflate", deflate, m(true, Rsv2, Binary, "x"), ErrReservedBits, nil},
		{"RSV1 on ping", deflate, m(true, Rsv1, Ping, ""), ErrCompressedControl, nil},
		{"RSV1 on continuation", deflate, cat(m(false, 0, Text, "a"), m(true, Rsv1, Continuation, "b")), ErrCompressedContinue, nil},
		{"fragmented ping", server, m(false, 0, Ping, "x"), ErrFragmentedControl, nil},
		{"fragmented close", server, m(false, 0, Close, ""), ErrFragmentedControl, nil},
		{"ping of 126", server, m(true, 0, Ping, strings.Repeat("x", 126)), ErrControlTooLong, nil},
		{"close of 126", server, m(true, 0, Close, "\x03\xe8"+strings.Repeat("x", 124)), ErrControlTooLong, nil},
		{"continuation first", server, m(true, 0, Continuation, "x"), ErrUnexpectedContinue, nil},
		{"continuation after message", server, cat(text("hello"), m(true, 0, Continuation, "x")), ErrUnexpectedContinue, hello},
		{"text inside message", server, cat(m(false, 0, Text, "a"), text("b")), ErrExpectedContinue, nil},
		{"binary inside message", server, cat(m(false, 0, Binary, "a"), m(false, 0, Binary, "b")), ErrExpectedContinue, nil},
		{"non-minimal 16-bit", server, []byte{0x81, 0xfe, 0x00, 0x05, 1, 2, 3, 4, 'a', 'b', 'c', 'd', 'e'}, ErrNonMinimalLength, nil},
		{"non-minimal 64-bit", server, []byte{0x82, 0xff, 0, 0, 0, 0, 0, 0, 0, 5, 1, 2, 3, 4, 'a', 'b', 'c', 'd', 'e'}, ErrNonMinimalLength, nil},
		{"64-bit high bit", server, []byte{0x82, 0xff, 0x80, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4}, ErrLengthOverflow, nil},
		{"close of 1 byte", server, m(true, 0, Close, "\x03"), ErrCloseLength, nil},
		{"close code 999", server, m(true, 0, Close, "\x03\xe7"), ErrCloseCode, nil},
		{"close code 1004", server, m(true, 0, Close, "\x03\xec"), ErrCloseCode, nil},
		{"close code 1005", server, m(true, 0, Close, "\x03\xed"), ErrCloseCode, nil},
		{"close code 1006", server, m(true, 0, Close, "\x03\xee"), ErrCloseCode, nil},
		{"close code 1015", server, m(true, 0, Close, "\x03\xf7"), ErrCloseCode, nil},
		{"close code 2000", server, m(true, 0, Close, "\x07\xd0"), ErrCloseCode, nil},
		{"close code 5000", server, m(true, 0, Close, "\x13\x88"), ErrCloseCode, nil},
		{"close reason not UTF-8", server, m(true, 0, Close, "\x03\xe8\xce\xba\xe1\xbd\xb9\xcf\x83\xce\xbc\xce\xb5\xed\xa0\x80"), ErrInvalidUTF8, nil},
		{"text not UTF-8", server, text("ab\xffcd"), ErrInvalidUTF8, nil},
		{"text cut short", server, text("ab\xce"), ErrInvalidUTF8, nil},
		{"text cut short, fragmented", server, cat(m(false, 0, Text, "ab\xce"), m(true, 0, Continuation, "")), ErrInvalidUTF8, nil},
		{"invalid across fragments", server, cat(m(false, 0, Text, "ab\xed"), m(false, 0, Continuation, "\xa0"), m(true, 0, Continuation, "\x80")), ErrInvalidUTF8, nil},
		{"too big", small, text("hello world"), ErrTooBig, nil},
		{"too big in fragments", small, cat(m(false, 0, Binary, "hello"), m(false, 0, Continuation, "hello"), m(true, 0, Continuation, "!")), ErrTooBig, nil},
		{"just big enough", small, cat(text("0123456789"), text("hello world")), ErrTooBig, []event{msg(Text, "0123456789")}},
		{"too big for the default", server, []byte{0x82, 0xff, 0, 0, 0, 0, 0, 0x10, 0, 1, 1, 2, 3, 4}, ErrTooBig, nil},
		{"compressed garbage", deflate, m(true, Rsv1, Binary, "\xff\xff\xff\xff"), ErrInvalidFlate, nil},
		{"compressed text not UTF-8", deflate, m(true, Rsv1, Text, string(deflateBytes(t, []byte("ab\xffcd")))), ErrInvalidUTF8, nil},
		{"compressed too big", deflateSmall, m(true, Rsv1, Binary, string(deflateBytes(t, make([]byte, 101)))), ErrTooBig, nil},
	}
	for _, tt := range tests {
		for _, d := range []Deliver{Whole, Fragments} {
			mk := func() *Receiver { r := tt.mk(); r.Deliver = d; return r }
			got := feedSplit(t, mk, tt.stream)
			if got.err != tt.err || fmt.Sprint(finished(got.events)) != fmt.Sprint(tt.events) {
				t.Errorf("%s (deliver %d): %v %v; want %v %v", tt.name, d, got.events, got.err, tt.events, tt.err)
			}
			if bb := feedBytes(t, mk, tt.stream); !sameResult(bb, got) {
				t.Errorf("%s (deliver %d) byte by byte: %v %v", tt.name, d, bb.events, bb.err)
			}
			// The error sticks.
			r := mk()
			buf := bytes.Clone(tt.stream)
			if _, err := r.Feed(buf, &recorder{}); err != tt.err {
				continue
			}
			if n, err := r.Feed(text("x"), &recorder{}); n != 0 || err != tt.err {
				t.Errorf("%s: after the error: %d %v", tt.name, n, err)
			}
		}
	}
}

// TestReceiverFailFast checks that invalid UTF-8, a size bound and a
// protocol error are found as soon as their byte arrives, not at the end
// of the frame.
func TestReceiverFailFast(t *testing.T) {
	payload := []byte("valid text, then \xc0\xaf and much more text that has not arrived yet")
	for _, d := range []Deliver{Whole, Fragments} {
		stream := frame(true, 0, Text, payload, true)
		cut := 6 + bytes.IndexByte(payload, 0xc0) // 0xc0 is never valid
		r := &Receiver{Server: true, Deliver: d}
		rec := &recorder{}
		n, err := r.Feed(stream[:cut+1], rec)
		if err != ErrInvalidUTF8 || n != cut+1 {
			t.Errorf("deliver %d: %d %v after the invalid byte", d, n, err)
		}
		r = &Receiver{Server: true, Deliver: d, MaxMessage: 5}
		if _, err := r.Feed(stream[:6], rec); err != ErrTooBig {
			t.Errorf("deliver %d: %v from the header alone", d, err)
		}
	}
}

// TestReceiverAfterClose checks that nothing is accepted after a Close
// frame: later bytes are consumed and dropped.
func TestReceiverAfterClose(t *testing.T) {
	r := &Receiver{Server: true}
	rec := &recorder{}
	stream := cat(frame(true, 0, Close, []byte("\x03\xe8"), true), frame(true, 0, Text, []byte("late"), true))
	if n, err := r.Feed(stream, rec); n != len(stream) || err != nil || !r.Closed() {
		t.Fatal(n, err, r.Closed())
	}
	if n, err := r.Feed([]byte{0xff, 0x00}, rec); n != 2 || err != nil {
		t.Fatal(n, err)
	}
	if len(rec.events) != 1 || rec.events[0].kind != "close" {
		t.Errorf("events %v", rec.events)
	}
	r.Reset()
	if r.Closed() || !r.Server {
		t.Errorf("Reset: closed %v server %v", r.Closed(), r.Server)
	}
	rec.events = nil
	if _, err := r.Feed(frame(true, 0, Text, []byte("again"), true), rec); err != nil || len(rec.events) != 1 {
		t.Errorf("after Reset: %v %v", err, rec.events)
	}
}

func TestReceiverUnlimited(t *testing.T) {
	r := &Receiver{MaxMessage: -1, Deliver: Fragments}
	rec := &recorder{}
	hdr := AppendHeader(nil, Header{Fin: true, Op: Binary, Length: 1 << 40})
	if n, err := r.Feed(hdr, rec); n != len(hdr) || err != nil {
		t.Fatal(n, err)
	}
	if _, err := r.Feed(make([]byte, 1000), rec); err != nil || len(rec.events) != 1 || rec.events[0].final {
		t.Fatal(err, rec.events)
	}
}
