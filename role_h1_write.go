package golws

import (
	"net"

	"golang.org/x/sys/unix"

	"github.com/golws/golws/accesslog"
	"github.com/golws/golws/h1"
	"github.com/golws/golws/loop"
	"github.com/golws/golws/static"
)

// The HTTP/1.1 side of Response: framing on the connection.

func (h *h1Conn) sendHead(w *Response, bodyLen int64) {
	x := h.x
	hd := &x.head
	b := h.pl.scratch[:0]
	b = h1.AppendStatusLine(b, hd.Minor, w.status)
	b = h.ctx.date.Append(b, h.c.Loop().Wall())
	b = append(b, h.ctx.server...)
	if w.ctype != "" {
		b = append(b, "Content-Type: "...)
		b = append(b, w.ctype...)
		b = append(b, "\r\n"...)
	}
	switch {
	case w.status < 200 || w.status == 204 || w.status == 304:
		w.flags |= rNoBody // RFC 9110 §6.4.1: never a body, no length
	case bodyLen >= 0:
		b = h1.AppendContentLength(b, bodyLen)
	case hd.Minor >= 1 && x.head.Method != h1.MethodHEAD:
		b = append(b, "Transfer-Encoding: chunked\r\n"...)
		x.chunkedTE = true
	default:
		x.keepAlive = false // HTTP/1.0, length unknown: the close ends the body
	}
	if !x.keepAlive || h.closeAfter || w.flags&rClose != 0 {
		b = append(b, "Connection: close\r\n"...)
	} else if hd.Minor == 0 {
		b = append(b, "Connection: keep-alive\r\n"...)
	}
	if w.hdr != nil {
		b = append(b, w.hdr.B...)
	}
	b = append(b, "\r\n"...)
	h.c.WriteAll(b)
	h.pl.scratch = b[:0]
}

func (h *h1Conn) sendBody(w *Response, p []byte) {
	if w.flags&rNoBody != 0 || len(p) == 0 {
		return
	}
	x := h.x
	x.sent += int64(len(p))
	if !x.chunkedTE {
		h.c.WriteAll(p)
		return
	}
	b := h1.AppendChunkHeader(h.pl.scratch[:0], len(p))
	h.c.WriteAll(b)
	h.c.WriteAll(p)
	h.c.WriteAll(stringToBytes(h1.ChunkTrailer))
	h.pl.scratch = b[:0]
}

func (h *h1Conn) finish(w *Response) {
	x := h.x
	if x.chunkedTE {
		h.c.WriteAll(stringToBytes(h1.LastChunk))
	}
	h.logRequest(x)
	if !x.bodyDone {
		// The response ended before the request body did: read and drop
		// the rest if it is short, else close rather than read on.
		if x.head.Chunked || x.bodyLeft > discardLimit {
			x.keepAlive = false
			h.endExchange()
			return
		}
		x.bodyMode, x.phase = bodyDiscard, phaseDrain
		return
	}
	h.endExchange()
}

// discardLimit is how much unread request body the server reads and drops
// to keep a connection after an early response.
const discardLimit = 256 << 10

func (h *h1Conn) sendFile(w *Response, f *static.File, off, n int64, cache *static.FileCache) {
	x := h.x
	x.file, x.fileCache, x.fileOff, x.fileLeft = f, cache, off, n
	x.sent += n
	h.pumpFile(x)
}

// sendfileChunk bounds one sendfile call so one big file cannot hold the
// loop while other connections wait.
const sendfileChunk = 1 << 20

// pumpFile sends the file until the socket is full or the file is done.
func (h *h1Conn) pumpFile(x *exchange) {
	if h.c.Codec() != nil {
		h.pumpFileCopy(x)
		return
	}
	for x.fileLeft > 0 {
		n, err := h.c.SendFile(x.file.Fd, x.fileOff, int(min(x.fileLeft, sendfileChunk)))
		if err != nil {
			return // the connection ends; OnClose releases the file
		}
		if n == 0 {
			h.c.RequestWritable()
			return
		}
		x.fileOff += int64(n)
		x.fileLeft -= int64(n)
	}
	x.fileCache.Release(x.file)
	x.file, x.fileCache = nil, nil
	x.resp.End()
}

// pumpFileCopy is pumpFile through a codec (TLS), which sendfile would
// bypass: the file is read in pieces and written like any body.
func (h *h1Conn) pumpFileCopy(x *exchange) {
	for x.fileLeft > 0 {
		if !h.c.Writable() {
			h.c.RequestWritable()
			return
		}
		n := int(min(x.fileLeft, fileCopyChunk))
		buf := h.pl.fileBuf(n)
		got, err := unix.Pread(x.file.Fd, buf, x.fileOff)
		if err != nil || got != n {
			h.c.Abort() // the length was promised: end the connection
			return
		}
		h.c.WriteAll(buf)
		x.fileOff += int64(n)
		x.fileLeft -= int64(n)
	}
	x.fileCache.Release(x.file)
	x.file, x.fileCache = nil, nil
	x.resp.End()
}

// fileCopyChunk is one read of a file sent through a codec.
const fileCopyChunk = 64 << 10

func (h *h1Conn) writable() bool { return h.c.Writable() }

func (h *h1Conn) wantWritable(*Response) { h.c.RequestWritable() }

func (h *h1Conn) post(fn func()) error {
	return h.c.Post(func(*loop.Conn, error) { fn() })
}

// logRequest appends the exchange to its vhost's access log.
func (h *h1Conn) logRequest(x *exchange) {
	logRequest(h.pl, h.c, &h.remote, &x.req, x.resp.status, x.sent)
}

// logRequest appends a request that ended to its vhost's access log.
// remote caches the peer's address, formatted once per connection.
func logRequest(pl *perLoop, c *loop.Conn, remote *[]byte, r *Request, status int, sent int64) {
	v := r.vhost
	if v == nil || v.log == nil {
		return
	}
	if *remote == nil {
		*remote = []byte("-")
		switch a := c.RemoteAddr().(type) {
		case *net.TCPAddr:
			*remote = []byte(a.IP.String())
		case *net.UnixAddr:
			*remote = []byte("unix")
		}
	}
	l := c.Loop()
	e := accesslog.Entry{
		RemoteAddr: *remote,
		Time:       l.Wall(),
		Method:     r.head.MethodName,
		Target:     r.head.Target,
		Proto:      stringToBytes(r.proto),
		Status:     status,
		Bytes:      sent,
		Referer:    r.head.Get(h1.HeaderReferer),
		UserAgent:  r.head.Get(h1.HeaderUserAgent),
	}
	v.logBufs[l.Index()].Append(&e)
	pl.noteLog(l)
}
