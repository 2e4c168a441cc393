package h1

// interpret applies the field semantics that decide how a request is
// framed and routed (RFC 9112 §3.2, §6.1–6.3, §9.3; RFC 9110 §7.2, §7.6.1,
// §7.8, §10.1.1), after the request line and all fields are in r.
func (r *Request) interpret(lim Limits) *Error {
	var (
		hosts int
		cl    contentLength
		te    transferCodings
		conn  connectionOptions
	)
	for i := range r.Headers {
		h := &r.Headers[i]
		var err *Error
		switch h.ID {
		case HeaderHost:
			hosts++
		case HeaderContentLength:
			err = cl.add(h.Value)
		case HeaderTransferEncoding:
			err = te.add(h.Value)
		case HeaderConnection:
			err = conn.add(h.Value)
		case HeaderExpect:
			if r.Minor >= 1 {
				var cont bool
				cont, err = expect(h.Value)
				r.Expect100 = r.Expect100 || cont
			}
		}
		if err != nil {
			return err
		}
	}

	host := r.Get(HeaderHost)
	switch {
	case hosts > 1:
		return ErrMultipleHost
	case hosts == 0 && r.Minor >= 1:
		return ErrMissingHost
	case len(host) > 0 && !validAuthority(host, false):
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
