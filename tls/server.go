package tls

import (
	ctls "crypto/tls"
	"errors"
	"runtime"
	"sync"
	"time"

	"github.com/golws/golws/loop"
)

// Server accepts TLS on loop connections with the stock crypto/tls. The
// handshake cannot be resumed after a short read, so it runs in a
// goroutine that the loop feeds; those goroutines come from a bounded
// pool (at most MaxHandshakes at once, MaxQueued waiting), so a flood of
// slow or garbage ClientHellos costs bounded goroutines and never stalls
// the loop. Once the handshake is done the connection returns to the
// loop: its records are read and written there by a loop.Codec (a
// crypto/tls Conn stays usable after a read error whose Temporary()
// is true, which is what an empty input returns), and Ready hands it to
// the role its ALPN protocol selects.
type Server struct {
	// Config is the TLS configuration (certificates, GetCertificate or
	// GetConfigForClient for SNI, NextProtos for ALPN, client auth).
	Config *ctls.Config
	// MaxHandshakes bounds concurrent handshakes (default 64 per CPU);
	// MaxQueued bounds those waiting for a slot (default 4096): more are
	// refused (the connection is reset).
	MaxHandshakes, MaxQueued int
	// HandshakeTimeout bounds a handshake from accept (default 10 s).
	HandshakeTimeout time.Duration
	// MaxHandshakeInput bounds what a client may send before its
	// handshake is done (default 64 KiB).
	MaxHandshakeInput int
	// Ready runs on the connection's loop once the handshake succeeded:
	// it sets the connection's handler for the negotiated protocol and
	// feeds it first, the application data that came with the handshake
	// (often the first request). first is valid during the call.
	Ready func(c *loop.Conn, state *ctls.ConnectionState, first []byte)
	// Failed, if set, runs on the loop when a handshake fails (the
	// connection is closing): for logs.
	Failed func(c *loop.Conn, err error)

	once sync.Once
	mu   sync.Mutex // guards running and queue
	run  int
	wait []*session
}

// Default limits of Server.
const (
	DefaultHandshakeTimeout  = 10 * time.Second
	DefaultMaxQueued         = 4096
	DefaultMaxHandshakeInput = 64 << 10
)

func (s *Server) init() {
	s.once.Do(func() {
		if s.MaxHandshakes <= 0 {
			s.MaxHandshakes = 64 * runtime.GOMAXPROCS(0)
		}
		if s.MaxQueued <= 0 {
			s.MaxQueued = DefaultMaxQueued
		}
		if s.HandshakeTimeout <= 0 {
			s.HandshakeTimeout = DefaultHandshakeTimeout
		}
		if s.MaxHandshakeInput <= 0 {
			s.MaxHandshakeInput = DefaultMaxHandshakeInput
		}
	})
}

// ErrHandshakeRefused is what Failed learns for a connection refused
// because the handshake pool and its queue were full.
var ErrHandshakeRefused = errors.New("tls: too many handshakes in progress")

// Accept starts the handshake of a new connection; call it from the
// listener's OnOpen. The connection's handler is the handshake's until
// Ready sets another.
func (s *Server) Accept(c *loop.Conn) {
	s.init()
	s.start(newSession(s, c))
}

// Connect starts the client side of TLS on c, an outgoing connection
// (loop.Dial), in the same pool: cfg gives the server name (SNI and
// certificate verification) and the ALPN protocols offered; ready runs on
// the loop once the handshake succeeded (Failed, if the server's is set,
// when it did not). The Server's Config and Ready are not used.
func (s *Server) Connect(c *loop.Conn, cfg *ctls.Config, ready func(c *loop.Conn, state *ctls.ConnectionState, first []byte)) {
	s.init()
	s.start(newClientSession(s, c, cfg, ready))
}

// start queues a session's handshake in the pool.
func (s *Server) start(ss *session) {
	c := ss.c
	c.SetHandler(ss)
	c.SetTimeout(s.HandshakeTimeout)
	s.mu.Lock()
	switch {
	case s.run < s.MaxHandshakes:
		s.run++
		s.mu.Unlock()
		go s.handshakes(ss)
	case len(s.wait) < s.MaxQueued:
		s.wait = append(s.wait, ss)
		s.mu.Unlock()
	default:
		s.mu.Unlock()
		if s.Failed != nil {
			s.Failed(c, ErrHandshakeRefused)
		}
		c.Abort()
	}
}

// handshakes runs ss's handshake, then the queued ones, until none is
// left: the pool never holds more goroutines than MaxHandshakes, and none
// once the queue is empty.
func (s *Server) handshakes(ss *session) {
	for ss != nil {
		ss.handshake()
		s.mu.Lock()
		ss = nil
		for len(s.wait) > 0 && ss == nil {
			ss = s.wait[0]
			s.wait[0] = nil
			s.wait = s.wait[1:]
			if ss.gone() {
				ss = nil // closed while it waited
			}
		}
		if ss == nil {
			s.run--
			if len(s.wait) == 0 {
				s.wait = nil // let a burst's backing array go
			}
		}
		s.mu.Unlock()
	}
}

// Handshaking is the number of handshakes running and waiting.
func (s *Server) Handshaking() (running, queued int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.run, len(s.wait)
}
