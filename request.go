package golws

import (
	"bytes"
	"net"

	"github.com/golws/golws/h1"
	"github.com/golws/golws/loop"
)

// bodyFlow is the role's side of request-body backpressure. (An interface
// holding the role's pointer: a method value would allocate per request.)
type bodyFlow interface{ pauseBody(pause bool) }

// HeaderID names a known header by a small integer (see package h1).
type HeaderID = h1.HeaderID

// Request is an HTTP request as a handler sees it. It and every slice it
// returns are valid until the response ends (or, for a held response,
// until End): copy what must live longer. Methods are for the loop.
type Request struct {
	head  *h1.Request // method, target, headers, framing (an HTTP/2 stream fills one too)
	path  []byte      // decoded and normalized once (urlpath.Clean), shared by every mount
	proto string
	body  []byte // the whole body, when the server gathered it
	mount string // the prefix of the mount that matched
	vhost *Vhost
	conn  *loop.Conn
	flow  bodyFlow // PauseBody/ResumeBody go to the role
}

// Method is the request method as a small integer.
func (r *Request) Method() h1.Method { return r.head.Method }

// MethodName is the method as sent ("GET", "PROPFIND").
func (r *Request) MethodName() []byte { return r.head.MethodName }

// Path is the decoded, normalized request path: percent-decoded once,
// dot-segments removed, "//" collapsed. It always starts with '/'.
func (r *Request) Path() []byte { return r.path }

// RawPath is the path as sent, before decoding.
func (r *Request) RawPath() []byte { return r.head.Path }

// Query is the raw query string (after '?'), nil if none.
func (r *Request) Query() []byte { return r.head.Query }

// QueryArg returns the raw (still percent-encoded) value of the first
// query argument called name, without allocating.
func (r *Request) QueryArg(name string) ([]byte, bool) {
	q := r.head.Query
	for len(q) > 0 {
		var kv []byte
		if i := bytes.IndexByte(q, '&'); i >= 0 {
			kv, q = q[:i], q[i+1:]
		} else {
			kv, q = q, nil
		}
		k, v := kv, []byte(nil)
		if i := bytes.IndexByte(kv, '='); i >= 0 {
			k, v = kv[:i], kv[i+1:]
		}
		if string(k) == name {
			if v == nil {
				v = kv[len(kv):]
			}
			return v, true
		}
	}
	return nil, false
}

// Header returns the first value of a known header, nil if absent.
func (r *Request) Header(id HeaderID) []byte { return r.head.Get(id) }

// HeaderName returns the first value of any header by name
// (case-insensitive), nil if absent. Unknown headers are kept.
func (r *Request) HeaderName(name string) []byte { return r.head.GetName(name) }

// Headers are all request headers in arrival order.
func (r *Request) Headers() []h1.Header { return r.head.Headers }

// Host is the request's authority: the absolute-form target's or the Host
// header's.
func (r *Request) Host() []byte { return r.head.Authority }

// Proto is "HTTP/1.1", "HTTP/1.0" (and later "HTTP/2.0").
func (r *Request) Proto() string { return r.proto }

// ContentLength is the declared body length, -1 if unknown (chunked).
func (r *Request) ContentLength() int64 { return r.head.ContentLength }

// Body is the whole request body for a handler that is not a BodyHandler.
func (r *Request) Body() []byte { return r.body }

// MountPrefix is the URL prefix of the mount serving the request.
func (r *Request) MountPrefix() string { return r.mount }

// Vhost is the virtual host serving the request.
func (r *Request) Vhost() *Vhost { return r.vhost }

// Conn is the connection the request arrived on.
func (r *Request) Conn() *loop.Conn { return r.conn }

// RemoteAddr is the peer's address (a system call: not for the hot path).
func (r *Request) RemoteAddr() net.Addr { return r.conn.RemoteAddr() }

// PauseBody stops reading the request body (a BodyHandler's backpressure).
func (r *Request) PauseBody() {
	if r.flow != nil {
		r.flow.pauseBody(true)
	}
}

// ResumeBody undoes PauseBody.
func (r *Request) ResumeBody() {
	if r.flow != nil {
		r.flow.pauseBody(false)
	}
}
