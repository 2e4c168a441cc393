package ws

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
)

// testKey is the masking key of the frames the tests build (the one of
// RFC 6455 §5.7's examples).
var testKey = [4]byte{0x37, 0xfa, 0x21, 0x3d}

// frame builds one frame: masked with testKey when masked is set.
func frame(fin bool, rsv byte, op OpCode, payload []byte, masked bool) []byte {
	h := Header{Fin: fin, Rsv: rsv, Op: op, Length: int64(len(payload)), Masked: masked, Mask: testKey}
	b := AppendHeader(nil, h)
	start := len(b)
	b = append(b, payload...)
	if masked {
		MaskBytes(testKey, 0, b[start:])
	}
	return b
}

// cat concatenates frames into a stream.
func cat(frames ...[]byte) []byte { return bytes.Join(frames, nil) }

// event is one call of Events, in a form that compares with ==.
type event struct {
	kind  string // "msg", "ping", "pong", "close"
	op    OpCode
	data  string
	final bool
	code  uint16
	z     bool // Compressed() during OnMessage
}

func (e event) String() string {
	d := e.data
	if len(d) > 40 {
		d = fmt.Sprintf("%q…(%d bytes)", d[:40], len(e.data))
	} else {
		d = fmt.Sprintf("%q", d)
	}
	return fmt.Sprintf("%s(%v %s final=%v code=%d z=%v)", e.kind, e.op, d, e.final, e.code, e.z)
}

// recorder keeps the events of a Receiver.
type recorder struct {
	r      *Receiver
	events []event
}

func (c *recorder) OnMessage(op OpCode, data []byte, final bool) {
	c.events = append(c.events, event{kind: "msg", op: op, data: string(data), final: final, z: c.r != nil && c.r.Compressed()})
}
func (c *recorder) OnPing(p []byte) {
	c.events = append(c.events, event{kind: "ping", data: string(p)})
}
func (c *recorder) OnPong(p []byte) {
	c.events = append(c.events, event{kind: "pong", data: string(p)})
}
func (c *recorder) OnClose(code uint16, reason []byte) {
	c.events = append(c.events, event{kind: "close", code: code, data: string(reason)})
}

// coalesced joins the pieces of each message, so that feeding in any
// split delivers the same events in Fragments mode. Control events
// between pieces stay where they are; the message comes out at its final
// piece.
func coalesced(events []event) []event {
	var out []event
	var cur strings.Builder
	for _, e := range events {
		if e.kind != "msg" {
			out = append(out, e)
			continue
		}
		cur.WriteString(e.data)
		if e.final {
			e.data = cur.String()
			cur.Reset()
			out = append(out, e)
		}
	}
	if cur.Len() > 0 {
		out = append(out, event{kind: "partial", data: cur.String()})
	}
	return out
}

// feedResult is what feeding a stream produced.
type feedResult struct {
	events []event
	err    error
}

// feedSplit feeds stream to a fresh receiver made by mk, cut at the given
// offsets (increasing), and returns the events (coalesced) and the error.
// The stream is copied: Feed unmasks in place.
func feedSplit(t testing.TB, mk func() *Receiver, stream []byte, cuts ...int) feedResult {
	t.Helper()
	r := mk()
	rec := &recorder{r: r}
	buf := bytes.Clone(stream)
	prev := 0
	for _, c := range append(cuts, len(buf)) {
		piece := buf[prev:c]
		prev = c
		n, err := r.Feed(piece, rec)
		if err != nil {
			checkCloseError(t, err)
			return feedResult{coalesced(rec.events), err}
		}
		if n != len(piece) {
			t.Fatalf("Feed consumed %d of %d without error", n, len(piece))
		}
	}
	return feedResult{coalesced(rec.events), nil}
}

// feedBytes feeds stream one byte at a time.
func feedBytes(t testing.TB, mk func() *Receiver, stream []byte) feedResult {
	cuts := make([]int, 0, len(stream))
	for i := 1; i < len(stream); i++ {
		cuts = append(cuts, i)
	}
	return feedSplit(t, mk, stream, cuts...)
}

// checkCloseError checks that err is one of the receiver's errors: a
// *CloseError whose code a Close frame may carry.
func checkCloseError(t testing.TB, err error) {
	t.Helper()
	ce, ok := err.(*CloseError)
	if !ok {
		t.Fatalf("error %v (%T) is no *CloseError", err, err)
	}
	switch ce.Code {
	case CloseProtocolError, CloseInvalidPayload, CloseTooBig:
	default:
		t.Fatalf("error %v has code %d", err, ce.Code)
	}
}

// sameResult compares two results, leaving out the unfinished message
// of a failed stream: how much of it was delivered depends on the cuts.
func sameResult(a, b feedResult) bool {
	a.events, b.events = finished(a.events), finished(b.events)
	if a.err != b.err || len(a.events) != len(b.events) {
		return false
	}
	for i := range a.events {
		if a.events[i] != b.events[i] {
			return false
		}
	}
	return true
}

func finished(events []event) []event {
	if n := len(events); n > 0 && events[n-1].kind == "partial" {
		return events[:n-1]
	}
	return events
}
