package h1

import (
	"errors"
	"strconv"
)

// ErrNeedMore is returned, with n == 0, while a head is incomplete and
// still within its limits: call again once more bytes have arrived.
var ErrNeedMore = errors.New("h1: incomplete message head")

// Error is the verdict on a message that will not be processed: Status is
// the response a server sends before closing (400, 413, 414, 417, 431,
// 501 or 505) and Reason says why, for logs. Parsers only return the
// predefined values below, so rejecting a message never allocates, and
// callers may compare with ==.
//
// The response parser and the chunked decoder use the same values; there
// Status tells what was wrong in server terms (a gateway would answer
// 502 whatever it is).
type Error struct {
	Status int
	Reason string
}

func (e *Error) Error() string {
	return "h1: " + strconv.Itoa(e.Status) + " " + e.Reason
}

func newError(status int, reason string) *Error { return &Error{status, reason} }

// Start line.
var (
	ErrRequestLineTooLong  = newError(414, "request line longer than Limits.MaxRequestLine")
	ErrBadRequestLine      = newError(400, "request line is not method SP target SP version")
	ErrBadMethod           = newError(400, "method is not a token")
	ErrBadTarget           = newError(400, "invalid request-target")
	ErrTargetForm          = newError(400, "request-target form not allowed for this method")
	ErrBadVersion          = newError(400, "malformed HTTP version")
	ErrVersionNotSupported = newError(505, "HTTP major version is not 1")
	ErrBadStatusLine       = newError(400, "malformed status line")
)

// Line syntax and field lines (RFC 9112 §2.2, §5).
var (
	ErrHeadTooLarge     = newError(431, "head longer than Limits.MaxHeaderBytes")
	ErrTooManyHeaders   = newError(431, "more fields than Limits.MaxHeaders")
	ErrBareCR           = newError(400, "CR not followed by LF")
	ErrObsFold          = newError(400, "obsolete line folding")
	ErrEmptyFieldName   = newError(400, "empty field name")
	ErrBadFieldName     = newError(400, "invalid character in field name")
	ErrSpaceBeforeColon = newError(400, "whitespace between field name and colon")
	ErrNoColon          = newError(400, "field line without a colon")
	ErrBadFieldValue    = newError(400, "invalid character in field value")
)

// Field semantics of a request (RFC 9112 §3.2, §6; RFC 9110 §7.2, §10.1.1).
var (
	ErrMissingHost          = newError(400, "HTTP/1.1 request without Host")
	ErrMultipleHost         = newError(400, "more than one Host field")
	ErrBadHost              = newError(400, "invalid Host or authority")
	ErrBadContentLength     = newError(400, "invalid Content-Length")
	ErrConflictingLength    = newError(400, "Content-Length fields with different values")
	ErrContentTooLarge      = newError(413, "content longer than the configured maximum")
	ErrLengthAndEncoding    = newError(400, "both Transfer-Encoding and Content-Length")
	ErrBadTransferEncoding  = newError(400, "malformed Transfer-Encoding")
	ErrChunkedNotFinal      = newError(400, "chunked is not the final transfer coding")
	ErrChunkedTwice         = newError(400, "chunked applied more than once")
	ErrUnsupportedEncoding  = newError(501, "transfer coding not implemented")
	ErrEncodingInHTTP10     = newError(400, "Transfer-Encoding in an HTTP/1.0 message")
	ErrBadConnection        = newError(400, "malformed Connection")
	ErrExpectationFailed    = newError(417, "expectation other than 100-continue")
	ErrBadChunkSize         = newError(400, "invalid chunk size")
	ErrChunkSizeOverflow    = newError(400, "chunk size larger than 2^62")
	ErrChunkLineTooLong     = newError(400, "chunk size line longer than MaxChunkSizeLine")
	ErrBadChunkExtension    = newError(400, "malformed chunk extension")
	ErrMissingChunkLF       = newError(400, "chunk size line not ended by CRLF")
	ErrMissingChunkCRLF     = newError(400, "chunk data not followed by CRLF")
	ErrTrailerTooLarge      = newError(431, "trailer section longer than MaxTrailerBytes")
	ErrBadTrailerLineEnding = newError(400, "trailer line not ended by CRLF")
)
