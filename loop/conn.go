package loop

import (
	"net"
	"time"
	"unsafe"

	"github.com/golws/golws/buflist"
	"github.com/golws/golws/poll"
	"github.com/golws/golws/wheel"
	"golang.org/x/sys/unix"
)

// Conn flags. A connection is touched only by its loop, so plain bits do.
const (
	fClosed       uint32 = 1 << iota // finalized: OnClose has run, fd is gone
	fDirty                           // queued for a flush this turn
	fConnecting                      // outgoing connect in progress
	fReadPaused                      // the handler paused reading
	fBackpressure                    // output at the cap: reading paused until it drains
	fWantWritable                    // the handler asked for OnWritable
	fPeerEOF                         // the peer half-closed (read returned 0)
	fClosing                         // graceful close: flush, then linger
	fShutWrite                       // shut our write side once output drains
	fWriteShut                       // our write side is shut
	fLinger                          // closing: waiting for the peer's EOF, reads discarded
	fBroken                          // a write inside a callback failed: finalize when it returns
	fWaitOut                         // a SendFile was cut short: wait for the socket to drain
	fCodecHeld                       // the codec holds input not yet delivered (reading was paused)
)

const (
	kindConn uint8 = iota
	kindListener
)

// Conn is one connection on a loop. Its methods are for the loop goroutine
// (inside Handler callbacks, timers and posted tasks) unless they say
// otherwise; from elsewhere use [Conn.Post].
type Conn struct {
	fd       int32
	flags    uint32
	kind     uint8
	interest poll.Interest // what the poller has registered
	wturn    uint32        // loop turn of the last OnWritable
	loop     *Loop
	handler  Handler
	ctx      any
	out      buflist.List
	timer    wheel.Timer
	closeErr error
	codec    Codec
}

// Fd is the socket's file descriptor.
func (c *Conn) Fd() int { return int(c.fd) }

// Loop is the loop that owns the connection.
func (c *Conn) Loop() *Loop { return c.loop }

// Handler is the connection's current protocol.
func (c *Conn) Handler() Handler { return c.handler }

// SetHandler switches the connection to another protocol (lws's role
// change, e.g. HTTP/1.1 to WebSocket); later events go to h.
func (c *Conn) SetHandler(h Handler) { c.handler = h }

// Context is the handler's per-connection state.
func (c *Conn) Context() any { return c.ctx }

// SetContext sets the handler's per-connection state.
func (c *Conn) SetContext(v any) { c.ctx = v }

// Closed reports whether the connection is gone.
func (c *Conn) Closed() bool { return c.flags&fClosed != 0 }

// Buffered is the number of bytes written but not yet taken by the kernel.
func (c *Conn) Buffered() int {
	if c.loop.cur == c {
		return c.out.Len() + len(c.loop.stage)
	}
	return c.out.Len()
}

// Writable reports whether Write will take more output now: the connection
// is open for writing and its buffered output is below the cap.
func (c *Conn) Writable() bool {
	return c.flags&writeBlocked == 0 && c.Buffered() < c.loop.e.cfg.MaxBuffered
}

// Write sends p to the peer. Inside one of the connection's own callbacks
// the writes gather in the loop's staging buffer and leave in one write(2)
// when the callback returns (pipelined replies share a syscall; nothing
// touches a pool). Elsewhere, or once output is backed up, p is queued in
// the connection's buflist and flushed with writev at the end of the turn.
// Whatever the kernel does not take stays queued until the socket drains.
//
// Write fails with ErrBufferFull if the output is already at the cap (the
// producer should call RequestWritable and wait for OnWritable) and with
// ErrClosed once the connection is closing. p is copied or written before
// Write returns: the caller may reuse it at once.
func (c *Conn) Write(p []byte) error {
	if c.flags&writeBlocked == 0 && c.Buffered() >= c.loop.e.cfg.MaxBuffered {
		return ErrBufferFull
	}
	return c.WriteAll(p)
}

// WriteAll is Write without the output cap: for output the caller has
// already committed to and holds in memory anyway (an HTTP response a
// handler produced in one go). The cap still pauses reading and makes
// Writable false, so the next producer waits.
func (c *Conn) WriteAll(p []byte) error {
	if c.flags&writeBlocked != 0 {
		return ErrClosed
	}
	l := c.loop
	if l.cur == c && c.out.Empty() {
		if len(l.stage)+len(p) <= cap(l.stage) {
			l.stage = append(l.stage, p...)
			return nil
		}
		l.writeThrough(c, p)
		return nil
	}
	if c.codec != nil {
		l.enc = l.encodeInto(c, l.enc[:0], p)
		p = l.enc
	}
	c.out.Append(p)
	c.queued()
	return nil
}

// WriteString is Write for a string, without converting it.
func (c *Conn) WriteString(s string) error {
	if err := c.canWrite(); err != nil {
		return err
	}
	l := c.loop
	if l.cur == c && c.out.Empty() && len(l.stage)+len(s) <= cap(l.stage) {
		l.stage = append(l.stage, s...)
		return nil
	}
	if l.cur == c && c.out.Empty() || c.codec != nil {
		return c.WriteAll(unsafe.Slice(unsafe.StringData(s), len(s))) // read, never written
	}
	c.out.AppendString(s)
	c.queued()
	return nil
}

// writeBlocked are the states in which nothing more may be written.
const writeBlocked = fClosed | fClosing | fShutWrite | fWriteShut | fBroken

func (c *Conn) canWrite() error {
	if c.flags&writeBlocked != 0 {
		return ErrClosed
	}
	if c.Buffered() >= c.loop.e.cfg.MaxBuffered {
		return ErrBufferFull
	}
	return nil
}

func (c *Conn) queued() {
	if c.out.Len() >= c.loop.e.cfg.MaxBuffered {
		c.flags |= fBackpressure
	}
	c.loop.markDirty(c)
}

// RequestWritable asks for one OnWritable call once the connection's output
// has drained (lws's callback_on_writable). If nothing is queued it comes
// at the end of this turn.
func (c *Conn) RequestWritable() {
	if c.flags&fClosed != 0 {
		return
	}
	c.flags |= fWantWritable
	c.loop.markDirty(c)
}

// PauseRead stops OnData until ResumeRead.
func (c *Conn) PauseRead() {
	c.flags |= fReadPaused
	c.loop.markDirty(c)
}

// ResumeRead undoes PauseRead. Input a codec held meanwhile is delivered
// at the end of the turn.
func (c *Conn) ResumeRead() {
	c.flags &^= fReadPaused
	c.loop.markDirty(c)
}

// SetTimeout closes the connection if d passes before the next SetTimeout
// or ClearTimeout (lws's set_timeout). A [TimeoutHandler] decides instead.
func (c *Conn) SetTimeout(d time.Duration) {
	if c.flags&fClosed == 0 {
		c.loop.Schedule(&c.timer, d)
	}
}

// ClearTimeout cancels SetTimeout.
func (c *Conn) ClearTimeout() { c.loop.wheel.Cancel(&c.timer) }

// Close closes gracefully: reading stops, queued output is flushed, our
// side is shut, and the connection ends when the peer closes too or after
// Config.CloseTimeout. Closing an already closing connection does nothing.
func (c *Conn) Close() {
	if c.flags&(fClosed|fClosing) != 0 {
		return
	}
	c.flags |= fClosing
	c.loop.Schedule(&c.timer, c.loop.e.cfg.CloseTimeout)
	c.loop.markDirty(c)
}

// CloseWrite shuts our write side once queued output is flushed (a TCP
// half-close); reading goes on until the peer closes.
func (c *Conn) CloseWrite() {
	if c.flags&(fClosed|fClosing|fShutWrite|fWriteShut) != 0 {
		return
	}
	c.flags |= fShutWrite
	c.loop.markDirty(c)
}

// Abort closes at once, dropping queued output, and resets the connection
// (RST) so the peer learns it was not a clean end.
func (c *Conn) Abort() {
	if c.flags&fClosed == 0 {
		c.loop.abort(c, nil)
	}
}

// Post runs fn on the connection's loop with err nil if the connection is
// still open, or ErrClosed if it has gone by then. Safe from any goroutine;
// it fails with ErrEngineClosed (fn will not run) once the loop has stopped.
func (c *Conn) Post(fn func(c *Conn, err error)) error {
	return c.loop.post(task{cfn: fn, c: c})
}

// LocalAddr is the socket's local address (a system call; not for the hot path).
func (c *Conn) LocalAddr() net.Addr {
	sa, err := unix.Getsockname(int(c.fd))
	if err != nil {
		return nil
	}
	return sockaddrToAddr(sa)
}

// RemoteAddr is the peer's address (a system call; not for the hot path).
func (c *Conn) RemoteAddr() net.Addr {
	sa, err := unix.Getpeername(int(c.fd))
	if err != nil {
		return nil
	}
	return sockaddrToAddr(sa)
}

// wantInterest is what the poller should watch for c now.
func (c *Conn) wantInterest() poll.Interest {
	var in poll.Interest
	switch {
	case c.flags&fConnecting != 0:
		return poll.Write
	case c.flags&fLinger != 0:
		in = poll.Read // read and drop until the peer's EOF
	case c.flags&(fReadPaused|fBackpressure|fPeerEOF|fClosing) == 0:
		in = poll.Read
	}
	if !c.out.Empty() || c.flags&fWaitOut != 0 {
		in |= poll.Write
	}
	return in
}

func connTimerFired(t *wheel.Timer) {
	c := t.Arg.(*Conn)
	l := c.loop
	switch {
	case c.flags&fClosed != 0:
	case c.flags&(fConnecting|fClosing|fLinger) != 0:
		l.abort(c, ErrTimeout)
	default:
		if th, ok := c.handler.(TimeoutHandler); ok {
			th.OnTimeout(c)
			l.markDirty(c)
		} else {
			l.abort(c, ErrTimeout)
		}
	}
}
