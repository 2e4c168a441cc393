package loop

import "errors"

// Codec transforms a connection's bytes both ways below its handler: TLS
// records, say. With a codec set, OnData receives what Decode returns and
// everything written (Write, WriteAll, WriteString) passes through Encode
// on its way out. Writes made inside one callback are encoded together
// when it returns, so that a response written in pieces becomes as few
// records as possible.
type Codec interface {
	// Decode takes received bytes (in; nil to continue with what the
	// codec holds) and writes what the handler should see into out,
	// returning it. It always takes all of in: what it cannot decode into
	// out now (out may be empty, while reading is paused) it keeps. more
	// reports that it holds more: Decode is called again with nil until
	// it is false. A non-nil err ends the connection gracefully (what the
	// codec wrote with WriteRaw, an alert, is flushed first); plain is
	// delivered before that.
	Decode(c *Conn, in, out []byte) (plain []byte, more bool, err error)
	// Encode appends the wire form of p to dst.
	Encode(dst, p []byte) ([]byte, error)
}

// ErrNotSupported is SendFile on a connection with a codec: the bytes
// must pass through it.
var ErrNotSupported = errors.New("loop: not supported on a connection with a codec")

// SetCodec puts k between the socket and the handler. Bytes received and
// written from then on pass through it; what was queued before stays as
// it was.
func (c *Conn) SetCodec(k Codec) { c.codec = k }

// Codec is the connection's codec, nil if none.
func (c *Conn) Codec() Codec { return c.codec }

// WriteRaw queues p as it is, bypassing the codec: for the codec's own
// output (handshake records, alerts). It keeps order with what was
// written before it.
func (c *Conn) WriteRaw(p []byte) error {
	if c.flags&writeBlocked != 0 {
		return ErrClosed
	}
	l := c.loop
	if l.cur == c && len(l.stage) > 0 {
		l.writeThrough(c, nil) // plaintext staged before p goes first, encoded
	}
	c.out.Append(p)
	c.queued()
	return nil
}

// encodeInto encodes p with c's codec into the loop's scratch, or marks
// the connection broken if the codec fails.
func (l *Loop) encodeInto(c *Conn, dst, p []byte) []byte {
	out, err := c.codec.Encode(dst, p)
	if err != nil {
		c.flags |= fBroken
		c.closeErr = err
		return dst
	}
	return out
}

// decode runs the codec over received bytes (in, or nil for what it
// holds) and hands the plaintext to the handler while reading is not
// paused; what the codec still holds then waits for ResumeRead.
func (l *Loop) decode(c *Conn, in []byte) {
	for c.flags&(fClosed|fClosing) == 0 {
		if l.plain == nil {
			l.plain = make([]byte, l.e.cfg.ReadBufferSize)
		}
		out := l.plain
		if c.flags&fReadPaused != 0 {
			out = out[:0] // the codec only keeps in
		}
		plain, more, err := c.codec.Decode(c, in, out)
		in = nil
		if len(plain) > 0 {
			l.cur = c
			c.handler.OnData(c, plain)
			l.endCallback(c)
		}
		if err != nil {
			c.Close()
			return
		}
		if !more {
			c.flags &^= fCodecHeld
			return
		}
		c.flags |= fCodecHeld
		if c.flags&fReadPaused != 0 {
			return
		}
	}
}
