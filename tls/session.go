package tls

import (
	ctls "crypto/tls"
	"errors"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"github.com/golws/golws/loop"
)

// session is one TLS connection: the loop's handler while the handshake
// runs, then its Codec. Its wire (a net.Conn) is what crypto/tls reads
// and writes.
type session struct {
	loop.BaseHandler
	srv   *Server
	ready func(c *loop.Conn, state *ctls.ConnectionState, first []byte)
	c     *loop.Conn
	tc    *ctls.Conn
	wire  wire

	// Handshake phase: the loop appends what it reads, the handshake
	// goroutine takes it.
	mu     sync.Mutex
	cond   sync.Cond
	hsIn   []byte
	closed bool
	onLoop atomic.Bool // the handshake is over: only the loop touches the wire

	// Record phase (loop only).
	in       []byte // input being decoded
	held     []byte // input kept between Decode calls
	out      []byte // Encode's output while crypto/tls writes
	encoding bool
	full     bool // the last Decode filled its buffer: crypto/tls may hold more
}

func newSession(srv *Server, c *loop.Conn) *session {
	ss := &session{srv: srv, c: c, ready: srv.Ready}
	ss.cond.L = &ss.mu
	ss.wire.s = ss
	ss.tc = ctls.Server(&ss.wire, srv.Config)
	return ss
}

// newClientSession is a session for the client side of c.
func newClientSession(srv *Server, c *loop.Conn, cfg *ctls.Config, ready func(*loop.Conn, *ctls.ConnectionState, []byte)) *session {
	ss := &session{srv: srv, c: c, ready: ready}
	ss.cond.L = &ss.mu
	ss.wire.s = ss
	ss.tc = ctls.Client(&ss.wire, cfg)
	return ss
}

// OnData (handshake phase) hands received bytes to the handshake. Past
// MaxHandshakeInput reading pauses until the handshake is over: a client
// may well send its first request (an HTTP/2 client up to a whole 64 KiB
// window of body) right after its Finished, before the loop learns that
// the handshake is done; one that sends that much too early simply waits
// for HandshakeTimeout.
func (ss *session) OnData(c *loop.Conn, data []byte) {
	ss.mu.Lock()
	ss.hsIn = append(ss.hsIn, data...)
	full := len(ss.hsIn) >= ss.srv.MaxHandshakeInput
	ss.mu.Unlock()
	ss.cond.Signal()
	if full {
		c.PauseRead()
	}
}

// OnClose ends a handshake still waiting for input.
func (ss *session) OnClose(c *loop.Conn, err error) {
	ss.mu.Lock()
	ss.closed = true
	ss.mu.Unlock()
	ss.cond.Broadcast()
}

// OnTimeout: the handshake took too long (a trickled ClientHello).
func (ss *session) OnTimeout(c *loop.Conn) { c.Abort() }

// gone reports whether the connection closed (for a queued handshake).
func (ss *session) gone() bool {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	return ss.closed
}

// handshake runs in a pool goroutine, then returns the connection to its
// loop.
func (ss *session) handshake() {
	err := ss.tc.Handshake()
	ss.c.Post(func(c *loop.Conn, cerr error) {
		if cerr == nil {
			ss.finish(err)
		}
	})
}

// finish runs on the loop when the handshake is over.
func (ss *session) finish(err error) {
	c := ss.c
	ss.mu.Lock()
	ss.onLoop.Store(true)
	pending := ss.hsIn
	ss.hsIn = nil
	ss.mu.Unlock()
	if err != nil {
		if ss.srv.Failed != nil {
			ss.srv.Failed(c, err)
		}
		c.Close() // the alert crypto/tls wrote goes first
		return
	}
	c.ClearTimeout()
	c.ResumeRead()
	c.SetCodec(ss)
	state := ss.tc.ConnectionState()
	// Decode what came with the handshake (often the first request)
	// before the role sees the connection.
	first := make([]byte, 0, 4096)
	buf := make([]byte, 16<<10)
	for in := pending; ; in = nil {
		plain, more, derr := ss.Decode(c, in, buf)
		first = append(first, plain...)
		if derr != nil {
			c.Close()
			return
		}
		if !more {
			break
		}
	}
	ss.ready(c, &state, first)
}

// errWouldBlock is what the wire's Read returns on the loop when the
// input is used up. It is Temporary, so crypto/tls keeps a partial record
// and stays usable.
var errWouldBlock error = wouldBlock{}

type wouldBlock struct{}

func (wouldBlock) Error() string   { return "tls: no more input for now" }
func (wouldBlock) Timeout() bool   { return true }
func (wouldBlock) Temporary() bool { return true }

// Decode implements loop.Codec: it decrypts records from what the loop
// read (and what it kept from before) into out.
func (ss *session) Decode(c *loop.Conn, in, out []byte) ([]byte, bool, error) {
	if len(ss.held) > 0 {
		ss.held = append(ss.held, in...)
		ss.in = ss.held
	} else {
		ss.in = in
	}
	total := 0
	var err error
	for total < len(out) {
		n, rerr := ss.tc.Read(out[total:])
		total += n
		if rerr != nil {
			if !errors.Is(rerr, errWouldBlock) {
				err = rerr
			}
			break
		}
		if n == 0 {
			break
		}
	}
	// Keep what crypto/tls did not take (it reads no further than the
	// record it needs): in aliases the loop's read buffer.
	switch {
	case len(ss.in) == 0 && cap(ss.held) > 4096:
		ss.held = nil // an idle connection keeps no large buffer of ours
	case len(ss.in) == 0:
		ss.held = ss.held[:0]
	case len(ss.held) > 0:
		ss.held = ss.held[:copy(ss.held, ss.in)]
	default:
		ss.held = append(ss.held[:0], ss.in...)
	}
	ss.in = nil
	if len(out) > 0 {
		ss.full = total == len(out)
	}
	more := ss.full || len(out) == 0 && len(ss.held) > 0
	return out[:total], more, err
}

// Encode implements loop.Codec: p becomes records appended to dst.
func (ss *session) Encode(dst, p []byte) ([]byte, error) {
	ss.out, ss.encoding = dst, true
	_, err := ss.tc.Write(p)
	dst, ss.out, ss.encoding = ss.out, nil, false
	return dst, err
}

// wire is the net.Conn crypto/tls sees.
type wire struct{ s *session }

func (w *wire) Read(p []byte) (int, error) {
	ss := w.s
	if !ss.onLoopNow() {
		ss.mu.Lock()
		for len(ss.hsIn) == 0 && !ss.closed {
			ss.cond.Wait()
		}
		if len(ss.hsIn) == 0 {
			ss.mu.Unlock()
			return 0, net.ErrClosed
		}
		n := copy(p, ss.hsIn)
		ss.hsIn = ss.hsIn[:copy(ss.hsIn, ss.hsIn[n:])]
		ss.mu.Unlock()
		return n, nil
	}
	if len(ss.in) == 0 {
		return 0, errWouldBlock
	}
	n := copy(p, ss.in)
	ss.in = ss.in[n:]
	return n, nil
}

func (w *wire) Write(p []byte) (int, error) {
	ss := w.s
	switch {
	case !ss.onLoopNow():
		// The handshake goroutine: the loop writes, in order.
		b := append([]byte(nil), p...)
		if err := ss.c.Post(func(c *loop.Conn, err error) {
			if err == nil {
				c.WriteRaw(b)
			}
		}); err != nil {
			return 0, err
		}
	case ss.encoding:
		ss.out = append(ss.out, p...)
	default:
		// crypto/tls writing while it reads (an alert, a key update).
		ss.c.WriteRaw(p)
	}
	return len(p), nil
}

// onLoopNow reports whether the handshake is over: only the handshake
// goroutine calls the wire before, only the loop after.
func (ss *session) onLoopNow() bool { return ss.onLoop.Load() }

// ConnectionState is the connection's TLS state (version, cipher suite,
// ALPN protocol, SNI, the client's certificates).
func (ss *session) ConnectionState() ctls.ConnectionState { return ss.tc.ConnectionState() }

func (w *wire) Close() error                     { return nil }
func (w *wire) LocalAddr() net.Addr              { return w.s.c.LocalAddr() }
func (w *wire) RemoteAddr() net.Addr             { return w.s.c.RemoteAddr() }
func (w *wire) SetDeadline(time.Time) error      { return nil }
func (w *wire) SetReadDeadline(time.Time) error  { return nil }
func (w *wire) SetWriteDeadline(time.Time) error { return nil }
