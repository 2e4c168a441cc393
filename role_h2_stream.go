package golws

import (
	"slices"

	"github.com/golws/golws/h1"
	"github.com/golws/golws/h2"
	"github.com/golws/golws/loop"
	"github.com/golws/golws/static"
	"github.com/golws/golws/urlpath"
	"github.com/valyala/bytebufferpool"
)

// h2Exchange is one HTTP/2 stream as a request and its response. Loops
// keep them in a free list, like HTTP/1.1's exchanges.
type h2Exchange struct {
	h    *h2Conn
	s    *h2.Stream // nil once the stream closed
	head h1.Request // the request head, as HTTP/1.1 handlers know it
	req  Request
	resp Response

	arena   []byte // the head's bytes, copied out of the HPACK decoder
	pathBuf []byte
	bodyBuf *bytebufferpool.ByteBuffer // a gathered body, or body held while paused
	handler Handler
	bodyH   BodyHandler

	bodyMode uint8
	bodyDone bool    // the last body byte has been delivered
	waitBody bool    // counted in h2Conn.waiting
	extWS    bool    // an extended CONNECT with :protocol websocket
	ws       *wsConn // the WebSocket this stream carries
	paused   bool
	heldEnd  bool  // END_STREAM came while paused
	held     int   // octets of bodyBuf held while paused (stream mode)
	left     int64 // response body octets still to send under a Content-Length, -1 if none
	sent     int64

	file      *static.File
	fileCache *static.FileCache
	fileOff   int64
	fileLeft  int64
}

func (pl *perLoop) getH2Exchange() *h2Exchange {
	if n := len(pl.h2free); n > 0 {
		x := pl.h2free[n-1]
		pl.h2free[n-1] = nil
		pl.h2free = pl.h2free[:n-1]
		return x
	}
	x := &h2Exchange{pathBuf: make([]byte, 0, 128)}
	x.head.Reset()
	return x
}

func (pl *perLoop) putH2Exchange(x *h2Exchange) {
	x.clear()
	if len(pl.h2free) < maxFreeExchanges {
		pl.h2free = append(pl.h2free, x)
	}
}

// clear readies x for another stream, keeping capacity.
func (x *h2Exchange) clear() {
	x.resp.release()
	x.resp.flags = rEnded
	x.resp.gen++
	x.head.Reset()
	x.req = Request{}
	if x.bodyBuf != nil {
		bytebufferpool.Put(x.bodyBuf)
		x.bodyBuf = nil
	}
	if x.file != nil {
		x.fileCache.Release(x.file)
		x.file, x.fileCache = nil, nil
	}
	if cap(x.arena) > 16<<10 {
		x.arena = nil
	}
	x.h, x.s, x.handler, x.bodyH = nil, nil, nil, nil
	x.bodyMode, x.bodyDone, x.paused, x.heldEnd, x.held = bodyNone, false, false, false, 0
	x.waitBody = false
	x.extWS, x.ws = false, nil
	x.left, x.sent, x.fileOff, x.fileLeft = -1, 0, 0, 0
	x.pathBuf = x.pathBuf[:0]
}

// begin turns a stream's request head into a Request and starts it.
func (x *h2Exchange) begin(rh *h2.RequestHead, end bool) {
	h := x.h
	if !x.setHead(rh) {
		x.answer(431, "too many header fields")
		return
	}
	hd := &x.head
	if hd.Method == h1.MethodCONNECT && !x.extWS {
		x.answer(405, "CONNECT is not served here")
		return
	}
	p, err := urlpath.Clean(x.pathBuf[:0], hd.Path)
	if err != nil {
		if string(hd.Path) == "*" && hd.Method == h1.MethodOPTIONS {
			p = append(x.pathBuf[:0], '*')
		} else {
			x.answer(400, "invalid request path")
			return
		}
	}
	x.pathBuf = p
	r := &x.req
	*r = Request{head: hd, path: p, proto: "HTTP/2.0", conn: h.c, flow: x}
	x.resp.reset(r, x)
	x.left = -1
	if hd.Method == h1.MethodHEAD {
		x.resp.flags |= rNoBody
	}
	x.handler = h.ctx.route(r, &x.resp)
	if x.extWS {
		x.startWS() // a WebSocket on this stream (RFC 8441)
		return
	}
	if end {
		x.bodyDone = true
		x.serve()
		return
	}
	h.waiting++
	x.waitBody = true
	if bh, ok := x.handler.(BodyHandler); ok {
		x.bodyMode, x.bodyH = bodyStream, bh
		x.serve()
		return
	}
	if hd.ContentLength > h.ctx.cfg.MaxBodySize {
		x.answer(413, "request body too large")
		return
	}
	x.bodyMode = bodyGather
}

// setHead copies the decoded head into x's own storage (the decoder's
// is reused by the next block) and fills x.head from it.
func (x *h2Exchange) setHead(rh *h2.RequestHead) bool {
	lim := x.h.ctx.cfg.Limits
	if lim.MaxHeaders > 0 && len(rh.Fields) > lim.MaxHeaders {
		return false
	}
	n := len(rh.Method) + len(rh.Path) + len(rh.Authority)
	cookies := 0
	for i := range rh.Fields {
		n += len(rh.Fields[i].Name) + len(rh.Fields[i].Value)
		if string(rh.Fields[i].Name) == "cookie" {
			cookies++
			n += 2 + len(rh.Fields[i].Value) // "; " and a joined copy
		}
	}
	if cap(x.arena) < n {
		x.arena = make([]byte, 0, max(n, 512))
	}
	a := x.arena[:0]
	keep := func(b []byte) []byte {
		a = append(a, b...)
		return a[len(a)-len(b) : len(a) : len(a)]
	}
	hd := &x.head
	hd.Reset()
	hd.Major, hd.Minor = 2, 0
	hd.MethodName = keep(rh.Method)
	hd.Method = h1.ParseMethod(hd.MethodName)
	hd.Target = keep(rh.Path)
	hd.Path, hd.Query = hd.Target, nil
	for i, c := range hd.Target {
		if c == '?' {
			hd.Path, hd.Query = hd.Target[:i], hd.Target[i+1:]
			break
		}
	}
	hd.Authority = keep(rh.Authority)
	joined := false
	for i := range rh.Fields {
		f := &rh.Fields[i]
		if cookies > 1 && string(f.Name) == "cookie" {
			// HTTP/2 lets a client split Cookie into one field per
			// crumb (RFC 9113 §8.2.3); handlers see one, as in HTTP/1.1.
			if !joined {
				joined = true
				hd.AddHeader(keep(f.Name), x.joinCookies(rh, &a))
			}
			continue
		}
		hd.AddHeader(keep(f.Name), keep(f.Value))
	}
	if len(hd.Authority) == 0 {
		hd.Authority = hd.Get(h1.HeaderHost)
	}
	hd.ContentLength = rh.ContentLength
	x.extWS = string(rh.Protocol) == "websocket"
	hd.KeepAlive = true
	x.arena = a
	return true
}

// joinCookies appends the values of every cookie field, joined by "; ",
// to *a and returns them.
func (x *h2Exchange) joinCookies(rh *h2.RequestHead, a *[]byte) []byte {
	start := len(*a)
	for i := range rh.Fields {
		if f := &rh.Fields[i]; string(f.Name) == "cookie" {
			if len(*a) > start {
				*a = append(*a, "; "...)
			}
			*a = append(*a, f.Value...)
		}
	}
	return (*a)[start:len(*a):len(*a)]
}

// answer responds with a short error, before the handler ran.
func (x *h2Exchange) answer(status int, reason string) {
	h := x.h
	h.pl.limitedLog(h.ctx, h.c.Loop(), "golws: bad h2 request", status, reason)
	r := &x.req
	if r.head == nil {
		*r = Request{head: &x.head, path: x.pathBuf, proto: "HTTP/2.0", conn: h.c, flow: x}
	}
	x.resp.reset(r, x)
	x.left = -1
	x.handler = nil
	x.resp.Error(status, reason)
	x.resp.End()
}

// serve runs the handler; a response it neither ended nor held ends now.
func (x *h2Exchange) serve() {
	x.handler.Serve(&x.resp, &x.req)
	if x.resp.flags&(rEnded|rHeld) == 0 {
		x.resp.End()
	}
}

// body takes request body octets from the stream.
func (x *h2Exchange) body(data []byte, end bool) {
	if x.ws != nil {
		x.wsBody(data, end)
		return
	}
	if x.paused {
		if x.bodyBuf == nil {
			x.bodyBuf = bytebufferpool.Get()
		}
		x.bodyBuf.B = append(x.bodyBuf.B, data...)
		x.held += len(data)
		x.heldEnd = x.heldEnd || end
		return
	}
	x.deliver(data, end)
	if x.s != nil {
		x.h.sc.Consumed(x.s, len(data))
	}
}

// deliver hands body octets to whoever takes them.
func (x *h2Exchange) deliver(data []byte, last bool) {
	h := x.h
	if last {
		x.bodyDone = true
		x.stopWaiting()
	}
	switch x.bodyMode {
	case bodyGather:
		if x.bodyBuf == nil {
			x.bodyBuf = bytebufferpool.Get()
		}
		if int64(len(x.bodyBuf.B)+len(data)) > h.ctx.cfg.MaxBodySize {
			x.bodyMode = bodyDiscard
			x.answer(413, "request body too large")
			return
		}
		x.bodyBuf.B = append(x.bodyBuf.B, data...)
		if last {
			x.req.body = x.bodyBuf.B
			x.serve()
		}
	case bodyStream:
		x.bodyH.OnBody(&x.resp, &x.req, data, last)
	}
}

// pauseBody is Request.PauseBody/ResumeBody for a stream: while paused,
// body octets that arrive are kept, and the window is not returned, so
// the client soon stops sending.
func (x *h2Exchange) pauseBody(pause bool) {
	if x.paused == pause || x.bodyMode != bodyStream {
		return
	}
	x.paused = pause
	if pause || x.held == 0 && !x.heldEnd {
		return
	}
	h := x.h
	h.enter()
	data := x.bodyBuf.B
	n, end := x.held, x.heldEnd
	x.held, x.heldEnd = 0, false
	x.deliver(data[:n], end)
	if x.bodyBuf != nil {
		x.bodyBuf.B = x.bodyBuf.B[:copy(x.bodyBuf.B, x.bodyBuf.B[n:])]
	}
	if x.s != nil {
		h.sc.Consumed(x.s, n)
	}
	h.leave()
}

// closed: the stream is over. A response still open is gone for its
// handler's later calls.
func (x *h2Exchange) closed(code h2.ErrCode) {
	if x.ws != nil {
		x.ws.gone()
	}
	x.stopWaiting()
	x.bodyDone = true
	x.s = nil
	if x.resp.flags&rEnded == 0 {
		x.resp.flags |= rEnded
		x.logRequest()
	}
}

// logRequest appends the stream's request to the access log.
func (x *h2Exchange) logRequest() {
	if x.req.head != nil {
		logRequest(x.h.pl, x.h.c, &x.h.remote, &x.req, x.resp.status, x.sent)
	}
}

func (x *h2Exchange) stopWaiting() {
	if x.waitBody {
		x.waitBody = false
		x.extWS, x.ws = false, nil
		x.h.waiting--
	}
}

// onWritable: the stream can take more body.
func (x *h2Exchange) onWritable() {
	if x.ws != nil {
		x.ws.onWritable()
		return
	}
	if x.fileLeft > 0 {
		x.pumpFile()
		return
	}
	x.resp.produce()
}

// The HTTP/2 side of Response (the backend interface).

func (x *h2Exchange) sendHead(w *Response, bodyLen int64) {
	h := x.h
	if x.s == nil {
		return
	}
	h.enter()
	enc := h.sc.Encoder()
	b := enc.AppendBlockStart(h.pl.h2hdr[:0])
	b = enc.AppendStatus(b, w.status)
	b = h.ctx.appendH2Fields(b, enc, w, h.c.Loop().Wall())
	noBody := w.status < 200 || w.status == 204 || w.status == 304
	if noBody {
		w.flags |= rNoBody
	} else if bodyLen >= 0 {
		b = appendH2ContentLength(b, enc, bodyLen)
		x.left = bodyLen
	}
	h.sc.WriteHeaders(x.s, b, w.flags&rNoBody != 0 || bodyLen == 0)
	h.pl.h2hdr = b[:0]
	h.leave()
}

func (x *h2Exchange) sendBody(w *Response, p []byte) {
	if w.flags&rNoBody != 0 || len(p) == 0 || x.s == nil {
		return
	}
	h := x.h
	h.enter()
	end := false
	if x.left >= 0 {
		if int64(len(p)) >= x.left {
			p, end = p[:x.left], true
		}
		x.left -= int64(len(p))
	}
	x.sent += int64(len(p))
	h.sc.WriteData(x.s, p, end)
	h.spill()
	h.leave()
}

func (x *h2Exchange) finish(w *Response) {
	x.logRequest()
	if x.s == nil {
		return
	}
	h := x.h
	h.enter()
	h.sc.WriteData(x.s, nil, true)
	h.leave()
}

func (x *h2Exchange) writable() bool {
	h := x.h
	return x.s != nil && x.s.Writable() && len(h.sc.Out) < spillSize && h.c.Writable()
}

func (x *h2Exchange) wantWritable(*Response) {
	if x.s == nil {
		return
	}
	h := x.h
	h.enter()
	h.sc.WantWritable(x.s)
	if !h.c.Writable() {
		h.c.RequestWritable()
	}
	h.leave()
}

func (x *h2Exchange) post(fn func()) error {
	h := x.h
	return h.c.Post(func(*loop.Conn, error) {
		h.enter()
		fn()
		h.leave()
	})
}

// sendFile sends a file's bytes as DATA frames read straight into the
// output (no sendfile: each frame needs its header, and flow control
// decides the sizes).
func (x *h2Exchange) sendFile(w *Response, f *static.File, off, n int64, cache *static.FileCache) {
	x.file, x.fileCache, x.fileOff, x.fileLeft = f, cache, off, n
	x.sent += n
	x.pumpFile()
}

// fileChunk bounds what one turn reads from a file for one stream.
const fileChunk = 256 << 10

// fileRead is what one read takes from a file: several DATA frames, read
// into place between their headers with one preadv(2).
const fileRead = 64 << 10

// readFrames appends n octets of the file as DATA frames no larger than
// the client's SETTINGS_MAX_FRAME_SIZE. The headers are written once the
// read succeeded; on failure nothing is appended.
func (x *h2Exchange) readFrames(n int) bool {
	h := x.h
	frame := h.sc.MaxFrame()
	k := (n + frame - 1) / frame
	at := len(h.sc.Out)
	end := at + n + k*h2.FrameHeaderLen
	out := slices.Grow(h.sc.Out, end-at)[:end]
	parts := h.pl.parts[:0]
	for pos, left := at, n; left > 0; {
		f := min(left, frame)
		parts = append(parts, out[pos+h2.FrameHeaderLen:pos+h2.FrameHeaderLen+f])
		pos += h2.FrameHeaderLen + f
		left -= f
	}
	got, iov, err := static.ReadFrames(x.file, parts, x.fileOff, h.pl.iov)
	clear(parts)
	h.pl.parts, h.pl.iov = parts[:0], iov
	if err != nil || got != n {
		h.sc.Out = out[:at]
		return false
	}
	pos := at
	for left := n; left > 0; {
		f := min(left, frame)
		h.sc.Out = out[:pos]
		h.sc.ReserveData(x.s, f) // the header, in its place
		pos += h2.FrameHeaderLen + f
		left -= f
	}
	h.sc.Out = out[:pos]
	return true
}

func (x *h2Exchange) pumpFile() {
	h := x.h
	h.enter()
	defer h.leave()
	budget := fileChunk
	for x.fileLeft > 0 && x.s != nil && budget > 0 {
		win := h.sc.Window(x.s)
		// Read on only while the socket takes everything: output that
		// waits in the connection's buffer costs a third copy.
		if win == 0 || h.c.Buffered() > 0 || !h.c.Writable() {
			h.sc.WantWritable(x.s)
			if !h.c.Writable() {
				h.c.RequestWritable()
			}
			return
		}
		n := int(min(int64(win), x.fileLeft, int64(budget), fileRead))
		if !x.readFrames(n) {
			h.sc.Reset(x.s, h2.ErrCodeInternal)
			return
		}
		h.spill()
		x.fileOff += int64(n)
		x.fileLeft -= int64(n)
		x.left -= int64(n)
		budget -= n
	}
	if x.fileLeft > 0 {
		if x.s != nil {
			h.sc.WantWritable(x.s)
		}
		return
	}
	x.fileCache.Release(x.file)
	x.file, x.fileCache = nil, nil
	x.resp.End()
}
