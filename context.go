package golws

import (
	"context"
	"log/slog"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"github.com/golws/golws/h1"
	"github.com/golws/golws/h2"
	"github.com/golws/golws/loop"
	"github.com/golws/golws/tls"
)

// Config sets a Context's limits and timeouts. Zero values get the
// documented defaults.
type Config struct {
	// Loop configures the reactor (loops, connection cap, output cap).
	Loop loop.Config
	// Limits bounds request heads: request line (414), header bytes and
	// count (431).
	Limits h1.Limits
	// MaxBodySize bounds a request body the server gathers for a handler
	// (413 beyond it). Default 8 MiB. BodyHandlers stream without it.
	MaxBodySize int64
	// IdleTimeout closes a keep-alive connection with no request started
	// (default 60 s).
	IdleTimeout time.Duration
	// HeaderTimeout bounds reading a request head once it has started
	// (408, default 10 s).
	HeaderTimeout time.Duration
	// BodyTimeout bounds each wait for request body bytes (408, default 30 s).
	BodyTimeout time.Duration
	// HTTP2 bounds HTTP/2 connections: streams, windows, frame and header
	// sizes, and the rates of frames that cost the server work (see
	// h2.ServerConfig for defaults).
	HTTP2 h2.ServerConfig
	// TLS bounds the handshakes of TLS listeners.
	TLS TLSConfig
	// DisableHTTP2 serves HTTP/1.1 only: no h2 in ALPN, no h2c.
	DisableHTTP2 bool
	// DisableH2C turns off cleartext HTTP/2 on plaintext listeners: with
	// prior knowledge (the connection starts with the HTTP/2 preface) and
	// by "Upgrade: h2c". Both are on by default.
	DisableH2C bool
	// ServerName is the Server header (default "golws"; "-" sends none).
	ServerName string
	// Logger receives the server's own log lines (default slog.Default()).
	Logger *slog.Logger
}

func (c Config) withDefaults() Config {
	if c.MaxBodySize <= 0 {
		c.MaxBodySize = 8 << 20
	}
	if c.IdleTimeout <= 0 {
		c.IdleTimeout = 60 * time.Second
	}
	if c.HeaderTimeout <= 0 {
		c.HeaderTimeout = 10 * time.Second
	}
	if c.BodyTimeout <= 0 {
		c.BodyTimeout = 30 * time.Second
	}
	if c.ServerName == "" {
		c.ServerName = "golws"
	}
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	if c.Loop.Logger == nil {
		c.Loop.Logger = c.Logger
	}
	return c
}

// TLSConfig bounds TLS handshakes, which run off the event loops in a
// pool of goroutines (see package tls): at most MaxHandshakes at once
// (default 64 per CPU), MaxQueued more waiting (default 4096; beyond,
// connections are reset), each within HandshakeTimeout (default 10 s).
type TLSConfig struct {
	MaxHandshakes, MaxQueued int
	HandshakeTimeout         time.Duration
}

// Context is lws's context: the event loops, the virtual hosts and their
// listeners. Create it with New, add vhosts and mounts, then Listen.
type Context struct {
	cfg    Config
	engine *loop.Engine
	date   h1.DateCache
	server string // "Server: ...\r\n", or "" for none

	mu      sync.Mutex
	vhosts  []*Vhost // the first is the default
	perLoop []*perLoop

	tlsOnce   sync.Once
	tlsServer tls.Server
	hasWS     atomic.Bool // a vhost has a WebSocket mount: HTTP/2 advertises extended CONNECT
}

// New starts a Context's event loops.
func New(cfg Config) (*Context, error) {
	cfg = cfg.withDefaults()
	e, err := loop.New(cfg.Loop)
	if err != nil {
		return nil, err
	}
	c := &Context{cfg: cfg, engine: e}
	c.initPerLoop()
	if cfg.ServerName != "-" {
		c.server = "Server: " + cfg.ServerName + "\r\n"
	}
	return c, nil
}

// Config is the context's configuration with defaults filled in.
func (c *Context) Config() Config { return c.cfg }

// Engine is the reactor under the context.
func (c *Context) Engine() *loop.Engine { return c.engine }

// Listen serves HTTP on network ("tcp", "tcp4", "tcp6", "unix") and addr
// for every vhost of the context, matched by the Host header.
func (c *Context) Listen(network, addr string) (net.Addr, error) {
	ln, err := c.engine.Listen(network, addr, &h1Accept{ctx: c})
	if err != nil {
		return nil, err
	}
	return ln.Addr(), nil
}

// ListenH2C listens for cleartext HTTP/2 with prior knowledge only (RFC
// 9113 §3.3), as a gRPC backend or nginx's "listen ... http2" without TLS
// does: every connection must start with the HTTP/2 preface, and one that
// does not is closed with GOAWAY PROTOCOL_ERROR rather than answered as
// HTTP/1.1. Listen's ports take both protocols.
func (c *Context) ListenH2C(network, addr string) (net.Addr, error) {
	ln, err := c.engine.Listen(network, addr, &h2Accept{ctx: c})
	if err != nil {
		return nil, err
	}
	return ln.Addr(), nil
}

// Shutdown stops accepting, lets in-flight requests finish, closes idle
// keep-alive connections and returns when all are gone (or ctx ends).
func (c *Context) Shutdown(ctx context.Context) error {
	err := c.engine.Shutdown(ctx)
	c.mu.Lock()
	vhs := c.vhosts
	c.mu.Unlock()
	for _, v := range vhs {
		v.closeLogs()
	}
	return err
}

// vhostFor picks the vhost for a request's authority: exact name match
// (case-insensitive, port ignored), else the default (first) vhost.
func (c *Context) vhostFor(host []byte) *Vhost {
	vhs := c.vhosts
	if len(vhs) == 0 {
		return nil
	}
	if len(vhs) > 1 && len(host) > 0 {
		h := hostOnly(host)
		for _, v := range vhs {
			if v.matches(h) {
				return v
			}
		}
	}
	return vhs[0]
}

// hostOnly strips a port and IPv6 brackets from an authority.
func hostOnly(a []byte) []byte {
	if len(a) > 0 && a[0] == '[' {
		for i := 1; i < len(a); i++ {
			if a[i] == ']' {
				return a[1:i]
			}
		}
		return a
	}
	for i := len(a) - 1; i >= 0; i-- {
		if a[i] == ':' {
			return a[:i]
		}
		if a[i] < '0' || a[i] > '9' {
			break
		}
	}
	return a
}
