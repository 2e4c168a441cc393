package h1

// Request is a parsed request head. Every slice aliases the buffer given
// to RequestParser.Parse and is valid while that buffer is.
type Request struct {
	Method     Method
	MethodName []byte // the method as sent
	Target     []byte // the request-target as sent
	// Path is the path of an origin-form or absolute-form target ("/" when
	// an absolute-form target has none), "*" for asterisk-form, nil for
	// authority-form (CONNECT). Raw: not percent-decoded or normalized.
	Path []byte
	// Query is what follows the first '?' of the target, nil if none.
	Query []byte
	// Authority is the authority of an absolute-form or authority-form
	// target, which overrides Host (RFC 9112 §3.2.2), else the Host
	// value; nil for an HTTP/1.0 request without Host.
	Authority []byte
	// Major and Minor are 1.0 or 1.1; HTTP/1.x with x > 1 reads as 1.1.
	Major, Minor uint8
	// Headers are the field lines in order, unknown ones included. The
	// slice is reused between requests and grows to at most
	// Limits.MaxHeaders.
	Headers []Header
	// ContentLength is the Content-Length value, -1 when absent.
	ContentLength int64
	// Chunked reports Transfer-Encoding: chunked (the only coding
	// accepted; see the package doc).
	Chunked bool
	// KeepAlive reports whether the connection may serve another request
	// after this one: by default for HTTP/1.1, with "Connection:
	// keep-alive" for HTTP/1.0, never with "Connection: close".
	KeepAlive bool
	// Expect100 reports "Expect: 100-continue" in an HTTP/1.1 request
	// (HTTP/1.0 expectations are ignored, RFC 9110 §10.1.1).
	Expect100 bool
	// Upgrade is the Upgrade value of an HTTP/1.1 request whose Connection
	// lists "upgrade" (RFC 9110 §7.8), else nil.
	Upgrade []byte

	index fieldIndex
}

// Get returns the value of the first field with id, nil if absent.
func (r *Request) Get(id HeaderID) []byte { return r.index.get(r.Headers, id) }

// GetName returns the value of the first field called name, ignoring
// case, nil if absent. It finds unknown fields too, by a linear search.
func (r *Request) GetName(name string) []byte { return r.index.getName(r.Headers, name) }

// HasBody reports whether content follows the head.
func (r *Request) HasBody() bool { return r.ContentLength > 0 || r.Chunked }

// Reset empties r for the next request, keeping the Headers capacity.
func (r *Request) Reset() {
	// Field by field: the composite literal would also clear the index
	// entries, which need no clearing (see fieldIndex).
	r.Method, r.MethodName, r.Target = 0, nil, nil
	r.Path, r.Query, r.Authority = nil, nil, nil
	r.Major, r.Minor = 0, 0
	r.Headers = r.Headers[:0]
	r.ContentLength, r.Chunked, r.KeepAlive, r.Expect100 = -1, false, false, false
	r.Upgrade = nil
	r.index.reset()
}
