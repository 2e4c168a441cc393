package accesslog

import (
	"strconv"
	"time"
)

// Entry is what the server knows when a request ends. The byte slices may
// alias request buffers: Append copies what it formats before returning.
// Empty fields are logged as "-".
type Entry struct {
	// RemoteAddr is the client address as it should appear (usually
	// the IP without port).
	RemoteAddr []byte
	// User is the authenticated user, if any.
	User []byte
	// Time is when the request was received; zero means now.
	Time time.Time
	// Method, Target and Proto are the parts of the request line.
	Method, Target, Proto []byte
	// Status is the response status code; 0 is logged as "-".
	Status int
	// Bytes is the size of the response body sent; 0 is logged as "-".
	Bytes              int64
	Referer, UserAgent []byte
}

// maxLineLen bounds the formatted length of e, with every field byte
// escaped to four: callers use it to make sure the line fits in a chunk
// before writing it, so chunks never grow while formatting.
func maxLineLen(e *Entry) int {
	fields := len(e.RemoteAddr) + len(e.User) + len(e.Method) + len(e.Target) + len(e.Proto) +
		len(e.Referer) + len(e.UserAgent)
	// The rest: separators, quotes, a 28-byte timestamp, two numbers.
	return 4*fields + 96
}

// appendEntry appends one log line, newline included. stamp is the
// bracketed timestamp for e.Time.
func appendEntry(dst []byte, e *Entry, stamp []byte) []byte {
	dst = appendField(dst, e.RemoteAddr, &unquotedUnsafe)
	dst = append(dst, " - "...)
	dst = appendField(dst, e.User, &unquotedUnsafe)
	dst = append(dst, ' ')
	dst = append(dst, stamp...)
	dst = append(dst, " \""...)
	dst = appendRequestLine(dst, e)
	dst = append(dst, "\" "...)
	dst = appendNumber(dst, int64(e.Status))
	dst = append(dst, ' ')
	dst = appendNumber(dst, e.Bytes)
	dst = append(dst, " \""...)
	dst = appendField(dst, e.Referer, &quotedUnsafe)
	dst = append(dst, "\" \""...)
	dst = appendField(dst, e.UserAgent, &quotedUnsafe)
	return append(dst, "\"\n"...)
}

// appendRequestLine appends the non-empty parts of the request line
// separated by spaces, or "-" if there are none (a connection that never
// sent a complete request line).
func appendRequestLine(dst []byte, e *Entry) []byte {
	start := len(dst)
	for _, part := range [...][]byte{e.Method, e.Target, e.Proto} {
		if len(part) == 0 {
			continue
		}
		if len(dst) > start {
			dst = append(dst, ' ')
		}
		dst = appendEscaped(dst, part, &quotedUnsafe)
	}
	if len(dst) == start {
		dst = append(dst, '-')
	}
	return dst
}

func appendField(dst, field []byte, unsafe *[256]bool) []byte {
	if len(field) == 0 {
		return append(dst, '-')
	}
	return appendEscaped(dst, field, unsafe)
}

func appendNumber(dst []byte, n int64) []byte {
	if n == 0 {
		return append(dst, '-')
	}
	return strconv.AppendInt(dst, n, 10)
}
