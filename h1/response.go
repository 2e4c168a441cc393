package h1

// Response is a parsed response head, for the client role. Every slice
// aliases the buffer given to ResponseParser.Parse.
type Response struct {
	Major, Minor uint8 // 1.0 or 1.1; HTTP/1.x with x > 1 reads as 1.1
	Status       int   // 100–999
	Reason       []byte
	Headers      []Header
	// ContentLength is the Content-Length value, -1 when absent.
	ContentLength int64
	// Chunked reports that chunked is the final transfer coding. Other
	// codings under it are left to the caller (see Get).
	Chunked bool
	// KeepAlive reports what the fields say about persistence (RFC 9112
	// §9.3); a body delimited by closing (BodyUntilClose) ends the
	// connection whatever it says.
	KeepAlive bool

	encoded bool // Transfer-Encoding present with a final coding other than chunked
	index   fieldIndex
}

// Get returns the value of the first field with id, nil if absent.
func (r *Response) Get(id HeaderID) []byte { return r.index.get(r.Headers, id) }

// GetName returns the value of the first field called name, ignoring
// case, nil if absent.
func (r *Response) GetName(name string) []byte { return r.index.getName(r.Headers, name) }

// Reset empties r for the next response, keeping the Headers capacity.
func (r *Response) Reset() {
	*r = Response{Headers: r.Headers[:0], ContentLength: -1}
}

// BodyMode says how the content of a message is delimited (RFC 9112 §6.3).
type BodyMode uint8

// The ways a response body is delimited.
const (
	BodyNone       BodyMode = iota // no content follows the head
	BodyLength                     // exactly ContentLength bytes follow
	BodyChunked                    // a chunked body follows: use ChunkedDecoder
	BodyUntilClose                 // the content ends when the server closes
)

var bodyModeNames = [...]string{"none", "length", "chunked", "until-close"}

func (m BodyMode) String() string {
	if int(m) >= len(bodyModeNames) {
		return "invalid"
	}
	return bodyModeNames[m]
}

// BodyMode returns how the content of r is delimited, given the method of
// the request it answers: none for HEAD, 1xx, 204 and 304, and for a 2xx
// to CONNECT (the connection becomes a tunnel); then chunked, then
// Content-Length; else (and for a final coding other than chunked) the
// content runs until the connection closes.
func (r *Response) BodyMode(reqMethod Method) BodyMode {
	switch {
	case reqMethod == MethodHEAD, r.Status < 200, r.Status == 204, r.Status == 304:
		return BodyNone
	case reqMethod == MethodCONNECT && r.Status < 300:
		return BodyNone
	case r.encoded:
		return BodyUntilClose
	case r.Chunked:
		return BodyChunked
	case r.ContentLength >= 0:
		return BodyLength
	}
	return BodyUntilClose
}

// interpret applies the framing fields of a response. It is as strict as
// the request side about ambiguous framing (both Content-Length and
// Transfer-Encoding, conflicting lengths, chunked twice) because a client
// behind a proxy is exposed to the same response-splitting games.
func (r *Response) interpret() *Error {
	var (
		cl   contentLength
		te   transferCodings
		conn connectionOptions
	)
	for i := range r.Headers {
		h := &r.Headers[i]
		var err *Error
		switch h.ID {
		case HeaderContentLength:
			err = cl.add(h.Value)
		case HeaderTransferEncoding:
			err = te.add(h.Value)
		case HeaderConnection:
			err = conn.add(h.Value)
		}
		if err != nil {
			return err
		}
	}
	r.ContentLength = -1
	switch {
	case te.seen && r.Minor == 0:
		return ErrEncodingInHTTP10
	case te.seen && cl.seen:
		return ErrLengthAndEncoding
	case te.chunked > 1:
		return ErrChunkedTwice
	case te.seen && te.lastIsChk:
		r.Chunked = true
	case te.seen:
		r.encoded = true // RFC 9112 §6.3 rule 4: read until close
	case cl.seen:
		r.ContentLength = cl.value
	}
	r.KeepAlive = conn.keepAliveFor(r.Minor)
	return nil
}
