package h1

import "bytes"

// requestLine is a checked request line (RFC 9112 §3), kept as offsets
// into the buffer so that it survives the buffer being reallocated while
// the fields are still arriving.
type requestLine struct {
	start     int // offset of the line in the buffer
	methodEnd int // method is line[:methodEnd]; a SP follows
	target    span
	parts     targetParts // relative to target.start
	method    Method
	minor     uint8
}

// parse checks line, which starts at offset start in the buffer and has
// no line terminator: exactly method SP request-target SP HTTP-version.
func (rl *requestLine) parse(line []byte, start int) *Error {
	m := 0
	for m < len(line) && class[line[m]]&classToken != 0 {
		m++
	}
	if m == len(line) || line[m] != ' ' {
		return badByte(line, m, ErrBadMethod)
	}
	if m == 0 {
		return ErrBadRequestLine
	}
	t := m + 1
	e := t + scanClass(line[t:], classTarget, '!')
	if e == len(line) || line[e] != ' ' {
		return badByte(line, e, ErrBadTarget)
	}
	if e == t {
		return ErrBadRequestLine // two spaces in a row
	}
	minor, err := parseVersion(line[e+1:])
	if err != nil {
		return err
	}
	method := parseMethod(line[:m])
	var parts targetParts
	if err := parseTarget(line[t:e], method, &parts); err != nil {
		return err
	}
	*rl = requestLine{
		start:     start,
		methodEnd: start + m,
		target:    span{start + t, start + e},
		parts:     parts,
		method:    method,
		minor:     minor,
	}
	return nil
}

// badByte names what stopped a scan of line at i: the end of the line or
// a stray CR make the line malformed, anything else is a bad byte of the
// element being scanned.
func badByte(line []byte, i int, bad *Error) *Error {
	switch {
	case i == len(line):
		return ErrBadRequestLine
	case line[i] == '\r':
		return ErrBareCR
	}
	return bad
}

// parseVersion reads HTTP-version (RFC 9112 §2.3: "HTTP/" DIGIT "."
// DIGIT, case-sensitive). Any other major version is 505; 1.x with x > 1
// is read as 1.1, the highest minor version implemented (RFC 9110 §6.2).
func parseVersion(v []byte) (minor uint8, err *Error) {
	if len(v) != 8 || string(v[:5]) != "HTTP/" || v[6] != '.' || !isDigit(v[5]) || !isDigit(v[7]) {
		switch {
		case bytes.IndexByte(v, ' ') >= 0:
			return 0, ErrBadRequestLine
		case bytes.IndexByte(v, '\r') >= 0:
			return 0, ErrBareCR
		}
		return 0, ErrBadVersion
	}
	if v[5] != '1' {
		return 0, ErrVersionNotSupported
	}
	return min(v[7]-'0', 1), nil
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// fill sets the request-line fields of r from the buffer.
func (rl *requestLine) fill(buf []byte, r *Request) {
	r.Method = rl.method
	r.MethodName = buf[rl.start:rl.methodEnd]
	r.Target = rl.target.of(buf)
	r.Path = rl.parts.path.of(r.Target)
	r.Query = rl.parts.query.of(r.Target)
	r.Authority = rl.parts.authority.of(r.Target)
	r.Major, r.Minor = 1, rl.minor
}
