package urlpath

import "errors"

// ErrInvalid is what every refusal of [Clean] matches with errors.Is. The
// server answers all of them with 400 Bad Request; the specific errors below
// only make logs and tests say why.
var ErrInvalid = errors.New("urlpath: invalid request path")

// Error is a specific reason for refusing a path. The values are the
// package-level variables below, so returning one never allocates.
type Error struct{ reason string }

func (e *Error) Error() string { return "urlpath: " + e.reason }

// Unwrap makes every *Error match [ErrInvalid].
func (e *Error) Unwrap() error { return ErrInvalid }

var (
	// ErrNotAbsolute: the path does not start with '/' (origin-form requires it).
	ErrNotAbsolute = &Error{"path does not start with '/'"}
	// ErrBadEscape: a '%' not followed by two hex digits.
	ErrBadEscape = &Error{"malformed percent-escape"}
	// ErrControlByte: NUL, another control byte or DEL, literal or decoded.
	// No file name worth serving contains one, and they break logs,
	// headers and C string APIs.
	ErrControlByte = &Error{"control byte in path"}
)
