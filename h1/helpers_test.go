package h1

import (
	"fmt"
	"strings"
	"unsafe"
)

// show prints a parsed slice, telling nil from empty.
func show(b []byte) string {
	if b == nil {
		return "<nil>"
	}
	return string(b)
}

// describeRequest renders every observable field of r, so that two parses
// can be compared as strings.
func describeRequest(r *Request) string {
	var sb strings.Builder
	fmt.Fprintf(&sb, "%v %q target=%q path=%q query=%q authority=%q HTTP/%d.%d cl=%d chunked=%v keepalive=%v expect100=%v upgrade=%q\n",
		r.Method, show(r.MethodName), show(r.Target), show(r.Path), show(r.Query), show(r.Authority),
		r.Major, r.Minor, r.ContentLength, r.Chunked, r.KeepAlive, r.Expect100, show(r.Upgrade))
	describeHeaders(&sb, r.Headers)
	return sb.String()
}

func describeResponse(r *Response) string {
	var sb strings.Builder
	fmt.Fprintf(&sb, "HTTP/%d.%d %d %q cl=%d chunked=%v keepalive=%v encoded=%v\n",
		r.Major, r.Minor, r.Status, show(r.Reason), r.ContentLength, r.Chunked, r.KeepAlive, r.encoded)
	describeHeaders(&sb, r.Headers)
	return sb.String()
}

func describeHeaders(sb *strings.Builder, hs []Header) {
	for _, h := range hs {
		fmt.Fprintf(sb, "  %d %q: %q\n", h.ID, show(h.Name), show(h.Value))
	}
}

// within reports whether s lies inside buf's bytes (an empty s may sit
// right at its end).
func within(s, buf []byte) bool {
	if s == nil {
		return true
	}
	base := uintptr(unsafe.Pointer(unsafe.SliceData(buf)))
	p := uintptr(unsafe.Pointer(unsafe.SliceData(s)))
	return p >= base && p+uintptr(len(s)) <= base+uintptr(len(buf))
}

// requestAliases checks that every slice of r points into buf.
func requestAliases(r *Request, buf []byte) error {
	for _, s := range [][]byte{r.MethodName, r.Target, r.Path, r.Query, r.Authority, r.Upgrade} {
		if !within(s, buf) {
			return fmt.Errorf("slice %q does not alias the buffer", s)
		}
	}
	return headersAlias(r.Headers, buf)
}

func responseAliases(r *Response, buf []byte) error {
	if !within(r.Reason, buf) {
		return fmt.Errorf("reason %q does not alias the buffer", r.Reason)
	}
	return headersAlias(r.Headers, buf)
}

func headersAlias(hs []Header, buf []byte) error {
	for _, h := range hs {
		if !within(h.Name, buf) || !within(h.Value, buf) {
			return fmt.Errorf("header %q: %q does not alias the buffer", h.Name, h.Value)
		}
	}
	return nil
}

// outcome is what one parse of a whole head came to, as a string.
type outcome struct {
	n    int
	err  error
	desc string
}

func (o outcome) String() string { return fmt.Sprintf("n=%d err=%v\n%s", o.n, o.err, o.desc) }

// parseRequestOnce parses buf with a fresh parser.
func parseRequestOnce(buf []byte, lim Limits) outcome {
	p := RequestParser{Limits: lim}
	var r Request
	n, err := p.Parse(buf, &r)
	return requestOutcome(n, err, &r)
}

func requestOutcome(n int, err error, r *Request) outcome {
	o := outcome{n: n, err: err}
	if err == nil {
		o.desc = describeRequest(r)
	}
	return o
}

// parseRequestSplit feeds buf[:k], then all of buf, in a copy when move
// is set (the caller's buffer was reallocated in between).
func parseRequestSplit(buf []byte, k int, move bool, lim Limits) (outcome, error) {
	p := RequestParser{Limits: lim}
	var r Request
	n, err := p.Parse(buf[:k], &r)
	if err != ErrNeedMore {
		return requestOutcome(n, err, &r), nil
	}
	whole := buf
	if move {
		whole = append([]byte(nil), buf...)
	}
	n, err = p.Parse(whole, &r)
	if err == nil {
		if e := requestAliases(&r, whole); e != nil {
			return outcome{}, e
		}
	}
	return requestOutcome(n, err, &r), nil
}

// parseRequestTrickle feeds buf one more byte at a time.
func parseRequestTrickle(buf []byte, lim Limits) outcome {
	p := RequestParser{Limits: lim}
	var r Request
	for k := 0; k <= len(buf); k++ {
		n, err := p.Parse(buf[:k], &r)
		if err != ErrNeedMore || k == len(buf) {
			return requestOutcome(n, err, &r)
		}
	}
	panic("unreachable")
}

func parseResponseOnce(buf []byte) outcome {
	var p ResponseParser
	var r Response
	n, err := p.Parse(buf, &r)
	return responseOutcome(n, err, &r)
}

func responseOutcome(n int, err error, r *Response) outcome {
	o := outcome{n: n, err: err}
	if err == nil {
		o.desc = describeResponse(r)
	}
	return o
}

// parseResponseTrickle feeds buf one more byte at a time.
func parseResponseTrickle(buf []byte) outcome {
	var p ResponseParser
	var r Response
	for k := 0; k <= len(buf); k++ {
		n, err := p.Parse(buf[:k], &r)
		if err != ErrNeedMore || k == len(buf) {
			return responseOutcome(n, err, &r)
		}
	}
	panic("unreachable")
}

func parseResponseSplit(buf []byte, k int, move bool) (outcome, error) {
	var p ResponseParser
	var r Response
	n, err := p.Parse(buf[:k], &r)
	if err != ErrNeedMore {
		return responseOutcome(n, err, &r), nil
	}
	whole := buf
	if move {
		whole = append([]byte(nil), buf...)
	}
	n, err = p.Parse(whole, &r)
	if err == nil {
		if e := responseAliases(&r, whole); e != nil {
			return outcome{}, e
		}
	}
	return responseOutcome(n, err, &r), nil
}

// chunkedResult is what decoding a whole chunked body came to.
type chunkedResult struct {
	data     string
	consumed int
	done     bool
	err      error
}

// decodeChunked feeds parts in order, handing each call what is left of
// the input so far, as a reader would.
func decodeChunked(d *ChunkedDecoder, parts ...[]byte) (chunkedResult, error) {
	var res chunkedResult
	var pending []byte
	for _, part := range parts {
		pending = append(pending, part...)
		for len(pending) > 0 {
			n, data, done, err := d.Decode(pending)
			if n > len(pending) {
				return res, fmt.Errorf("consumed %d of %d", n, len(pending))
			}
			if data != nil && !within(data, pending[:n]) {
				return res, fmt.Errorf("data does not alias the input")
			}
			res.data += string(data)
			res.consumed += n
			pending = pending[n:]
			if err != nil || done {
				res.err, res.done = err, done
				return res, nil
			}
			if n == 0 {
				return res, fmt.Errorf("no progress without data, done or error")
			}
		}
	}
	return res, nil
}
