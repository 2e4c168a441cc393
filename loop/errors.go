package loop

import "errors"

var (
	// ErrClosed is what a task posted to a connection learns when the
	// connection is already gone.
	ErrClosed = errors.New("loop: connection closed")
	// ErrEngineClosed is returned when the engine has stopped.
	ErrEngineClosed = errors.New("loop: engine closed")
	// ErrBufferFull is returned by Write when the connection's buffered
	// output is already at Config.MaxBuffered: the producer must wait for
	// OnWritable (see Conn.RequestWritable).
	ErrBufferFull = errors.New("loop: output buffer full")
	// ErrTimeout is passed to OnClose for a connection closed by its timeout.
	ErrTimeout = errors.New("loop: connection timed out")
	// ErrShutdown is passed to OnClose for a connection aborted because the
	// shutdown deadline passed.
	ErrShutdown = errors.New("loop: engine shut down")
)
