package wsconform

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/golws/golws/ws"
)

// Opcodes (RFC 6455 §5.2); the reserved ones are plain numbers.
const (
	OpContinuation byte = 0x0
	OpText         byte = 0x1
	OpBinary       byte = 0x2
	OpClose        byte = 0x8
	OpPing         byte = 0x9
	OpPong         byte = 0xA
)

// Stream is a WebSocket connection after its opening handshake: frames
// are read and written on it. Close must unblock a pending Read or Write.
type Stream interface {
	io.ReadWriteCloser
}

// Role is the side the suite plays.
type Role int

const (
	// RoleClient tests a server: the suite masks its frames and
	// requires the peer's to be unmasked.
	RoleClient Role = iota
	// RoleServer tests a client: the suite sends unmasked frames and
	// requires the peer's to be masked.
	RoleServer
)

// Frame is one frame to send, any bits set as the case wants.
type Frame struct {
	Fin     bool
	RSV     byte // the three RSV bits: 4 = RSV1, 2 = RSV2, 1 = RSV3
	Opcode  byte
	Payload []byte
	// Masking follows the role unless ForceMask or NoMask is set;
	// MaskKey, if set, replaces the driver's (deterministic) key.
	ForceMask, NoMask bool
	MaskKey           *[4]byte
}

// Chop says how bytes are written: in writes of at most Size bytes (0:
// all at once) with Delay between writes.
type Chop struct {
	Size  int
	Delay time.Duration
}

// Octetwise writes one byte at a time (Autobahn's "octet-wise chops").
var Octetwise = Chop{Size: 1}

// EventKind is what the peer did.
type EventKind int

const (
	EvMessage  EventKind = iota // a whole data message (reassembled)
	EvPing                      // a ping frame
	EvPong                      // a pong frame
	EvClose                     // a Close frame
	EvTCPClose                  // the byte stream ended (EOF or reset)
	EvBad                       // the peer sent something invalid (Detail)
)

// Event is one thing received from the peer.
type Event struct {
	Kind    EventKind
	Opcode  byte   // EvMessage: OpText or OpBinary
	Payload []byte // message, ping or pong payload; Close: the reason
	Code    uint16 // EvClose: the code, 1005 when the payload was empty
	Frames  int    // EvMessage: how many frames carried it
	// Compressed (EvMessage): the message came compressed (RSV1,
	// permessage-deflate) and Payload is what it inflated to.
	Compressed bool
	Detail     string // EvBad, EvTCPClose: what happened
	At         time.Time
}

func (e Event) String() string {
	switch e.Kind {
	case EvMessage:
		kind := "text"
		if e.Opcode == OpBinary {
			kind = "binary"
		}
		if e.Compressed {
			kind = "compressed " + kind
		}
		return fmt.Sprintf("%s message of %d bytes (%d frames) %s", kind, len(e.Payload), e.Frames, short(e.Payload))
	case EvPing:
		return "ping " + short(e.Payload)
	case EvPong:
		return "pong " + short(e.Payload)
	case EvClose:
		return fmt.Sprintf("close %d %s", e.Code, short(e.Payload))
	case EvTCPClose:
		return "TCP close (" + e.Detail + ")"
	}
	return "invalid frame: " + e.Detail
}

func short(p []byte) string {
	if len(p) > 24 {
		return fmt.Sprintf("%q...", p[:24])
	}
	return fmt.Sprintf("%q", p)
}

// caseAbort stops a case from inside a driver call (like t.FailNow).
type caseAbort struct{}

// Driver runs one case on one connection: it writes frames and reads
// the peer's events (a goroutine reassembles messages as they come).
type Driver struct {
	s       Stream
	role    Role
	timeout time.Duration // one expectation's bound
	rng     *rand.Rand
	start   time.Time

	// Extensions is the Sec-WebSocket-Extensions the handshake agreed
	// ("" for none), Offer the one the client sent. With
	// permessage-deflate agreed (see [Driver.Deflate]) the driver takes
	// RSV1 on the first frame of the peer's messages and inflates them
	// before they become events, and [Driver.SendCompressed] sends
	// compressed messages.
	Extensions, Offer string

	pmd  *PerMessageDeflate // nil unless agreed
	defl deflaters          // the client's compressors for this stream

	open func() (Stream, Handshake, error) // for Reconnect

	mu      sync.Mutex
	gen     int // the stream's generation: events of older ones are dropped
	closed  bool
	events  []Event
	notify  chan struct{}
	done    bool
	verdict Verdict
	notes   []string
	writeEr error
}

func newDriver(s Stream, role Role, timeout time.Duration, seed uint64) *Driver {
	d := &Driver{s: s, role: role, timeout: timeout, rng: rand.New(rand.NewPCG(seed, 0x5eed)),
		notify: make(chan struct{}, 1), verdict: OK, start: time.Now()}
	return d
}

// begin starts reading the first stream.
func (d *Driver) begin() { go d.readLoop(d.s, 0, d.pmd) }

// Reconnect drops the connection and opens a fresh one to the peer, for
// a case with more than one phase.
func (d *Driver) Reconnect() {
	d.mu.Lock()
	d.gen++
	d.events, d.done = nil, false
	old := d.s
	d.mu.Unlock()
	old.Close()
	s, hs, err := d.open()
	if err != nil {
		d.Fail("reconnect: %v", err)
	}
	pmd, err := agreedDeflate(hs.Offer, hs.Extensions)
	if err != nil {
		s.Close()
		d.Fail("reconnect: Sec-WebSocket-Extensions %q for the offer %q: %v", hs.Extensions, hs.Offer, err)
	}
	d.mu.Lock()
	if d.closed {
		d.mu.Unlock()
		s.Close()
		d.Fail("reconnect after the case timed out")
	}
	d.s, d.Extensions, d.Offer, d.pmd, d.defl, d.writeEr = s, hs.Extensions, hs.Offer, pmd, deflaters{}, nil
	gen := d.gen
	d.mu.Unlock()
	go d.readLoop(s, gen, pmd)
}

// shut closes the stream for good (the case is over or timed out).
func (d *Driver) shut() {
	d.mu.Lock()
	d.closed = true
	s := d.s
	d.mu.Unlock()
	s.Close()
}

// Unread puts e back as the next event.
func (d *Driver) Unread(e Event) {
	d.mu.Lock()
	d.events = append([]Event{e}, d.events...)
	d.mu.Unlock()
}

// Verdict downgrades the case's verdict to v (the worst one stands) with
// a note for the report.
func (d *Driver) Verdict(v Verdict, format string, args ...any) {
	if v.rank() > d.verdict.rank() {
		d.verdict = v
	}
	d.notes = append(d.notes, string(v)+": "+fmt.Sprintf(format, args...))
}

// Note adds a note to the report without changing the verdict.
func (d *Driver) Note(format string, args ...any) {
	d.notes = append(d.notes, fmt.Sprintf(format, args...))
}

// Fail ends the case FAILED.
func (d *Driver) Fail(format string, args ...any) {
	d.Verdict(Failed, format, args...)
	panic(caseAbort{})
}

// Finish ends the case here with its verdict so far.
func (d *Driver) Finish() { panic(caseAbort{}) }

// Elapsed is the time since the case started.
func (d *Driver) Elapsed() time.Duration { return time.Since(d.start) }

// Sleep waits.
func (d *Driver) Sleep(dur time.Duration) { time.Sleep(dur) }

// Bytes are n deterministic pseudo-random bytes.
func (d *Driver) Bytes(n int) []byte {
	p := make([]byte, n)
	for i := range p {
		p[i] = byte(d.rng.Uint32())
	}
	return p
}

// Encode appends f's wire form to dst.
func (d *Driver) Encode(dst []byte, f Frame) []byte {
	b0 := f.Opcode & 0x0f
	b0 |= (f.RSV & 7) << 4
	if f.Fin {
		b0 |= 0x80
	}
	mask := (d.role == RoleClient || f.ForceMask) && !f.NoMask
	var b1 byte
	if mask {
		b1 = 0x80
	}
	n := len(f.Payload)
	switch {
	case n < 126:
		dst = append(dst, b0, b1|byte(n))
	case n < 1<<16:
		dst = append(dst, b0, b1|126)
		dst = binary.BigEndian.AppendUint16(dst, uint16(n))
	default:
		dst = append(dst, b0, b1|127)
		dst = binary.BigEndian.AppendUint64(dst, uint64(n))
	}
	if !mask {
		return append(dst, f.Payload...)
	}
	var key [4]byte
	if f.MaskKey != nil {
		key = *f.MaskKey
	} else {
		binary.LittleEndian.PutUint32(key[:], d.rng.Uint32())
	}
	dst = append(dst, key[:]...)
	off := len(dst)
	dst = append(dst, f.Payload...)
	for i := range dst[off:] {
		dst[off+i] ^= key[i&3]
	}
	return dst
}

// WriteRaw writes raw bytes in chops. A write error is noted (the peer
// may rightly have failed the connection) and later writes are skipped:
// what the peer did shows in the events.
func (d *Driver) WriteRaw(p []byte, c Chop) {
	if d.writeEr != nil {
		return
	}
	for len(p) > 0 {
		n := len(p)
		if c.Size > 0 && n > c.Size {
			n = c.Size
		}
		d.mu.Lock()
		s := d.s
		d.mu.Unlock()
		if _, err := s.Write(p[:n]); err != nil {
			d.writeEr = err // reported with a verdict other than OK
			return
		}
		p = p[n:]
		if len(p) > 0 && c.Delay > 0 {
			time.Sleep(c.Delay)
		}
	}
}

// Send writes frames, all in one write.
func (d *Driver) Send(frames ...Frame) { d.SendChopped(Chop{}, frames...) }

// SendChopped writes frames concatenated, in chops.
func (d *Driver) SendChopped(c Chop, frames ...Frame) {
	var buf []byte
	for _, f := range frames {
		buf = d.Encode(buf, f)
	}
	d.WriteRaw(buf, c)
}

// SendEach writes each frame with its own write(s), waiting delay
// between frames (Autobahn's "per-frame chops", sync=True).
func (d *Driver) SendEach(delay time.Duration, frames ...Frame) {
	for i, f := range frames {
		if i > 0 && delay > 0 {
			time.Sleep(delay)
		}
		d.WriteRaw(d.Encode(nil, f), Chop{})
	}
}

// SendMessage sends a data message as frames of at most frag bytes
// (frag <= 0: one frame), all in one write.
func (d *Driver) SendMessage(op byte, payload []byte, frag int) {
	d.Send(Fragment(op, payload, frag)...)
}

// SendClose sends a Close frame with code and reason (code 0: empty
// payload).
func (d *Driver) SendClose(code uint16, reason string) {
	d.Send(Frame{Fin: true, Opcode: OpClose, Payload: ClosePayload(code, reason)})
}

// ClosePayload is a Close frame's payload (code 0: empty).
func ClosePayload(code uint16, reason string) []byte {
	if code == 0 {
		return nil
	}
	return append(binary.BigEndian.AppendUint16(nil, code), reason...)
}

// Fragment splits a message into frames of at most frag bytes (frag <=
// 0: one frame; an empty message is one empty frame).
func Fragment(op byte, payload []byte, frag int) []Frame {
	if frag <= 0 || len(payload) <= frag {
		return []Frame{{Fin: true, Opcode: op, Payload: payload}}
	}
	var fs []Frame
	for i := 0; i < len(payload); i += frag {
		end := min(i+frag, len(payload))
		f := Frame{Fin: end == len(payload), Opcode: OpContinuation, Payload: payload[i:end]}
		if i == 0 {
			f.Opcode = op
		}
		fs = append(fs, f)
	}
	return fs
}

// Text and Binary are whole one-frame messages; Ping and Pong control
// frames.
func Text(p []byte) Frame   { return Frame{Fin: true, Opcode: OpText, Payload: p} }
func Binary(p []byte) Frame { return Frame{Fin: true, Opcode: OpBinary, Payload: p} }
func Ping(p []byte) Frame   { return Frame{Fin: true, Opcode: OpPing, Payload: p} }
func Pong(p []byte) Frame   { return Frame{Fin: true, Opcode: OpPong, Payload: p} }

// readLoop parses the peer's frames into events; with pmd, compressed
// messages are inflated.
func (d *Driver) readLoop(s Stream, gen int, pmd *PerMessageDeflate) {
	push := func(e Event) { d.push(gen, e) }
	r := &countReader{r: s}
	var msg []byte
	var msgOp byte
	frames := 0
	compressed := false
	var inf ws.Inflater
	if pmd != nil {
		// The server's compressor keeps its window across messages
		// unless it declared server_no_context_takeover.
		inf.NoContextTakeover = pmd.ServerNoContextTakeover
	}
	for {
		var h [2]byte
		if _, err := io.ReadFull(r, h[:]); err != nil {
			push(Event{Kind: EvTCPClose, Detail: eofDetail(err)})
			return
		}
		fin, rsv, op := h[0]&0x80 != 0, (h[0]>>4)&7, h[0]&0x0f
		masked := h[1]&0x80 != 0
		n := uint64(h[1] & 0x7f)
		var ext []byte
		switch n {
		case 126:
			ext = make([]byte, 2)
		case 127:
			ext = make([]byte, 8)
		}
		if ext != nil {
			if _, err := io.ReadFull(r, ext); err != nil {
				push(Event{Kind: EvTCPClose, Detail: "in a frame header: " + eofDetail(err)})
				return
			}
			if len(ext) == 2 {
				n = uint64(binary.BigEndian.Uint16(ext))
			} else {
				n = binary.BigEndian.Uint64(ext)
			}
		}
		var key [4]byte
		if masked {
			if _, err := io.ReadFull(r, key[:]); err != nil {
				push(Event{Kind: EvTCPClose, Detail: "in a frame header: " + eofDetail(err)})
				return
			}
		}
		if n > 1<<30 {
			push(Event{Kind: EvBad, Detail: fmt.Sprintf("frame of %d bytes", n)})
			return
		}
		p := make([]byte, n)
		if _, err := io.ReadFull(r, p); err != nil {
			push(Event{Kind: EvTCPClose, Detail: fmt.Sprintf("in a frame payload of %d bytes: %s", n, eofDetail(err))})
			return
		}
		if masked {
			for i := range p {
				p[i] ^= key[i&3]
			}
		}
		bad := ""
		switch {
		case masked && d.role == RoleClient:
			bad = "masked frame from a server"
		case !masked && d.role == RoleServer:
			bad = "unmasked frame from a client"
		case rsv != 0 && pmd == nil:
			bad = fmt.Sprintf("RSV bits %03b with no extension", rsv)
		case rsv&3 != 0:
			bad = fmt.Sprintf("RSV bits %03b (only RSV1 belongs to permessage-deflate)", rsv)
		case rsv != 0 && (op == OpContinuation || op >= 8):
			bad = fmt.Sprintf("RSV1 on a frame of opcode %#x (permessage-deflate sets it on a message's first frame only)", op)
		case op >= 3 && op <= 7 || op >= 0xb:
			bad = fmt.Sprintf("reserved opcode %#x", op)
		case op >= 8 && (!fin || n > 125):
			bad = fmt.Sprintf("control frame %#x fin=%v of %d bytes", op, fin, n)
		case op == OpContinuation && msgOp == 0:
			bad = "continuation with no message started"
		case (op == OpText || op == OpBinary) && msgOp != 0:
			bad = "new message inside a fragmented one"
		}
		if bad != "" {
			push(Event{Kind: EvBad, Detail: bad})
			continue
		}
		switch op {
		case OpPing:
			push(Event{Kind: EvPing, Payload: p})
		case OpPong:
			push(Event{Kind: EvPong, Payload: p})
		case OpClose:
			e := Event{Kind: EvClose, Code: 1005}
			switch {
			case len(p) == 1:
				push(Event{Kind: EvBad, Detail: "close payload of 1 byte"})
				continue
			case len(p) >= 2:
				e.Code = binary.BigEndian.Uint16(p)
				e.Payload = p[2:]
				if !utf8.Valid(e.Payload) {
					push(Event{Kind: EvBad, Detail: "close reason not UTF-8"})
					continue
				}
			}
			push(e)
		default:
			if op != OpContinuation {
				msgOp, msg, frames, compressed = op, nil, 0, rsv != 0
			}
			msg = append(msg, p...)
			frames++
			if fin {
				if compressed {
					out, err := inf.Inflate(nil, msg, true, 1<<30)
					if err != nil {
						push(Event{Kind: EvBad, Detail: fmt.Sprintf("compressed message of %d bytes does not inflate: %v", len(msg), err)})
						msgOp, msg = 0, nil
						continue
					}
					msg = out
				}
				push(Event{Kind: EvMessage, Opcode: msgOp, Payload: msg, Frames: frames, Compressed: compressed})
				msgOp, msg = 0, nil
			}
		}
	}
}

type countReader struct {
	r io.Reader
	n int64
}

func (c *countReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

func eofDetail(err error) string {
	switch {
	case errors.Is(err, io.EOF):
		return "EOF"
	case errors.Is(err, io.ErrUnexpectedEOF):
		return "EOF mid-frame"
	}
	s := err.Error()
	if strings.Contains(s, "reset by peer") {
		return "reset"
	}
	return s
}

func (d *Driver) push(gen int, e Event) {
	e.At = time.Now()
	d.mu.Lock()
	if gen != d.gen {
		d.mu.Unlock()
		return
	}
	d.events = append(d.events, e)
	if e.Kind == EvTCPClose {
		d.done = true
	}
	d.mu.Unlock()
	select {
	case d.notify <- struct{}{}:
	default:
	}
}

// Poll waits up to wait for the peer's next event.
func (d *Driver) Poll(wait time.Duration) (Event, bool) {
	deadline := time.Now().Add(wait)
	for {
		d.mu.Lock()
		if len(d.events) > 0 {
			e := d.events[0]
			d.events = d.events[1:]
			d.mu.Unlock()
			return e, true
		}
		d.mu.Unlock()
		left := time.Until(deadline)
		if left <= 0 {
			return Event{}, false
		}
		t := time.NewTimer(left)
		select {
		case <-d.notify:
		case <-t.C:
		}
		t.Stop()
	}
}

// Next is the next event, failing the case if none comes in time.
func (d *Driver) Next(what string) Event {
	e, ok := d.Poll(d.timeout)
	if !ok {
		d.Fail("timeout after %v waiting for %s", d.timeout, what)
	}
	return e
}

// ExpectMessage requires the next event to be the data message op with
// exactly payload (the peer may fragment it as it likes, and compress it
// when permessage-deflate was agreed); it returns the event.
func (d *Driver) ExpectMessage(op byte, payload []byte) Event {
	what := fmt.Sprintf("the echo of a %d-byte message", len(payload))
	e := d.Next(what)
	if e.Kind != EvMessage {
		d.Fail("want %s, got %v", what, e)
	}
	if e.Opcode != op {
		d.Fail("echo has opcode %#x, want %#x", e.Opcode, op)
	}
	if !bytes.Equal(e.Payload, payload) {
		d.Fail("echo differs: got %d bytes %s, want %d bytes %s", len(e.Payload), short(e.Payload), len(payload), short(payload))
	}
	return e
}

// ExpectPong requires the next event to be a pong with payload.
func (d *Driver) ExpectPong(payload []byte) {
	e := d.Next("a pong")
	if e.Kind != EvPong {
		d.Fail("want pong %s, got %v", short(payload), e)
	}
	if !bytes.Equal(e.Payload, payload) {
		d.Fail("pong payload %s, want %s", short(e.Payload), short(payload))
	}
}

// ExpectNothing requires no event for wait.
func (d *Driver) ExpectNothing(wait time.Duration) {
	if e, ok := d.Poll(wait); ok {
		d.Fail("want nothing for %v, got %v", wait, e)
	}
}

// ExpectTCPClose requires the peer to close the connection now that the
// closing handshake is over: if it does not in time, that is NON-STRICT
// (the suite then drops it, as Autobahn does).
func (d *Driver) ExpectTCPClose() {
	e, ok := d.Poll(d.timeout)
	switch {
	case !ok:
		d.Verdict(NonStrict, "peer did not close TCP within %v after the closing handshake", d.timeout)
	case e.Kind != EvTCPClose:
		d.Fail("after the closing handshake, want TCP close, got %v", e)
	}
}

// ExpectClose requires the next event to be a Close frame with one of
// codes (1005 stands for an empty payload), then the TCP close.
func (d *Driver) ExpectClose(codes ...uint16) Event {
	e := d.Next("a Close frame")
	if e.Kind != EvClose {
		d.Fail("want close %v, got %v", codes, e)
	}
	if !hasCode(codes, e.Code) {
		d.Fail("close code %d, want one of %v", e.Code, codes)
	}
	d.ExpectTCPClose()
	return e
}

// CloseNormally runs the closing handshake from our side: Close 1000,
// the peer's Close 1000 (or empty), then the TCP close.
func (d *Driver) CloseNormally() {
	d.SendClose(1000, "")
	d.ExpectClose(1000, 1005)
}

// ExpectFailure requires the peer to fail the connection: a Close frame
// with one of codes (answered), then the TCP close. Dropping TCP without
// a Close frame is NON-STRICT.
func (d *Driver) ExpectFailure(codes ...uint16) {
	e := d.Next(fmt.Sprintf("the peer to fail the connection (close %v)", codes))
	switch e.Kind {
	case EvClose:
		if !hasCode(codes, e.Code) {
			d.Fail("close code %d, want one of %v", e.Code, codes)
		}
		d.Send(Frame{Fin: true, Opcode: OpClose, Payload: ClosePayload(e.Code, "")})
		d.ExpectTCPClose()
	case EvTCPClose:
		d.Verdict(NonStrict, "TCP dropped (%s) without a Close frame, want close %v", e.Detail, codes)
	default:
		d.Fail("want the connection failed with close %v, got %v", codes, e)
	}
}

func hasCode(codes []uint16, c uint16) bool {
	for _, x := range codes {
		if x == c {
			return true
		}
	}
	return false
}
