package h1

// Limits bound what a peer can make a parser buffer and scan. A zero (or
// negative) field takes its default.
type Limits struct {
	// MaxRequestLine bounds the start line, without its line terminator
	// (default 8 KiB); a longer request line is answered 414. The
	// response parser applies it to the status line.
	MaxRequestLine int
	// MaxHeaderBytes bounds the whole head: leading empty lines, start
	// line, fields and the final empty line (default 16 KiB) → 431.
	MaxHeaderBytes int
	// MaxHeaders bounds the number of field lines (default 100, at most
	// 65535) → 431.
	MaxHeaders int
	// MaxContentLength, when positive, is the largest Content-Length
	// accepted; a larger one is answered 413 before any content is read.
	// Zero means no limit.
	MaxContentLength int64
}

// Defaults of Limits.
const (
	DefaultMaxRequestLine = 8 << 10
	DefaultMaxHeaderBytes = 16 << 10
	DefaultMaxHeaders     = 100
	maxMaxHeaders         = 1<<16 - 1 // Request.index holds uint16 positions
)

// resolved returns l with defaults in place of zero fields.
func (l Limits) resolved() Limits {
	if l.MaxRequestLine <= 0 {
		l.MaxRequestLine = DefaultMaxRequestLine
	}
	if l.MaxHeaderBytes <= 0 {
		l.MaxHeaderBytes = DefaultMaxHeaderBytes
	}
	if l.MaxHeaders <= 0 {
		l.MaxHeaders = DefaultMaxHeaders
	}
	l.MaxHeaders = min(l.MaxHeaders, maxMaxHeaders)
	return l
}
