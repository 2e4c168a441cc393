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
// checked, and enforces which form each method may use.
func parseTarget(t []byte, m Method) (targetParts, *Error) {
	switch {
	case m == MethodCONNECT:
		if !validAuthority(t, true) {
			return targetParts{}, ErrTargetForm
		}
		return targetParts{form: formAuthority, path: absent, query: absent, authority: span{0, len(t)}}, nil
	case t[0] == '/':
		tp := targetParts{form: formOrigin, authority: absent}
		tp.path, tp.query = pathAndQuery(t, 0)
		return tp, nil
	case len(t) == 1 && t[0] == '*':
		if m != MethodOPTIONS {
			return targetParts{}, ErrTargetForm
		}
		return targetParts{form: formAsterisk, path: span{0, 1}, query: absent, authority: absent}, nil
	}
	return parseAbsolute(t)
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
func parseAbsolute(t []byte) (targetParts, *Error) {
	i := 0
	if t[0]|0x20 < 'a' || t[0]|0x20 > 'z' {
		return targetParts{}, ErrBadTarget
	}
	for i < len(t) && class[t[i]]&classScheme != 0 {
		i++
	}
	if len(t)-i < 3 || string(t[i:i+3]) != "://" {
		return targetParts{}, ErrBadTarget
	}
	a := i + 3
	e := a
	for e < len(t) && t[e] != '/' && t[e] != '?' {
		e++
	}
	if !validAuthority(t[a:e], false) {
		return targetParts{}, ErrBadHost
	}
	tp := targetParts{form: formAbsolute, authority: span{a, e}}
	tp.path, tp.query = pathAndQuery(t, e)
	if tp.path.start == tp.path.end {
		// No path: it reads as "/" (RFC 9112 §3.2.1). Point at the second
		// slash of "://" so that Path still aliases the caller's buffer.
		tp.path = span{i + 2, i + 3}
	}
	return tp, nil
}

// validAuthority checks host [":" port] (RFC 3986 §3.2.2–3): a reg-name or
// IPv4 address, or an IP-literal in brackets, and an optional port that
// needPort makes mandatory. An empty authority is valid only where the
// caller allows it (an empty Host, RFC 9110 §7.2).
func validAuthority(a []byte, needPort bool) bool {
	if len(a) == 0 {
		return false
	}
	for _, c := range a {
		if class[c]&classAuthority == 0 {
			return false
		}
	}
	var host, rest []byte
	if a[0] == '[' {
		end := bytes.IndexByte(a, ']')
		if end < 2 {
			return false
		}
		host, rest = a[1:end], a[end+1:]
		if bytes.IndexByte(host, '[') >= 0 {
			return false
		}
	} else {
		host, rest = a, nil
		if c := bytes.IndexByte(a, ':'); c >= 0 {
			host, rest = a[:c], a[c:]
		}
		if len(host) == 0 || bytes.IndexByte(host, '[') >= 0 || bytes.IndexByte(host, ']') >= 0 {
			return false
		}
	}
	if len(rest) == 0 {
		return !needPort
	}
	if rest[0] != ':' || (needPort && len(rest) == 1) {
		return false
	}
	for _, c := range rest[1:] {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}
