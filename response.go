package golws

import (
	"errors"
	"strconv"

	"github.com/golws/golws/static"
	"github.com/valyala/bytebufferpool"
)

// ErrResponseGone is what a task posted with Response.Post learns when the
// response has already ended or its connection is gone.
var ErrResponseGone = errors.New("golws: response ended or connection closed")

// Response is how a handler answers. Its methods are for the loop; from
// other goroutines use Post.
type Response struct {
	status int
	ctype  string
	clen   int64                      // declared Content-Length, -1 if none
	hdr    *bytebufferpool.ByteBuffer // extra header lines, serialized
	body   *bytebufferpool.ByteBuffer // body gathered before the head leaves
	flags  uint8
	gen    uint32 // bumped per request, so stale posts cannot touch a later response
	stream func(w *Response) bool
	req    *Request
	be     backend
}

// Response flags.
const (
	rHeadSent uint8 = 1 << iota
	rEnded
	rHeld
	rNoBody // HEAD, 204, 304: headers only
	rClose  // the handler asked to close the connection after this response
)

// backend is what a protocol role provides to carry a response: HTTP/1.1
// framing on a connection, or (later) an HTTP/2 stream.
type backend interface {
	// sendHead serializes the status line and headers; bodyLen is the
	// Content-Length, or -1 for a body of unknown length (chunked).
	sendHead(w *Response, bodyLen int64)
	// sendBody sends body bytes after the head, framed as needed.
	sendBody(w *Response, p []byte)
	// finish completes the response (last chunk) and moves on.
	finish(w *Response)
	// writable reports whether the peer can take more now.
	writable() bool
	// wantWritable asks for the stream producer to be called again when
	// the peer can take more.
	wantWritable(w *Response)
	// post runs fn on the response's loop.
	post(fn func()) error
	// sendFile sends n bytes of f from off as the body (head already
	// sent), then ends the response and releases f to cache.
	sendFile(w *Response, f *static.File, off, n int64, cache *static.FileCache)
}

// bodyFlushSize is how much body is gathered before the head is sent with
// chunked framing instead of a Content-Length.
const bodyFlushSize = 64 << 10

func (w *Response) reset(req *Request, be backend) {
	w.status = 200
	w.ctype = ""
	w.clen = -1
	w.flags = 0
	w.gen++
	w.stream = nil
	w.req = req
	w.be = be
}

// keepBuffer is the capacity up to which a response keeps its header and
// body buffers for the next request (responses live in per-loop pools, not
// in idle connections); larger ones go back to the shared pool.
const keepBuffer = 16 << 10

// release empties the response's buffers for the next request.
func (w *Response) release() {
	w.hdr = keepOrPut(w.hdr)
	w.body = keepOrPut(w.body)
	w.stream = nil
}

func keepOrPut(b *bytebufferpool.ByteBuffer) *bytebufferpool.ByteBuffer {
	if b == nil || cap(b.B) <= keepBuffer {
		if b != nil {
			b.B = b.B[:0]
		}
		return b
	}
	bytebufferpool.Put(b)
	return nil
}

// Status sets the status code (default 200). It has effect until the head
// is sent (the first Write past 64 KiB, Stream, End).
func (w *Response) Status(code int) { w.status = code }

// StatusCode is the status set so far.
func (w *Response) StatusCode() int { return w.status }

// ContentType sets the Content-Type header.
func (w *Response) ContentType(v string) { w.ctype = v }

// ContentLength declares the body's length up front, so a streamed body
// can be sent with it instead of chunked framing.
func (w *Response) ContentLength(n int64) { w.clen = n }

// CloseAfter asks to close the connection once this response is sent.
func (w *Response) CloseAfter() { w.flags |= rClose }

// Header adds a response header line. Values with CR, LF or NUL are refused
// (dropped) rather than allowed to split the response.
func (w *Response) Header(name, value string) {
	if w.flags&rHeadSent != 0 || !validHeader(name, value) {
		return
	}
	if w.hdr == nil {
		w.hdr = bytebufferpool.Get()
	}
	w.hdr.B = append(w.hdr.B, name...)
	w.hdr.B = append(w.hdr.B, ": "...)
	w.hdr.B = append(w.hdr.B, value...)
	w.hdr.B = append(w.hdr.B, "\r\n"...)
}

// HeaderBytes is Header with a byte-slice value, without converting it.
func (w *Response) HeaderBytes(name string, value []byte) {
	w.Header(name, bytesToString(value))
}

// HeaderInt adds a header with a decimal integer value, without allocating.
func (w *Response) HeaderInt(name string, v int64) {
	var b [20]byte
	w.Header(name, bytesToString(strconv.AppendInt(b[:0], v, 10)))
}

func validHeader(name, value string) bool {
	if name == "" {
		return false
	}
	for i := 0; i < len(name); i++ {
		if c := name[i]; c <= ' ' || c == ':' || c >= 0x7f {
			return false
		}
	}
	for i := 0; i < len(value); i++ {
		if c := value[i]; c == '\r' || c == '\n' || c == 0 {
			return false
		}
	}
	return true
}

// Write appends to the body. Until 64 KiB it is gathered so the response
// leaves with a Content-Length in one write; past that the head goes with
// chunked framing (or the declared ContentLength) and the body streams.
// Inside a Stream producer, check Writable first: output is bounded.
func (w *Response) Write(p []byte) (int, error) {
	if w.flags&rEnded != 0 {
		return 0, ErrResponseGone
	}
	if w.flags&rHeadSent != 0 {
		w.be.sendBody(w, p)
		return len(p), nil
	}
	if w.body == nil {
		w.body = bytebufferpool.Get()
	}
	w.body.B = append(w.body.B, p...)
	if len(w.body.B) >= bodyFlushSize {
		w.sendHead(w.clen)
	}
	return len(p), nil
}

// WriteString is Write for a string.
func (w *Response) WriteString(s string) (int, error) {
	return w.Write(stringToBytes(s))
}

// sendHead sends the head and whatever body was gathered.
func (w *Response) sendHead(bodyLen int64) {
	w.flags |= rHeadSent
	w.be.sendHead(w, bodyLen)
	if w.body != nil {
		if len(w.body.B) > 0 {
			w.be.sendBody(w, w.body.B)
		}
		w.body.B = w.body.B[:0]
	}
}

// End completes the response. After it, the Response may be reused for
// the connection's next request: keep no reference.
func (w *Response) End() {
	if w.flags&rEnded != 0 {
		return
	}
	if w.flags&rHeadSent == 0 {
		n := w.clen
		if n < 0 {
			n = 0
			if w.body != nil {
				n = int64(len(w.body.B))
			}
		}
		w.sendHead(n)
	}
	w.flags |= rEnded
	w.be.finish(w)
}

// Hold keeps the response open after Serve returns: End it later, on the
// loop (from a task posted with Post, a timer, or a body callback).
func (w *Response) Hold() { w.flags |= rHeld }

// Stream sends the head now and calls produce whenever the client can take
// more, until produce returns true (then the response ends). A slow client
// therefore costs bounded memory: produce should write while Writable.
func (w *Response) Stream(produce func(w *Response) (done bool)) {
	w.flags |= rHeld
	w.stream = produce
	if w.flags&rHeadSent == 0 {
		w.sendHead(w.clen)
	}
	w.be.wantWritable(w)
}

// Writable reports whether the client can take more output now.
func (w *Response) Writable() bool { return w.flags&rEnded == 0 && w.be.writable() }

// Post runs fn on the response's loop from any goroutine; err is
// ErrResponseGone if the response ended or its connection closed first.
func (w *Response) Post(fn func(w *Response, err error)) error {
	gen := w.gen
	return w.be.post(func() {
		if w.gen != gen || w.flags&rEnded != 0 {
			fn(w, ErrResponseGone)
			return
		}
		fn(w, nil)
	})
}

// produce runs the stream producer once; the role calls it when writable.
func (w *Response) produce() {
	if w.stream == nil || w.flags&rEnded != 0 {
		return
	}
	if w.stream(w) {
		w.End()
		return
	}
	if w.flags&rEnded == 0 {
		w.be.wantWritable(w)
	}
}

// sendFile answers with a file's bytes, from the page cache where the
// transport allows (sendfile(2) on plaintext HTTP/1.1).
func (w *Response) sendFile(f *static.File, off, n int64, cache *static.FileCache) {
	w.flags |= rHeld
	w.sendHead(n)
	if w.flags&rNoBody != 0 || n == 0 {
		cache.Release(f)
		w.End()
		return
	}
	w.be.sendFile(w, f, off, n, cache)
}

// sendContent answers with body bytes the caller owns until End returns,
// without gathering them in the response's buffer first.
func (w *Response) sendContent(body []byte) {
	w.sendHead(int64(len(body)))
	w.be.sendBody(w, body)
	w.End()
}

// Error answers with status and a short text body.
func (w *Response) Error(status int, msg string) {
	w.Status(status)
	w.ContentType("text/plain; charset=utf-8")
	w.WriteString(msg)
	w.WriteString("\n")
}
