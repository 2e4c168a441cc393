package loop

import (
	"errors"
	"fmt"
	"net"
	"os"
	"sync"
	"time"

	"github.com/golws/golws/poll"
	"github.com/golws/golws/wheel"
	"golang.org/x/sys/unix"
)

// Listener is a listening socket (on Linux TCP: one SO_REUSEPORT socket
// per loop) whose connections go to one Handler.
type Listener struct {
	e       *Engine
	h       Handler
	addr    net.Addr
	network string
	states  []*lnState

	closeOnce sync.Once
}

// lnState is a listener socket's life on its loop.
type lnState struct {
	ln      *Listener
	loop    *Loop
	fd      int
	conn    *Conn // its entry in the loop's fd table
	paused  uint8 // why accepting is paused (bits below); 0 = accepting
	backoff time.Duration
	timer   wheel.Timer
	spread  bool // hand connections to all loops round-robin
	tcp     bool // set TCP_NODELAY on accepted sockets
}

const (
	pausedMax     uint8 = 1 << iota // Config.MaxConns reached
	pausedBackoff                   // EMFILE/ENFILE or another accept fault
)

// Listen opens a listener on network ("tcp", "tcp4", "tcp6" or "unix") and
// addr, and serves its connections with h (which may switch each
// connection to another handler in OnOpen).
func (e *Engine) Listen(network, addr string, h Handler) (*Listener, error) {
	if e.shutting.Load() {
		return nil, ErrEngineClosed
	}
	ln := &Listener{e: e, h: h, network: network}
	var fds []int
	var err error
	switch network {
	case "tcp", "tcp4", "tcp6":
		fds, ln.addr, err = listenTCP(network, addr, len(e.loops))
	case "unix":
		fds, ln.addr, err = listenUnix(addr)
	default:
		return nil, fmt.Errorf("loop: listen: unsupported network %q", network)
	}
	if err != nil {
		return nil, err
	}
	spread := len(fds) == 1 && len(e.loops) > 1
	for i, fd := range fds {
		l := e.loops[i%len(e.loops)]
		if len(fds) == 1 {
			l = e.pick()
		}
		st := &lnState{ln: ln, loop: l, fd: fd, spread: spread, tcp: network != "unix"}
		st.timer.F = backoffOver
		st.timer.Arg = st
		ln.states = append(ln.states, st)
	}
	e.mu.Lock()
	e.listeners[ln] = struct{}{}
	e.mu.Unlock()
	for _, st := range ln.states {
		st := st
		if err := st.loop.Post(func() { st.loop.addListener(st) }); err != nil {
			unix.Close(st.fd)
		}
	}
	return ln, nil
}

// Addr is the address the listener is bound to (with the port the kernel
// chose, if addr asked for port 0).
func (ln *Listener) Addr() net.Addr { return ln.addr }

// Close stops accepting; connections already accepted carry on.
func (ln *Listener) Close() error {
	ln.closeOnce.Do(func() {
		ln.e.mu.Lock()
		delete(ln.e.listeners, ln)
		ln.e.mu.Unlock()
		for _, st := range ln.states {
			st := st
			if st.loop.Post(func() { st.loop.closeListener(st) }) != nil {
				// The loop is gone and took its listeners with it.
			}
		}
		if ln.network == "unix" {
			if ua, ok := ln.addr.(*net.UnixAddr); ok && ua.Name != "" && ua.Name[0] != '@' {
				os.Remove(ua.Name)
			}
		}
	})
	return nil
}

func (l *Loop) addListener(st *lnState) {
	c := &Conn{fd: int32(st.fd), kind: kindListener, loop: l}
	if err := l.poller.Add(st.fd, poll.Read); err != nil {
		l.e.cfg.Logger.Error("loop: cannot watch listener", "addr", st.ln.addr, "err", err)
		unix.Close(st.fd)
		return
	}
	c.interest = poll.Read
	st.conn = c
	l.track(c)
	l.listeners = append(l.listeners, st)
	if l.e.acceptPaused.Load() {
		st.pause(pausedMax)
	}
}

func (l *Loop) closeListener(st *lnState) {
	for i, s := range l.listeners {
		if s == st {
			l.listeners = append(l.listeners[:i], l.listeners[i+1:]...)
			break
		}
	}
	if st.conn == nil {
		return
	}
	l.wheel.Cancel(&st.timer)
	l.poller.Delete(st.fd, st.conn.interest)
	l.untrack(st.conn)
	st.conn = nil
	unix.Close(st.fd)
}

func (l *Loop) stateOf(c *Conn) *lnState {
	for _, st := range l.listeners {
		if st.conn == c {
			return st
		}
	}
	return nil
}

// acceptBatch bounds accepts per readiness event so a connection storm
// cannot starve the loop's established connections.
const acceptBatch = 64

func (l *Loop) acceptReady(c *Conn) {
	st := l.stateOf(c)
	if st == nil || st.paused != 0 {
		return
	}
	for i := 0; i < acceptBatch; i++ {
		if !l.e.reserve() {
			l.e.acceptPaused.Store(true)
			st.pause(pausedMax)
			// A connection may have closed between the check and the
			// flag; without this re-check nobody would resume us.
			if l.e.reserve() {
				l.e.connClosed()
			}
			return
		}
		fd, e := sysAccept(st.fd)
		if e != 0 {
			// Released like a closed connection: another loop may have
			// paused on the slot this attempt held for a moment.
			l.e.connClosed()
			switch e {
			case unix.EAGAIN, unix.EINTR, unix.ECONNABORTED, unix.EPROTO:
				if e == unix.EAGAIN {
					return
				}
				continue
			}
			st.backOff(e)
			return
		}
		st.backoff = 0
		if st.tcp {
			unix.SetsockoptInt(fd, unix.IPPROTO_TCP, unix.TCP_NODELAY, 1)
		}
		target := l
		if st.spread {
			target = l.e.pick()
		}
		if target == l {
			l.register(fd, st.ln.h, false)
		} else if target.Post(func() { target.register(fd, st.ln.h, false) }) != nil {
			unix.Close(fd)
			l.e.connClosed()
		}
	}
}

// backOff pauses accepting after a fault, doubling the pause up to a
// second. Out of descriptors (EMFILE/ENFILE) accept would fail at once
// again: retrying in a loop would spin the CPU at 100% for nothing.
func (st *lnState) backOff(e unix.Errno) {
	if st.backoff == 0 {
		st.backoff = 10 * time.Millisecond
		st.loop.e.cfg.Logger.Warn("loop: accept failed; pausing accepts", "addr", st.ln.addr, "err", e)
	} else if st.backoff < time.Second {
		st.backoff *= 2
	}
	st.pause(pausedBackoff)
	st.loop.Schedule(&st.timer, st.backoff)
}

func backoffOver(t *wheel.Timer) {
	st := t.Arg.(*lnState)
	st.resume(pausedBackoff)
}

func (st *lnState) pause(why uint8) {
	st.paused |= why
	st.syncInterest()
}

func (st *lnState) resume(why uint8) {
	st.paused &^= why
	st.syncInterest()
}

func (st *lnState) syncInterest() {
	if st.conn == nil {
		return
	}
	want := poll.Read
	if st.paused != 0 {
		want = 0
	}
	if want != st.conn.interest {
		if st.loop.poller.Modify(st.fd, st.conn.interest, want) == nil {
			st.conn.interest = want
		}
	}
}

func (l *Loop) resumeAccept(why uint8) {
	for _, st := range l.listeners {
		st.resume(why)
	}
}

// Adopt takes over an open socket (lws's adopt): it is made non-blocking
// and served by h on one of the loops. The engine owns fd from now on,
// even when Adopt fails.
func (e *Engine) Adopt(fd int, h Handler) error {
	if err := unix.SetNonblock(fd, true); err != nil {
		unix.Close(fd)
		return err
	}
	if !e.reserve() {
		unix.Close(fd)
		return errors.New("loop: adopt: connection limit reached")
	}
	l := e.pick()
	if err := l.Post(func() { l.register(fd, h, false) }); err != nil {
		unix.Close(fd)
		e.connClosed()
		return err
	}
	return nil
}

// register makes fd a connection of l (its slot in MaxConns is already
// reserved) and opens it.
func (l *Loop) register(fd int, h Handler, connecting bool) *Conn {
	c := &Conn{fd: int32(fd), loop: l, handler: h}
	c.timer.F = connTimerFired
	c.timer.Arg = c
	if connecting {
		c.flags |= fConnecting
	}
	if l.tornDown {
		// Posted just before the engine stopped: the connection ends
		// before it starts, and its handler hears so.
		c.flags |= fClosed
		unix.Close(fd)
		h.OnClose(c, ErrShutdown)
		l.e.connClosed()
		return nil
	}
	want := c.wantInterest()
	if err := l.poller.Add(fd, want); err != nil {
		l.e.cfg.Logger.Error("loop: cannot watch connection", "err", err)
		unix.Close(fd)
		l.e.connClosed()
		return nil
	}
	c.interest = want
	l.track(c)
	l.nconns++
	if connecting {
		l.Schedule(&c.timer, l.e.cfg.ConnectTimeout)
		return c
	}
	l.open(c)
	return c
}

func (l *Loop) open(c *Conn) {
	l.cur = c
	c.handler.OnOpen(c)
	l.endCallback(c)
	if c.flags&fClosed == 0 && l.shutting {
		l.shutdownConn(c)
	}
	l.markDirty(c)
}
