package h1

import "bytes"

// targetForm is one of the four forms of RFC 9112 §3.2.
type targetForm uint8

const (
	formOrigin    targetForm = iota // "/path?query", any method but CONNECT
	formAbsolute                    // "scheme://authority/path?query", any method but CONNECT
	formAuthority                   // "host:port", CONNECT only
	formAsterisk                    // "*", OPTIONS only
)

// span is a [start, end) range of a buffer; start < 0 marks an absent part.
type span struct{ start, end int }

var absent = span{-1, -1}

func (s span) of(b []byte) []byte {
	if s.start < 0 {
		return nil
	}
	return b[s.start:s.end]
}

// targetParts are the pieces of a request-target, as offsets into it.
type targetParts struct {
	form      targetForm
	path      span
	query     span
	authority span
}

// parseTarget splits a request-target whose bytes the caller has already
// checked into tp, and enforces which form each method may use. It fills
// tp in place: returning the struct costs a copy through memory that the
// CPU cannot forward well.
func parseTarget(t []byte, m Method, tp *targetParts) *Error {
	switch {
	case m == MethodCONNECT:
		if !validAuthority(t, true) {
			return ErrTargetForm
		}
		*tp = targetParts{form: formAuthority, path: absent, query: absent, authority: span{0, len(t)}}
		return nil
	case t[0] == '/':
		tp.form, tp.authority = formOrigin, absent
		tp.path, tp.query = pathAndQuery(t, 0)
		return nil
	case len(t) == 1 && t[0] == '*':
		if m != MethodOPTIONS {
			return ErrTargetForm
		}
		*tp = targetParts{form: formAsterisk, path: span{0, 1}, query: absent, authority: absent}
		return nil
	}
	return parseAbsolute(t, tp)
}

// pathAndQuery splits t[from:] at its first '?'.
func pathAndQuery(t []byte, from int) (path, query span) {
	q := bytes.IndexByte(t[from:], '?')
	if q < 0 {
		return span{from, len(t)}, absent
	}
	return span{from, from + q}, span{from + q + 1, len(t)}
}

// parseAbsolute splits an absolute-form target: scheme "://" authority
// path-abempty ["?" query]. The authority must be a non-empty host
// (RFC 9110 §4.2.1) without userinfo (§4.2.4: treated as an error).
func parseAbsolute(t []byte, tp *targetParts) *Error {
	i := 0
	if t[0]|0x20 < 'a' || t[0]|0x20 > 'z' {
		return ErrBadTarget
	}
	for i < len(t) && class[t[i]]&classScheme != 0 {
		i++
	}
	if len(t)-i < 3 || string(t[i:i+3]) != "://" {
		return ErrBadTarget
	}
	a := i + 3
	e := a
	for e < len(t) && t[e] != '/' && t[e] != '?' {
		e++
	}
	if !validAuthority(t[a:e], false) {
		return ErrBadHost
	}
	tp.form, tp.authority = formAbsolute, span{a, e}
	tp.path, tp.query = pathAndQuery(t, e)
	if tp.path.start == tp.path.end {
		// No path: it reads as "/" (RFC 9112 §3.2.1). Point at the second
		// slash of "://" so that Path still aliases the caller's buffer.
		tp.path = span{i + 2, i + 3}
	}
	return nil
}

// validAuthority checks host [":" port] (RFC 3986 §3.2.2–3): a reg-name or
// IPv4 address, or an IP-literal in brackets, and an optional port that
// needPort makes mandatory. An empty authority is valid only where the
// caller allows it (an empty Host, RFC 9110 §7.2).
//
// Every Host is checked, so the common host[:port] is checked with few
// branches: its bytes are all reg-name bytes or ':' (digits are reg-name
// bytes), the first ':' ends a non-empty host and only digits follow.
func validAuthority(a []byte, needPort bool) bool {
	if len(a) > 0 && a[0] == '[' {
		return validIPLiteral(a, needPort)
	}
	if !allClass(a, classHostPort) {
		return false
	}
	c := bytes.IndexByte(a, ':')
	if c < 0 {
		return len(a) > 0 && !needPort
	}
	return c > 0 && validPort(a[c+1:], needPort)
}

// validIPLiteral checks "[" host "]" [":" port], where host holds only
// authority bytes and no '[' (the address itself is not parsed).
func validIPLiteral(a []byte, needPort bool) bool {
	for _, c := range a {
		if class[c]&classAuthority == 0 {
			return false
		}
	}
	end := bytes.IndexByte(a, ']')
	if end < 2 || bytes.IndexByte(a[1:end], '[') >= 0 {
		return false
	}
	switch rest := a[end+1:]; {
	case len(rest) == 0:
		return !needPort
	case rest[0] != ':':
		return false
	default:
		return validPort(rest[1:], needPort)
	}
}

// validPort checks the digits after an authority's colon: any number of
// them, at least one if needPort.
func validPort(p []byte, needPort bool) bool {
	if len(p) == 0 {
		return !needPort
	}
	for _, c := range p {
		if !isDigit(c) {
			return false
		}
	}
	return true
}
