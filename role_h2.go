package golws

import (
	"github.com/golws/golws/h2"
	"github.com/golws/golws/loop"
	"github.com/golws/golws/ws"
	"github.com/valyala/bytebufferpool"
)

// h2Accept is the handler of a listener that speaks HTTP/2 only.
type h2Accept struct {
	loop.BaseHandler
	ctx *Context
}

func (a *h2Accept) OnOpen(c *loop.Conn) { startH2(a.ctx, c, nil) }

// h2Conn is the HTTP/2 server role on one connection: the sans-I/O
// h2.ServerConn does the protocol, this type moves its bytes and turns
// its streams into Requests and Responses for the same handlers as
// HTTP/1.1.
type h2Conn struct {
	ctx *Context
	pl  *perLoop
	c   *loop.Conn
	sc  *h2.ServerConn
	in  *bytebufferpool.ByteBuffer // a partial frame kept across reads

	depth       int           // nesting of calls into the role; output is written when it returns to 0
	done        []*h2Exchange // streams closed inside the current call, released when it returns
	waiting     int           // streams whose request body is still coming
	wakePending bool          // RequestWritable asked for producers that are ready
	holdOut     bool          // upgraded: nothing after the 101 until the client preface came
	closing     bool
	ackTimer    loop.Timer // bounds the wait for the client's SETTINGS ack
	remote      []byte
}

// newH2Conn makes c an HTTP/2 connection: its handler is now the h2 role,
// which has sent its SETTINGS.
func newH2Conn(ctx *Context, c *loop.Conn) *h2Conn {
	h := &h2Conn{ctx: ctx, pl: ctx.loopState(c.Loop()), c: c}
	cfg := ctx.cfg.HTTP2
	if ctx.hasWS.Load() {
		cfg.EnableConnectProtocol = true // WebSockets over HTTP/2 (RFC 8441)
	}
	h.sc = h2.NewServerConn(cfg, h)
	h.ackTimer.F = settingsAckTimeout
	h.ackTimer.Arg = h
	c.SetHandler(h)
	return h
}

// startH2 starts a connection known to speak HTTP/2 (prior knowledge on
// the plaintext port, or ALPN "h2" after a TLS handshake): first holds
// what was read so far.
func startH2(ctx *Context, c *loop.Conn, first []byte) {
	h := newH2Conn(ctx, c)
	h.enter()
	h.sc.Start()
	c.Loop().Schedule(&h.ackTimer, ctx.cfg.HeaderTimeout)
	h.feed(first)
	h.leave()
}

func settingsAckTimeout(t *loop.Timer) {
	h := t.Arg.(*h2Conn)
	if h.closing || !h.sc.AwaitingSettingsAck() {
		return
	}
	h.enter()
	h.sc.Abort(h2.ErrCodeSettingsTimeout, "no SETTINGS acknowledgement")
	h.leave()
}

// enter and leave bracket every call into the role: when the outermost
// returns, the output goes to the socket in one write, streams closed
// meanwhile are released, and the connection's timeout is set from what
// is left to wait for.
func (h *h2Conn) enter() {
	if h.depth == 0 && h.sc.Out == nil {
		h.sc.Out, h.pl.h2out = h.pl.h2out[:0], nil
	}
	h.depth++
}

func (h *h2Conn) leave() {
	if h.depth--; h.depth > 0 {
		return
	}
	if !h.wakePending && h.sc.WritableReady() && !h.closing {
		h.wakePending = true
		h.c.RequestWritable()
	}
	if out := h.sc.Out; out != nil && !h.holdOut {
		if len(out) > 0 && !h.closing {
			h.c.WriteAll(out)
		}
		if h.pl.h2out == nil && cap(out) <= maxKeptOut {
			h.pl.h2out = out[:0]
		}
		h.sc.Out = nil
	}
	for i, x := range h.done {
		h.done[i] = nil
		h.pl.putH2Exchange(x)
	}
	h.done = h.done[:0]
	if h.closing {
		return
	}
	switch {
	case h.sc.Done():
		h.closing = true
		h.c.Close()
	case h.sc.Active() == 0:
		h.c.SetTimeout(h.ctx.cfg.IdleTimeout)
	case h.waiting > 0 || h.sc.Blocked():
		h.c.SetTimeout(h.ctx.cfg.BodyTimeout)
	default:
		h.c.ClearTimeout() // held responses: their handlers decide how long
	}
}

// spillSize is how much output a call gathers before handing it to the
// connection, whose buffered output then counts against its cap (and so
// turns Writable false for producers).
const spillSize = 64 << 10

// maxKeptOut bounds the output buffer a loop keeps for the next call: a
// file pump fills up to spillSize plus a frame of the client's
// SETTINGS_MAX_FRAME_SIZE (up to 16 MiB, when it asked for that).
const maxKeptOut = 1 << 20

// spill hands the gathered output to the connection once it is large.
func (h *h2Conn) spill() {
	if out := h.sc.Out; len(out) >= spillSize && !h.closing && !h.holdOut {
		h.c.WriteAll(out)
		h.sc.Out = out[:0]
	}
}

func (h *h2Conn) OnOpen(*loop.Conn) {}

func (h *h2Conn) OnData(c *loop.Conn, data []byte) {
	h.enter()
	h.feed(data)
	h.leave()
}

// feed runs the protocol over data and keeps a partial frame.
func (h *h2Conn) feed(data []byte) {
	if h.closing {
		return
	}
	buf := data
	if h.in != nil {
		h.in.B = append(h.in.B, data...)
		buf = h.in.B
	}
	n, err := h.sc.Feed(buf, h.c.Loop().Now())
	if h.holdOut && (h.sc.PrefaceReceived() || err != nil) {
		h.holdOut = false
	}
	if err != nil {
		h.pl.limitedLog(h.ctx, h.c.Loop(), "golws: h2 connection error", 0, err.Error())
	}
	rest := buf[n:]
	switch {
	case len(rest) == 0 || err != nil:
		if h.in != nil {
			bytebufferpool.Put(h.in)
			h.in = nil
		}
	case h.in == nil:
		h.in = bytebufferpool.Get()
		h.in.B = append(h.in.B[:0], rest...)
	default:
		h.in.B = h.in.B[:copy(h.in.B, rest)]
	}
}

func (h *h2Conn) OnWritable(*loop.Conn) {
	h.enter()
	h.wakePending = false
	h.sc.RunWritable()
	h.leave()
}

func (h *h2Conn) OnTimeout(c *loop.Conn) {
	h.enter()
	if h.sc.Active() == 0 {
		h.sc.GoAway(h2.ErrCodeNo)
		h.closing = true
		h.flushAndClose()
	} else {
		h.pl.limitedLog(h.ctx, c.Loop(), "golws: h2 stream stalled", 408, "no progress on a stream waiting for body or window")
		h.sc.Abort(h2.ErrCodeCancel, "stalled")
	}
	h.leave()
}

// flushAndClose writes what is pending and closes (linger, not reset).
func (h *h2Conn) flushAndClose() {
	if out := h.sc.Out; len(out) > 0 {
		h.c.WriteAll(out)
		h.sc.Out = out[:0]
	}
	h.c.Close()
}

func (h *h2Conn) OnShutdown(c *loop.Conn) {
	h.enter()
	h.sc.GoAway(h2.ErrCodeNo)
	// WebSockets on this connection's streams close with 1001, as those
	// upgraded from HTTP/1.1 do: otherwise they would hold the shutdown
	// until its deadline.
	for _, list := range h.pl.sockets {
		for _, t := range list {
			if tr, ok := t.tr.(*wsH2); ok && tr.x.h == h {
				t.close(ws.CloseGoingAway, "server shutting down")
			}
		}
	}
	h.leave()
}

func (h *h2Conn) OnClose(c *loop.Conn, err error) {
	h.closing = true
	h.enter()
	h.sc.Abort(h2.ErrCodeCancel, "connection closed") // closes every stream
	h.leave()
	c.Loop().Cancel(&h.ackTimer)
	if h.in != nil {
		bytebufferpool.Put(h.in)
		h.in = nil
	}
}

// The h2.ServerHandler side.

func (h *h2Conn) OnStreamHeaders(s *h2.Stream, head *h2.RequestHead, end bool) {
	x := h.pl.getH2Exchange()
	x.h, x.s = h, s
	s.User = x
	x.begin(head, end)
}

func (h *h2Conn) OnStreamData(s *h2.Stream, data []byte, end bool) {
	x, _ := s.User.(*h2Exchange)
	if x == nil {
		h.sc.Consumed(s, len(data))
		return
	}
	x.body(data, end)
}

func (h *h2Conn) OnStreamWritable(s *h2.Stream) {
	if x, _ := s.User.(*h2Exchange); x != nil {
		x.onWritable()
	}
}

func (h *h2Conn) OnStreamClose(s *h2.Stream, code h2.ErrCode) {
	x, _ := s.User.(*h2Exchange)
	if x == nil {
		return
	}
	x.closed(code)
	h.done = append(h.done, x)
}

// ensure the role satisfies the protocol's interface.
var _ h2.ServerHandler = (*h2Conn)(nil)
