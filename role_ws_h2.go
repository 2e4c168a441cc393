package golws

import (
	"github.com/golws/golws/h1"
	"github.com/golws/golws/h2"
	"github.com/golws/golws/loop"
	"github.com/golws/golws/ws"
)

// startWS opens a WebSocket on an HTTP/2 stream: an extended CONNECT
// with :protocol websocket (RFC 8441) answered 200, after which the
// stream's DATA frames carry the WebSocket's frames both ways under h2
// flow control; many such streams and ordinary requests share the
// connection.
func (x *h2Exchange) startWS() {
	m, ok := x.handler.(*wsMount)
	hd := &x.head
	switch {
	case !ok:
		x.answer(404, "no WebSocket endpoint here")
		return
	case string(hd.GetName("Sec-WebSocket-Version")) != "13":
		x.resp.Header("Sec-WebSocket-Version", "13")
		x.answer(426, "WebSocket version 13 only")
		return
	case !m.originAllowed(hd.Get(h1.HeaderOrigin)):
		x.answer(403, "origin not allowed")
		return
	}
	proto, name := m.pick(hd.GetName("Sec-WebSocket-Protocol"))
	h := x.h
	h.enter()
	enc := h.sc.Encoder()
	b := enc.AppendBlockStart(h.pl.h2hdr[:0])
	b = enc.AppendStatus(b, 200)
	if name != "" {
		b = enc.AppendFieldString(b, "sec-websocket-protocol", name, false)
	}
	var zp ws.DeflateParams
	deflate := false
	if m.opt.Compression {
		var ext []byte
		if zp, ext, deflate = negotiateDeflate(nil, hd.GetName("Sec-WebSocket-Extensions")); deflate {
			b = enc.AppendFieldString(b, "sec-websocket-extensions", bytesToString(ext), false)
		}
	}
	h.sc.WriteHeaders(x.s, b, false)
	h.pl.h2hdr = b[:0]
	x.resp.status = 200
	x.resp.flags |= rHeadSent | rHeld // the stream is the WebSocket's now
	x.logRequest()
	tr := &wsH2{x: x}
	x.ws = newWSConn(tr, h.pl, m, proto, name)
	if deflate {
		x.ws.enableDeflate(zp, h.pl)
	}
	x.ws.armKeepalive()
	proto.OnOpen(&x.ws.s, &x.req)
	h.leave()
}

// wsBody hands the stream's DATA to the WebSocket; END_STREAM from the
// client ends it (after a closing handshake, or abruptly).
func (x *h2Exchange) wsBody(data []byte, end bool) {
	h := x.h
	h.enter()
	x.ws.feed(data)
	if x.s != nil {
		h.sc.Consumed(x.s, len(data))
	}
	if end {
		x.ws.gone()
		if x.s != nil {
			h.sc.WriteData(x.s, nil, true)
		}
	}
	h.leave()
}

// wsH2 is the transport of a WebSocket on an HTTP/2 stream.
type wsH2 struct{ x *h2Exchange }

func (t *wsH2) write(p []byte) {
	x := t.x
	if x.s == nil {
		return
	}
	h := x.h
	h.enter()
	h.sc.WriteData(x.s, p, false)
	h.spill()
	h.leave()
}

func (t *wsH2) writable() bool { return t.x.writable() }

func (t *wsH2) requestWritable() { t.x.wantWritable(nil) }

// finish ends our side of the stream (END_STREAM).
func (t *wsH2) finish() {
	x := t.x
	if x.s == nil {
		return
	}
	h := x.h
	h.enter()
	h.sc.WriteData(x.s, nil, true)
	h.leave()
}

func (t *wsH2) abort() {
	x := t.x
	if x.s == nil {
		return
	}
	h := x.h
	h.enter()
	h.sc.Reset(x.s, h2.ErrCodeCancel)
	h.leave()
}

func (t *wsH2) conn() *loop.Conn { return t.x.h.c }

func (t *wsH2) post(fn func(err error)) error {
	h := t.x.h
	return h.c.Post(func(c *loop.Conn, err error) {
		h.enter()
		fn(err)
		h.leave()
	})
}
