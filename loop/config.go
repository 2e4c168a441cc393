package loop

import (
	"log/slog"
	"runtime"
	"time"
)

// Config sets an engine's size and limits. The zero value gets the defaults
// documented on each field.
type Config struct {
	// Loops is the number of event loops (default runtime.GOMAXPROCS(0)).
	Loops int
	// MaxConns caps open connections across all loops (accepted, adopted
	// and dialed). At the cap, listeners stop accepting until a connection
	// closes. Default 0: no cap beyond the process's file limit.
	MaxConns int
	// MaxBuffered caps a connection's unsent output in bytes (default
	// 1 MiB). At the cap Write returns ErrBufferFull and reading from the
	// connection pauses until its output drains. A single Write below the
	// cap is always taken whole, so the bound is MaxBuffered plus the
	// largest single write.
	MaxBuffered int
	// ReadBufferSize is the size of each loop's shared read buffer
	// (default 64 KiB): the most one read hands to OnData.
	ReadBufferSize int
	// CloseTimeout bounds a graceful close: output still unsent after it is
	// dropped and the connection aborted (default 10 s).
	CloseTimeout time.Duration
	// ConnectTimeout bounds an outgoing connect (default 10 s).
	ConnectTimeout time.Duration
	// Logger receives the engine's own log lines (accept faults, limits).
	// Default slog.Default().
	Logger *slog.Logger
}

func (c Config) withDefaults() Config {
	if c.Loops <= 0 {
		c.Loops = runtime.GOMAXPROCS(0)
	}
	if c.MaxBuffered <= 0 {
		c.MaxBuffered = 1 << 20
	}
	if c.ReadBufferSize <= 0 {
		c.ReadBufferSize = 64 << 10
	}
	if c.CloseTimeout <= 0 {
		c.CloseTimeout = 10 * time.Second
	}
	if c.ConnectTimeout <= 0 {
		c.ConnectTimeout = 10 * time.Second
	}
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	return c
}
