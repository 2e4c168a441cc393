package golws

import (
	"time"

	"github.com/golws/golws/loop"
	"github.com/golws/golws/ws"
)

// wsConn is the WebSocket role on a connection upgraded from HTTP/1.1:
// frames in through a ws.Receiver, out as unmasked server frames.
type wsConn struct {
	loop.BaseHandler
	c     *loop.Conn
	s     WebSocket
	proto WSProtocol
	recv  ws.Receiver
	opt   *WSOptions

	msgOut    ws.OpCode // the type of a fragmented message being sent, 0 if none
	sentClose bool
	over      bool // OnClose has run
	pinged    bool // a keepalive ping is waiting for its pong
	hdr       [ws.MaxHeaderLen]byte
	ev        wsEvents
}

// wsEvents receives the Receiver's events (a type of its own: its
// OnClose is the peer's Close frame, not the connection's end).
type wsEvents struct{ t *wsConn }

func newWSConn(c *loop.Conn, m *wsMount, proto WSProtocol, name, path string) *wsConn {
	t := &wsConn{c: c, proto: proto, opt: &m.opt}
	t.s = WebSocket{t: t, proto: name, path: path}
	t.ev.t = t
	t.recv.Server = true
	t.recv.MaxMessage = m.opt.MaxMessage
	if m.opt.Fragments {
		t.recv.Deliver = ws.Fragments
	}
	return t
}

// armKeepalive sets the connection's timer for the next ping.
func (t *wsConn) armKeepalive() {
	if t.opt.PingInterval > 0 {
		t.c.SetTimeout(t.opt.PingInterval)
	} else {
		t.c.ClearTimeout()
	}
}

func (t *wsConn) OnData(c *loop.Conn, data []byte) {
	if t.over {
		return
	}
	if t.pinged || t.opt.PingInterval > 0 {
		t.pinged = false
		t.armKeepalive()
	}
	if _, err := t.recv.Feed(data, &t.ev); err != nil {
		code := uint16(ws.CloseProtocolError)
		if ce, ok := err.(*ws.CloseError); ok {
			code = ce.Code
		}
		t.fail(code, err.Error())
	}
}

// The ws.Events side.

func (e *wsEvents) OnMessage(op ws.OpCode, data []byte, final bool) {
	if t := e.t; !t.over {
		t.proto.OnMessage(&t.s, op == ws.Text, data, final)
	}
}

func (e *wsEvents) OnPing(payload []byte) {
	if t := e.t; !t.sentClose {
		t.writeFrame(ws.Pong, payload, true)
	}
}

func (e *wsEvents) OnPong(payload []byte) {}

func (e *wsEvents) OnClose(code uint16, reason []byte) {
	t := e.t
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
	t.c.Close()
}

// fail closes with a protocol error code (1002, 1007, 1009...).
func (t *wsConn) fail(code uint16, reason string) {
	if !t.sentClose {
		t.sentClose = true
		var b [ws.MaxControlPayload]byte
		t.writeFrame(ws.Close, ws.AppendClose(b[:0], code, ""), true)
	}
	t.end(code, []byte(reason))
	t.c.Close()
}

// end tells the protocol, once.
func (t *wsConn) end(code uint16, reason []byte) {
	if !t.over {
		t.over = true
		t.proto.OnClose(&t.s, code, reason)
	}
}

func (t *wsConn) OnWritable(c *loop.Conn) {
	if p, ok := t.proto.(WSWritable); ok && !t.over {
		p.OnWritable(&t.s)
	}
}

func (t *wsConn) OnClose(c *loop.Conn, err error) { t.end(ws.CloseAbnormal, nil) }

// OnTimeout: quiet for PingInterval → ping; no pong in PongTimeout → close.
func (t *wsConn) OnTimeout(c *loop.Conn) {
	if t.pinged || t.opt.PingInterval <= 0 {
		t.end(ws.CloseAbnormal, []byte("pong timeout"))
		c.Abort()
		return
	}
	t.pinged = true
	t.writeFrame(ws.Ping, nil, true)
	wait := t.opt.PongTimeout
	if wait <= 0 {
		wait = 10 * time.Second
	}
	c.SetTimeout(wait)
}

// send writes a whole message or control frame.
func (t *wsConn) send(op ws.OpCode, p []byte, final bool) error {
	if t.sentClose || t.over {
		return ErrWSClosed
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
	// The peer answers with its Close frame, which ends the connection;
	// if it does not, the close timeout does.
	t.c.SetTimeout(5 * time.Second)
}

// writeFrame writes one unmasked frame: its header and its payload, in
// the connection's output (one write at the end of the callback).
func (t *wsConn) writeFrame(op ws.OpCode, p []byte, final bool) {
	h := ws.AppendHeader(t.hdr[:0], ws.Header{Fin: final, Op: op, Length: int64(len(p))})
	t.c.WriteAll(h)
	if len(p) > 0 {
		t.c.WriteAll(p)
	}
}
