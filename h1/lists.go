package h1

import (
	"bytes"
	"math"
)

// nextElement splits the first element off a comma-separated list
// (RFC 9110 §5.6.1) and trims its whitespace. Empty elements come back
// empty; callers skip them, as the RFC asks.
func nextElement(list []byte) (elem, rest []byte) {
	i := bytes.IndexByte(list, ',')
	if i < 0 {
		return trimOWS(list), nil
	}
	return trimOWS(list[:i]), list[i+1:]
}

func isToken(b []byte) bool { return len(b) > 0 && allClass(b, classToken) }

// parseContentLength reads 1*DIGIT into an int63. A sign, a list
// ("5, 5"), whitespace inside or an overflow all fail.
func parseContentLength(v []byte) (int64, bool) {
	if len(v) == 0 {
		return 0, false
	}
	var n int64
	for _, c := range v {
		d := int64(c) - '0'
		if d < 0 || d > 9 || n > (math.MaxInt64-d)/10 {
			return 0, false
		}
		n = n*10 + d
	}
	return n, true
}

// contentLength accumulates Content-Length fields: identical repeats are
// one value (RFC 9110 §8.6 lets a recipient accept them); different ones
// make the framing ambiguous.
type contentLength struct {
	seen  bool
	value int64
}

func (cl *contentLength) add(v []byte) *Error {
	n, ok := parseContentLength(v)
	switch {
	case !ok:
		return ErrBadContentLength
	case cl.seen && n != cl.value:
		return ErrConflictingLength
	}
	cl.seen, cl.value = true, n
	return nil
}

// transferCodings accumulates Transfer-Encoding fields (RFC 9112 §6.1),
// which form one list across repeated fields.
type transferCodings struct {
	seen      bool // a Transfer-Encoding field was present
	chunked   int  // how many times chunked was applied
	lastIsChk bool // the final coding so far is chunked
	other     bool // a coding other than chunked was applied
}

func (te *transferCodings) add(v []byte) *Error {
	te.seen = true
	for rest := v; len(rest) > 0; {
		var c []byte
		c, rest = nextElement(rest)
		switch {
		case len(c) == 0:
			continue
		case !isToken(c): // parameters included: no coding golws knows takes any
			return ErrBadTransferEncoding
		case equalFold(c, "chunked"):
			te.chunked++
			te.lastIsChk = true
		default:
			te.other = true
			te.lastIsChk = false
		}
	}
	return nil
}

// requestVerdict applies RFC 9112 §6.3 to a request: chunked must be
// applied once and last, and golws decodes no other coding.
func (te *transferCodings) requestVerdict() *Error {
	switch {
	case te.chunked == 0 && !te.other:
		return ErrBadTransferEncoding // present but empty
	case te.chunked > 1:
		return ErrChunkedTwice
	case !te.lastIsChk:
		return ErrChunkedNotFinal
	case te.other:
		return ErrUnsupportedEncoding
	}
	return nil
}

// connectionOptions are the Connection tokens golws acts on (RFC 9110
// §7.6.1); others are allowed and ignored.
type connectionOptions struct{ close, keepAlive, upgrade bool }

func (co *connectionOptions) add(v []byte) *Error {
	// Nearly every Connection holds one of these alone, most often in
	// lower case: compared whole, it needs no list parsing.
	switch {
	case string(v) == "keep-alive" || equalFold(v, "keep-alive"):
		co.keepAlive = true
		return nil
	case equalFold(v, "close"):
		co.close = true
		return nil
	}
	for rest := v; len(rest) > 0; {
		var o []byte
		o, rest = nextElement(rest)
		switch {
		case len(o) == 0:
		case !isToken(o):
			return ErrBadConnection
		case equalFold(o, "close"):
			co.close = true
		case equalFold(o, "keep-alive"):
			co.keepAlive = true
		case equalFold(o, "upgrade"):
			co.upgrade = true
		}
	}
	return nil
}

// keepAliveFor is the persistence rule of RFC 9112 §9.3.
func (co *connectionOptions) keepAliveFor(minor uint8) bool {
	return !co.close && (minor >= 1 || co.keepAlive)
}

// expect reads Expect (RFC 9110 §10.1.1): 100-continue is the only
// expectation defined; any other fails.
func expect(v []byte) (cont bool, err *Error) {
	for rest := v; len(rest) > 0; {
		var e []byte
		e, rest = nextElement(rest)
		switch {
		case len(e) == 0:
		case equalFold(e, "100-continue"):
			cont = true
		default:
			return false, ErrExpectationFailed
		}
	}
	return cont, nil
}
