package loop

// Handler is a connection's protocol: lws's role callbacks, split into small
// methods. All of them run on the connection's loop and must not block.
type Handler interface {
	// OnOpen is called once the connection is registered on its loop (for
	// an outgoing connection: once connect has completed).
	OnOpen(c *Conn)
	// OnData is called with bytes read from the peer. data aliases the
	// loop's shared read buffer: copy what must outlive the call.
	OnData(c *Conn, data []byte)
	// OnWritable is called after [Conn.RequestWritable] once the
	// connection's buffered output has fully drained.
	OnWritable(c *Conn)
	// OnClose is called exactly once when the connection is gone. err is
	// nil for a local close, io.EOF when the peer closed, [ErrTimeout],
	// [ErrShutdown], or the socket error (ECONNRESET, EPIPE, ...).
	OnClose(c *Conn, err error)
}

// EOFHandler is implemented by handlers that want to keep writing after
// the peer half-closed its side. Without it a peer's EOF starts a graceful
// close (flush what is queued, then close).
type EOFHandler interface {
	OnEOF(c *Conn)
}

// TimeoutHandler is implemented by handlers that want to decide what a
// connection timeout ([Conn.SetTimeout]) means. Without it the connection
// is aborted and OnClose receives [ErrTimeout].
type TimeoutHandler interface {
	OnTimeout(c *Conn)
}

// ShutdownHandler is implemented by handlers that finish in-flight work
// before a graceful [Engine.Shutdown] closes them (an HTTP connection
// completes its current response, a WebSocket sends a close frame).
// Without it the connection is closed gracefully at once.
type ShutdownHandler interface {
	OnShutdown(c *Conn)
}

// BaseHandler has no-op methods; embed it to implement only what matters.
type BaseHandler struct{}

func (BaseHandler) OnOpen(*Conn)         {}
func (BaseHandler) OnData(*Conn, []byte) {}
func (BaseHandler) OnWritable(*Conn)     {}
func (BaseHandler) OnClose(*Conn, error) {}
