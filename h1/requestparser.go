package h1

// RequestParser parses request heads incrementally. Call Parse with all
// of the head buffered so far, starting at the head's first byte, until it
// returns n > 0 or an *Error; buf may grow (and move) between calls but
// its first bytes must stay the same. A head that is all in buf at the
// first call, as nearly every one is, is parsed in a single pass (see
// parseWhole). Otherwise the parser keeps offsets between calls, so that
// no byte is scanned again after that first call. After a complete head
// or an error it is ready for the next head; it remembers only the last
// valid Host across heads. The zero value is ready to use with default
// Limits.
type RequestParser struct {
	Limits Limits

	scan       headScan
	line       requestLine
	methodScan int // buf[scan.line:methodScan] is checked to be method bytes

	hosts hostMemo // kept across heads
}

// Reset abandons a partly parsed head.
func (p *RequestParser) Reset() { p.scan, p.line, p.methodScan = headScan{}, requestLine{}, 0 }

// Parse parses the head at the start of buf into r. It returns the head
// length n (request line, fields and the empty line, plus any empty lines
// skipped before the request line, RFC 9112 §2.2) once the head is
// complete; (0, ErrNeedMore) while it is incomplete and within Limits;
// (0, *Error) for a message to be answered with Error.Status.
//
// r must be the same Request on every call for one head: fields are
// added to it as their lines arrive, so its contents mean something only
// once n > 0. On success every slice in r aliases buf; bytes after
// buf[:n] are not looked at.
func (p *RequestParser) Parse(buf []byte, r *Request) (n int, err error) {
	if !p.scan.started {
		// A fresh head: most likely all of it is in buf. If the fast
		// path gives up, the incremental parser starts over.
		lim := p.Limits.resolved()
		n, e := parseWhole(buf, &lim, r, &p.hosts)
		switch {
		case e != nil:
			return 0, e
		case n > 0:
			return n, nil
		}
	}
	n, e := p.parse(buf, r)
	switch {
	case e != nil:
		p.Reset()
		return 0, e
	case n == 0:
		return 0, ErrNeedMore
	}
	p.Reset()
	return n, nil
}

func (p *RequestParser) parse(buf []byte, r *Request) (int, *Error) {
	lim := p.Limits.resolved()
	s := &p.scan
	if s.begin(buf) {
		r.Reset()
	}
	if oldCap, moved := s.track(buf); moved {
		rebase(r.Headers, buf, oldCap)
	}
	for !s.inFields {
		// The request line ends at whichever limit comes first.
		deadline, tooLong := lim.MaxHeaderBytes-1, ErrHeadTooLarge
		if d := s.line + lim.MaxRequestLine + 1; d <= deadline {
			deadline, tooLong = d, ErrRequestLineTooLong
		}
		lf, over := s.nextLine(buf, deadline)
		known := lf // the line's bytes seen so far end here
		if lf < 0 {
			known = min(len(buf), deadline+1)
		}
		// The method is judged first, whether or not the line is complete
		// or too long, so that a split head gets the same verdict.
		if err := p.screenMethod(buf[:known]); err != nil {
			return 0, err
		}
		if over {
			return 0, tooLong
		}
		if lf < 0 {
			return 0, nil
		}
		line := s.lineBefore(buf, lf)
		if len(line) > 0 {
			if len(line) > lim.MaxRequestLine {
				return 0, ErrRequestLineTooLong
			}
			if err := p.line.parse(line, s.line); err != nil {
				return 0, err
			}
			s.inFields = true
		}
		s.line = lf + 1
	}
	n, err := s.fields(buf, lim, &r.Headers, &r.index)
	if n == 0 || err != nil {
		return 0, err
	}
	p.line.fill(buf, r)
	if err := r.interpret(lim, &p.hosts); err != nil {
		return 0, err
	}
	return n, nil
}

// screenMethod checks the method of the request line that buf ends in,
// as far as buf goes: a byte that cannot be part of a method (a TLS
// handshake on the plain port, binary noise) is rejected at once instead
// of after MaxRequestLine bytes or a timeout. It returns the verdict that
// requestLine.parse gives the complete line, or nil; a CR, which may end
// the line, is left to parse.
func (p *RequestParser) screenMethod(buf []byte) *Error {
	start := p.scan.line
	i := max(p.methodScan, start)
	for i < len(buf) && class[buf[i]]&classToken != 0 {
		i++
	}
	p.methodScan = i
	switch {
	case i == len(buf), buf[i] == '\r', buf[i] == ' ' && i > start:
		return nil
	case buf[i] == ' ':
		return ErrBadRequestLine
	}
	return ErrBadMethod
}
