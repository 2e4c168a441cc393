package loop

import (
	"io"

	"golang.org/x/sys/unix"
)

// stageSize is the per-loop staging buffer for the running callback's
// writes. Larger writes go straight to the kernel without a copy.
const stageSize = 64 << 10

// endCallback sends what the callback that just returned wrote to c, then
// settles c's state if the callback changed it (close, pause, more output).
func (l *Loop) endCallback(c *Conn) {
	l.cur = nil
	if c.flags&fClosed != 0 {
		l.stage = l.stage[:0]
		return
	}
	if c.flags&fBroken != 0 {
		l.stage = l.stage[:0]
		l.finalize(c, c.closeErr)
		return
	}
	if len(l.stage) > 0 {
		data := l.stage
		if c.codec != nil {
			l.enc = l.encodeInto(c, l.enc[:0], l.stage)
			data = l.enc
			if c.flags&fBroken != 0 {
				l.stage = l.stage[:0]
				l.finalize(c, c.closeErr)
				return
			}
		}
		n, e := sysWrite(int(c.fd), data)
		for e == unix.EINTR {
			n, e = sysWrite(int(c.fd), data)
		}
		switch {
		case e == unix.EAGAIN:
			n = 0
		case e != 0:
			l.stage = l.stage[:0]
			l.finalize(c, e)
			return
		}
		if n < len(data) {
			c.out.Append(data[n:])
			c.queued()
		}
		l.stage = l.stage[:0]
	}
	if c.flags&fDirty != 0 {
		l.flush(c)
	}
}

// writeThrough sends the stage and p with one writev, from inside a
// callback, when p does not fit the stage: a large body is not copied
// unless the kernel leaves some of it.
func (l *Loop) writeThrough(c *Conn, p []byte) {
	if c.codec != nil {
		// Encoded, stage and p are one buffer: no writev needed.
		l.enc = l.encodeInto(c, l.enc[:0], l.stage)
		l.enc = l.encodeInto(c, l.enc, p)
		l.stage = l.stage[:0]
		if c.flags&fBroken != 0 {
			return
		}
		p = l.enc
	}
	bufs := l.slices[:0]
	if len(l.stage) > 0 {
		bufs = append(bufs, l.stage)
	}
	if len(p) > 0 {
		bufs = append(bufs, p)
	}
	if len(bufs) == 0 {
		return
	}
	want := len(l.stage) + len(p)
	n, e := sysWritev(int(c.fd), bufs, l.iov)
	for e == unix.EINTR {
		n, e = sysWritev(int(c.fd), bufs, l.iov)
	}
	clear(bufs)
	switch {
	case e == unix.EAGAIN:
		n = 0
	case e != 0:
		// Finalizing here would run OnClose inside the caller's callback;
		// remember the error and end the connection when it returns.
		c.flags |= fBroken
		c.closeErr = e
		l.stage = l.stage[:0]
		return
	}
	if n < want {
		if n < len(l.stage) {
			c.out.Append(l.stage[n:])
			n = 0
		} else {
			n -= len(l.stage)
		}
		c.out.Append(p[n:])
		c.queued()
	}
	l.stage = l.stage[:0]
}

// flush writes c's queued output with writev until the kernel stops taking
// it, then brings the connection's state in line: poller interest,
// backpressure, pending close or half-close, and OnWritable.
func (l *Loop) flush(c *Conn) {
	c.flags &^= fDirty
	if c.flags&fBroken != 0 {
		l.finalize(c, c.closeErr)
		return
	}
	for !c.out.Empty() && c.flags&fWriteShut == 0 {
		bufs := c.out.Slices(l.slices[:0], maxIov)
		want := 0
		for _, b := range bufs {
			want += len(b)
		}
		n, e := sysWritev(int(c.fd), bufs, l.iov)
		clear(bufs) // the scratch list must not pin pooled chunks
		if e == unix.EINTR {
			continue
		}
		if e == unix.EAGAIN {
			break
		}
		if e != 0 {
			// EPIPE, ECONNRESET and friends are the peer's business, not
			// an error of ours: the connection ends, nothing is logged.
			l.finalize(c, e)
			return
		}
		c.out.Consume(n)
		if n < want {
			break // the socket buffer is full; wait for EPOLLOUT
		}
	}
	if c.out.Empty() {
		c.flags &^= fBackpressure
		switch {
		case c.flags&fClosing != 0 && c.flags&fLinger == 0:
			l.startLinger(c)
			if c.flags&fClosed != 0 {
				return
			}
		case c.flags&fShutWrite != 0:
			c.flags = c.flags&^fShutWrite | fWriteShut
			unix.Shutdown(int(c.fd), unix.SHUT_WR)
			if c.flags&fPeerEOF != 0 {
				l.finalize(c, io.EOF)
				return
			}
		}
	} else if c.out.Len() < l.e.cfg.MaxBuffered/2 {
		// Resume reading with room for a full read buffer of replies
		// before the cap, so a paused echo-like peer does not flap.
		c.flags &^= fBackpressure
	}
	if c.flags&fWantWritable != 0 && c.out.Empty() && c.flags&(fClosing|fWriteShut|fWaitOut) == 0 {
		if c.wturn == l.turn {
			// Once per turn: a producer that always has more must not
			// starve the loop's other connections.
			l.retry = append(l.retry, c)
		} else {
			c.wturn = l.turn
			c.flags &^= fWantWritable
			l.cur = c
			c.handler.OnWritable(c)
			l.endCallback(c) // what OnWritable wrote leaves now
			if c.flags&fClosed != 0 {
				return
			}
		}
	}
	l.syncInterest(c)
}

// syncInterest tells the poller what c wants, only when that changed: no
// epoll_ctl churn on the request/response path.
func (l *Loop) syncInterest(c *Conn) {
	want := c.wantInterest()
	if want == c.interest {
		return
	}
	if err := l.poller.Modify(int(c.fd), c.interest, want); err != nil {
		l.finalize(c, err)
		return
	}
	c.interest = want
}

// startLinger shuts our write side after the last byte left and waits for
// the peer's EOF, reading and dropping what it still sends. Closing with
// unread input would make the kernel send RST, and the peer could lose the
// response we just flushed (the 400 after a bad pipelined request).
func (l *Loop) startLinger(c *Conn) {
	if c.flags&fPeerEOF != 0 {
		l.finalize(c, c.closeErr)
		return
	}
	c.flags |= fLinger
	if c.flags&fWriteShut == 0 {
		c.flags |= fWriteShut
		unix.Shutdown(int(c.fd), unix.SHUT_WR)
	}
	l.syncInterest(c)
}

// peerEOF handles a read of 0 bytes.
func (l *Loop) peerEOF(c *Conn) {
	c.flags |= fPeerEOF
	if c.flags&fLinger != 0 || (c.flags&fWriteShut != 0 && c.out.Empty()) {
		l.finalize(c, c.closeErr)
		return
	}
	if c.flags&(fClosing|fWriteShut|fShutWrite) == 0 {
		if eh, ok := c.handler.(EOFHandler); ok {
			eh.OnEOF(c)
			l.markDirty(c)
			return
		}
	}
	if c.closeErr == nil {
		c.closeErr = io.EOF
	}
	c.Close()
}

// abort ends c at once with an RST.
func (l *Loop) abort(c *Conn, err error) {
	if c.flags&fClosed != 0 {
		return
	}
	// SO_LINGER 0: close sends RST instead of FIN and drops unsent data.
	unix.SetsockoptLinger(int(c.fd), unix.SOL_SOCKET, unix.SO_LINGER, &unix.Linger{Onoff: 1, Linger: 0})
	l.finalize(c, err)
}

// finalize releases everything c holds and calls OnClose exactly once.
func (l *Loop) finalize(c *Conn, err error) {
	if c.flags&fClosed != 0 {
		return
	}
	c.flags |= fClosed
	c.flags &^= fDirty
	l.wheel.Cancel(&c.timer)
	l.poller.Delete(int(c.fd), c.interest)
	l.untrack(c)
	if l.cur == c {
		l.stage = l.stage[:0]
	}
	unix.Close(int(c.fd))
	c.out.Reset()
	l.nconns--
	if err == nil {
		err = c.closeErr
	}
	c.handler.OnClose(c, err)
	l.e.connClosed()
}
