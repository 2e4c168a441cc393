package h1

// Building a Request from fields that did not come through RequestParser:
// an HTTP/2 stream's decoded header block fills the same Request, so that
// handlers see one type whatever the protocol.

// ParseMethod maps a method token to its Method (MethodOther for a token
// outside RFC 9110 §9 and PATCH).
func ParseMethod(token []byte) Method { return parseMethod(token) }

// ParseContentLength reads a Content-Length value: 1*DIGIT that fits an
// int64. A sign, a list, whitespace or an overflow fail.
func ParseContentLength(v []byte) (int64, bool) { return parseContentLength(v) }

// AddHeader appends a field line to r, recognising its name through the
// table of known headers and indexing it for Get. Name and value are kept
// as given (not copied); the caller has validated them. It does not
// interpret framing fields: set ContentLength and the rest directly.
func (r *Request) AddHeader(name, value []byte) {
	r.Headers = append(r.Headers, Header{ID: LookupHeader(name), Name: name, Value: value})
	r.index.index(r.Headers, len(r.Headers)-1)
}
