package h1

// ResponseParser parses response heads incrementally, with the same
// contract as RequestParser. Empty lines before the status line are not
// skipped: RFC 9112 §2.2 allows that only before a request line.
type ResponseParser struct {
	Limits Limits

	scan   headScan
	status statusLine
}

// Reset abandons a partly parsed head.
func (p *ResponseParser) Reset() { p.scan, p.status = headScan{}, statusLine{} }

// Parse parses the head at the start of buf into r; see
// RequestParser.Parse. MaxRequestLine bounds the status line.
func (p *ResponseParser) Parse(buf []byte, r *Response) (n int, err error) {
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

func (p *ResponseParser) parse(buf []byte, r *Response) (int, *Error) {
	lim := p.Limits.resolved()
	s := &p.scan
	if s.begin(buf) {
		r.Reset()
	}
	if oldCap, moved := s.track(buf); moved {
		rebase(r.Headers, buf, oldCap)
	}
	if !s.inFields {
		deadline, tooLong := lim.MaxHeaderBytes-1, ErrHeadTooLarge
		if d := lim.MaxRequestLine + 1; d <= deadline {
			deadline, tooLong = d, ErrRequestLineTooLong
		}
		lf, over := s.nextLine(buf, deadline)
		if over {
			return 0, tooLong
		}
		if lf < 0 {
			return 0, nil
		}
		line := s.lineBefore(buf, lf)
		if len(line) > lim.MaxRequestLine {
			return 0, ErrRequestLineTooLong
		}
		if err := p.status.parse(line); err != nil {
			return 0, err
		}
		s.inFields = true
		s.line = lf + 1
	}
	n, err := s.fields(buf, lim, &r.Headers, &r.index)
	if n == 0 || err != nil {
		return 0, err
	}
	r.Major, r.Minor, r.Status = 1, p.status.minor, p.status.code
	r.Reason = p.status.reason.of(buf)
	if err := r.interpret(); err != nil {
		return 0, err
	}
	return n, nil
}

// statusLine is a checked status line, as offsets into the buffer.
type statusLine struct {
	minor  uint8
	code   int
	reason span
}

// parse checks HTTP-version SP 3DIGIT SP reason-phrase (RFC 9112 §4).
// The status line starts the buffer. A missing reason, with or without
// its SP, is accepted: the reason means nothing (RFC 9112 §4) and servers
// omit it.
func (sl *statusLine) parse(line []byte) *Error {
	if len(line) < 12 || line[8] != ' ' {
		return ErrBadStatusLine
	}
	minor, err := parseVersion(line[:8])
	switch {
	case err == ErrVersionNotSupported:
		return err
	case err != nil:
		return ErrBadStatusLine
	}
	d0, d1, d2 := line[9], line[10], line[11]
	if d0 < '1' || d0 > '9' || !isDigit(d1) || !isDigit(d2) {
		return ErrBadStatusLine
	}
	code := int(d0-'0')*100 + int(d1-'0')*10 + int(d2-'0')
	reason := span{12, 12}
	if len(line) > 12 {
		if line[12] != ' ' {
			return ErrBadStatusLine
		}
		for i := 13; i < len(line); i++ {
			if class[line[i]]&classValue == 0 {
				return badByte(line, i, ErrBadStatusLine)
			}
		}
		reason = span{13, len(line)}
	}
	*sl = statusLine{minor: minor, code: code, reason: reason}
	return nil
}
