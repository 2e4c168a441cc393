package golws

import (
	"errors"
	"time"

	"github.com/golws/golws/loop"
	"github.com/golws/golws/ws"
)

// WSProtocol is one of a vhost's named WebSocket protocols (lws's
// protocols): the same code serves every transport. Its callbacks run on
// the connection's event loop and must not block; from other goroutines
// use WebSocket.Post.
type WSProtocol interface {
	// OnOpen runs once the handshake is done; r is the upgrade request,
	// valid during the call only (copy what must live longer).
	OnOpen(s *WebSocket, r *Request)
	// OnMessage delivers a data message (text or binary), whole, or in
	// pieces as they arrive with WSOptions.Fragments (final on the last).
	// Text has been checked to be UTF-8. data is valid during the call.
	OnMessage(s *WebSocket, text bool, data []byte, final bool)
	// OnClose runs once when the WebSocket is over: code and reason of
	// the peer's Close frame, or 1006 (no close frame) if the connection
	// ended without one.
	OnClose(s *WebSocket, code uint16, reason []byte)
}

// WSWritable is a WSProtocol that produces output as the peer can take
// it: OnWritable runs after RequestWritable once the output has drained
// (lws's callback_on_writable).
type WSWritable interface {
	OnWritable(s *WebSocket)
}

// WSNamedProtocol is a protocol with the name a client asks for in
// Sec-WebSocket-Protocol.
type WSNamedProtocol struct {
	Name     string
	Protocol WSProtocol
}

// Protocol names a WebSocket protocol for Vhost.WebSocket.
func Protocol(name string, p WSProtocol) WSNamedProtocol { return WSNamedProtocol{name, p} }

// WSOptions configure a WebSocket mount.
type WSOptions struct {
	// MaxMessage bounds a message (close 1009 beyond; default 1 MiB,
	// negative: no bound — only with Fragments).
	MaxMessage int64
	// Fragments delivers messages in pieces as they arrive instead of
	// whole.
	Fragments bool
	// PingInterval sends a ping when the connection has been quiet that
	// long, and PongTimeout closes it if no pong follows in time (lws's
	// ws_ping_pong_interval). Zero: no pings.
	PingInterval, PongTimeout time.Duration
	// Origins, if set, are the Origin values accepted (others get 403).
	Origins []string
	// Compression accepts permessage-deflate (RFC 7692) when the client
	// offers it: messages of 64 bytes and more are sent compressed, and
	// compressed messages are inflated, bounded by MaxMessage. The server
	// always declares server_no_context_takeover, so one compressor per
	// loop serves every connection; inflating the client's messages with
	// context takeover costs a connection about 32 KiB of history.
	Compression bool
	// HTTP, if set, serves the mount's requests that are not WebSocket
	// handshakes (a page and its socket on one path, as lws allows);
	// without it they get 426 Upgrade Required.
	HTTP Handler
}

// wsMount is a WebSocket endpoint: its protocols and options. A request
// to it without Upgrade: websocket is answered 426.
type wsMount struct {
	protos []WSNamedProtocol
	names  []string
	opt    WSOptions
}

// WebSocket mounts a WebSocket endpoint at prefix: an HTTP/1.1 request
// with Upgrade: websocket, or an HTTP/2 extended CONNECT, becomes a
// WebSocket speaking the first of protocols (in this order: the server's
// preference) that the client lists in Sec-WebSocket-Protocol; when it
// lists none of them, the first of protocols serves and no subprotocol
// is named in the answer.
func (v *Vhost) WebSocket(prefix string, opt WSOptions, protocols ...WSNamedProtocol) {
	if len(protocols) == 0 {
		panic("golws: Vhost.WebSocket needs a protocol")
	}
	m := &wsMount{protos: protocols, opt: opt}
	for _, p := range protocols {
		m.names = append(m.names, p.Name)
	}
	v.Handle(prefix, m)
	v.ctx.hasWS.Store(true)
}

// Serve answers a plain HTTP request to a WebSocket endpoint.
func (m *wsMount) Serve(w *Response, r *Request) {
	if m.opt.HTTP != nil {
		m.opt.HTTP.Serve(w, r)
		return
	}
	w.Header("Upgrade", "websocket")
	w.Header("Sec-WebSocket-Version", "13")
	w.Error(426, "this is a WebSocket endpoint")
}

// pick chooses the protocol for a Sec-WebSocket-Protocol offer; name is
// empty when the client offered none we know (then the first protocol
// serves, and the response names none).
func (m *wsMount) pick(offer []byte) (p WSProtocol, name string) {
	if len(offer) > 0 {
		if n := ws.SelectProtocol(offer, m.names); n != "" {
			for _, np := range m.protos {
				if np.Name == n {
					return np.Protocol, n
				}
			}
		}
	}
	return m.protos[0].Protocol, ""
}

// nameOf is the registered name of one of the mount's protocols.
func (m *wsMount) nameOf(p WSProtocol) string {
	for _, np := range m.protos {
		if np.Protocol == p {
			return np.Name
		}
	}
	return ""
}

// ErrWSClosed is a write on a WebSocket that is closing or closed.
var ErrWSClosed = errors.New("golws: WebSocket closed")

// WebSocket is one WebSocket connection. Its methods are for the loop
// (inside its protocol's callbacks, timers and posted tasks).
type WebSocket struct {
	t     *wsConn
	proto string
	user  any
}

// Protocol is the negotiated subprotocol name ("" if none was).
func (s *WebSocket) Protocol() string { return s.proto }

// User and SetUser hold the protocol's per-connection state.
func (s *WebSocket) User() any        { return s.user }
func (s *WebSocket) SetUser(v any)    { s.user = v }
func (s *WebSocket) Conn() *loop.Conn { return s.t.tr.conn() }

// WriteText and WriteBinary send one whole message.
func (s *WebSocket) WriteText(p []byte) error   { return s.t.send(ws.Text, p, true) }
func (s *WebSocket) WriteBinary(p []byte) error { return s.t.send(ws.Binary, p, true) }

// WriteFragment sends a piece of a message: the first piece with text
// set as the message's type, the following as continuations; final ends
// the message.
func (s *WebSocket) WriteFragment(text bool, p []byte, final bool) error {
	return s.t.sendFragment(text, p, final)
}

// Ping sends a ping (the peer answers with a pong).
func (s *WebSocket) Ping(p []byte) error { return s.t.send(ws.Ping, p, true) }

// Writable reports whether the peer can take more output now.
func (s *WebSocket) Writable() bool { return !s.t.sentClose && s.t.tr.writable() }

// RequestWritable asks for OnWritable (see WSWritable) once the output
// has drained.
func (s *WebSocket) RequestWritable() { s.t.tr.requestWritable() }

// Close starts the closing handshake with code and reason; OnClose runs
// when it is over.
func (s *WebSocket) Close(code uint16, reason string) { s.t.close(code, reason) }

// Post runs fn on the WebSocket's loop from any goroutine; err is
// ErrWSClosed if it has closed by then.
func (s *WebSocket) Post(fn func(s *WebSocket, err error)) error {
	return s.t.tr.post(func(err error) {
		if err != nil || s.t.over {
			fn(s, ErrWSClosed)
			return
		}
		fn(s, nil)
	})
}

// Broadcast calls fn for every open WebSocket of the named protocol (the
// name it was registered with, whatever the client asked for), on
// every loop, each on its own loop (by posting to it): lws's
// callback_on_writable_all_protocol, reaching connections across loops.
// fn typically writes, or, for bounded output, sets state and calls
// RequestWritable. It returns once the tasks are posted, not run.
func (c *Context) Broadcast(protocol string, fn func(s *WebSocket)) error {
	for i, l := range c.engine.Loops() {
		pl := c.perLoop[i]
		if err := l.Post(func() {
			for _, t := range pl.sockets[protocol] {
				if !t.over {
					fn(&t.s)
				}
			}
		}); err != nil {
			return err
		}
	}
	return nil
}
