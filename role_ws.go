package golws

import (
	"time"

	"github.com/golws/golws/loop"
	"github.com/golws/golws/ws"
)

// wsTransport carries a WebSocket's frames: a connection upgraded from
// HTTP/1.1, or an HTTP/2 stream (RFC 8441). The WebSocket code above it is
// the same for both.
type wsTransport interface {
	write(p []byte)   // queue bytes for the peer
	writable() bool   // the peer can take more now
	requestWritable() // call wsConn.onWritable once it can
	finish()          // our side is done (after our Close frame was sent or answered)
	abort()           // end at once (keepalive timeout)
	post(fn func(err error)) error
	conn() *loop.Conn
}

// wsConn is the WebSocket role: frames in through a ws.Receiver, out as
// unmasked server frames, keepalive on a loop timer.
type wsConn struct {
	tr    wsTransport
	pl    *perLoop
	s     WebSocket
	proto WSProtocol
	recv  ws.Receiver
	m     *wsMount    // its options, and the protocol's registered name for Broadcast
	timer *loop.Timer // keepalive and the closing-handshake bound; nil until needed

	deflate   bool      // permessage-deflate negotiated: the loop's compressor sends
	msgOut    ws.OpCode // the type of a fragmented message being sent, 0 if none
	sentClose bool
	over      bool // OnClose has run
	pinged    bool // a keepalive ping is waiting for its pong
}

func newWSConn(tr wsTransport, pl *perLoop, m *wsMount, proto WSProtocol, name string) *wsConn {
	t := new(wsConn)
	t.init(tr, pl, m, proto, name)
	return t
}

// init readies t (in place: an HTTP/1.1 WebSocket is one allocation with
// its transport, see wsH1).
func (t *wsConn) init(tr wsTransport, pl *perLoop, m *wsMount, proto WSProtocol, name string) {
	*t = wsConn{tr: tr, pl: pl, proto: proto, m: m}
	t.s = WebSocket{t: t, proto: name}
	t.recv.Server = true
	t.recv.MaxMessage = m.opt.MaxMessage
	if m.opt.Fragments {
		t.recv.Deliver = ws.Fragments
	}
	pl.addSocket(t)
}

// enableDeflate applies a negotiated permessage-deflate.
func (t *wsConn) enableDeflate(p ws.DeflateParams, pl *perLoop) {
	t.recv.AllowRSV1 = true
	t.recv.Inflater = &ws.Inflater{NoContextTakeover: p.ClientNoContextTakeover}
	t.deflate = true
}

// negotiateDeflate answers a Sec-WebSocket-Extensions offer: the
// response's extension value (appended to dst) and the parameters. The
// server always declares server_no_context_takeover (RFC 7692
// §7.1.1.1 allows it unasked) so that its compressor keeps no state per
// connection.
func negotiateDeflate(dst, offer []byte) (ws.DeflateParams, []byte, bool) {
	if len(offer) == 0 {
		return ws.DeflateParams{}, dst, false
	}
	p, resp, ok := ws.NegotiateDeflate(dst, offer)
	if ok && !p.ServerNoContextTakeover {
		p.ServerNoContextTakeover = true
		resp = append(resp, "; server_no_context_takeover"...)
	}
	return p, resp, ok
}

// minCompress is the message size below which compressing is not worth
// its cost: such messages go out plain (RSV1 clear), as RFC 7692 allows.
const minCompress = 64

// schedule arms the WebSocket's timer, made on first use: most
// WebSockets never need one, and an idle one should cost little.
func (t *wsConn) schedule(d time.Duration) {
	if t.timer == nil {
		t.timer = &loop.Timer{F: wsTimerFired, Arg: t}
	}
	t.tr.conn().Loop().Schedule(t.timer, d)
}

// armKeepalive sets the timer for the next ping.
func (t *wsConn) armKeepalive() {
	if t.m.opt.PingInterval > 0 {
		t.schedule(t.m.opt.PingInterval)
	}
}

// feed takes bytes from the peer.
func (t *wsConn) feed(data []byte) {
	if t.over {
		return
	}
	if t.m.opt.PingInterval > 0 && !t.sentClose {
		t.pinged = false
		t.armKeepalive()
	}
	if _, err := t.recv.Feed(data, t); err != nil {
		code := uint16(ws.CloseProtocolError)
		if ce, ok := err.(*ws.CloseError); ok {
			code = ce.Code
		}
		t.fail(code, err.Error())
	}
}

// The ws.Events side (the peer's frames; OnClose is its Close frame).

func (t *wsConn) OnMessage(op ws.OpCode, data []byte, final bool) {
	if !t.over {
		t.proto.OnMessage(&t.s, op == ws.Text, data, final)
	}
}

func (t *wsConn) OnPing(payload []byte) {
	if !t.sentClose {
		t.writeFrame(ws.Pong, payload, true)
	}
}

func (t *wsConn) OnPong(payload []byte) {}

func (t *wsConn) OnClose(code uint16, reason []byte) {
	if !t.sentClose {
		// Echo the peer's code (none if it sent none), then our side is
		// done too (RFC 6455 §5.5.1).
		t.sentClose = true
		var b [2 + ws.MaxControlPayload]byte
		payload := b[:0]
		if code != ws.CloseNoStatus {
			payload = ws.AppendClose(payload, code, "")
		}
		t.writeFrame(ws.Close, payload, true)
	}
	t.end(code, reason)
	t.tr.finish()
}

// fail closes with a protocol error code (1002, 1007, 1009...).
func (t *wsConn) fail(code uint16, reason string) {
	if !t.sentClose {
		t.sentClose = true
		var b [ws.MaxControlPayload]byte
		t.writeFrame(ws.Close, ws.AppendClose(b[:0], code, ""), true)
	}
	t.end(code, []byte(reason))
	t.tr.finish()
}

// end tells the protocol, once, and stops the timer.
func (t *wsConn) end(code uint16, reason []byte) {
	if !t.over {
		t.over = true
		if t.timer != nil {
			t.tr.conn().Loop().Cancel(t.timer)
		}
		t.pl.dropSocket(t)
		t.proto.OnClose(&t.s, code, reason)
	}
}

// onWritable: the transport drained.
func (t *wsConn) onWritable() {
	if p, ok := t.proto.(WSWritable); ok && !t.over {
		p.OnWritable(&t.s)
	}
}

// gone: the transport ended under us (connection closed, stream reset).
func (t *wsConn) gone() { t.end(ws.CloseAbnormal, nil) }

// wsTimerFired: quiet for PingInterval → ping; no pong in PongTimeout,
// or no answer to our Close frame → the end.
func wsTimerFired(tm *loop.Timer) {
	t := tm.Arg.(*wsConn)
	if t.over {
		return
	}
	if t.pinged || t.sentClose || t.m.opt.PingInterval <= 0 {
		t.end(ws.CloseAbnormal, []byte("timeout"))
		t.tr.abort()
		return
	}
	t.pinged = true
	t.writeFrame(ws.Ping, nil, true)
	wait := t.m.opt.PongTimeout
	if wait <= 0 {
		wait = 10 * time.Second
	}
	t.schedule(wait)
}

// send writes a whole message or control frame, a data message
// compressed when permessage-deflate is on and it is worth it.
func (t *wsConn) send(op ws.OpCode, p []byte, final bool) error {
	if t.sentClose || t.over {
		return ErrWSClosed
	}
	if t.deflate && !op.IsControl() && len(p) >= minCompress {
		z := t.pl.wsDeflate().Deflate(t.pl.wsZBuf[:0], p)
		t.pl.wsZBuf = z[:0]
		t.writeFrameRsv(op, ws.Rsv1, z, true)
		return nil
	}
	t.writeFrame(op, p, final)
	return nil
}

func (t *wsConn) sendFragment(text bool, p []byte, final bool) error {
	if t.sentClose || t.over {
		return ErrWSClosed
	}
	op := ws.Continuation
	if t.msgOut == 0 {
		op = ws.Binary
		if text {
			op = ws.Text
		}
		t.msgOut = op
	}
	if final {
		t.msgOut = 0
	}
	t.writeFrame(op, p, final)
	return nil
}

func (t *wsConn) close(code uint16, reason string) {
	if t.sentClose || t.over {
		return
	}
	t.sentClose = true
	var b [ws.MaxControlPayload]byte
	t.writeFrame(ws.Close, ws.AppendClose(b[:0], code, reason), true)
	// The peer answers with its Close frame, which ends the WebSocket;
	// if it does not, the timer does.
	t.schedule(5 * time.Second)
}

// writeFrame writes one unmasked frame. A small one goes out as one
// write (over HTTP/2, one DATA frame), a large one as its header and its
// payload, not copied.
func (t *wsConn) writeFrame(op ws.OpCode, p []byte, final bool) {
	t.writeFrameRsv(op, 0, p, final)
}

func (t *wsConn) writeFrameRsv(op ws.OpCode, rsv byte, p []byte, final bool) {
	// The frame is assembled in the loop's scratch (transports copy what
	// they are given), so an idle WebSocket holds no buffer for it.
	h := ws.AppendHeader(t.pl.wsFrame[:0], ws.Header{Fin: final, Rsv: rsv, Op: op, Length: int64(len(p))})
	if len(p) <= smallFrame {
		h = append(h, p...)
		t.tr.write(h)
	} else {
		t.tr.write(h)
		t.tr.write(p)
	}
	t.pl.wsFrame = h[:0]
}

// smallFrame is the payload size up to which a frame is assembled in one
// buffer before it is written.
const smallFrame = 512

// wsH1 is a connection upgraded from HTTP/1.1: its loop handler, and the
// transport of its WebSocket.
type wsH1 struct {
	loop.BaseHandler
	t wsConn // not a pointer: one allocation for the WebSocket and its connection
	c *loop.Conn
}

func (h *wsH1) OnData(c *loop.Conn, data []byte) { h.t.feed(data) }
func (h *wsH1) OnWritable(*loop.Conn)            { h.t.onWritable() }
func (h *wsH1) OnClose(c *loop.Conn, err error)  { h.t.gone() }
func (h *wsH1) OnShutdown(c *loop.Conn)          { h.t.close(ws.CloseGoingAway, "server shutting down") }
func (h *wsH1) write(p []byte)                   { h.c.WriteAll(p) }
func (h *wsH1) writable() bool                   { return h.c.Writable() }
func (h *wsH1) requestWritable()                 { h.c.RequestWritable() }
func (h *wsH1) finish()                          { h.c.Close() }
func (h *wsH1) abort()                           { h.c.Abort() }
func (h *wsH1) conn() *loop.Conn                 { return h.c }
func (h *wsH1) post(fn func(err error)) error {
	return h.c.Post(func(c *loop.Conn, err error) { fn(err) })
}
