package golws

import (
	"github.com/golws/golws/h1"
	"github.com/golws/golws/loop"
	"github.com/golws/golws/urlpath"
	"github.com/valyala/bytebufferpool"
)

// h1Accept is the HTTP listener's handler: each new connection gets its
// own HTTP/1.1 state and leaves this handler at once.
type h1Accept struct {
	loop.BaseHandler
	ctx *Context
}

func (a *h1Accept) OnOpen(c *loop.Conn) {
	h := &h1Conn{ctx: a.ctx, pl: a.ctx.loopState(c.Loop()), c: c, fresh: !a.ctx.cfg.DisableH2C && !a.ctx.cfg.DisableHTTP2}
	c.SetHandler(h)
	c.SetTimeout(a.ctx.cfg.HeaderTimeout)
}

// h1Conn is the HTTP/1.1 server role on one connection. While idle it
// holds no request state and no buffer.
type h1Conn struct {
	ctx *Context
	pl  *perLoop
	c   *loop.Conn
	x   *exchange                  // the request in progress, nil while idle
	in  *bytebufferpool.ByteBuffer // input kept across reads (partial or pipelined requests)

	busy       bool // inside process: an End there must not re-enter it
	closing    bool
	closeAfter bool         // Connection: close, shutdown: close after this response
	headTimer  bool         // HeaderTimeout armed for the current head
	fresh      bool         // nothing read yet: the client may start with the HTTP/2 preface
	switched   loop.Handler // the role the connection was upgraded to (h2c, WebSocket)
	idle       bool         // a request ended during process: arm IdleTimeout after it
	remote     []byte
}

func (h *h1Conn) OnOpen(*loop.Conn) {}

func (h *h1Conn) OnData(c *loop.Conn, data []byte) {
	if h.fresh {
		h.fresh = false
		if isH2Preface(data) {
			startH2(h.ctx, c, data) // prior knowledge (RFC 9113 §3.3)
			return
		}
	}
	if h.in != nil {
		h.in.B = append(h.in.B, data...)
		h.runKept()
		return
	}
	rest := h.process(data)
	h.detach()
	h.armIdle()
	if len(rest) > 0 && !h.closing {
		h.in = bytebufferpool.Get()
		h.in.B = append(h.in.B[:0], rest...)
		h.pauseIfWaiting()
	}
}

// runKept processes the kept input and keeps what is left of it.
func (h *h1Conn) runKept() {
	rest := h.process(h.in.B)
	h.detach()
	h.armIdle()
	if len(rest) == 0 || h.closing {
		bytebufferpool.Put(h.in)
		h.in = nil
		return
	}
	n := copy(h.in.B, rest) // may overlap: copy handles it
	h.in.B = h.in.B[:n]
	h.pauseIfWaiting()
}

// armIdle arms IdleTimeout if a request ended in the read just processed
// and no other has started since.
func (h *h1Conn) armIdle() {
	if h.idle {
		h.idle = false
		if h.x == nil && !h.closing {
			h.c.SetTimeout(h.ctx.cfg.IdleTimeout)
		}
	}
}

// pauseIfWaiting stops reading while a held response blocks the
// pipelined requests behind it: their bytes wait, bounded.
func (h *h1Conn) pauseIfWaiting() {
	if h.x != nil && h.x.phase == phaseRespond {
		h.c.PauseRead()
	}
}

// process runs the request state machine over buf and returns what it did
// not consume (an incomplete head, or requests queued behind a response
// that is still open).
func (h *h1Conn) process(buf []byte) []byte {
	h.busy = true
	for !h.closing {
		x := h.x
		if x == nil {
			if len(buf) == 0 {
				break
			}
			x = h.pl.getExchange()
			x.parser.Limits = h.ctx.cfg.Limits
			h.x = x
		}
		switch x.phase {
		case phaseHead:
			if len(buf) == 0 {
				h.busy = false
				return buf
			}
			n, err := x.parser.Parse(buf, &x.head)
			if err == h1.ErrNeedMore {
				if !h.headTimer {
					h.headTimer = true
					h.c.SetTimeout(h.ctx.cfg.HeaderTimeout)
				}
				h.busy = false
				return buf
			}
			if err != nil {
				h.failErr(err)
				break
			}
			x.headRaw = buf[:n]
			buf = buf[n:]
			h.begin(x)
			if h.switched != nil {
				// Upgraded to HTTP/2: what follows the request is its.
				h.busy = false
				if len(buf) > 0 {
					h.switched.OnData(h.c, buf)
				}
				return nil
			}
		case phaseBody, phaseDrain:
			if len(buf) == 0 {
				h.c.SetTimeout(h.ctx.cfg.BodyTimeout)
				h.busy = false
				return buf
			}
			buf = h.body(x, buf)
		case phaseRespond:
			h.busy = false
			return buf
		}
	}
	h.busy = false
	return nil
}

// detach makes a request that outlives the current read independent of
// the read buffer: its head is copied to a buffer of its own and parsed
// again there (cheap, and the same result), so every slice a handler holds
// stays valid until the response ends.
func (h *h1Conn) detach() {
	x := h.x
	if x == nil {
		return
	}
	if x.phase == phaseHead || x.headRaw == nil || x.headBuf != nil {
		x.headRaw = nil
		return
	}
	x.headBuf = bytebufferpool.Get()
	x.headBuf.B = append(x.headBuf.B[:0], x.headRaw...)
	x.headRaw = nil
	x.parser.Reset()
	minor := x.head.Minor
	x.head.Reset()
	if _, err := x.parser.Parse(x.headBuf.B, &x.head); err != nil || x.head.Minor != minor {
		// Only a parser bug could get here; answer it, never panic.
		h.fail(500, "internal error")
	}
}

// begin routes a parsed head and starts its body or its handler.
func (h *h1Conn) begin(x *exchange) {
	hd := &x.head
	h.headTimer = false
	x.keepAlive = hd.KeepAlive && !h.closeAfter
	if hd.Method == h1.MethodCONNECT {
		h.fail(405, "CONNECT is not served here")
		return
	}
	if hd.Upgrade != nil && h.fresh2c() && h.tryH2C(x) {
		return
	}
	p, err := urlpath.Clean(x.pathBuf[:0], hd.Path)
	if err != nil {
		if string(hd.Path) == "*" && hd.Method == h1.MethodOPTIONS { // OPTIONS *
			p = append(x.pathBuf[:0], '*')
		} else {
			h.fail(400, "invalid request path")
			return
		}
	}
	x.pathBuf = p
	r := &x.req
	*r = Request{head: hd, path: p, proto: protoName(hd.Minor), conn: h.c, flow: h}
	x.resp.reset(r, h)
	if hd.Method == h1.MethodHEAD {
		x.resp.flags |= rNoBody
	}
	x.handler = h.ctx.route(r, &x.resp)
	if m, ok := x.handler.(*wsMount); ok && hd.Upgrade != nil && hasToken(hd.Upgrade, "websocket") && h.tryWS(x, m) {
		return
	}
	if !hd.HasBody() {
		x.bodyDone = true
		h.serve(x)
		return
	}
	x.bodyLeft = hd.ContentLength
	x.phase = phaseBody
	if bh, ok := x.handler.(BodyHandler); ok {
		x.bodyMode, x.bodyH = bodyStream, bh
	} else {
		if hd.ContentLength > h.ctx.cfg.MaxBodySize {
			h.fail(413, "request body too large")
			return
		}
		x.bodyMode = bodyGather
	}
	if hd.Expect100 {
		h.c.WriteAll(stringToBytes("HTTP/1.1 100 Continue\r\n\r\n"))
	}
	if x.bodyMode == bodyStream {
		h.serve(x)
	}
}

func protoName(minor uint8) string {
	if minor == 0 {
		return "HTTP/1.0"
	}
	return "HTTP/1.1"
}

// serve runs the handler; a response it neither ended nor held ends now.
func (h *h1Conn) serve(x *exchange) {
	x.handler.Serve(&x.resp, &x.req)
	if h.x != x || x.resp.flags&rEnded != 0 {
		return
	}
	if x.resp.flags&rHeld == 0 {
		x.resp.End()
		return
	}
	h.c.ClearTimeout() // the handler decides how long a held response lives
	if x.bodyDone {
		x.phase = phaseRespond
	}
}

// body consumes request body bytes from buf.
func (h *h1Conn) body(x *exchange, buf []byte) []byte {
	if !x.head.Chunked {
		take := int64(len(buf))
		if take > x.bodyLeft {
			take = x.bodyLeft
		}
		x.bodyLeft -= take
		h.deliver(x, buf[:take], x.bodyLeft == 0)
		return buf[take:]
	}
	for len(buf) > 0 && h.x == x && (x.phase == phaseBody || x.phase == phaseDrain) {
		n, data, done, err := x.chunked.Decode(buf)
		if err != nil {
			h.failErr(err)
			return nil
		}
		buf = buf[n:]
		if len(data) > 0 || done {
			h.deliver(x, data, done)
		}
		if done || n == 0 {
			break
		}
	}
	return buf
}

// deliver hands body bytes to whoever takes them.
func (h *h1Conn) deliver(x *exchange, data []byte, last bool) {
	if last {
		x.bodyDone = true
	}
	switch x.bodyMode {
	case bodyGather:
		if x.bodyBuf == nil {
			x.bodyBuf = bytebufferpool.Get()
		}
		if int64(len(x.bodyBuf.B)+len(data)) > h.ctx.cfg.MaxBodySize {
			h.fail(413, "request body too large")
			return
		}
		x.bodyBuf.B = append(x.bodyBuf.B, data...)
		if last {
			x.req.body = x.bodyBuf.B
			h.serve(x)
		}
	case bodyStream:
		x.bodyH.OnBody(&x.resp, &x.req, data, last)
		if last && h.x == x && x.resp.flags&rEnded == 0 {
			x.phase = phaseRespond
		}
	case bodyDiscard:
		if last {
			h.endExchange()
		}
	}
}

func (h *h1Conn) pauseBody(pause bool) {
	if pause {
		h.c.PauseRead()
	} else {
		h.c.ResumeRead()
	}
}

// OnWritable drives a streamed response.
func (h *h1Conn) OnWritable(*loop.Conn) {
	x := h.x
	switch {
	case x == nil:
	case x.fileLeft > 0:
		h.pumpFile(x)
	case x.resp.stream != nil:
		x.resp.produce()
	}
}

func (h *h1Conn) OnClose(c *loop.Conn, err error) {
	if h.x != nil {
		h.pl.putExchange(h.x) // marks the response gone for stale posts
		h.x = nil
	}
	if h.in != nil {
		bytebufferpool.Put(h.in)
		h.in = nil
	}
}

// OnTimeout: an idle keep-alive connection just closes; a request that
// stalled mid-head or mid-body gets 408.
func (h *h1Conn) OnTimeout(c *loop.Conn) {
	x := h.x
	switch {
	case x == nil && h.in == nil:
		c.Close()
	case x == nil || x.phase == phaseHead || (x.phase == phaseBody && x.resp.flags&rHeadSent == 0):
		h.fail(408, "request timeout")
	default:
		c.Abort()
	}
}

// OnShutdown: idle connections close now; one with a request in flight
// finishes it with Connection: close.
func (h *h1Conn) OnShutdown(c *loop.Conn) {
	h.closeAfter = true
	if h.x == nil {
		h.closing = true
		c.Close()
	}
}

// endExchange returns the request state and moves on to the next request.
func (h *h1Conn) endExchange() {
	x := h.x
	keep := x.keepAlive && !h.closeAfter && x.resp.flags&rClose == 0
	h.pl.putExchange(x)
	h.x = nil
	if !keep {
		h.closing = true
		h.c.Close()
		return
	}
	if !h.busy {
		h.c.SetTimeout(h.ctx.cfg.IdleTimeout)
	} else {
		h.idle = true // armed once when the read is done, not per pipelined request
	}
	if !h.busy && h.in != nil {
		// A held response ended from a task or timer: the requests that
		// queued behind it run now.
		h.c.ResumeRead()
		h.runKept()
	}
}

// failErr answers a parse error with its status.
func (h *h1Conn) failErr(err error) {
	if e, ok := err.(*h1.Error); ok {
		h.fail(e.Status, e.Reason)
		return
	}
	h.fail(400, err.Error())
}

// fail answers status and closes: a well-formed response, then the
// connection ends (the loop lingers so the peer reads it before any RST).
func (h *h1Conn) fail(status int, reason string) {
	h.pl.limitedLog(h.ctx, h.c.Loop(), "golws: bad request", status, reason)
	x := h.x
	if x == nil || x.resp.flags&rHeadSent == 0 {
		b := h.pl.scratch[:0]
		b = h1.AppendStatusLine(b, 1, status)
		b = h.ctx.date.Append(b, h.c.Loop().Wall())
		b = append(b, h.ctx.server...)
		b = append(b, "Content-Type: text/plain; charset=utf-8\r\nConnection: close\r\n"...)
		b = h1.AppendContentLength(b, int64(len(reason)+1))
		b = append(b, "\r\n"...)
		b = append(b, reason...)
		b = append(b, '\n')
		h.c.WriteAll(b)
		h.pl.scratch = b[:0]
	}
	if x != nil {
		if x.resp.flags&rHeadSent == 0 {
			x.resp.status = status
			h.logRequest(x)
		}
		h.pl.putExchange(x)
		h.x = nil
	}
	h.closing = true
	h.c.Close()
}

// fresh2c reports whether Upgrade: h2c is honoured: plaintext, HTTP/2 on.
func (h *h1Conn) fresh2c() bool {
	return !h.ctx.cfg.DisableH2C && !h.ctx.cfg.DisableHTTP2 && h.c.Codec() == nil
}

// route finds the vhost and the mount for a request whose head and path
// are set, and returns the mount's handler. The vhost's transport rules
// apply here: plaintext redirected to HTTPS, HSTS on TLS responses.
func (c *Context) route(r *Request, w *Response) Handler {
	v := c.vhostFor(r.head.Authority)
	r.vhost = v
	if v != nil && (v.httpsPort != 0 || v.hsts != "") {
		if r.conn.Codec() == nil {
			if v.httpsPort != 0 {
				return httpsRedirect{}
			}
		} else if v.hsts != "" {
			w.Header("Strict-Transport-Security", v.hsts)
		}
	}
	if len(r.path) == 1 && r.path[0] == '*' {
		return optionsStar{}
	}
	if v != nil {
		if m := v.route(r.path); m != nil {
			r.mount = m.prefix
			return m.h
		}
	}
	return notFound{}
}

// optionsStar answers "OPTIONS *", a question about the server rather
// than a resource (RFC 9110 §9.3.7): 200 and the methods it knows.
type optionsStar struct{}

func (optionsStar) Serve(w *Response, r *Request) {
	w.Header("Allow", "GET, HEAD, POST, PUT, DELETE, OPTIONS, PATCH")
}

type notFound struct{}

func (notFound) Serve(w *Response, r *Request) { w.Error(404, "not found") }
