package h2

import "github.com/golws/golws/hpack"

var (
	errUppercaseName    = streamError(ErrCodeProtocol, "uppercase field name")
	errBadFieldName     = streamError(ErrCodeProtocol, "invalid field name")
	errBadFieldValue    = streamError(ErrCodeProtocol, "invalid field value")
	errPseudoAfter      = streamError(ErrCodeProtocol, "pseudo-header field after a regular one")
	errPseudoUnknown    = streamError(ErrCodeProtocol, "unknown or response pseudo-header field")
	errPseudoRepeated   = streamError(ErrCodeProtocol, "repeated pseudo-header field")
	errPseudoMissing    = streamError(ErrCodeProtocol, "missing :method, :scheme or :path")
	errEmptyPath        = streamError(ErrCodeProtocol, "empty :path")
	errConnectionHeader = streamError(ErrCodeProtocol, "connection-specific header field")
	errTE               = streamError(ErrCodeProtocol, "te other than trailers")
	errContentLength    = streamError(ErrCodeProtocol, "invalid content-length")
	errConnect          = streamError(ErrCodeProtocol, "malformed CONNECT request")
)

// checkRequest checks a request's fields (RFC 9113 §8.2, §8.3.1; RFC 8441
// §4) and fills c.head from them.
func (c *ServerConn) checkRequest(fields []hpack.Field) error {
	h := &c.head
	*h = RequestHead{Fields: h.Fields[:0], ContentLength: -1}
	regular := false
	for i := range fields {
		f := &fields[i]
		name := f.Name
		if len(name) > 0 && name[0] == ':' {
			if regular {
				return errPseudoAfter
			}
			var slot *[]byte
			switch string(name) {
			case ":method":
				slot = &h.Method
			case ":scheme":
				slot = &h.Scheme
			case ":authority":
				slot = &h.Authority
			case ":path":
				slot = &h.Path
			case ":protocol":
				if !c.cfg.EnableConnectProtocol {
					return errPseudoUnknown
				}
				slot = &h.Protocol
			default:
				return errPseudoUnknown
			}
			if *slot != nil {
				return errPseudoRepeated
			}
			if !validValue(f.Value) {
				return errBadFieldValue
			}
			*slot = f.Value
			continue
		}
		regular = true
		if err := checkFieldName(name); err != nil {
			return err
		}
		if !validValue(f.Value) {
			return errBadFieldValue
		}
		switch string(name) {
		case "connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade":
			return errConnectionHeader
		case "te":
			if string(f.Value) != "trailers" {
				return errTE
			}
		case "content-length":
			n, ok := parseDecimal(f.Value)
			if !ok || h.ContentLength >= 0 && n != h.ContentLength {
				return errContentLength
			}
			h.ContentLength = n
		}
		h.Fields = append(h.Fields, *f)
	}
	if string(h.Method) == "CONNECT" {
		if h.Protocol == nil {
			// Plain CONNECT: only :method and :authority (§8.5).
			if h.Scheme != nil || h.Path != nil || len(h.Authority) == 0 {
				return errConnect
			}
			return nil
		}
		if h.Scheme == nil || len(h.Path) == 0 || len(h.Authority) == 0 {
			return errConnect
		}
		return nil
	}
	switch {
	case h.Protocol != nil:
		return errConnect
	case h.Method == nil || h.Scheme == nil || h.Path == nil:
		return errPseudoMissing
	case len(h.Path) == 0:
		return errEmptyPath
	case len(h.Method) == 0:
		return errPseudoMissing
	}
	return nil
}

// checkFieldName accepts a lowercase token (§8.2.1: uppercase is malformed).
func checkFieldName(name []byte) error {
	if len(name) == 0 {
		return errBadFieldName
	}
	for _, b := range name {
		switch {
		case b >= 'A' && b <= 'Z':
			return errUppercaseName
		case tokenChar[b] == 0:
			return errBadFieldName
		}
	}
	return nil
}

// validValue refuses NUL, CR, LF and leading or trailing whitespace
// (§8.2.1).
func validValue(v []byte) bool {
	if len(v) > 0 && (isWS(v[0]) || isWS(v[len(v)-1])) {
		return false
	}
	for _, b := range v {
		if b == 0 || b == '\r' || b == '\n' {
			return false
		}
	}
	return true
}

func isWS(b byte) bool { return b == ' ' || b == '\t' }

// parseDecimal reads 1*DIGIT into a non-negative int64.
func parseDecimal(v []byte) (int64, bool) {
	if len(v) == 0 || len(v) > 18 {
		return 0, false
	}
	var n int64
	for _, b := range v {
		if b < '0' || b > '9' {
			return 0, false
		}
		n = n*10 + int64(b-'0')
	}
	return n, true
}

// tokenChar marks the tchar of RFC 9110 §5.6.2.
var tokenChar = func() (t [256]byte) {
	for c := '0'; c <= '9'; c++ {
		t[c] = 1
	}
	for c := 'a'; c <= 'z'; c++ {
		t[c], t[c-32] = 1, 1
	}
	for _, c := range "!#$%&'*+-.^_`|~" {
		t[c] = 1
	}
	return t
}()
