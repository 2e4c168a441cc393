package ws

import "errors"

// Param is a parameter of an extension in Sec-WebSocket-Extensions. Value
// is nil when the parameter has none; a quoted-string value comes without
// its quotes and with any backslash escapes as they were (RFC 6455 §9.1
// requires the unescaped value to be a token, and no token character
// needs escaping, so an escape only shows up in values that fail a
// token check anyway).
type Param struct {
	Name, Value []byte
}

// ErrBadExtensions is the error of [ParseExtensions] for a field value
// that is not an extension-list.
var ErrBadExtensions = errors.New("ws: malformed Sec-WebSocket-Extensions")

// maxExtParams bounds the parameters of one extension: no extension has
// many, and the bound keeps ParseExtensions' storage fixed.
const maxExtParams = 16

// ParseExtensions walks a Sec-WebSocket-Extensions value (RFC 6455 §9.1;
// several field lines joined with commas), calling fn for each extension
// in order until fn returns false. name and params alias header, params
// only until fn returns. Empty list elements are skipped (RFC 9110
// §5.6.1). A malformed value, or an extension with more than 16
// parameters, stops the walk with [ErrBadExtensions]; fn has then seen
// the extensions before it.
func ParseExtensions(header []byte, fn func(name []byte, params []Param) bool) error {
	var params [maxExtParams]Param
	s := header
	for {
		s = skipOWS(s)
		if len(s) == 0 {
			return nil
		}
		if s[0] == ',' {
			s = s[1:]
			continue
		}
		var name []byte
		name, s = token(s)
		if name == nil {
			return ErrBadExtensions
		}
		np := 0
		for s = skipOWS(s); len(s) > 0 && s[0] == ';'; s = skipOWS(s) {
			var p Param
			p.Name, s = token(skipOWS(s[1:]))
			if p.Name == nil {
				return ErrBadExtensions
			}
			if s = skipOWS(s); len(s) > 0 && s[0] == '=' {
				if s = skipOWS(s[1:]); len(s) > 0 && s[0] == '"' {
					p.Value, s = quoted(s)
				} else {
					p.Value, s = token(s)
				}
				if len(p.Value) == 0 {
					return ErrBadExtensions
				}
			}
			if np == maxExtParams {
				return ErrBadExtensions
			}
			params[np] = p
			np++
		}
		if len(s) > 0 && s[0] != ',' {
			return ErrBadExtensions
		}
		if !fn(name, params[:np]) {
			return nil
		}
	}
}

// token splits a leading token (RFC 9110 §5.6.2) off s; tok is nil when s
// does not start with one.
func token(s []byte) (tok, rest []byte) {
	i := 0
	for i < len(s) && isTokenChar(s[i]) {
		i++
	}
	if i == 0 {
		return nil, s
	}
	return s[:i], s[i:]
}

// quoted splits a leading quoted-string off s, returning its content
// (escapes kept); content is nil when the string is not closed.
func quoted(s []byte) (content, rest []byte) {
	for i := 1; i < len(s); i++ {
		switch c := s[i]; {
		case c == '\\':
			i++
		case c == '"':
			return s[1:i], s[i+1:]
		case c < ' ' && c != '\t', c == 0x7f:
			return nil, s
		}
	}
	return nil, s
}

// skipOWS skips leading spaces and tabs.
func skipOWS(s []byte) []byte {
	for len(s) > 0 && (s[0] == ' ' || s[0] == '\t') {
		s = s[1:]
	}
	return s
}

// isTokenChar reports whether c is a tchar (RFC 9110 §5.6.2).
func isTokenChar(c byte) bool {
	switch {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		return true
	}
	switch c {
	case '!', '#', '$', '%', '&', '\'', '*', '+', '-', '.', '^', '_', '`', '|', '~':
		return true
	}
	return false
}
