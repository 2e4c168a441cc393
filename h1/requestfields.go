package h1

import "math/bits"

// interpret applies the field semantics that decide how a request is
// framed and routed (RFC 9112 §3.2, §6.1–6.3, §9.3; RFC 9110 §7.2, §7.6.1,
// §7.8, §10.1.1), after the request line and all fields are in r.
//
// hosts remembers the last Host found valid; nil checks every Host.
func (r *Request) interpret(lim Limits, hosts *hostMemo) *Error {
	var f framingFields
	// Most requests carry none of these fields (or only Connection):
	// the index says so without a look at each field.
	if r.index.seen&framingIDs != 0 {
		if err := f.read(r); err != nil {
			return err
		}
	}
	cl, te, conn := &f.cl, &f.te, &f.conn

	const hostBit = 1 << HeaderHost
	host := r.Get(HeaderHost)
	switch {
	case r.index.repeated&hostBit != 0:
		return ErrMultipleHost
	case r.index.seen&hostBit == 0 && r.Minor >= 1:
		return ErrMissingHost
	case len(host) > 0 && !hosts.valid(host):
		return ErrBadHost
	}
	if r.Authority == nil {
		r.Authority = host
	}

	r.ContentLength = -1
	switch {
	case te.seen && r.Minor == 0:
		return ErrEncodingInHTTP10 // RFC 9112 §6.1: its framing is faulty
	case te.seen && cl.seen:
		return ErrLengthAndEncoding
	case te.seen:
		if err := te.requestVerdict(); err != nil {
			return err
		}
		r.Chunked = true
	case cl.seen:
		if lim.MaxContentLength > 0 && cl.value > lim.MaxContentLength {
			return ErrContentTooLarge
		}
		r.ContentLength = cl.value
	}

	r.KeepAlive = conn.keepAliveFor(r.Minor)
	if conn.upgrade && r.Minor >= 1 {
		r.Upgrade = r.Get(HeaderUpgrade)
	}
	return nil
}

// framingIDs are the fields that framingFields.read acts on.
const framingIDs = 1<<HeaderContentLength | 1<<HeaderTransferEncoding | 1<<HeaderConnection | 1<<HeaderExpect

// framingFields accumulate the fields of a request that frame it or
// decide its persistence.
type framingFields struct {
	cl   contentLength
	te   transferCodings
	conn connectionOptions
}

// read reads the framingIDs fields of r in order, so that the first bad
// one gives the verdict, and sets r.Expect100.
func (f *framingFields) read(r *Request) *Error {
	x := &r.index
	if ids := x.seen & framingIDs; ids&(ids-1) == 0 && x.repeated&ids == 0 {
		// A single such field (typically Connection): no order to keep.
		return f.add(r, &r.Headers[x.first[bits.TrailingZeros64(ids)&63]])
	}
	for i := range r.Headers {
		if err := f.add(r, &r.Headers[i]); err != nil {
			return err
		}
	}
	return nil
}

// add reads h if it is one of the framingIDs fields.
func (f *framingFields) add(r *Request, h *Header) *Error {
	switch h.ID {
	case HeaderContentLength:
		return f.cl.add(h.Value)
	case HeaderTransferEncoding:
		return f.te.add(h.Value)
	case HeaderConnection:
		return f.conn.add(h.Value)
	case HeaderExpect:
		if r.Minor >= 1 {
			cont, err := expect(h.Value)
			r.Expect100 = r.Expect100 || cont
			return err
		}
	}
	return nil
}

// hostMemo remembers the last Host value that passed validAuthority. The
// requests on one connection nearly always carry the same Host, which
// then costs one comparison instead of a check of every byte.
type hostMemo struct {
	n    uint8
	host [63]byte // host[:n]
}

// valid reports validAuthority(host, false), from memory if host is the
// last one found valid.
func (m *hostMemo) valid(host []byte) bool {
	if m == nil {
		return validAuthority(host, false)
	}
	if len(host) == int(m.n) && string(host) == string(m.host[:m.n]) {
		return true
	}
	if !validAuthority(host, false) {
		return false
	}
	if len(host) <= len(m.host) {
		m.n = uint8(copy(m.host[:], host))
	}
	return true
}
