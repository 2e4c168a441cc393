package golws

import (
	ctls "crypto/tls"
	"errors"
	"net"

	"github.com/golws/golws/loop"
)

// ErrNoCertificate is ListenTLS on a context with no vhost certificate.
var ErrNoCertificate = errors.New("golws: no vhost has a TLS certificate (Vhost.TLS)")

// ListenTLS serves HTTPS on network and addr: TLS, then HTTP/2 or
// HTTP/1.1 as ALPN decides, for every vhost with a certificate (SNI
// picks it). The handshake runs off the event loop, in a bounded pool
// (Config.TLS), and the connection returns to its loop once it is done.
func (c *Context) ListenTLS(network, addr string) (net.Addr, error) {
	if c.tlsFor("") == nil {
		return nil, ErrNoCertificate
	}
	c.tlsOnce.Do(c.initTLS)
	ln, err := c.engine.Listen(network, addr, &tlsAccept{ctx: c})
	if err != nil {
		return nil, err
	}
	return ln.Addr(), nil
}

// initTLS sets up the context's handshake pool.
func (c *Context) initTLS() {
	s := &c.tlsServer
	s.MaxHandshakes = c.cfg.TLS.MaxHandshakes
	s.MaxQueued = c.cfg.TLS.MaxQueued
	s.HandshakeTimeout = c.cfg.TLS.HandshakeTimeout
	s.Config = &ctls.Config{
		GetConfigForClient: func(hello *ctls.ClientHelloInfo) (*ctls.Config, error) {
			t := c.tlsFor(hello.ServerName)
			if t == nil {
				return nil, ErrNoCertificate
			}
			return t.cfg, nil
		},
	}
	s.Ready = c.tlsReady
	s.Failed = func(conn *loop.Conn, err error) {
		c.loopState(conn.Loop()).limitedLog(c, conn.Loop(), "golws: TLS handshake failed", 0, err.Error())
	}
}

// tlsReady hands a connection whose handshake is done to the role ALPN
// chose.
func (c *Context) tlsReady(conn *loop.Conn, state *ctls.ConnectionState, first []byte) {
	if state.NegotiatedProtocol == "h2" {
		startH2(c, conn, first)
		return
	}
	h := &h1Conn{ctx: c, pl: c.loopState(conn.Loop()), c: conn}
	conn.SetHandler(h)
	conn.SetTimeout(c.cfg.HeaderTimeout)
	if len(first) > 0 {
		h.OnData(conn, first)
	}
}

// tlsAccept is a TLS listener's handler: every connection starts with the
// handshake.
type tlsAccept struct {
	loop.BaseHandler
	ctx *Context
}

func (a *tlsAccept) OnOpen(c *loop.Conn) { a.ctx.tlsServer.Accept(c) }

// TLSState is the TLS state of the connection a request came on (version,
// cipher suite, ALPN protocol, SNI, client certificates), nil over
// plaintext.
func (r *Request) TLSState() *ctls.ConnectionState {
	if s, ok := r.conn.Codec().(interface{ ConnectionState() ctls.ConnectionState }); ok {
		st := s.ConnectionState()
		return &st
	}
	return nil
}
